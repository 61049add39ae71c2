import type { z } from 'zod';
import type { GatewayError } from './gateway.ts';
import { type GatewayTransport, TransportTimeout } from './gateway-transport.ts';

/**
 * The one request loop of the gateway clients (Opn, K-Payment): JSON over a transport (gateway-transport.ts) with a
 * timeout per request, no redirects followed, and every failure thrown as the calling gateway's own error classes.
 */

/** A gateway client's error classes, so that callers keep their `instanceof` checks and stable codes. */
export interface GatewayClientErrors {
  /** No answer within `timeoutMs`. */
  TimeoutError: new (timeoutMs: number) => GatewayError;
  /** No answer at all: connection refused, reset, DNS. */
  NetworkError: new (message: string, options: { cause: unknown }) => GatewayError;
  /** An answer that is neither the expected object nor the gateway's error object. */
  ResponseError: new (httpStatus: number, message: string, issues?: unknown[]) => GatewayError;
  /** The gateway's error object as the error to throw, or undefined when `body` is not one. */
  readApiError(httpStatus: number, body: unknown): GatewayError | undefined;
  /** Names the gateway's error body in messages, as in `HTTP 502 without a K-Payment error body`. */
  errorBody: string;
}

export interface GatewayRequest<S extends z.ZodType> {
  transport: GatewayTransport;
  apiUrl: string;
  method: string;
  path: string;
  /** Authentication and version headers; `accept`, `user-agent` and `content-type` are added after them. */
  headers: Record<string, string>;
  /** Sent as JSON when given. */
  body?: unknown;
  /** The caller's abort: rethrown as it is, never as a network error. */
  signal?: AbortSignal;
  /** Per request, including reading the body. */
  timeoutMs: number;
  schema: S;
  errors: GatewayClientErrors;
}

/**
 * Sends one request and answers its body checked with `schema`. The body decides before the status: an
 * error object is an error even with a 2xx, and a non-2xx without one is still an error.
 */
export async function gatewayRequest<S extends z.ZodType>(request: GatewayRequest<S>): Promise<z.output<S>> {
  const { method, path, errors } = request;
  const headers: Record<string, string> = { ...request.headers, accept: 'application/json', 'user-agent': 'payment-checkout-server/0.1' };
  if (request.body !== undefined) headers['content-type'] = 'application/json';

  let status: number;
  let text: string;
  try {
    ({ status, text } = await request.transport({
      method,
      url: `${request.apiUrl}${path}`,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
      timeoutMs: request.timeoutMs,
    }));
  } catch (err) {
    if (err instanceof TransportTimeout) throw new errors.TimeoutError(request.timeoutMs);
    if (request.signal?.aborted) throw request.signal.reason ?? err;
    throw new errors.NetworkError(`${method} ${path}: ${describeCause(err)}`, { cause: err });
  }

  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const apiError = errors.readApiError(status, body);
  if (apiError) throw apiError;
  if (status < 200 || status >= 300) throw new errors.ResponseError(status, `${method} ${path}: HTTP ${status} without ${errors.errorBody}`);
  const parsed = request.schema.safeParse(body);
  if (!parsed.success) throw new errors.ResponseError(status, `${method} ${path}: unexpected response shape`, parsed.error.issues);
  return parsed.data;
}

/** The system error code (`ECONNREFUSED`, also behind fetch's generic `fetch failed`), when there is one. */
function describeCause(err: unknown): string {
  const { code, cause } = (err ?? {}) as { code?: string; cause?: { code?: string; message?: string } };
  return code ?? cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
