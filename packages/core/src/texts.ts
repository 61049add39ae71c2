import * as z from 'zod/mini';
import { BOOT_TEXTS } from './boot-texts.ts';
import { CATALOG } from './catalog.ts';
import type { Locale } from './locale.ts';
import { MethodGroup, type PaymentMethod } from './method.ts';

/**
 * Everything the element shows a shopper, in each locale. The companion sends them (in its checkout config, and at
 * `GET /checkout/texts`), so the browser carries no locale's texts (docs/decisions.md C21). `{name}` marks a value
 * the element fills in (`fillText`).
 */
const EN = {
  ...BOOT_TEXTS.en,
  loading: 'Loading payment methods…',
  checkingPayment: 'Checking your payment…',
  networkError: 'We could not reach the payment service. Check your connection and try again.',
  unexpectedError: 'Something went wrong. Please try again.',
  amountToPay: 'Amount to pay',
  chooseMethod: 'Choose how to pay',
  noMethods: 'No payment method is available for this order.',
  connecting: 'Connecting to {method}…',
  redirecting: 'Opening {method}…',
  scriptError: 'The payment provider could not be loaded. Please try again.',
  sourceError: 'The payment could not be started. Please try again or choose another method.',
  /** While the gateway's card form loads. */
  openingCardForm: 'Opening the card form…',
  /** While the shopper is in the gateway's card form. */
  completeInCardForm: 'Complete the payment in the card form.',
  /** The card form offers instalments: the shopper picks the term there. */
  chooseInstalmentTerm: 'Choose the number of months in the card form.',
  /** The choice, next to a method, of paying it in instalments (unless the method's gateway names it: `installments`). */
  inInstalments: '{method} in instalments',
  /** The card form posted its token: the browser is on its way to the companion. */
  processingCard: 'Processing your card payment…',
  cardFormError: 'The card form could not be opened. Please try again.',
  /** While the gateway's script loads for a QR payment (Thai QR, WeChat Pay). */
  openingQr: 'Preparing the QR code…',
  /** The QR view's heading. */
  qrTitle: 'Pay with {method}',
  /** What to do with a Thai QR code, and with a WeChat Pay one. */
  scanThaiQr: 'Scan the QR code with a Thai banking app or e-wallet to pay.',
  scanWechat: 'Scan the QR code with WeChat to pay.',
  /** The visible countdown; `{clock}` is `mm:ss`. */
  expiresIn: 'Expires in {clock}',
  /** The polite announcements of the countdown, at a few milestones only. */
  expiresInMinute: 'The QR code expires in 1 minute.',
  expiresInMinutes: 'The QR code expires in {n} minutes.',
  expiresInSeconds: 'The QR code expires in {n} seconds.',
  /** The countdown once the QR code expired. */
  qrExpiredShort: 'Expired',
  qrExpired: 'The QR code has expired.',
  qrExpiredDetail: 'Close the QR code window and choose how to pay again.',
  /** On a phone: how to pay with the QR code shown on the phone itself. */
  phoneHintThaiQr:
    'Paying with this phone? Save the QR code image, or take a screenshot of it, then open your banking app, choose Scan and pick the image from your photos.',
  phoneHintWechat:
    'Paying with this phone? Save the QR code image, or take a screenshot of it, then open WeChat, choose Scan and pick the image from your album.',
  qrError: 'The QR code could not be shown. Please try again.',
  waiting: 'Waiting for confirmation…',
  stillWaiting: 'We have not received a confirmation yet. If you completed the payment, check again in a moment.',
  checkAgain: 'Check again',
  /** After a payment started here ended unpaid: back to the choices. */
  chooseAgain: 'Choose another payment method',
  paid: 'Payment successful',
  /** Authorised, waiting for the shop to capture it (the amount is held). */
  authorized: 'Payment authorised',
  authorizedDetail: 'The amount is held on your account until the shop confirms your order.',
  failed: 'Payment failed',
  expired: 'Payment expired',
  expiredDetail: 'The payment was not completed in time. No money was taken.',
  canceled: 'Payment canceled',
  canceledDetail: 'The payment was canceled. No money was taken.',
  refunded: 'Payment refunded',
  /** Keyed by status, as `refunded`: the element shows the one its payment has. */
  partially_refunded: 'Payment partly refunded',
  /** Voided by the shop: the hold released, or the money given back before it was settled. */
  voided: 'Payment voided: you were not charged',
  paymentOf: '{amount} with {method}',
  /** The one pay action, under the choices. */
  pay: 'Pay {amount}',
  /** On a desktop, a bank app's method (K PLUS, KMA): the payment goes on in the app on the shopper's phone. */
  continueOnPhone: 'You will confirm this payment in {method} on your phone: the next page shows a QR code to scan with it.',
  /** On a result: the payment's reference, for the shop's support. */
  reference: 'Reference: {id}',
  /** On a result, when the page gives the shop's address (`shop-url`). */
  backToShop: 'Back to the shop',
};

