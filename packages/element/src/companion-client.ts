import { ApiErrorBody, CheckoutConfig, CreatePaymentResponse, PaymentView, type CreatePaymentRequest } from '@payment-checkout/core/api';
import type { Locale } from '@payment-checkout/core/locale';
import type { z } from 'zod/mini';

/**
 * Codes of failures seen by the browser: the companion's own stable codes (`order_not_found`, `method_unavailable`,
 * …, see core's CheckoutErrorCode) plus `network_error` (no answer), `http_error` (an error without our JSON body)
 * and `invalid_response` (an answer that does not match the API schema).
 */
export type CompanionErrorCode = string;

/** A request to the companion that did not give the expected answer. `message` is the companion's when it sent one. */
export class CompanionError extends Error {
  override readonly name = 'CompanionError';
  readonly code: CompanionErrorCode;
  /** HTTP status, 0 when there was no answer. */
  readonly status: number;
  /** Whether the companion itself explained the error (its message is meant for the shopper). */
  readonly fromServer: boolean;
  constructor(code: CompanionErrorCode, message: string, status: number, fromServer: boolean) {
    super(message);
    this.code = code;
    this.status = status;
    this.fromServer = fromServer;
  }
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** A typed client of the companion's checkout API (packages/core/src/api.ts), one method per endpoint. */
export class CompanionClient {
  readonly endpoint: string;
  readonly #fetch: typeof fetch;

  /** `endpoint` is the companion's base URL ("" for the page's own origin); `fetchImpl` defaults to the global fetch. */
  constructor(endpoint = '', fetchImpl?: typeof fetch) {
    this.endpoint = endpoint.replace(/\/+$/, '');
    // Looked up on each call so that a page (or a test) replacing window.fetch is honoured.
    this.#fetch = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  }

  getConfig(orderId: string, options: RequestOptions = {}): Promise<CheckoutConfig> {
    const query = new URLSearchParams({ orderId });
    return this.#request(CheckoutConfig, `/checkout/config?${query}`, { signal: options.signal });
  }

  createPayment(request: CreatePaymentRequest, options: RequestOptions = {}): Promise<CreatePaymentResponse> {
    return this.#request(CreatePaymentResponse, '/checkout/payments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      signal: options.signal,
    });
  }

  /** With `locale`, the companion words `failureMessage` in that language. */
  getPayment(paymentId: string, options: RequestOptions & { locale?: Locale } = {}): Promise<PaymentView> {
    const query = options.locale ? `?${new URLSearchParams({ locale: options.locale })}` : '';
    return this.#request(PaymentView, `/checkout/payments/${encodeURIComponent(paymentId)}${query}`, { signal: options.signal });
  }

  async #request<T extends z.ZodMiniType>(schema: T, path: string, init: RequestInit): Promise<z.infer<T>> {
    let response: Response;
    try {
      response = await this.#fetch(`${this.endpoint}${path}`, {
        ...init,
        headers: { accept: 'application/json', ...init.headers },
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new CompanionError('network_error', 'The payment service could not be reached.', 0, false);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      if (init.signal?.aborted) throw error;
      body = undefined;
    }
    if (!response.ok) {
      const problem = ApiErrorBody.safeParse(body);
      if (problem.success) throw new CompanionError(problem.data.error.code, problem.data.error.message, response.status, true);
      throw new CompanionError('http_error', `The payment service answered HTTP ${response.status}.`, response.status, false);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new CompanionError('invalid_response', 'The payment service sent an unexpected answer.', response.status, false);
    }
    return parsed.data;
  }
}
