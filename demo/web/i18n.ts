import type { Locale } from '@payment-checkout/core/locale';
import { type Currency, formatMoney } from '@payment-checkout/core/money';
import type { AmountProblem } from '../order-request.ts';
import type { OrderState, ProductId } from '../orders.ts';

/**
 * Everything the shop's own pages say to a shopper (the storefront, checkout and result pages), in each language the
 * checkout speaks. The element's texts are the companion's; the merchant's pages are English. The server words an
 * amount it refuses with the English texts here (order-request.ts), so a sentence is never written twice.
 */

const EN = {
  shopTitle: 'Siam Market — payment-checkout demo',
  checkoutTitle: 'Checkout — Siam Market',
  resultTitle: 'Payment result — Siam Market',
  tagline: 'a demo storefront for payment-checkout',
  backToShop: 'Back to the shop',
  account: 'Account',
  signIn: 'Sign in',
  signedInAs: (name: string) => `Signed in as ${name}`,
  merchantSettings: 'Merchant settings',
  merchantPayments: 'Merchant payments',
  language: 'Language',
  applyLanguage: 'Apply language',
  theme: 'Theme',
  themes: { auto: 'Device setting', light: 'Light', dark: 'Dark', brand: 'Shop brand' },
  sandboxNote: "Sandbox mode: no real money moves. The bank and wallet pages are the sandbox's test pages.",
  productsLabel: 'Products',
  products: {
    'thai-silk-scarf': 'Thai silk scarf',
    'jasmine-rice-5kg': 'Jasmine rice, 5 kg',
    'celadon-teapot': 'Celadon teapot',
    'kaya-toast-set': 'Kaya toast set (Singapore)',
    'orchid-print': 'Orchid print (Singapore)',
  } satisfies Record<ProductId, string>,
  buy: (product: string) => `Buy ${product}`,
  anyAmount: 'Any amount',
  anyAmountHint: (baht: string, dollars: string) =>
    `Try the payment methods’ limits: the checkout offers only the methods that take the amount (for example, K PLUS, KMA and KakaoPay need ${baht} or more; KakaoPay in Singapore dollars, ${dollars}).`,
  amount: 'Amount',
  currency: 'Currency',
  orderThisAmount: 'Order this amount',
  orderNotCreated: 'The order could not be created. Please try again.',
  amountMissing: 'Enter an amount, e.g. 15.00.',
  amountNotANumber: (written: string) => `"${written}" is not an amount: write digits with a decimal point, e.g. 15.00.`,
  amountTooManyDecimals: (currency: Currency, decimals: number, written: string) => `${currency} amounts have at most ${decimals} decimals: "${written}".`,
  amountNotPositive: 'The amount must be more than zero.',
  amountTooLarge: (max: string) => `The demo takes orders of at most ${max}.`,
  amountTooLong: 'That amount is too long.',
  yourOrder: 'Your order',
  payment: 'Payment',
  item: 'Item',
  total: 'Total',
  orderId: 'Order',
  shopper: 'Shopper',
  guest: 'Guest (sign in before you order to remember cards)',
  noSuchOrder: 'This order does not exist (the demo forgets its orders when it restarts).',
  paymentResult: 'Payment result',
  order: 'Order',
  orderStatus: 'Order status',
  orderStates: { awaiting_payment: 'Awaiting payment', paid: 'Paid', payment_failed: 'Payment failed', payment_expired: 'Payment expired', payment_canceled: 'Payment canceled' } satisfies Record<OrderState, string>,
  heldForShop: 'Payment authorised: the shop will confirm it',
  chooseAgain: 'Choose another payment method',
  noSuchPayment: 'This link names no payment the shop knows. Find your order from the shop.',
  orderForgotten: 'This order is no longer known to the demo (it forgets its orders when it restarts).',
};

export type StorefrontTexts = typeof EN;

