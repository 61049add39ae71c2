import * as z from 'zod/mini';
import { GATEWAY_FAILURE_MESSAGES } from './gateways/index.ts';
import type { Locale, Messages } from './locale.ts';

/** What a shopper reads for each failure code: core's own, then each gateway's (first wording wins). Unknown codes get the generic message. */
export const FAILURE_MESSAGES: Record<string, Messages> = {
  payment_expired: {
    en: 'The payment expired before it was confirmed. Please try again.',
    th: 'การชำระเงินหมดเวลาก่อนได้รับการยืนยัน กรุณาลองใหม่อีกครั้ง',
  },
  payment_abandoned: {
    en: 'The payment was not finished in time. Please try again.',
    th: 'การชำระเงินไม่เสร็จสิ้นภายในเวลาที่กำหนด กรุณาลองใหม่อีกครั้ง',
  },
  generic: {
    en: 'The payment did not go through. Please try again.',
    th: 'การชำระเงินไม่สำเร็จ กรุณาลองใหม่อีกครั้ง',
  },
};
for (const table of GATEWAY_FAILURE_MESSAGES) {
  for (const [code, messages] of Object.entries(table)) FAILURE_MESSAGES[code] ??= messages;
}

export function customerMessage(code: string | null | undefined, locale: Locale = 'en'): string {
  return (FAILURE_MESSAGES[code ?? ''] ?? FAILURE_MESSAGES.generic)[locale];
}

/** Stable error codes of the companion's API. */
export const CheckoutErrorCode = z.enum([
  'bad_request',
  'invalid_json',
  'not_found',
  'order_not_found',
  /** The merchant's `resolveOrder` threw, or answered something that is not an amount and a currency. */
  'order_lookup_failed',
  'method_unavailable',
  'amount_out_of_limits',
  'source_mismatch',
  'payment_final',
  'payment_in_progress',
  'invalid_token',
  'invalid_signature',
  'gateway_error',
  'unauthorized',
  /** A merchant operation our rules refuse (status, method, amount, window): nothing was sent to the gateway. */
  'operation_not_allowed',
  /** A merchant operation the gateway refused: the error's `gateway` block has its own code and message. */
  'operation_refused',
  'internal_error',
]);
export type CheckoutErrorCode = z.infer<typeof CheckoutErrorCode>;

/** The codes only a gateway (webhooks) or the merchant (operations API) ever gets: never a shopper's browser. */
export const NON_SHOPPER_ERROR_CODES = ['invalid_signature', 'unauthorized', 'operation_not_allowed', 'operation_refused'] as const satisfies readonly CheckoutErrorCode[];

const HTTP_STATUS: Record<CheckoutErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  not_found: 404,
  order_not_found: 404,
  order_lookup_failed: 502,
  method_unavailable: 422,
  amount_out_of_limits: 422,
  source_mismatch: 422,
  payment_final: 409,
  payment_in_progress: 409,
  invalid_token: 403,
  invalid_signature: 401,
  gateway_error: 502,
  unauthorized: 401,
  operation_not_allowed: 409,
  operation_refused: 409,
  internal_error: 500,
};

/** The one error type of the companion: a stable `code`, an HTTP status, a message safe to show. */
export class CheckoutError extends Error {
  override readonly name = 'CheckoutError';
  readonly status: number;
  constructor(
    readonly code: CheckoutErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = HTTP_STATUS[code];
  }
}
