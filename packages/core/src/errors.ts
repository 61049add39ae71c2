import { z } from 'zod';

/** Opn failure codes (seeds 000, 002, 004). */
export const OpnFailureCode = z.enum([
  'payment_expired',
  'payment_rejected',
  'failed_processing',
  'invalid_account',
  'insufficient_fund',
]);
export type OpnFailureCode = z.infer<typeof OpnFailureCode>;

export type Locale = 'en' | 'th';

/** What a shopper reads for each failure code. Unknown codes get the generic message. */
export const FAILURE_MESSAGES: Record<string, Record<Locale, string>> = {
  payment_expired: {
    en: 'The payment expired before it was confirmed. Please try again.',
    th: 'การชำระเงินหมดเวลาก่อนได้รับการยืนยัน กรุณาลองใหม่อีกครั้ง',
  },
  payment_rejected: {
    en: 'Your bank rejected the payment. Please try another method or contact your bank.',
    th: 'ธนาคารปฏิเสธการชำระเงิน กรุณาเลือกวิธีอื่นหรือติดต่อธนาคารของคุณ',
  },
  failed_processing: {
    en: 'The payment could not be processed. Please try again.',
    th: 'ไม่สามารถดำเนินการชำระเงินได้ กรุณาลองใหม่อีกครั้ง',
  },
  invalid_account: {
    en: 'No account valid for this payment method was found.',
    th: 'ไม่พบบัญชีที่ใช้ชำระเงินด้วยวิธีนี้ได้',
  },
  insufficient_fund: {
    en: 'Insufficient funds, or the account has reached its limit.',
    th: 'ยอดเงินไม่เพียงพอ หรือบัญชีถึงวงเงินที่กำหนดแล้ว',
  },
  generic: {
    en: 'The payment did not go through. Please try again.',
    th: 'การชำระเงินไม่สำเร็จ กรุณาลองใหม่อีกครั้ง',
  },
};

export function customerMessage(code: string | null | undefined, locale: Locale = 'en'): string {
  return (FAILURE_MESSAGES[code ?? ''] ?? FAILURE_MESSAGES.generic)[locale];
}

/** Stable error codes of the companion's API. */
export const CheckoutErrorCode = z.enum([
  'bad_request',
  'invalid_json',
  'not_found',
  'order_not_found',
  'method_unavailable',
  'amount_out_of_limits',
  'source_mismatch',
  'payment_final',
  'payment_in_progress',
  'invalid_token',
  'invalid_signature',
  'gateway_error',
  'unauthorized',
  'internal_error',
]);
export type CheckoutErrorCode = z.infer<typeof CheckoutErrorCode>;

const HTTP_STATUS: Record<CheckoutErrorCode, number> = {
  bad_request: 400,
  invalid_json: 400,
  not_found: 404,
  order_not_found: 404,
  method_unavailable: 422,
  amount_out_of_limits: 422,
  source_mismatch: 422,
  payment_final: 409,
  payment_in_progress: 409,
  invalid_token: 403,
  invalid_signature: 401,
  gateway_error: 502,
  unauthorized: 401,
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