const TH: StorefrontTexts = {
  shopTitle: 'Siam Market — ร้านค้าตัวอย่างของ payment-checkout',
  checkoutTitle: 'ชำระเงิน — Siam Market',
  resultTitle: 'ผลการชำระเงิน — Siam Market',
  tagline: 'ร้านค้าตัวอย่างสำหรับ payment-checkout',
  backToShop: 'กลับไปที่ร้าน',
  account: 'บัญชี',
  signIn: 'เข้าสู่ระบบ',
  signedInAs: (name) => `เข้าสู่ระบบในชื่อ ${name}`,
  merchantSettings: 'ตั้งค่าร้านค้า',
  merchantPayments: 'รายการชำระเงินของร้านค้า',
  language: 'ภาษา',
  applyLanguage: 'ใช้ภาษานี้',
  theme: 'ธีม',
  themes: { auto: 'ตามการตั้งค่าเครื่อง', light: 'สว่าง', dark: 'มืด', brand: 'แบรนด์ร้านค้า' },
  sandboxNote: 'โหมดแซนด์บ็อกซ์: ไม่มีการตัดเงินจริง หน้าธนาคารและวอลเล็ตเป็นหน้าทดสอบของแซนด์บ็อกซ์',
  productsLabel: 'สินค้า',
  products: {
    'thai-silk-scarf': 'ผ้าพันคอไหมไทย',
    'jasmine-rice-5kg': 'ข้าวหอมมะลิ 5 กก.',
    'celadon-teapot': 'กาน้ำชาศิลาดล',
    'kaya-toast-set': 'ชุดขนมปังปิ้งกายา (สิงคโปร์)',
    'orchid-print': 'ภาพพิมพ์ดอกกล้วยไม้ (สิงคโปร์)',
  },
  buy: (product) => `ซื้อ${product}`,
  anyAmount: 'ยอดเงินตามต้องการ',
  anyAmountHint: (baht, dollars) =>
    `ลองวงเงินของแต่ละวิธีชำระเงินได้ที่นี่ หน้าชำระเงินจะแสดงเฉพาะวิธีที่รับยอดนี้ได้ (เช่น K PLUS, KMA และ KakaoPay ต้องมียอดตั้งแต่ ${baht} ขึ้นไป ส่วน KakaoPay ที่ชำระเป็นดอลลาร์สิงคโปร์ต้องตั้งแต่ ${dollars})`,
  amount: 'จำนวนเงิน',
  currency: 'สกุลเงิน',
  orderThisAmount: 'สั่งซื้อตามยอดนี้',
  orderNotCreated: 'ไม่สามารถสร้างคำสั่งซื้อได้ กรุณาลองอีกครั้ง',
  amountMissing: 'กรุณาใส่จำนวนเงิน เช่น 15.00',
  amountNotANumber: (written) => `"${written}" ไม่ใช่จำนวนเงิน กรุณาใส่ตัวเลขและใช้จุดทศนิยม เช่น 15.00`,
  amountTooManyDecimals: (currency, decimals, written) => `จำนวนเงินสกุล ${currency} มีทศนิยมได้ไม่เกิน ${decimals} ตำแหน่ง: "${written}"`,
  amountNotPositive: 'จำนวนเงินต้องมากกว่าศูนย์',
  amountTooLarge: (max) => `ร้านค้าตัวอย่างรับคำสั่งซื้อได้ไม่เกิน ${max}`,
  amountTooLong: 'จำนวนเงินยาวเกินไป',
  yourOrder: 'คำสั่งซื้อของคุณ',
  payment: 'การชำระเงิน',
  item: 'สินค้า',
  total: 'ยอดรวม',
  orderId: 'เลขที่คำสั่งซื้อ',
  shopper: 'ผู้ซื้อ',
  guest: 'ไม่ได้เข้าสู่ระบบ (เข้าสู่ระบบก่อนสั่งซื้อเพื่อให้ร้านจดจำบัตรของคุณได้)',
  noSuchOrder: 'ไม่พบคำสั่งซื้อนี้ (ร้านค้าตัวอย่างจะลบคำสั่งซื้อทั้งหมดเมื่อเริ่มระบบใหม่)',
  paymentResult: 'ผลการชำระเงิน',
  order: 'คำสั่งซื้อ',
  orderStatus: 'สถานะคำสั่งซื้อ',
  orderStates: { awaiting_payment: 'รอชำระเงิน', paid: 'ชำระเงินแล้ว', payment_failed: 'ชำระเงินไม่สำเร็จ', payment_expired: 'การชำระเงินหมดเวลา', payment_canceled: 'การชำระเงินถูกยกเลิก' },
  heldForShop: 'อนุมัติการชำระเงินแล้ว รอร้านค้ายืนยัน',
  chooseAgain: 'เลือกวิธีชำระเงินอื่น',
  noSuchPayment: 'ลิงก์นี้ไม่ตรงกับการชำระเงินใดของร้าน กรุณาค้นหาคำสั่งซื้อของคุณจากหน้าร้าน',
  orderForgotten: 'ร้านค้าตัวอย่างไม่มีคำสั่งซื้อนี้แล้ว (ระบบจะลบคำสั่งซื้อทั้งหมดเมื่อเริ่มใหม่)',
};

