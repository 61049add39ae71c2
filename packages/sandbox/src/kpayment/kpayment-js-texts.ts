import type { Locale } from '@payment-checkout/core';

/** What kpayment.min.js itself writes on the shop's page (its button, its dialog and frame names), one object per language. */
const en = {
  payNow: 'Pay Now',
  cardDialog: 'Card payment',
  qrDialog: 'QR payment',
  cardFrame: 'K-Payment card form',
  qrFrame: 'K-Payment QR payment',
};

export const KPAYMENT_JS_TEXTS: Record<Locale, typeof en> = {
  en,
  th: {
    payNow: 'ชำระเงิน',
    cardDialog: 'ชำระเงินด้วยบัตร',
    qrDialog: 'ชำระเงินด้วย QR',
    cardFrame: 'แบบฟอร์มบัตร K-Payment',
    qrFrame: 'ชำระเงินด้วย QR ของ K-Payment',
  },
  ja: {
    payNow: '今すぐ支払う',
    cardDialog: 'カードでのお支払い',
    qrDialog: 'QRコードでのお支払い',
    cardFrame: 'K-Paymentカード入力フォーム',
    qrFrame: 'K-Payment QRコード決済',
  },
};
