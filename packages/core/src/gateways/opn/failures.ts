import type { Messages } from '../../locale.ts';
import type { OpnFailureCode } from './wire.ts';

/** What a shopper reads for each Opn failure code (`payment_expired` is core's own, shared by every gateway). */
export const OPN_FAILURE_MESSAGES: Record<Exclude<OpnFailureCode, 'payment_expired'>, Messages> = {
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
};