const JA: StorefrontTexts = {
  shopTitle: 'Siam Market — payment-checkout のデモ',
  checkoutTitle: 'お支払い — Siam Market',
  resultTitle: 'お支払い結果 — Siam Market',
  tagline: 'payment-checkout のデモストア',
  backToShop: 'ショップに戻る',
  account: 'アカウント',
  signIn: 'ログイン',
  signedInAs: (name) => `${name} 様としてログイン中`,
  merchantSettings: '加盟店の設定',
  merchantPayments: '加盟店の決済一覧',
  language: '言語',
  applyLanguage: 'この言語にする',
  theme: 'テーマ',
  themes: { auto: '端末の設定に合わせる', light: 'ライト', dark: 'ダーク', brand: 'ショップのブランド' },
  sandboxNote: 'サンドボックスモード：実際のお金は動きません。銀行やウォレットの画面は、サンドボックスのテスト用ページです。',
  productsLabel: '商品',
  products: {
    'thai-silk-scarf': 'タイシルクのスカーフ',
    'jasmine-rice-5kg': 'ジャスミンライス 5kg',
    'celadon-teapot': '青磁のティーポット',
    'kaya-toast-set': 'カヤトーストセット（シンガポール）',
    'orchid-print': '蘭のアートプリント（シンガポール）',
  },
  buy: (product) => `${product}を購入`,
  anyAmount: '任意の金額',
  anyAmountHint: (baht, dollars) =>
    `お支払い方法ごとの利用可能金額をお試しいただけます。お支払い画面には、その金額に対応したお支払い方法だけが表示されます（例：K PLUS、KMA、KakaoPay は ${baht} 以上、シンガポールドルの KakaoPay は ${dollars} 以上）。`,
  amount: '金額',
  currency: '通貨',
  orderThisAmount: 'この金額で注文する',
  orderNotCreated: 'ご注文を作成できませんでした。もう一度お試しください。',
  amountMissing: '金額を入力してください（例：15.00）。',
  amountNotANumber: (written) => `「${written}」は金額として読み取れません。数字と小数点で入力してください（例：15.00）。`,
  amountTooManyDecimals: (currency, decimals, written) => `${currency} の金額は小数点以下 ${decimals} 桁までです：「${written}」`,
  amountNotPositive: '0 より大きい金額を入力してください。',
  amountTooLarge: (max) => `デモでご注文いただける金額は ${max} までです。`,
  amountTooLong: '金額が長すぎます。',
  yourOrder: 'ご注文内容',
  payment: 'お支払い',
  item: '商品',
  total: '合計',
  orderId: '注文番号',
  shopper: 'お客様',
  guest: 'ゲスト（カードを保存するには、ご注文の前にログインしてください）',
  noSuchOrder: 'このご注文は見つかりません（デモは再起動するとご注文を消去します）。',
  paymentResult: 'お支払い結果',
  order: 'ご注文',
  orderStatus: '注文状況',
  orderStates: { awaiting_payment: 'お支払い待ち', paid: 'お支払い済み', payment_failed: 'お支払い失敗', payment_expired: 'お支払い期限切れ', payment_canceled: 'お支払いキャンセル' },
  heldForShop: 'お支払いは承認されました。ショップの確定をお待ちください',
  chooseAgain: '別のお支払い方法を選ぶ',
  noSuchPayment: 'このリンクのお支払いはショップで確認できません。ショップからご注文をお探しください。',
  orderForgotten: 'このご注文はデモに残っていません（デモは再起動するとご注文を消去します）。',
};

export const TEXTS: Record<Locale, StorefrontTexts> = { en: EN, th: TH, ja: JA };

/** Each language by its own name, for the language switch. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', th: 'ไทย', ja: '日本語' };

/** The language a tag (`th-TH`, `ja`, `en-GB`) is in, when the shop speaks it. */
export function spokenLocale(tag: string | null | undefined): Locale | undefined {
  const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return (Object.keys(TEXTS) as Locale[]).find((locale) => locale === language);
}

/** The page's language: its `<html lang>` (preferences.ts sets it on the shopper's pages; the merchant's are English). */
export function pageLocale(): Locale {
  return spokenLocale(document.documentElement.lang) ?? 'en';
}

export function pageTexts(): StorefrontTexts {
  return TEXTS[pageLocale()];
}

/** What an order or a product is called: the product's name in the page's language, else the shop's, or "Any amount". */
export function itemName(texts: StorefrontTexts, productId: string | null, shopName: string): string {
  if (productId === null) return texts.anyAmount;
  return Object.hasOwn(texts.products, productId) ? texts.products[productId as ProductId] : shopName;
}

/** Why the shop refused an amount, in a sentence of `locale`. */
export function describeAmountProblem(problem: AmountProblem, locale: Locale): string {
  const texts = TEXTS[locale];
  switch (problem.reason) {
    case 'missing':
      return texts.amountMissing;
    case 'too_long':
      return texts.amountTooLong;
    case 'not_a_number':
      return texts.amountNotANumber(problem.written);
    case 'too_many_decimals':
      return texts.amountTooManyDecimals(problem.currency, problem.decimals, problem.written);
    case 'not_positive':
      return texts.amountNotPositive;
    case 'too_large':
      return texts.amountTooLarge(formatMoney(problem.max, problem.currency, locale, { symbol: true }));
  }
}
