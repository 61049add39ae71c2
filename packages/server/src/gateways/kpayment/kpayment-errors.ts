import { GatewayError } from '../gateway.ts';

/** Every error the K-Payment client throws. `code` is stable; `name` is set explicitly (minifiers rename classes). */
export class KpaymentClientError extends GatewayError {
  override name = 'KpaymentClientError';
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super('kpayment', code, message, options);
  }
}

/** K-Payment answered with an error object (`{object:"error", code, message}`); `code` is the guide's (§8.3). */
export class KpaymentApiError extends KpaymentClientError {
  override name = 'KpaymentApiError';
  constructor(
    readonly httpStatus: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** K-Payment answered something that is neither the expected object nor its error object. */
export class KpaymentResponseError extends KpaymentClientError {
  override name = 'KpaymentResponseError';
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly issues: unknown[] = [],
  ) {
    super('invalid_response', message);
  }
}

/** The request never got an answer: connection refused, reset, DNS. */
export class KpaymentNetworkError extends KpaymentClientError {
  override name = 'KpaymentNetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('network_error', message, options);
  }
}

/** No answer within the client's timeout. */
export class KpaymentTimeoutError extends KpaymentClientError {
  override name = 'KpaymentTimeoutError';
  constructor(readonly timeoutMs: number) {
    super('timeout', `K-Payment did not answer within ${timeoutMs} ms`);
  }
}

/**
 * Whether a failed request may still have done its work at the gateway (no answer, or a 5xx / unreadable
 * answer): a charge request that ends so must be settled by an inquiry, never retried blindly.
 */
export function outcomeUnknown(err: unknown): boolean {
  if (err instanceof KpaymentNetworkError || err instanceof KpaymentTimeoutError) return true;
  if (err instanceof KpaymentResponseError) return true;
  return err instanceof KpaymentApiError && err.httpStatus >= 500;
}

/** K-Payment's refusal of a customer id it no longer knows (deleted at the gateway) or that belongs elsewhere. */
export function isDeadCustomer(err: unknown): boolean {
  return err instanceof KpaymentApiError && (err.code === 'customer_invalid' || err.code === 'customer_authen_fail');
}
