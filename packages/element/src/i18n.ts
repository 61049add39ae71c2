import type { MethodGroup } from '@payment-checkout/core/catalog';
import type { Locale } from '@payment-checkout/core/locale';
import { type Currency, formatMoney } from '@payment-checkout/core/money';

export type { Locale };

/** The element's locale: its `locale` attribute, else the page's `<html lang>`, else English. */
export function resolveLocale(attribute: string | null | undefined, pageLang: string | null | undefined): Locale {
  for (const tag of [attribute, pageLang]) {
    const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (language === 'th') return 'th';
    if (language === 'en') return 'en';
  }
  return 'en';
}

/** An amount as a shopper reads it, with the local sign: `฿1,500.00`, `S$15.00`. */
export function formatAmount(amount: number, currency: Currency, locale: Locale): string {
  return formatMoney(amount, currency, locale === 'th' ? 'th-TH' : 'en', { symbol: true });
}

export interface Strings {
  amountToPay: string;
  chooseMethod: string;
  groups: Record<MethodGroup, string>;
  loading: string;
  noMethods: string;
  connecting: (method: string) => string;
  redirecting: (method: string) => string;
  retry: string;
  errorCode: (code: string) => string;
  networkError: string;
  unexpectedError: string;
  scriptError: string;
  sourceError: string;
  /** While the gateway's card form loads. */
  openingCardForm: string;
  /** While the shopper is in the gateway's card form. */
  completeInCardForm: string;
  /** The card form offers instalments: the shopper picks the term there. */
  chooseInstalmentTerm: string;
  /** The choice, next to a method, of paying it in instalments (unless its gateway names it: see gateways/index.ts). */
  inInstalments: (method: string) => string;
  /** The card form posted its token: the browser is on its way to the companion. */
  processingCard: string;
  cardFormError: string;
  /** While the gateway's script loads for a QR payment (Thai QR, WeChat Pay). */
  openingQr: string;
  /** The QR view's heading. */
  qrTitle: (method: string) => string;
  /** What to do with a Thai QR code, and with a WeChat Pay one. */
  scanThaiQr: string;
  scanWechat: string;
  /** The visible countdown, `mm:ss`. */
  expiresIn: (clock: string) => string;
  /** The polite announcements of the countdown, at a few milestones only. */
  expiresInMinutes: (minutes: number) => string;
  expiresInSeconds: (seconds: number) => string;
  /** The countdown once the QR code expired. */
  qrExpiredShort: string;
  qrExpired: string;
  qrExpiredDetail: string;
  /** On a phone: how to pay with the QR code shown on the phone itself. */
  phoneHintThaiQr: string;
  phoneHintWechat: string;
  qrError: string;
  checkingPayment: string;
  waiting: string;
  stillWaiting: string;
  checkAgain: string;
  /** After a payment started here ended unpaid: back to the choices. */
  chooseAgain: string;
  paid: string;
  /** Authorised, waiting for the shop to capture it (the amount is held). */
  authorized: string;
  authorizedDetail: string;
  failed: string;
  expired: string;
  expiredDetail: string;
  canceled: string;
  canceledDetail: string;
  refunded: string;
  paymentOf: (amount: string, method: string) => string;
}

