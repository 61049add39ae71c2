import type { Locale } from '@payment-checkout/core';
import { type SafeHtml, html } from '../html.ts';

/**
 * What the shopper reads on every K-Payment hosted page (a result, a link that leads nowhere, a frame's top and
 * its Close button) and on the bank's 3-D Secure page, one object per language. Each page's own texts are beside
 * it: `card-form-texts.ts`, `qr-texts.ts`, `qr-simulator-texts.ts`, `redirect-texts.ts`.
 */
const en = {
  // The payment's details, above a page and its result.
  merchant: 'Merchant',
  amount: 'Amount',
  cardCurrency: 'Card currency',
  rate: (rate: number, currency: string) => `rate ${rate} THB/${currency}`,
  date: 'Date',
  card: 'Card',
  order: 'Order',
  description: 'Description',

  // A result, and the way back to the merchant.
  resultTitle: 'Payment result',
  approved: 'Payment approved.',
  declined: (reason: string, code: string | null) => `Payment declined: ${reason} (${code}).`,
  noLongerWaiting: 'This payment is no longer waiting for you.',
  back: 'Return to the merchant',
  noCallback: html`This merchant has no callback URL in its sandbox settings (<code>POST /_sandbox/kpayment/settings {"callbackUrl": …}</code>), so the browser stays here. The callback would carry:`,

  notFoundTitle: 'Not found',
  notFoundHeading: 'Payment not found',
  notFound: 'This payment link does not exist in this sandbox.',

  // A frame of kpayment.min.js (card form, QR popup).
  poweredBy: (what: string) => `powered by KBank Sandbox · ${what}`,
  close: 'Close',

  // The bank's 3-D Secure page.
  threeDsTitle: '3-D Secure',
  verifyHeading: 'Verify your payment',
  why: 'Your card issuer needs to confirm that it is you. We will send a one-time password (OTP) to your phone.',
  requestOtp: 'Request OTP',
  otpHeading: 'Enter your OTP',
  otpSent: (otp: string): SafeHtml => html`An OTP was sent to your phone. In the sandbox the OTP is <strong>${otp}</strong>; any other value fails the authentication.`,
  otpLabel: 'One-time password',
  confirm: 'Confirm',
  cancel: 'Cancel',
  requestFirst: 'Request an OTP first.',
  cardVerified: 'Payment approved. Your card was verified (the THB 1.00 check was voided).',
  authenticationFailed: (reason: string, code: string | null) => `Authentication failed: ${reason} (${code}).`,
};

const th: typeof en = {
  merchant: 'ร้านค้า',
  amount: 'จำนวนเงิน',
  cardCurrency: 'สกุลเงินของบัตร',
  rate: (rate, currency) => `อัตราแลกเปลี่ยน ${rate} บาท/${currency}`,
  date: 'วันที่',
  card: 'บัตร',
  order: 'คำสั่งซื้อ',
  description: 'รายละเอียด',

  resultTitle: 'ผลการชำระเงิน',
  approved: 'การชำระเงินได้รับการอนุมัติ',
  declined: (reason, code) => `การชำระเงินถูกปฏิเสธ: ${reason} (${code})`,
  noLongerWaiting: 'รายการชำระเงินนี้ไม่รอการดำเนินการจากคุณแล้ว',
  back: 'กลับไปยังร้านค้า',
  noCallback: html`ร้านค้านี้ยังไม่ได้ตั้งค่า Callback URL ในแซนด์บ็อกซ์ (<code>POST /_sandbox/kpayment/settings {"callbackUrl": …}</code>) เบราว์เซอร์จึงอยู่ที่หน้านี้ ข้อมูลที่จะส่งกลับไปยังร้านค้ามีดังนี้`,

  notFoundTitle: 'ไม่พบหน้า',
  notFoundHeading: 'ไม่พบรายการชำระเงิน',
  notFound: 'ไม่มีลิงก์ชำระเงินนี้ในแซนด์บ็อกซ์',

  poweredBy: (what) => `ให้บริการโดย KBank Sandbox · ${what}`,
  close: 'ปิด',

  threeDsTitle: '3-D Secure',
  verifyHeading: 'ยืนยันการชำระเงิน',
  why: 'ธนาคารผู้ออกบัตรต้องยืนยันว่าเป็นคุณ โดยจะส่งรหัสผ่านใช้ครั้งเดียว (OTP) ไปยังโทรศัพท์ของคุณ',
  requestOtp: 'ขอรหัส OTP',
  otpHeading: 'กรอกรหัส OTP',
  otpSent: (otp) => html`ส่งรหัส OTP ไปยังโทรศัพท์ของคุณแล้ว ในแซนด์บ็อกซ์รหัส OTP คือ <strong>${otp}</strong> หากกรอกรหัสอื่น การยืนยันตัวตนจะไม่สำเร็จ`,
  otpLabel: 'รหัสผ่านใช้ครั้งเดียว (OTP)',
  confirm: 'ยืนยัน',
  cancel: 'ยกเลิก',
  requestFirst: 'กรุณากดขอรหัส OTP ก่อน',
  cardVerified: 'การชำระเงินได้รับการอนุมัติ ยืนยันบัตรของคุณเรียบร้อยแล้ว (ยกเลิกรายการตรวจสอบ 1.00 บาทแล้ว)',
  authenticationFailed: (reason, code) => `การยืนยันตัวตนไม่สำเร็จ: ${reason} (${code})`,
};

const ja: typeof en = {
  merchant: '加盟店',
  amount: '金額',
  cardCurrency: 'カードの通貨',
  rate: (rate, currency) => `レート ${rate} THB/${currency}`,
  date: '日時',
  card: 'カード',
  order: 'ご注文',
  description: '内容',

  resultTitle: 'お支払い結果',
  approved: 'お支払いが承認されました。',
  declined: (reason, code) => `お支払いが承認されませんでした：${reason}（${code}）`,
  noLongerWaiting: 'このお支払いはすでに手続きを受け付けていません。',
  back: '加盟店に戻る',
  noCallback: html`この加盟店はサンドボックスの設定にコールバックURLがないため（<code>POST /_sandbox/kpayment/settings {"callbackUrl": …}</code>）、ブラウザはこのページにとどまります。コールバックで送られる内容：`,

  notFoundTitle: '見つかりません',
  notFoundHeading: 'お支払いが見つかりません',
  notFound: 'このお支払いのリンクはこのサンドボックスにありません。',

  poweredBy: (what) => `提供：KBank Sandbox · ${what}`,
  close: '閉じる',

  threeDsTitle: '3-Dセキュア',
  verifyHeading: 'ご本人確認',
  why: 'カード発行会社がご本人であることを確認します。お使いの携帯電話にワンタイムパスワード（OTP）をお送りします。',
  requestOtp: 'OTPを取得',
  otpHeading: 'OTPを入力してください',
  otpSent: (otp) => html`お使いの携帯電話にOTPを送信しました。サンドボックスのOTPは <strong>${otp}</strong> です。それ以外の値では認証に失敗します。`,
  otpLabel: 'ワンタイムパスワード',
  confirm: '確認',
  cancel: 'キャンセル',
  requestFirst: '先にOTPを取得してください。',
  cardVerified: 'お支払いが承認されました。カードが確認されました（確認用の1.00 THBは取り消されました）。',
  authenticationFailed: (reason, code) => `本人認証に失敗しました：${reason}（${code}）`,
};

export const KPAYMENT_PAGE_TEXTS: Record<Locale, typeof en> = { en, th, ja };