type TextKey = keyof typeof EN;

const TH: Record<TextKey, string> = {
  ...BOOT_TEXTS.th,
  loading: 'กำลังโหลดวิธีชำระเงิน…',
  checkingPayment: 'กำลังตรวจสอบการชำระเงิน…',
  networkError: 'ไม่สามารถเชื่อมต่อบริการชำระเงินได้ กรุณาตรวจสอบการเชื่อมต่อแล้วลองอีกครั้ง',
  unexpectedError: 'เกิดข้อผิดพลาด กรุณาลองอีกครั้ง',
  amountToPay: 'ยอดชำระ',
  chooseMethod: 'เลือกวิธีชำระเงิน',
  noMethods: 'ไม่มีวิธีชำระเงินที่ใช้ได้กับคำสั่งซื้อนี้',
  connecting: 'กำลังเชื่อมต่อ {method}…',
  redirecting: 'กำลังเปิด {method}…',
  scriptError: 'ไม่สามารถโหลดผู้ให้บริการชำระเงินได้ กรุณาลองอีกครั้ง',
  sourceError: 'ไม่สามารถเริ่มการชำระเงินได้ กรุณาลองอีกครั้งหรือเลือกวิธีอื่น',
  openingCardForm: 'กำลังเปิดแบบฟอร์มบัตร…',
  completeInCardForm: 'กรุณาชำระเงินให้เสร็จในแบบฟอร์มบัตร',
  chooseInstalmentTerm: 'เลือกจำนวนเดือนที่จะผ่อนในแบบฟอร์มบัตร',
  inInstalments: '{method} แบบผ่อนชำระ',
  processingCard: 'กำลังดำเนินการชำระเงินด้วยบัตร…',
  cardFormError: 'ไม่สามารถเปิดแบบฟอร์มบัตรได้ กรุณาลองอีกครั้ง',
  openingQr: 'กำลังเตรียมคิวอาร์โค้ด…',
  qrTitle: 'ชำระด้วย {method}',
  scanThaiQr: 'สแกนคิวอาร์โค้ดด้วยแอปธนาคารหรือวอลเล็ตเพื่อชำระเงิน',
  scanWechat: 'สแกนคิวอาร์โค้ดด้วย WeChat เพื่อชำระเงิน',
  expiresIn: 'หมดอายุใน {clock}',
  expiresInMinute: 'คิวอาร์โค้ดจะหมดอายุใน 1 นาที',
  expiresInMinutes: 'คิวอาร์โค้ดจะหมดอายุใน {n} นาที',
  expiresInSeconds: 'คิวอาร์โค้ดจะหมดอายุใน {n} วินาที',
  qrExpiredShort: 'หมดอายุแล้ว',
  qrExpired: 'คิวอาร์โค้ดหมดอายุแล้ว',
  qrExpiredDetail: 'กรุณาปิดหน้าต่างคิวอาร์โค้ดแล้วเลือกวิธีชำระเงินอีกครั้ง',
  phoneHintThaiQr:
    'ชำระด้วยโทรศัพท์เครื่องนี้? บันทึกภาพคิวอาร์โค้ดหรือแคปหน้าจอไว้ แล้วเปิดแอปธนาคาร เลือกสแกน และเลือกภาพจากอัลบั้ม',
  phoneHintWechat:
    'ชำระด้วยโทรศัพท์เครื่องนี้? บันทึกภาพคิวอาร์โค้ดหรือแคปหน้าจอไว้ แล้วเปิด WeChat เลือกสแกน และเลือกภาพจากอัลบั้ม',
  qrError: 'ไม่สามารถแสดงคิวอาร์โค้ดได้ กรุณาลองอีกครั้ง',
  waiting: 'กำลังรอการยืนยัน…',
  stillWaiting: 'ยังไม่ได้รับการยืนยันการชำระเงิน หากคุณชำระเงินแล้ว กรุณาตรวจสอบอีกครั้งในอีกสักครู่',
  checkAgain: 'ตรวจสอบอีกครั้ง',
  chooseAgain: 'เลือกวิธีชำระเงินอื่น',
  paid: 'ชำระเงินสำเร็จ',
  authorized: 'อนุมัติการชำระเงินแล้ว',
  authorizedDetail: 'ยอดเงินจะถูกกันไว้ในบัญชีของคุณจนกว่าร้านค้าจะยืนยันคำสั่งซื้อ',
  failed: 'การชำระเงินไม่สำเร็จ',
  expired: 'การชำระเงินหมดเวลา',
  expiredDetail: 'การชำระเงินไม่เสร็จสิ้นภายในเวลาที่กำหนด ไม่มีการตัดเงิน',
  canceled: 'การชำระเงินถูกยกเลิก',
  canceledDetail: 'การชำระเงินถูกยกเลิก ไม่มีการตัดเงิน',
  refunded: 'คืนเงินแล้ว',
  partially_refunded: 'คืนเงินบางส่วนแล้ว',
  voided: 'ยกเลิกรายการแล้ว ไม่มีการเรียกเก็บเงิน',
  paymentOf: '{amount} ผ่าน {method}',
  pay: 'ชำระเงิน {amount}',
  continueOnPhone: 'คุณจะยืนยันการชำระเงินในแอป {method} บนโทรศัพท์ หน้าถัดไปจะแสดงคิวอาร์โค้ดให้สแกนด้วยแอป',
  reference: 'เลขที่อ้างอิง: {id}',
  backToShop: 'กลับไปที่ร้านค้า',
};

