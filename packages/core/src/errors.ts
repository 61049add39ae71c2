import * as z from 'zod/mini';
import { GATEWAY_FAILURE_MESSAGES } from './gateways/index.ts';
import type { Locale, Messages } from './locale.ts';

/** What a shopper reads for each failure code: core's own, then each gateway's (first wording wins). Unknown codes get the generic message. */
export const FAILURE_MESSAGES: Record<string, Messages> = {
  payment_expired: {
    en: 'The payment expired before it was confirmed. Please try again.',
    th: 'การชำระเงินหมดเวลาก่อนได้รับการยืนยัน กรุณาลองใหม่อีกครั้ง',
    ja: '確認が取れる前にお支払いの期限が切れました。もう一度お試しください。',
  },
  payment_abandoned: {
    en: 'The payment was not finished in time. Please try again.',
    th: 'การชำระเงินไม่เสร็จสิ้นภายในเวลาที่กำหนด กรุณาลองใหม่อีกครั้ง',
    ja: '時間内にお支払いが完了しませんでした。もう一度お試しください。',
  },
  generic: {
    en: 'The payment did not go through. Please try again.',
    th: 'การชำระเงินไม่สำเร็จ กรุณาลองใหม่อีกครั้ง',
    ja: 'お支払いを完了できませんでした。もう一度お試しください。',
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
  /**
   * A merchant operation's `Idempotency-Key` already names another request (another operation or amount), or one whose
   * outcome is not recorded yet: nothing was sent to the gateway.
   */
  'idempotency_conflict',
  'internal_error',
]);
export type CheckoutErrorCode = z.infer<typeof CheckoutErrorCode>;

/** The codes only a gateway (webhooks) or the merchant (operations API) ever gets: never a shopper's browser. */
export const NON_SHOPPER_ERROR_CODES = ['invalid_signature', 'unauthorized', 'operation_not_allowed', 'operation_refused', 'idempotency_conflict'] as const satisfies readonly CheckoutErrorCode[];

/** The companion's error codes a shopper's browser can get (the others go to gateways and merchants only). */
export type ShopperErrorCode = Exclude<CheckoutErrorCode, (typeof NON_SHOPPER_ERROR_CODES)[number]>;

/**
 * What a shopper reads for each of the companion's errors, in each language: an error answer to a request that names
 * its `locale` carries it as `customerMessage` (docs/decisions.md C20, C22). Always these sentences, never the error's
 * own message, which is for developers and logs (it may hold a gateway's words or ids).
 */
export const ERROR_CUSTOMER_MESSAGES: Record<Locale, Record<ShopperErrorCode | 'generic', string>> = {
  en: {
    bad_request: 'The request could not be read. Please reload the page and try again.',
    invalid_json: 'The request could not be read. Please reload the page and try again.',
    not_found: 'We could not find this payment.',
    order_not_found: 'We could not find this order.',
    order_lookup_failed: 'The shop could not look up this order right now. Nothing was charged. Please try again later.',
    method_unavailable: 'This payment method cannot be used for this order. Please choose another one.',
    amount_out_of_limits: 'This amount cannot be paid with this method. Please choose another one.',
    source_mismatch: 'The payment details did not match the order. Please choose your payment method again.',
    payment_final: 'This order is already paid.',
    payment_in_progress: 'A payment for this order is being set up. Please wait a moment and try again.',
    invalid_token: 'This link is not valid.',
    gateway_error: 'The payment provider did not answer as expected. Please try again.',
    internal_error: 'Something went wrong on our side. Please try again.',
    generic: 'Something went wrong. Please try again.',
  },
  th: {
    bad_request: 'ไม่สามารถอ่านคำขอได้ กรุณาโหลดหน้านี้ใหม่',
    invalid_json: 'ไม่สามารถอ่านคำขอได้ กรุณาโหลดหน้านี้ใหม่',
    not_found: 'ไม่พบรายการชำระเงินนี้',
    order_not_found: 'ไม่พบคำสั่งซื้อนี้',
    order_lookup_failed: 'ร้านค้าไม่สามารถดึงยอดชำระของคำสั่งซื้อนี้ได้ในขณะนี้ ไม่มีการเรียกเก็บเงิน กรุณาลองอีกครั้งในภายหลัง',
    method_unavailable: 'ไม่สามารถใช้วิธีชำระเงินนี้กับคำสั่งซื้อนี้ได้ กรุณาเลือกวิธีอื่น',
    amount_out_of_limits: 'ยอดชำระอยู่นอกวงเงินที่วิธีชำระเงินนี้รองรับ กรุณาเลือกวิธีอื่น',
    source_mismatch: 'ข้อมูลการชำระเงินไม่ตรงกับคำสั่งซื้อ กรุณาเลือกวิธีชำระเงินอีกครั้ง',
    payment_final: 'คำสั่งซื้อนี้ชำระเงินแล้ว',
    payment_in_progress: 'กำลังสร้างรายการชำระเงินของคำสั่งซื้อนี้อยู่ กรุณารอสักครู่แล้วลองอีกครั้ง',
    invalid_token: 'ลิงก์นี้ไม่ถูกต้อง',
    gateway_error: 'ผู้ให้บริการชำระเงินไม่ตอบสนองตามที่คาดไว้ กรุณาลองอีกครั้ง',
    internal_error: 'เกิดข้อผิดพลาดในระบบ กรุณาลองอีกครั้ง',
    generic: 'เกิดข้อผิดพลาด กรุณาลองอีกครั้ง',
  },
  ja: {
    bad_request: 'リクエストを読み取れませんでした。ページを再読み込みして、もう一度お試しください。',
    invalid_json: 'リクエストを読み取れませんでした。ページを再読み込みして、もう一度お試しください。',
    not_found: 'このお支払いが見つかりませんでした。',
    order_not_found: 'このご注文が見つかりませんでした。',
    order_lookup_failed: 'ショップが現在このご注文を確認できません。料金は請求されていません。しばらくしてから、もう一度お試しください。',
    method_unavailable: 'このお支払い方法はこのご注文ではご利用いただけません。別のお支払い方法をお選びください。',
    amount_out_of_limits: 'この金額はこのお支払い方法ではお支払いいただけません。別のお支払い方法をお選びください。',
    source_mismatch: 'お支払い情報がご注文と一致しませんでした。もう一度お支払い方法をお選びください。',
    payment_final: 'このご注文はお支払い済みです。',
    payment_in_progress: 'このご注文のお支払いを準備しています。少し待ってから、もう一度お試しください。',
    invalid_token: 'このリンクは無効です。',
    gateway_error: '決済サービスから正しい応答がありませんでした。もう一度お試しください。',
    internal_error: 'システムでエラーが発生しました。もう一度お試しください。',
    generic: 'エラーが発生しました。もう一度お試しください。',
  },
};

/** What a shopper who reads `locale` is told of an error with `code`: our sentence for it, else the generic one. */
export function errorCustomerMessage(code: string, locale: Locale): string {
  const texts: Partial<Record<string, string>> = ERROR_CUSTOMER_MESSAGES[locale];
  return (Object.hasOwn(texts, code) ? texts[code] : undefined) ?? texts.generic!;
}

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
  idempotency_conflict: 409,
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
