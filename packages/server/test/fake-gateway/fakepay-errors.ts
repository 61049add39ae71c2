import { GatewayError } from '../../src/gateways/gateway.ts';
import type { GatewayClientErrors } from '../../src/gateways/gateway-http.ts';
import { FakePayError } from './fakepay-wire.ts';

/** Every error the FakePay client throws: a GatewayError of `fakepay` with a stable `code`; `name` set explicitly. */
export class FakePayClientError extends GatewayError {
  override name = 'FakePayClientError';
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super('fakepay', code, message, options);
  }
}

/** FakePay answered its error object; `code` is FakePay's own (`not_found`, `not_pending`, …). */
export class FakePayApiError extends FakePayClientError {
  override name = 'FakePayApiError';
  constructor(
    readonly httpStatus: number,
    code: string,
    message: string,
  ) {
    super(code, message);
  }
}

/** An answer that is neither the expected object nor FakePay's error object. */
export class FakePayResponseError extends FakePayClientError {
  override name = 'FakePayResponseError';
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly issues: unknown[] = [],
  ) {
    super('invalid_response', message);
  }
}

/** No answer at all: connection refused, reset, DNS. */
export class FakePayNetworkError extends FakePayClientError {
  override name = 'FakePayNetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('network_error', message, options);
  }
}

/** No answer within the client's timeout. */
export class FakePayTimeoutError extends FakePayClientError {
  override name = 'FakePayTimeoutError';
  constructor(readonly timeoutMs: number) {
    super('timeout', `FakePay did not answer within ${timeoutMs} ms`);
  }
}

/** The classes `gatewayRequest` throws for FakePay. */
export const FAKEPAY_ERRORS: GatewayClientErrors = {
  TimeoutError: FakePayTimeoutError,
  NetworkError: FakePayNetworkError,
  ResponseError: FakePayResponseError,
  readApiError(httpStatus, body) {
    const parsed = FakePayError.safeParse(body);
    return parsed.success ? new FakePayApiError(httpStatus, parsed.data.code, parsed.data.message) : undefined;
  },
  errorBody: 'a FakePay error body',
};
