import type { Locale } from '@payment-checkout/core';
import { html } from '../html.ts';
import type { QrState } from './state.ts';

/**
 * What the QR Simulator page says (the Merchant Portal's tool, which a tester paying a QR meets), one object per
 * language; what it shares with the other K-Payment pages (amount, order, description) is in `page-texts.ts`.
 */
const en = {
  title: 'QR Simulator',
  intro: html`Find the QR ID shown under the code on the payment screen, then press <strong>Pay</strong> as if a banking app had scanned it.`,
  qrId: 'QR ID',
  search: 'Search',
  notInSandbox: (qrId: string) => `No QR code ${qrId} in this sandbox.`,
  unknownAction: (action: string) => `Unknown action ${action}.`,
  invalidChoice: 'Choose a channel or a failure code from the list.',
  pkeyInvalid: 'pkey must be a public key (pkey_test_…).',
  listHeading: (ofMerchant: boolean): string => (ofMerchant ? 'QR codes of this merchant' : 'QR codes'),
  type: 'Type',
  state: 'State',
  noQrYet: 'No QR code yet: open a QR payment in a shop first.',
  paidWith: 'Paid with',
  kplus: 'K PLUS (can be voided the same day)',
  otherBank: 'Another bank’s app or an e-wallet',
  pay: 'Pay',
  failWith: 'Fail with',
  fail: 'Fail',
  expireNow: 'Expire now',
  qrAlt: 'The QR code',
  reference: 'Reference',
  expires: 'Expires',
  inMinutes: (minutes: number) => `(in ${minutes} min)`,
  charge: 'Charge',
  states: { pending: 'pending', paid: 'paid', failed: 'failed', expired: 'expired', cancelled: 'cancelled' } satisfies Record<QrState, string>,
  outcomes: {
    paid: 'Paid: the shopper’s page completes and the notify goes to the merchant.',
    failed: 'Failed: the shopper’s page shows the failure.',
    expired: 'Expired: the shopper’s page shows that the QR code expired.',
  } satisfies Partial<Record<QrState, string>>,
};

const th: typeof en = {
  title: 'QR Simulator',
  intro: html`ค้นหารหัส QR ที่แสดงใต้ QR Code บนหน้าชำระเงิน แล้วกด <strong>ชำระเงิน</strong> เหมือนแอปธนาคารสแกน QR นั้น`,
  qrId: 'รหัส QR',
  search: 'ค้นหา',
  notInSandbox: (qrId) => `ไม่มี QR Code ${qrId} ในแซนด์บ็อกซ์นี้`,
  unknownAction: (action) => `ไม่รู้จักคำสั่ง ${action}`,
  invalidChoice: 'กรุณาเลือกช่องทางหรือรหัสข้อผิดพลาดจากรายการ',
  pkeyInvalid: 'pkey ต้องเป็น Public Key (pkey_test_…)',
  listHeading: (ofMerchant) => (ofMerchant ? 'QR Code ของร้านค้านี้' : 'QR Code ทั้งหมด'),
  type: 'ประเภท',
  state: 'สถานะ',
  noQrYet: 'ยังไม่มี QR Code: กรุณาเริ่มชำระเงินด้วย QR ที่ร้านค้าก่อน',
  paidWith: 'ชำระผ่าน',
  kplus: 'K PLUS (ยกเลิกรายการได้ภายในวันเดียวกัน)',
  otherBank: 'แอปธนาคารอื่นหรือวอลเล็ต',
  pay: 'ชำระเงิน',
  failWith: 'ทำให้ไม่สำเร็จด้วยรหัส',
  fail: 'ไม่สำเร็จ',
  expireNow: 'ทำให้หมดอายุทันที',
  qrAlt: 'รูป QR Code',
  reference: 'เลขที่อ้างอิง',
  expires: 'หมดอายุ',
  inMinutes: (minutes) => `(อีก ${minutes} นาที)`,
  charge: 'รายการ',
  states: { pending: 'รอชำระเงิน', paid: 'ชำระแล้ว', failed: 'ไม่สำเร็จ', expired: 'หมดอายุ', cancelled: 'ยกเลิกแล้ว' },
  outcomes: {
    paid: 'ชำระแล้ว: หน้าของผู้ซื้อจะดำเนินการต่อจนเสร็จ และระบบจะแจ้งผลไปยังร้านค้า',
    failed: 'ไม่สำเร็จ: หน้าของผู้ซื้อจะแสดงว่าการชำระเงินไม่สำเร็จ',
    expired: 'หมดอายุ: หน้าของผู้ซื้อจะแสดงว่าคิวอาร์โค้ดหมดอายุแล้ว',
  },
};

const ja: typeof en = {
  title: 'QRシミュレーター',
  intro: html`お支払い画面のQRコードの下に表示されているQRコードIDを検索し、銀行アプリで読み取ったものとして<strong>支払う</strong>を押してください。`,
  qrId: 'QRコードID',
  search: '検索',
  notInSandbox: (qrId) => `このサンドボックスにQRコード ${qrId} はありません。`,
  unknownAction: (action) => `不明な操作です：${action}`,
  invalidChoice: '一覧から支払い元またはエラーコードを選んでください。',
  pkeyInvalid: 'pkeyには公開鍵（pkey_test_…）を指定してください。',
  listHeading: (ofMerchant) => (ofMerchant ? 'この加盟店のQRコード' : 'QRコード一覧'),
  type: '種類',
  state: '状態',
  noQrYet: 'QRコードはまだありません。まずショップでQRコード決済を始めてください。',
  paidWith: '支払い元',
  kplus: 'K PLUS（当日中は取り消し可能）',
  otherBank: '他の銀行アプリまたは電子ウォレット',
  pay: '支払う',
  failWith: '失敗させるエラーコード',
  fail: '失敗',
  expireNow: '今すぐ期限切れにする',
  qrAlt: 'QRコード',
  reference: '参照番号',
  expires: '有効期限',
  inMinutes: (minutes) => `（あと${minutes}分）`,
  charge: '取引',
  states: { pending: '支払い待ち', paid: '支払い済み', failed: '失敗', expired: '期限切れ', cancelled: 'キャンセル済み' },
  outcomes: {
    paid: '支払い済み：お客様の画面が完了し、加盟店に通知が送られます。',
    failed: '失敗：お客様の画面に失敗が表示されます。',
    expired: '期限切れ：お客様の画面にQRコードの期限切れが表示されます。',
  },
};

export const QR_SIMULATOR_TEXTS: Record<Locale, typeof en> = { en, th, ja };

/** What the simulator says happened (`?done=`), if it is one of its outcomes. */
export function simulatorOutcome(locale: Locale, done: string | undefined): string | undefined {
  const outcomes = QR_SIMULATOR_TEXTS[locale].outcomes;
  return done && Object.hasOwn(outcomes, done) ? outcomes[done as keyof typeof outcomes] : undefined;
}