export const STRINGS: Record<Locale, Strings> = {
  en: {
    amountToPay: 'Amount to pay',
    chooseMethod: 'Choose how to pay',
    groups: { mobile_banking: 'Mobile banking', wallet: 'Wallets', card: 'Cards', qr: 'QR payment' },
    loading: 'Loading payment methods…',
    noMethods: 'No payment method is available for this order.',
    connecting: (method) => `Connecting to ${method}…`,
    redirecting: (method) => `Opening ${method}…`,
    retry: 'Try again',
    errorCode: (code) => `Error code: ${code}`,
    networkError: 'We could not reach the payment service. Check your connection and try again.',
    unexpectedError: 'Something went wrong. Please try again.',
    scriptError: 'The payment provider could not be loaded. Please try again.',
    sourceError: 'The payment could not be started.',
    openingCardForm: 'Opening the card form…',
    completeInCardForm: 'Complete the payment in the card form.',
    chooseInstalmentTerm: 'Choose the number of months in the card form.',
    inInstalments: (method) => `${method} in instalments`,
    processingCard: 'Processing your card payment…',
    cardFormError: 'The card form could not be opened. Please try again.',
    openingQr: 'Preparing the QR code…',
    qrTitle: (method) => `Pay with ${method}`,
    scanThaiQr: 'Scan the QR code with a Thai banking app or e-wallet to pay.',
    scanWechat: 'Scan the QR code with WeChat to pay.',
    expiresIn: (clock) => `Expires in ${clock}`,
    expiresInMinutes: (minutes) => `The QR code expires in ${minutes} ${Number(minutes) === 1 ? 'minute' : 'minutes'}.`,
    expiresInSeconds: (seconds) => `The QR code expires in ${seconds} seconds.`,
    qrExpiredShort: 'Expired',
    qrExpired: 'The QR code has expired.',
    qrExpiredDetail: 'Close the QR code window and choose how to pay again.',
    phoneHintThaiQr:
      'Paying with this phone? Save the QR code image, or take a screenshot of it, then open your banking app, choose Scan and pick the image from your photos.',
    phoneHintWechat:
      'Paying with this phone? Save the QR code image, or take a screenshot of it, then open WeChat, choose Scan and pick the image from your album.',
    qrError: 'The QR code could not be shown. Please try again.',
    checkingPayment: 'Checking your payment…',
    waiting: 'Waiting for confirmation…',
    stillWaiting: 'We have not received a confirmation yet. If you completed the payment, check again in a moment.',
    checkAgain: 'Check again',
    chooseAgain: 'Choose another payment method',
    paid: 'Payment successful',
    authorized: 'Payment authorised',
    authorizedDetail: 'The amount is held on your account until the shop confirms your order.',
    failed: 'Payment failed',
    expired: 'Payment expired',
    expiredDetail: 'The payment was not completed in time. No money was taken.',
    canceled: 'Payment canceled',
    canceledDetail: 'The payment was canceled. No money was taken.',
    refunded: 'Payment refunded',
    paymentOf: (amount, method) => `${amount} with ${method}`,
  },
  th: {
    amountToPay: 'ยอดชำระ',
    chooseMethod: 'เลือกวิธีชำระเงิน',
    groups: { mobile_banking: 'โมบายแบงก์กิ้ง', wallet: 'วอลเล็ต', card: 'บัตร', qr: 'คิวอาร์โค้ด' },
    loading: 'กำลังโหลดวิธีชำระเงิน…',
    noMethods: 'ไม่มีวิธีชำระเงินที่ใช้ได้กับคำสั่งซื้อนี้',
    connecting: (method) => `กำลังเชื่อมต่อ ${method}…`,
    redirecting: (method) => `กำลังเปิด ${method}…`,
    retry: 'ลองอีกครั้ง',
    errorCode: (code) => `รหัสข้อผิดพลาด: ${code}`,
    networkError: 'ไม่สามารถเชื่อมต่อบริการชำระเงินได้ กรุณาตรวจสอบการเชื่อมต่อแล้วลองอีกครั้ง',
    unexpectedError: 'เกิดข้อผิดพลาด กรุณาลองอีกครั้ง',
    scriptError: 'ไม่สามารถโหลดผู้ให้บริการชำระเงินได้ กรุณาลองอีกครั้ง',
    sourceError: 'ไม่สามารถเริ่มการชำระเงินได้',
    openingCardForm: 'กำลังเปิดแบบฟอร์มบัตร…',
    completeInCardForm: 'กรุณาชำระเงินให้เสร็จในแบบฟอร์มบัตร',
    chooseInstalmentTerm: 'เลือกจำนวนเดือนที่จะผ่อนในแบบฟอร์มบัตร',
    inInstalments: (method) => `ผ่อนชำระด้วย ${method}`,
    processingCard: 'กำลังดำเนินการชำระเงินด้วยบัตร…',
    cardFormError: 'ไม่สามารถเปิดแบบฟอร์มบัตรได้ กรุณาลองอีกครั้ง',
    openingQr: 'กำลังเตรียมคิวอาร์โค้ด…',
    qrTitle: (method) => `ชำระด้วย ${method}`,
    scanThaiQr: 'สแกนคิวอาร์โค้ดด้วยแอปธนาคารหรือวอลเล็ตเพื่อชำระเงิน',
    scanWechat: 'สแกนคิวอาร์โค้ดด้วย WeChat เพื่อชำระเงิน',
    expiresIn: (clock) => `หมดอายุใน ${clock}`,
    expiresInMinutes: (minutes) => `คิวอาร์โค้ดจะหมดอายุใน ${minutes} นาที`,
    expiresInSeconds: (seconds) => `คิวอาร์โค้ดจะหมดอายุใน ${seconds} วินาที`,
    qrExpiredShort: 'หมดอายุแล้ว',
    qrExpired: 'คิวอาร์โค้ดหมดอายุแล้ว',
    qrExpiredDetail: 'กรุณาปิดหน้าต่างคิวอาร์โค้ดแล้วเลือกวิธีชำระเงินอีกครั้ง',
    phoneHintThaiQr:
      'ชำระด้วยโทรศัพท์เครื่องนี้? บันทึกภาพคิวอาร์โค้ดหรือแคปหน้าจอไว้ แล้วเปิดแอปธนาคาร เลือกสแกน และเลือกภาพจากอัลบั้ม',
    phoneHintWechat:
      'ชำระด้วยโทรศัพท์เครื่องนี้? บันทึกภาพคิวอาร์โค้ดหรือแคปหน้าจอไว้ แล้วเปิด WeChat เลือกสแกน และเลือกภาพจากอัลบั้ม',
    qrError: 'ไม่สามารถแสดงคิวอาร์โค้ดได้ กรุณาลองอีกครั้ง',
    checkingPayment: 'กำลังตรวจสอบการชำระเงิน…',
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
    paymentOf: (amount, method) => `${amount} ผ่าน ${method}`,
  },
};