const JA: Record<TextKey, string> = {
  ...BOOT_TEXTS.ja,
  loading: 'お支払い方法を読み込み中…',
  checkingPayment: 'お支払いを確認中…',
  networkError: '決済サービスに接続できませんでした。通信環境をご確認のうえ、もう一度お試しください。',
  unexpectedError: 'エラーが発生しました。もう一度お試しください。',
  amountToPay: 'お支払い金額',
  chooseMethod: 'お支払い方法を選択してください',
  noMethods: 'このご注文にご利用いただけるお支払い方法がありません。',
  connecting: '{method}に接続しています…',
  redirecting: '{method}を開いています…',
  scriptError: '決済サービスを読み込めませんでした。もう一度お試しください。',
  sourceError: 'お支払いを開始できませんでした。もう一度お試しいただくか、別のお支払い方法をお選びください。',
  openingCardForm: 'カード入力フォームを開いています…',
  completeInCardForm: 'カード入力フォームでお支払いを完了してください。',
  chooseInstalmentTerm: 'カード入力フォームで分割回数をお選びください。',
  inInstalments: '{method}（分割払い）',
  processingCard: 'カード決済を処理しています…',
  cardFormError: 'カード入力フォームを開けませんでした。もう一度お試しください。',
  openingQr: 'QRコードを準備しています…',
  qrTitle: '{method}でお支払い',
  scanThaiQr: 'タイの銀行アプリまたは電子ウォレットでQRコードを読み取り、お支払いください。',
  scanWechat: 'WeChatでQRコードを読み取り、お支払いください。',
  expiresIn: '有効期限まで {clock}',
  expiresInMinute: 'QRコードの有効期限まであと1分です。',
  expiresInMinutes: 'QRコードの有効期限まであと{n}分です。',
  expiresInSeconds: 'QRコードの有効期限まであと{n}秒です。',
  qrExpiredShort: '期限切れ',
  qrExpired: 'QRコードの有効期限が切れました。',
  qrExpiredDetail: 'QRコードの画面を閉じて、もう一度お支払い方法をお選びください。',
  phoneHintThaiQr:
    'この端末でお支払いの場合は、QRコードの画像を保存するかスクリーンショットを撮り、銀行アプリで「スキャン」を選んで写真から画像を選択してください。',
  phoneHintWechat:
    'この端末でお支払いの場合は、QRコードの画像を保存するかスクリーンショットを撮り、WeChatで「スキャン」を選んでアルバムから画像を選択してください。',
  qrError: 'QRコードを表示できませんでした。もう一度お試しください。',
  waiting: 'お支払いの確認を待っています…',
  stillWaiting: 'まだお支払いの確認が取れていません。お支払いを完了された場合は、しばらくしてから再度ご確認ください。',
  checkAgain: '再確認する',
  chooseAgain: '別のお支払い方法を選ぶ',
  paid: 'お支払いが完了しました',
  authorized: 'お支払いが承認されました',
  authorizedDetail: 'ショップがご注文を確定するまで、ご利用額はお客様の口座で保留されます。',
  failed: 'お支払いに失敗しました',
  expired: 'お支払いの期限が切れました',
  expiredDetail: '期限内にお支払いが完了しませんでした。料金は請求されていません。',
  canceled: 'お支払いがキャンセルされました',
  canceledDetail: 'お支払いはキャンセルされました。料金は請求されていません。',
  refunded: 'お支払いは返金されました',
  partially_refunded: 'お支払いの一部が返金されました',
  voided: 'お支払いは取り消されました。料金は請求されていません。',
  paymentOf: '{amount}（{method}）',
  pay: '{amount}を支払う',
  continueOnPhone: 'お支払いはスマートフォンの{method}アプリで確定します。次の画面に表示されるQRコードをアプリで読み取ってください。',
  reference: '参照番号：{id}',
  backToShop: 'ショップに戻る',
};

