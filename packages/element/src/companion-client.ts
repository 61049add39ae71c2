import type { CheckoutConfig, CreatePaymentRequest, CreatePaymentResponse, PaymentView } from '@payment-checkout/core/api';
import type { CheckoutTexts } from '@payment-checkout/core/texts';
import type { Locale } from '@payment-checkout/core/locale';
import { errorOf, isCheckoutConfig, isCreatePaymentResponse, isPaymentView, isTexts } from './companion-answers.ts';
import { type Clock, systemClock } from './clock.ts';

/**
 * How long the element waits for the companion's answer, its body included, before it tells the shopper the service
 * could not be reached: a browser waits for ever on a connection that went quiet, as one may on a phone changing
 * networks. A create may wait on the order's lookup and the gateway (their own limits: 5 s and 10 to 15 s).
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Codes of failures seen by the browser: the companion's own stable codes (`order_not_found`, `method_unavailable`,
 * …, see core's CheckoutErrorCode) plus `network_error` (no answer), `timeout` (no answer in
 * REQUEST_TIMEOUT_MS), `http_error` (an error without our JSON body)
 * and `invalid_response` (an answer that does not match the API schema).
 */
export type CompanionErrorCode = string;

/** A request to the companion that did not give the expected answer. `message` is the companion's when it sent one. */
export class CompanionError extends Error {
  override readonly name = 'CompanionError';
  readonly code: CompanionErrorCode;
  /** HTTP status, 0 when there was no answer. */
  readonly status: number;
  /** Whether the companion itself explained the error (its message, in English, is safe to show). */
  readonly fromServer: boolean;
  /** The companion's message in the shopper's language (`locale`, the one the request asked for), when it sent one. */
  readonly customerMessage: string | null;
  readonly locale: Locale | null;
  constructor(code: CompanionErrorCode, message: string, status: number, fromServer: boolean, customer?: { message: string; locale: Locale }) {
    super(message);
    this.code = code;
    this.status = status;
    this.fromServer = fromServer;
    this.customerMessage = customer?.message ?? null;
    this.locale = customer?.locale ?? null;
  }
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** The shopper's language: the companion words its errors (and a payment's `failureMessage`) in it. */
  locale?: Locale;
}

/** A typed client of the companion's checkout API (packages/core/src/api.ts), one method per endpoint. */
export class CompanionClient {
  readonly endpoint: string;
  readonly #fetch: typeof fetch;
  readonly #clock: Clock;

  /**
   * `endpoint` is the companion's base URL ("" for the page's own origin); `fetchImpl` defaults to the global fetch;
   * `clock` runs the requests' time limits (the element's own clock).
   */
  constructor(endpoint = '', fetchImpl?: typeof fetch, clock: Clock = systemClock) {
    this.endpoint = endpoint.replace(/\/+$/, '');
    // Looked up on each call so that a page (or a test) replacing window.fetch is honoured.
    this.#fetch = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
    this.#clock = clock;
  }

  getConfig(orderId: string, options: RequestOptions = {}): Promise<CheckoutConfig> {
    return this.#request(isCheckoutConfig, '/checkout/config', { orderId }, options, {});
  }

  createPayment(request: CreatePaymentRequest, options: RequestOptions = {}): Promise<CreatePaymentResponse> {
    return this.#request(isCreatePaymentResponse, '/checkout/payments', {}, options, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  getPayment(paymentId: string, options: RequestOptions = {}): Promise<PaymentView> {
    return this.#request(isPaymentView, `/checkout/payments/${encodeURIComponent(paymentId)}`, {}, options, {});
  }

  /** The shopper's texts in `options.locale` (English without one); the config carries them too. */
  getTexts(options: RequestOptions = {}): Promise<CheckoutTexts> {
    return this.#request(isTexts, '/checkout/texts', {}, options, {});
  }

  /**
   * `query` gets the request's `locale`, the way every request tells the companion the shopper's language. The
   * answer, its body included, must come within REQUEST_TIMEOUT_MS; the caller's `signal` aborts it as it would fetch.
   */
  async #request<T>(
    isAnswer: (body: unknown) => body is T,
    path: string,
    query: Record<string, string>,
    { signal, locale }: RequestOptions,
    init: RequestInit,
  ): Promise<T> {
    const search = new URLSearchParams({ ...query, ...(locale ? { locale } : {}) }).toString();
    const request = new AbortController();
    const abort = () => request.abort();
    const timer = this.#clock.setTimeout(abort, REQUEST_TIMEOUT_MS);
    signal?.addEventListener('abort', abort);
    if (signal?.aborted) abort();
    let response: Response | undefined;
    let body: unknown;
    try {
      response = await this.#fetch(`${this.endpoint}${path}${search ? `?${search}` : ''}`, {
        ...init,
        signal: request.signal,
        headers: { accept: 'application/json', ...init.headers },
      });
      body = await response.json();
    } catch (error) {
      if (signal?.aborted) throw error;
      // No answer (or, by the timer, none in time); an answer whose body is not JSON (a proxy's error page) has none.
      if (!response || request.signal.aborted) {
        throw new CompanionError(request.signal.aborted ? 'timeout' : 'network_error', 'We could not reach the payment service.', 0, false);
      }
    } finally {
      this.#clock.clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
    }
    if (!response.ok) {
      const problem = errorOf(body);
      if (!problem) throw new CompanionError('http_error', `The payment service answered HTTP ${response.status}.`, response.status, false);
      const customer = locale && problem.customerMessage !== undefined ? { message: problem.customerMessage, locale } : undefined;
      throw new CompanionError(problem.code, problem.message, response.status, true, customer);
    }
    if (!isAnswer(body)) {
      throw new CompanionError('invalid_response', 'The payment service sent an unexpected answer.', response.status, false);
    }
    return body;
  }
}
