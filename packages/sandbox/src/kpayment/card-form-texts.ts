import type { Locale } from '@payment-checkout/core';

/**
 * What the shopper reads on K-Payment's card form, one object per language: `page`, its markup; `script`, the
 * sentences of its script, which gets them in its config (`{name}` marks what it fills in; the page fills
 * `pay` the same way).
 */
const en = {
  page: {
    title: 'Card payment',
    unavailable: 'Card payment unavailable',
    savedCards: 'Saved cards',
    anotherCard: 'Use another card',
    name: 'Name on Card',
    number: 'Card Number',
    expiry: 'Expiry Date (MM/YY)',
    cvv: 'Security Code',
    remember: 'Remember card',
    term: 'Installment term (months)',
    termOption: (months: number, monthly: string) => `${months} months: ${monthly} a month`,
    interestByShopper: 'Monthly amounts before the card issuer’s interest, which the bank adds.',
    interestFree: 'No interest: 0% a month.',
    dccAccept: 'I accept the payment currency and exchange rate as stated above. Cardholder selected transaction currency is final.',
    /** The card-currency button before the script names the converted amount. */
    payConverted: 'Pay',
    savedCardsUnavailable: (reason: string) => `Saved cards are not available: ${reason}.`,
  },
  script: {
    nameMissing: 'Enter the name on the card',
    numberMissing: 'Enter the card number',
    numberInvalid: 'The card number is invalid',
    brandUnsupported: 'Only Visa, MasterCard and JCB are accepted',
    expiryInvalid: 'Enter the expiry date as MM/YY',
    expired: 'The card has expired',
    cvvInvalid: 'Enter the 3-digit security code',
    dccOffer: 'Your credit card currency: {currency} ({currencyName}). Exchange rate: {rate} Baht/{currency}. You pay {converted} or {amount}.',
    pay: 'Pay {amount}',
    dccAcceptFirst: 'Tick “I accept the payment currency and exchange rate” to pay in {currency}, or pay {amount}.',
    cardFailed: 'The card could not be processed. Please check it, or use another card.',
  },
};

const th: typeof en = {
  page: {
    title: 'ชำระเงินด้วยบัตร',
    unavailable: 'ไม่สามารถชำระเงินด้วยบัตรได้',
    savedCards: 'บัตรที่บันทึกไว้',
    anotherCard: 'ใช้บัตรอื่น',
    name: 'ชื่อบนบัตร',
    number: 'หมายเลขบัตร',
    expiry: 'วันหมดอายุบัตร (MM/YY)',
    cvv: 'รหัสความปลอดภัย (CVV)',
    remember: 'จดจำบัตรนี้',
    term: 'ระยะเวลาผ่อนชำระ (เดือน)',
    termOption: (months, monthly) => `${months} เดือน: เดือนละ ${monthly}`,
    interestByShopper: 'ยอดผ่อนต่อเดือนยังไม่รวมดอกเบี้ยของผู้ออกบัตร ซึ่งธนาคารจะเรียกเก็บเพิ่ม',
    interestFree: 'ไม่มีดอกเบี้ย: 0% ต่อเดือน',
    dccAccept: 'ฉันยอมรับสกุลเงินและอัตราแลกเปลี่ยนตามที่แสดงข้างต้น สกุลเงินที่ผู้ถือบัตรเลือกถือเป็นที่สิ้นสุด',
    payConverted: 'ชำระเงิน',
    savedCardsUnavailable: (reason) => `ไม่สามารถใช้บัตรที่บันทึกไว้ได้: ${reason}`,
  },
  script: {
    nameMissing: 'กรุณากรอกชื่อบนบัตร',
    numberMissing: 'กรุณากรอกหมายเลขบัตร',
    numberInvalid: 'หมายเลขบัตรไม่ถูกต้อง',
    brandUnsupported: 'รับเฉพาะบัตร Visa, MasterCard และ JCB',
    expiryInvalid: 'กรุณากรอกวันหมดอายุในรูปแบบ MM/YY',
    expired: 'บัตรหมดอายุแล้ว',
    cvvInvalid: 'กรุณากรอกรหัสความปลอดภัย 3 หลัก',
    dccOffer: 'สกุลเงินของบัตรเครดิตของคุณ: {currency} อัตราแลกเปลี่ยน: {rate} บาท/{currency} ยอดชำระ {converted} หรือ {amount}',
    pay: 'ชำระเงิน {amount}',
    dccAcceptFirst: 'กรุณาเลือก “ฉันยอมรับสกุลเงินและอัตราแลกเปลี่ยน” เพื่อชำระเป็น {currency} หรือชำระ {amount}',
    cardFailed: 'ไม่สามารถทำรายการด้วยบัตรนี้ได้ กรุณาตรวจสอบข้อมูลบัตร หรือใช้บัตรอื่น',
  },
};

const ja: typeof en = {
  page: {
    title: 'カードでのお支払い',
    unavailable: 'カードでのお支払いはご利用いただけません',
    savedCards: '保存済みのカード',
    anotherCard: '別のカードを使う',
    name: 'カード名義',
    number: 'カード番号',
    expiry: '有効期限（MM/YY）',
    cvv: 'セキュリティコード',
    remember: 'このカードを保存する',
    term: '分割回数',
    termOption: (months, monthly) => `${months}回：月々${monthly}`,
    interestByShopper: '月々の金額には、銀行が加算するカード発行会社の金利は含まれていません。',
    interestFree: '金利なし：月0%',
    dccAccept: '上記の決済通貨と為替レートに同意します。カード会員が選択した取引通貨は変更できません。',
    payConverted: '支払う',
    savedCardsUnavailable: (reason) => `保存済みのカードはご利用いただけません：${reason}`,
  },
  script: {
    nameMissing: 'カード名義を入力してください',
    numberMissing: 'カード番号を入力してください',
    numberInvalid: 'カード番号が正しくありません',
    brandUnsupported: 'ご利用いただけるのはVisa、MasterCard、JCBのみです',
    expiryInvalid: '有効期限をMM/YYの形式で入力してください',
    expired: 'カードの有効期限が切れています',
    cvvInvalid: '3桁のセキュリティコードを入力してください',
    dccOffer: 'お客様のクレジットカードの通貨：{currency}。為替レート：{rate} バーツ/{currency}。お支払い額は{converted}または{amount}です。',
    pay: '{amount}を支払う',
    dccAcceptFirst: '{currency}で支払うには「上記の決済通貨と為替レートに同意します」にチェックを入れてください。または{amount}で支払ってください。',
    cardFailed: 'カードを処理できませんでした。カード情報をご確認いただくか、別のカードをお使いください。',
  },
};

export const CARD_FORM_TEXTS: Record<Locale, typeof en> = { en, th, ja };
