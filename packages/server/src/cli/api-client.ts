import { ApiErrorBody } from '@payment-checkout/core';
import type { MoneyOperation } from '../gateways/operations.ts';
import type { OperationBody } from '../services/money-operations.ts';
import type { PaymentDetail, PaymentPage } from '../services/operations.ts';
import type { ReconcileReport } from '../services/reconciler.ts';

/**
 * A thin client of the operations API (docs/operations-api.md): one method per route, the parsed answer and
 * its exact text (for `--json`). It knows nothing of gateways or the store; the companion decides everything.
 */

/** An answer: the parsed body, and the text exactly as the API sent it. */
export interface ApiAnswer<T> {
  body: T;
  text: string;
}

/** The gateway's own code and message, when it refused an operation (`operation_refused`). */
export type GatewaySays = NonNullable<ApiErrorBody['error']['gateway']>;

/** The API answered with an error (`{ error: { code, message, issues?, gateway? } }`, or something unreadable). */
export class OperationsApiError extends Error {
  override readonly name = 'OperationsApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly unknown[] = [],
    readonly gateway: GatewaySays | null = null,
  ) {
    super(message);
  }
}

/** No answer at all: refused connection, DNS, timeout. For an operation, whether it happened is unknown. */
export class ApiUnreachableError extends Error {
  override readonly name = 'ApiUnreachableError';
}

export interface OperationsClientOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:3000/operations`. */
  baseUrl: URL;
  token: string;
  /** Abort a request after this long (a gateway that hangs makes the companion answer 502 well before). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class OperationsClient {
  private readonly base: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;

  constructor(options: OperationsClientOptions) {
    this.base = options.baseUrl.href.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.fetchFn = options.fetch ?? fetch;
  }

  /** `GET /payments`: the query as the API reads it (strings). */
  listPayments(query: Record<string, string>): Promise<ApiAnswer<PaymentPage>> {
    const search = new URLSearchParams(query).toString();
    return this.request('GET', `/payments${search ? `?${search}` : ''}`);
  }

  payment(id: string): Promise<ApiAnswer<PaymentDetail>> {
    return this.request('GET', `/payments/${encodeURIComponent(id)}`);
  }

  check(id: string): Promise<ApiAnswer<PaymentDetail>> {
    return this.act(id, 'check');
  }

  /**
   * A money operation (refund and settle without `amount`: all that is allowed). `idempotencyKey` names the request:
   * sent again with it, the API answers what the first did instead of doing it twice.
   */
  operate(id: string, operation: MoneyOperation, body: OperationBody, idempotencyKey: string): Promise<ApiAnswer<PaymentDetail>> {
    return this.act(id, operation, body, idempotencyKey);
  }

  reconcile(): Promise<ApiAnswer<ReconcileReport>> {
    return this.request('POST', '/reconcile');
  }

  private act(id: string, operation: MoneyOperation | 'check', body?: OperationBody, idempotencyKey?: string): Promise<ApiAnswer<PaymentDetail>> {
    return this.request('POST', `/payments/${encodeURIComponent(id)}/${operation}`, body, idempotencyKey);
  }

  private async request<T>(method: 'GET' | 'POST', path: string, body?: object, idempotencyKey?: string): Promise<ApiAnswer<T>> {
    const url = `${this.base}${path}`;
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (error) {
      // A POST whose connection was made and then lost (the companion stopped, a proxy cut it) may have been done.
      if (method === 'POST' && !NEVER_CONNECTED.has(causeOf(error)?.code ?? '')) {
        throw new ApiUnreachableError(`The operations API at ${this.base} did not answer (${reasonOf(error)}): the operation may have happened; see \`payments show\` before trying again.${againWith(idempotencyKey)}`);
      }
      throw new ApiUnreachableError(`Could not reach the operations API at ${this.base} (${reasonOf(error)}).`);
    }
    const json = parseJson(text);
    if (!res.ok) throw errorOf(res.status, json, res.status >= 500 ? againWith(idempotencyKey) : '');
    if (json === undefined) throw new OperationsApiError(res.status, 'unreadable_answer', `The API answered ${res.status} with something that is not JSON.`);
    return { body: json as T, text };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An operation that got no answer (a lost connection, a 5xx) may have happened: how to learn it without doing it twice. */
function againWith(idempotencyKey: string | undefined): string {
  return idempotencyKey ? ` To learn its outcome without doing it twice, run the same command with --idempotency-key ${idempotencyKey}.` : '';
}

function errorOf(status: number, json: unknown, after = ''): OperationsApiError {
  const parsed = ApiErrorBody.safeParse(json);
  if (!parsed.success) {
    const hint = status === 404 ? ' Is the URL the operations base path (e.g. http://host:3000/operations)?' : '';
    return new OperationsApiError(status, `http_${status}`, `The API answered ${status} without an error body.${hint}${after}`);
  }
  const { code, message, issues, gateway } = parsed.data.error;
  return new OperationsApiError(status, code, `${message}${after}`, issues, gateway ?? null);
}

/** Failures to connect at all: nothing was sent. */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

const causeOf = (error: unknown) => (error as { cause?: { code?: string; message?: string } }).cause;

/** Why fetch failed, in a few words (its own message is only "fetch failed"; the cause says why). */
function reasonOf(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'no answer in time';
  const cause = causeOf(error);
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