const UI: Record<Locale, Record<TextKey, string>> = { en: EN, th: TH, ja: JA };

const GROUPS: Record<Locale, Record<MethodGroup, string>> = {
  en: { mobile_banking: 'Mobile banking', wallet: 'Wallets', card: 'Cards', qr: 'QR payment' },
  th: { mobile_banking: 'โมบายแบงก์กิ้ง', wallet: 'วอลเล็ต', card: 'บัตร', qr: 'คิวอาร์โค้ด' },
  ja: { mobile_banking: 'モバイルバンキング', wallet: '電子ウォレット', card: 'カード', qr: 'QRコード決済' },
};

const Strings = z.string();
/** One locale's texts: the element's sentences, the method groups' names, and every method's name and instalments choice. */
export const CheckoutTexts = z.object({
  ...(Object.fromEntries(Object.keys(EN).map((key) => [key, Strings])) as Record<TextKey, typeof Strings>),
  /** The method groups' names, in the order the element draws the groups. */
  groups: z.record(MethodGroup, z.string()),
  /** By method id: its name. */
  methods: z.record(z.string(), z.string()),
  /** By method id, for the methods whose gateway names their instalments choice. */
  installments: z.record(z.string(), z.string()),
});
export type CheckoutTexts = z.infer<typeof CheckoutTexts>;

/** The shopper's texts in `locale`, with the names of `catalog`'s methods (the companion's, modules' included). */
export function checkoutTexts(locale: Locale, catalog: readonly PaymentMethod[] = CATALOG): CheckoutTexts {
  const installments: Record<string, string> = {};
  for (const m of catalog) if (m.installmentsLabel) installments[m.id] = m.installmentsLabel[locale];
  return {
    ...UI[locale],
    groups: GROUPS[locale],
    methods: Object.fromEntries(catalog.map((m) => [m.id, m.label[locale]])),
    installments,
  };
}
