import type { Locale } from './locale.ts';

/**
 * Why a payment did not pay its order although it may have taken money, or did not need to: the order was paid
 * by another payment first (the shopper paid twice, or a second tab's method is now moot), or the order changed
 * while the payment was under way. `refunded`: the companion gave the money back (voided or refunded it);
 * `to_refund`: the shop will. `paid_by_other_open`: this payment is still open at the gateway (a bank app's charge,
 * a QR code nobody can cancel): the shopper should leave it.
 */
export type PaymentNoticeKind =
  | 'paid_twice_refunded'
  | 'paid_twice_to_refund'
  | 'order_changed_refunded'
  | 'order_changed_to_refund'
  | 'paid_by_other'
  | 'paid_by_other_open';

/** What the shopper reads on such a payment's result, in place of "Payment successful" or "Payment canceled". */
export interface PaymentNotice {
  kind: PaymentNoticeKind;
  headline: string;
  message: string;
}

const NOTICES: Record<Locale, Record<PaymentNoticeKind, [headline: string, message: string]>> = {
  en: {
    paid_twice_refunded: ['This order was already paid', 'This second payment has been given back to you. It can take a few days to show on your statement.'],
    paid_twice_to_refund: ['This order was already paid', 'The shop will refund this second payment to you. You do not need to do anything.'],
    order_changed_refunded: ['Your order changed while you were paying', 'This payment has been given back to you. Please go back to the shop and pay the order as it is now.'],
    order_changed_to_refund: ['Your order changed while you were paying', 'The shop will refund this payment to you. Please go back to the shop and pay the order as it is now.'],
    paid_by_other: ['This order is already paid', 'It was paid with another payment method. Nothing was taken with this one.'],
    paid_by_other_open: ['This order is already paid', 'It was paid with another payment method. Do not complete this payment: if you do, it will be refunded.'],
  },
  th: {
    paid_twice_refunded: ['คำสั่งซื้อนี้ชำระเงินไปแล้ว', 'การชำระเงินครั้งที่สองนี้ได้คืนให้คุณแล้ว อาจใช้เวลาสองสามวันกว่าจะแสดงในรายการบัญชีของคุณ'],
    paid_twice_to_refund: ['คำสั่งซื้อนี้ชำระเงินไปแล้ว', 'ร้านค้าจะคืนเงินการชำระเงินครั้งที่สองนี้ให้คุณ คุณไม่ต้องดำเนินการใดๆ'],
    order_changed_refunded: ['คำสั่งซื้อของคุณเปลี่ยนไประหว่างการชำระเงิน', 'การชำระเงินนี้ได้คืนให้คุณแล้ว กรุณากลับไปที่ร้านค้าและชำระคำสั่งซื้อตามรายการปัจจุบัน'],
    order_changed_to_refund: ['คำสั่งซื้อของคุณเปลี่ยนไประหว่างการชำระเงิน', 'ร้านค้าจะคืนเงินการชำระเงินนี้ให้คุณ กรุณากลับไปที่ร้านค้าและชำระคำสั่งซื้อตามรายการปัจจุบัน'],
    paid_by_other: ['คำสั่งซื้อนี้ชำระเงินแล้ว', 'คำสั่งซื้อนี้ชำระด้วยวิธีอื่นแล้ว ไม่มีการเรียกเก็บเงินจากวิธีนี้'],
    paid_by_other_open: ['คำสั่งซื้อนี้ชำระเงินแล้ว', 'คำสั่งซื้อนี้ชำระด้วยวิธีอื่นแล้ว กรุณาอย่าชำระเงินรายการนี้ หากชำระ ร้านค้าจะคืนเงินให้'],
  },
  ja: {
    paid_twice_refunded: ['このご注文はすでにお支払い済みです', '2回目のお支払いは返金されました。ご利用明細に反映されるまで数日かかる場合があります。'],
    paid_twice_to_refund: ['このご注文はすでにお支払い済みです', '2回目のお支払いはショップから返金されます。お客様のお手続きは必要ありません。'],
    order_changed_refunded: ['お支払い中にご注文の内容が変更されました', 'このお支払いは返金されました。ショップに戻り、現在のご注文内容でお支払いください。'],
    order_changed_to_refund: ['お支払い中にご注文の内容が変更されました', 'このお支払いはショップから返金されます。ショップに戻り、現在のご注文内容でお支払いください。'],
    paid_by_other: ['このご注文はお支払い済みです', '別のお支払い方法でお支払いいただきました。こちらのお支払い方法では請求されていません。'],
    paid_by_other_open: ['このご注文はお支払い済みです', '別のお支払い方法でお支払いいただきました。こちらのお支払いは完了しないでください。完了された場合は返金されます。'],
  },
};

export function paymentNotice(kind: PaymentNoticeKind, locale: Locale): PaymentNotice {
  const [headline, message] = NOTICES[locale][kind];
  return { kind, headline, message };
}

/**
 * Before the shopper starts another method: a payment of the order is still open at the gateway and cannot be
 * cancelled (a bank app's charge, a QR code), so paying both ways would pay twice. `{method}`: that payment's method.
 */
const STILL_OPEN: Record<Locale, string> = {
  en: 'You have already started paying with {method}, and that payment cannot be cancelled. If you complete it, do not pay again here: if both payments go through, one will be refunded.',
  th: 'คุณได้เริ่มชำระเงินด้วย {method} แล้ว และรายการนั้นยกเลิกไม่ได้ หากคุณชำระรายการนั้นเสร็จ กรุณาอย่าชำระซ้ำที่นี่ หากชำระสำเร็จทั้งสองรายการ จะมีการคืนเงินหนึ่งรายการ',
  ja: '{method}でのお支払いをすでに開始しており、そのお支払いは取り消せません。そちらを完了される場合は、ここで再度お支払いにならないでください。両方のお支払いが完了した場合は、一方を返金いたします。',
};

export function stillOpenNotice(method: string, locale: Locale): string {
  return STILL_OPEN[locale].replace('{method}', method);
}
