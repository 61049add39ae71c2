import type { Locale } from '@payment-checkout/core';
import { type SafeHtml, html } from '../html.ts';

/**
 * What the shopper reads in K-Payment's QR popup (Thai QR Payment, WeChat Pay), one object per language: `page`,
 * its markup; `script`, the sentences of its script, which gets them in its config (`{name}` marks what it fills in).
 */
const en = {
  page: {
    title: 'QR payment',
    unavailable: 'QR payment unavailable',
    expiredHeading: 'This QR code has expired',
    qrAlt: (scheme: string, amount: string) => `${scheme} code to pay ${amount}`,
    qrId: 'QR ID',
    save: 'Save QR image',
    scanWechat: 'Scan with WeChat to pay.',
    scanThaiQr: 'Scan with K PLUS or any Thai banking app or e-wallet (Thai QR Payment).',
    refNumber: 'Ref Number',
    simulator: (link: (label: string) => SafeHtml): SafeHtml => html`Sandbox: pay, fail or expire this QR in the ${link('QR Simulator')}.`,
  },
  script: {
    expiresIn: 'Expires in {time}',
    paid: 'Payment received. Returning to the shop…',
    failed: 'Payment failed: {reason}.',
    expired: 'Expired',
    expiredStatus: 'This QR code has expired. Close this window and start the payment again.',
    cancelledStatus: 'This QR code was cancelled. Close this window and start the payment again.',
  },
};

const th: typeof en = {
  page: {
    title: 'ชำระเงินด้วย QR',
    unavailable: 'ไม่สามารถชำระเงินด้วย QR ได้',
    expiredHeading: 'QR Code นี้หมดอายุแล้ว',
    qrAlt: (scheme, amount) => `QR Code ${scheme} สำหรับชำระเงิน ${amount}`,
    qrId: 'รหัส QR',
    save: 'บันทึกรูป QR Code',
    scanWechat: 'สแกนด้วย WeChat เพื่อชำระเงิน',
    scanThaiQr: 'สแกนด้วย K PLUS หรือแอปธนาคาร/วอลเล็ตใดก็ได้ในประเทศไทย (Thai QR Payment)',
    refNumber: 'เลขที่อ้างอิง',
    simulator: (link) => html`แซนด์บ็อกซ์: ชำระเงิน ทำให้ไม่สำเร็จ หรือทำให้ QR นี้หมดอายุได้ที่ ${link('QR Simulator')}`,
  },
  script: {
    expiresIn: 'หมดอายุใน {time}',
    paid: 'ได้รับการชำระเงินแล้ว กำลังกลับไปยังร้านค้า…',
    failed: 'การชำระเงินไม่สำเร็จ: {reason}',
    expired: 'หมดอายุแล้ว',
    expiredStatus: 'QR Code นี้หมดอายุแล้ว กรุณาปิดหน้าต่างนี้และเริ่มชำระเงินใหม่',
    cancelledStatus: 'QR Code นี้ถูกยกเลิกแล้ว กรุณาปิดหน้าต่างนี้และเริ่มชำระเงินใหม่',
  },
};

const ja: typeof en = {
  page: {
    title: 'QRコードでのお支払い',
    unavailable: 'QRコードでのお支払いはご利用いただけません',
    expiredHeading: 'このQRコードは有効期限が切れています',
    qrAlt: (scheme, amount) => `${amount}を支払うための${scheme}コード`,
    qrId: 'QRコードID',
    save: 'QRコード画像を保存',
    scanWechat: 'WeChatで読み取ってお支払いください。',
    scanThaiQr: 'K PLUS、またはタイの銀行アプリや電子ウォレット（Thai QR Payment）で読み取ってください。',
    refNumber: '参照番号',
    simulator: (link) => html`サンドボックス：このQRコードの支払い・失敗・期限切れは${link('QRシミュレーター')}で操作できます。`,
  },
  script: {
    expiresIn: '有効期限まで {time}',
    paid: 'お支払いを受け付けました。ショップに戻ります…',
    failed: 'お支払いに失敗しました：{reason}',
    expired: '期限切れ',
    expiredStatus: 'このQRコードは有効期限が切れています。このウィンドウを閉じて、もう一度お支払いを始めてください。',
    cancelledStatus: 'このQRコードはキャンセルされました。このウィンドウを閉じて、もう一度お支払いを始めてください。',
  },
};

export const QR_TEXTS: Record<Locale, typeof en> = { en, th, ja };
