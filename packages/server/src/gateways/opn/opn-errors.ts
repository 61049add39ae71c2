import { GatewayError } from '../gateway.ts';

/** Every error the Opn client throws. `code` is stable; `name` is set explicitly. */
export class OpnClientError extends GatewayError {
  override name = 'OpnClientError';
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super('opn', code, message, options);
  }
}

/** Opn answered with an error object (`{object:"error", code, message}`); `code` is Opn's own. */
export class OpnApiError extends OpnClientError {
  override name = 'OpnApiError';
  constructor(
    readonly httpStatus: number,
    code: string,
    message: string,
    readonly location: string | null = null,
  ) {
    super(code, message);
  }
}

/** Opn answered something that is neither the expected object nor an Opn error (a proxy page, a schema change). */
export class OpnResponseError extends OpnClientError {
  override name = 'OpnResponseError';
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly issues: unknown[] = [],
  ) {
    super('invalid_response', message);
  }
}

/** The request never got an answer: connection refused, reset, DNS. */
export class OpnNetworkError extends OpnClientError {
  override name = 'OpnNetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('network_error', message, options);
  }
}

/** No answer within the client's timeout. */
export class OpnTimeoutError extends OpnClientError {
  override name = 'OpnTimeoutError';
  constructor(readonly timeoutMs: number) {
    super('timeout', `Opn did not answer within ${timeoutMs} ms`);
  }
}

/**
 * Whether a failed request may still have done its work at Opn: no answer (network, timeout), a 5xx, or an
 * answer we could not read. A charge create that ends so may have made a charge; only a lookup can tell.
 */
export function outcomeUnknown(err: unknown): boolean {
  if (err instanceof OpnNetworkError || err instanceof OpnTimeoutError || err instanceof OpnResponseError) return true;
  return err instanceof OpnApiError && err.httpStatus >= 500;
}
