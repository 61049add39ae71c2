import type { Locale } from '@payment-checkout/core';

/**
 * What the shopper reads on the Alipay and UnionPay hosted pages (a redirect method's page), one object per language;
 * what they share with the other K-Payment pages (amount, card, a decline) is in `page-texts.ts`.
 */
const en = {
  approvedBy: (brand: string) => `Payment approved by ${brand}.`,
  resultTitle: (brand: string) => `${brand} payment result`,

  alipayHeading: 'Pay with Alipay',
  alipayQrAlt: (amount: string) => `Alipay QR code to pay ${amount}`,
  alipayScan: 'Scan to pay with the Alipay app',
  alipayNote: 'Sandbox: answer as the Alipay wallet would.',
  fail: 'Fail',
  pay: 'Pay',

  unionpayHeading: 'UnionPay Card Payment',
  upiHeading: 'UnionPay International',
  tpnNetwork: 'Thai Payment Network (TPN) · sandbox',
  upiNetwork: 'UnionPay (UPI) · sandbox',
  cardNumber: 'Card Number',
  next: 'Next',
  numberInvalid: 'Enter the 16 to 19 digits of your UnionPay card number.',
  numberFirst: 'Enter the card number first.',
  testCards: (cards: string) => `Sandbox test cards (§7.3): ${cards}.`,
  expiry: 'Expiration Date (MM/YY)',
  cvn2: 'CVN2',
  smsCode: 'SMS Code',
  smsNote: 'Sandbox: the SMS code is 111111 (PC) or 123456 (mobile).',
  pin: 'PIN',
};

const th: typeof en = {
  approvedBy: (brand) => `${brand} อนุมัติการชำระเงินแล้ว`,
  resultTitle: (brand) => `ผลการชำระเงินด้วย ${brand}`,

  alipayHeading: 'ชำระเงินด้วย Alipay',
  alipayQrAlt: (amount) => `QR Code ของ Alipay สำหรับชำระเงิน ${amount}`,
  alipayScan: 'สแกนเพื่อชำระเงินด้วยแอป Alipay',
  alipayNote: 'แซนด์บ็อกซ์: เลือกผลแทนวอลเล็ต Alipay',
  fail: 'ไม่สำเร็จ',
  pay: 'ชำระเงิน',

  unionpayHeading: 'ชำระเงินด้วยบัตร UnionPay',
  upiHeading: 'UnionPay International',
  tpnNetwork: 'Thai Payment Network (TPN) · แซนด์บ็อกซ์',
  upiNetwork: 'UnionPay (UPI) · แซนด์บ็อกซ์',
  cardNumber: 'หมายเลขบัตร',
  next: 'ถัดไป',
  numberInvalid: 'กรุณากรอกหมายเลขบัตร UnionPay 16 ถึง 19 หลัก',
  numberFirst: 'กรุณากรอกหมายเลขบัตรก่อน',
  testCards: (cards) => `บัตรทดสอบของแซนด์บ็อกซ์ (§7.3): ${cards}`,
  expiry: 'วันหมดอายุบัตร (MM/YY)',
  cvn2: 'รหัส CVN2',
  smsCode: 'รหัสจาก SMS',
  smsNote: 'แซนด์บ็อกซ์: รหัส SMS คือ 111111 (คอมพิวเตอร์) หรือ 123456 (มือถือ)',
  pin: 'รหัส PIN',
};

const ja: typeof en = {
  approvedBy: (brand) => `${brand}でのお支払いが承認されました。`,
  resultTitle: (brand) => `${brand}のお支払い結果`,

  alipayHeading: 'Alipayで支払う',
  alipayQrAlt: (amount) => `${amount}を支払うためのAlipay QRコード`,
  alipayScan: 'Alipayアプリで読み取ってお支払いください',
  alipayNote: 'サンドボックス：Alipayウォレットの代わりに結果を選んでください。',
  fail: '失敗',
  pay: '支払う',

  unionpayHeading: 'UnionPayカードでのお支払い',
  upiHeading: 'UnionPay International',
  tpnNetwork: 'Thai Payment Network (TPN) · サンドボックス',
  upiNetwork: 'UnionPay (UPI) · サンドボックス',
  cardNumber: 'カード番号',
  next: '次へ',
  numberInvalid: 'UnionPayカード番号（16〜19桁）を入力してください。',
  numberFirst: '先にカード番号を入力してください。',
  testCards: (cards) => `サンドボックスのテストカード（§7.3）：${cards}`,
  expiry: '有効期限（MM/YY）',
  cvn2: 'CVN2（セキュリティコード）',
  smsCode: 'SMS認証コード',
  smsNote: 'サンドボックス：SMS認証コードは111111（PC）または123456（モバイル）です。',
  pin: '暗証番号（PIN）',
};

export const REDIRECT_TEXTS: Record<Locale, typeof en> = { en, th, ja };
