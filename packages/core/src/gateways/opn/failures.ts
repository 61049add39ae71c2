import type { Messages } from '../../locale.ts';
import type { OpnFailureCode } from './wire.ts';

/** What a shopper reads for each Opn failure code (`payment_expired` is core's own, shared by every gateway). */
export const OPN_FAILURE_MESSAGES: Record<Exclude<OpnFailureCode, 'payment_expired'>, Messages> = {
  payment_rejected: {
    en: 'Your bank rejected the payment. Please try another method or contact your bank.',
    th: 'ธนาคารปฏิเสธการชำระเงิน กรุณาเลือกวิธีอื่นหรือติดต่อธนาคารของคุณ',
    ja: 'ご利用の銀行でお支払いが承認されませんでした。別のお支払い方法をお試しいただくか、銀行にお問い合わせください。',
  },
  failed_processing: {
    en: 'The payment could not be processed. Please try again.',
    th: 'ไม่สามารถดำเนินการชำระเงินได้ กรุณาลองใหม่อีกครั้ง',
    ja: 'お支払いを処理できませんでした。もう一度お試しください。',
  },
  invalid_account: {
    en: 'No account valid for this payment method was found.',
    th: 'ไม่พบบัญชีที่ใช้ชำระเงินด้วยวิธีนี้ได้',
    ja: 'このお支払い方法でご利用いただける口座が見つかりませんでした。',
  },
  insufficient_fund: {
    en: 'Insufficient funds, or the account has reached its limit.',
    th: 'ยอดเงินไม่เพียงพอ หรือบัญชีถึงวงเงินที่กำหนดแล้ว',
    ja: '残高が不足しているか、口座の利用限度額を超えています。',
  },
};
