import type { Messages } from '../../locale.ts';

/**
 * K-Payment card failure codes: every code of the guide's appendix "Failure Code for Card Payment"
 * (digest §8.1), with the guide's own message. Shoppers read a message per kind of decline (below).
 */
export const KPAYMENT_CARD_FAILURE_CODES = {
  '01': 'Refer to Card Issuer',
  '02': "Refer to Issuer's Special Conditions",
  '03': 'Invalid Merchant ID',
  '04': 'Pick Up Card',
  '05': 'Do Not Honor',
  '06': 'Error',
  '07': 'Pick Up Card, Special Conditions',
  '08': 'Honor with ID',
  '09': 'Request in Progress',
  '10': 'Partial Amount Approved',
  '11': 'Approved VIP',
  '12': 'Invalid Transaction',
  '13': 'Invalid Amount',
  '14': 'Invalid Card Number',
  '15': 'No Sun Issuer',
  '16': 'Approved, Update Track 3',
  '17': 'Customer Cancellation',
  '18': 'Customer Dispute',
  '19': 'Re-enter Transaction',
  '20': 'Invalid Response',
  '21': 'No Action Taken',
  '22': 'Suspected Malfunction',
  '23': 'Unacceptable Transaction Fee',
  '24': 'File Update not Supported by Receiver',
  '25': 'Unable to Locate Record on File',
  '26': 'Duplicate File Update Record',
  '27': 'File Update Field Edit Error',
  '28': 'File Update File Locked Out',
  '29': 'File Update not Successful',
  '30': 'Format Error',
  '31': 'Bank not Supported by Switch',
  '32': 'Completed Partially',
  '33': 'Expired Card - Pick Up',
  '34': 'Suspected Fraud - Pick Up',
  '35': 'Contact Acquirer - Pick Up',
  '36': 'Restricted Card - Pick Up',
  '37': 'Call Acquirer Security - Pick Up',
  '38': 'Allowable PIN Tries Exceeded',
  '39': 'No Credit Account',
  '40': 'Requested Function not Supported',
  '41': 'Lost Card - Pick Up',
  '42': 'No Universal Amount',
  '43': 'Stolen Card - Pick Up',
  '44': 'No Investment Account',
  '50': 'Failed Authentication',
  '51': 'Insufficient Funds',
  '52': 'No Cheque Account',
  '53': 'No Savings Account',
  '54': 'Expired Card',
  '55': 'Incorrect PIN',
  '56': 'No Card Record',
  '57': 'Trans. not Permitted to Cardholder',
  '58': 'Transaction not Permitted to Terminal',
  '59': 'Suspected Fraud',
  '60': 'Card Acceptor Contact Acquirer',
  '61': 'Exceeds Withdrawal Amount Limits',
  '62': 'Restricted Card',
  '63': 'Security Violation',
  '64': 'Original Amount Incorrect',
  '65': 'Exceeds Withdrawal Frequency Limit',
  '66': 'Card Acceptor Call Acquirer Security',
  '67': 'Hard Capture - Pick Up Card at ATM',
  '68': 'Response Received Too Late',
  '75': 'Allowable PIN Tries Exceeded',
  '86': 'ATM Malfunction',
  '87': 'No Envelope Inserted',
  '88': 'Unable to Dispense',
  '89': 'Administration Error',
  '90': 'Cut-off in Progress',
  '91': 'Issuer or Switch is Inoperative',
  '92': 'Financial Institution not Found',
  '93': 'Trans Cannot be Completed',
  '94': 'Duplicate Transmission',
  '95': 'Reconcile Error',
  '96': 'System Malfunction',
  '97': 'Reconciliation Totals Reset',
  '98': 'MAC Error',
  '99': 'Reserved',
  N7: 'Invalid CVV2',
  NC: 'Invalid CVV2 with Approval Code',
  '500': 'Timeout',
  '600': 'Reverse Transaction',
} as const;
export type KpaymentCardFailureCode = keyof typeof KPAYMENT_CARD_FAILURE_CODES;

const CARD: Record<string, Messages> = {
  contactBank: {
    en: 'Your bank declined this card. Please contact your bank, or pay with another card.',
    th: 'ธนาคารผู้ออกบัตรปฏิเสธบัตรนี้ กรุณาติดต่อธนาคารของคุณ หรือชำระด้วยบัตรอื่น',
    ja: 'ご利用のカード会社でこのカードが承認されませんでした。カード会社にお問い合わせいただくか、別のカードでお支払いください。',
  },
  otherCard: {
    en: 'Your bank declined this card. Please pay with another card.',
    th: 'ธนาคารผู้ออกบัตรปฏิเสธบัตรนี้ กรุณาชำระด้วยบัตรอื่น',
    ja: 'ご利用のカード会社でこのカードが承認されませんでした。別のカードでお支払いください。',
  },
  // 05 is also how an Alipay payment is declined (the wallet's "Fail"): the words fit a card and a wallet.
  doNotHonor: {
    en: 'Your bank or wallet did not approve this payment (it failed a security check, or the funds are frozen). Please pay with another card or payment method.',
    th: 'ธนาคารหรือวอลเล็ตไม่อนุมัติรายการนี้ (ไม่ผ่านการตรวจสอบความปลอดภัย หรือวงเงินถูกระงับ) กรุณาชำระด้วยบัตรอื่นหรือวิธีชำระเงินอื่น',
    ja: 'ご利用の銀行またはウォレットでこのお支払いが承認されませんでした（セキュリティチェックに通らなかったか、資金が凍結されています）。別のカードまたはお支払い方法でお支払いください。',
  },
  merchant: {
    en: 'This shop cannot take this card payment right now. Please try again later or choose another payment method.',
    th: 'ร้านค้าไม่สามารถรับชำระด้วยบัตรรายการนี้ได้ในขณะนี้ กรุณาลองใหม่ภายหลังหรือเลือกวิธีชำระเงินอื่น',
    ja: 'このショップでは現在このカードでのお支払いを受け付けられません。しばらくしてからもう一度お試しいただくか、別のお支払い方法をお選びください。',
  },
  unclear: {
    en: 'Your bank answered in an unexpected way. Please check your card statement before you try again.',
    th: 'ธนาคารตอบกลับผิดปกติ กรุณาตรวจสอบรายการในบัตรของคุณก่อนลองชำระอีกครั้ง',
    ja: 'カード会社から想定外の応答がありました。もう一度お試しになる前に、カードのご利用明細をご確認ください。',
  },
  cardNumber: {
    en: 'The card number was not recognised. Please check it, or pay with another card.',
    th: 'ไม่พบหมายเลขบัตรนี้ กรุณาตรวจสอบหมายเลขบัตร หรือชำระด้วยบัตรอื่น',
    ja: 'カード番号を確認できませんでした。番号をご確認いただくか、別のカードでお支払いください。',
  },
  canceled: {
    en: 'The payment was canceled. You have not been charged.',
    th: 'รายการชำระเงินถูกยกเลิก ไม่มีการเรียกเก็บเงิน',
    ja: 'お支払いはキャンセルされました。料金は請求されていません。',
  },
  retry: {
    en: 'Your bank could not be reached. Please try again in a moment.',
    th: 'ไม่สามารถติดต่อธนาคารผู้ออกบัตรได้ กรุณาลองใหม่อีกครั้งในอีกสักครู่',
    ja: 'カード会社に接続できませんでした。しばらくしてから、もう一度お試しください。',
  },
  expired: {
    en: 'The card has expired, or the expiry date is wrong. Please check it, or pay with another card.',
    th: 'บัตรหมดอายุหรือวันหมดอายุไม่ถูกต้อง กรุณาตรวจสอบ หรือชำระด้วยบัตรอื่น',
    ja: 'カードの有効期限が切れているか、有効期限が正しくありません。ご確認いただくか、別のカードでお支払いください。',
  },
  fraud: {
    en: 'Your bank declined this card for security reasons. Please contact your bank, or pay with another card.',
    th: 'ธนาคารปฏิเสธบัตรนี้ด้วยเหตุผลด้านความปลอดภัย กรุณาติดต่อธนาคาร หรือชำระด้วยบัตรอื่น',
    ja: 'セキュリティ上の理由により、カード会社でこのカードが承認されませんでした。カード会社にお問い合わせいただくか、別のカードでお支払いください。',
  },
  pinTries: {
    en: 'The PIN was wrong too many times. Please contact your bank, or pay with another card.',
    th: 'ใส่รหัส PIN ผิดเกินจำนวนครั้งที่กำหนด กรุณาติดต่อธนาคาร หรือชำระด้วยบัตรอื่น',
    ja: '暗証番号の入力誤りが上限回数を超えました。カード会社にお問い合わせいただくか、別のカードでお支払いください。',
  },
  pinWrong: {
    en: 'The PIN was incorrect. Please try again.',
    th: 'รหัส PIN ไม่ถูกต้อง กรุณาลองใหม่อีกครั้ง',
    ja: '暗証番号が正しくありません。もう一度お試しください。',
  },
  account: {
    en: 'This card is not linked to an account that can pay here. Please pay with another card.',
    th: 'บัตรนี้ไม่ได้ผูกกับบัญชีที่ใช้ชำระรายการนี้ได้ กรุณาชำระด้วยบัตรอื่น',
    ja: 'このカードには、このお支払いに利用できる口座が紐付いていません。別のカードでお支払いください。',
  },
  notPermitted: {
    en: 'This card cannot be used for this kind of payment. Please pay with another card.',
    th: 'บัตรนี้ไม่สามารถใช้ชำระรายการประเภทนี้ได้ กรุณาชำระด้วยบัตรอื่น',
    ja: 'このカードはこの種類のお支払いにはご利用いただけません。別のカードでお支払いください。',
  },
  funds: {
    en: 'Insufficient funds or credit on this card. Please pay with another card.',
    th: 'วงเงินหรือยอดเงินในบัตรไม่เพียงพอ กรุณาชำระด้วยบัตรอื่น',
    ja: 'このカードの残高または利用可能枠が不足しています。別のカードでお支払いください。',
  },
  limit: {
    en: 'This payment is over your card’s limit. Please pay with another card, or contact your bank.',
    th: 'รายการนี้เกินวงเงินหรือจำนวนครั้งที่บัตรกำหนด กรุณาชำระด้วยบัตรอื่น หรือติดต่อธนาคาร',
    ja: 'このお支払いはカードの利用限度額を超えています。別のカードでお支払いいただくか、カード会社にお問い合わせください。',
  },
  amount: {
    en: 'Your bank refused the payment amount. Please try again, or pay with another card.',
    th: 'ธนาคารไม่รับยอดเงินของรายการนี้ กรุณาลองใหม่ หรือชำระด้วยบัตรอื่น',
    ja: 'カード会社でお支払い金額が承認されませんでした。もう一度お試しいただくか、別のカードでお支払いください。',
  },
  duplicate: {
    en: 'Your bank saw this payment as a duplicate. Please check your card statement before you try again.',
    th: 'ธนาคารเห็นว่ารายการนี้ซ้ำ กรุณาตรวจสอบรายการในบัตรก่อนลองชำระอีกครั้ง',
    ja: 'カード会社でこのお支払いが重複と判断されました。もう一度お試しになる前に、カードのご利用明細をご確認ください。',
  },
  authentication: {
    en: 'The card’s security check (3-D Secure OTP) failed. Please try again.',
    th: 'การยืนยันตัวตนผู้ถือบัตร (รหัส OTP 3-D Secure) ไม่สำเร็จ กรุณาลองใหม่อีกครั้ง',
    ja: 'カードの本人認証（3-Dセキュア ワンタイムパスワード）に失敗しました。もう一度お試しください。',
  },
  cvv: {
    en: 'The card’s security code (CVV) is wrong. Please check it and try again.',
    th: 'รหัสความปลอดภัยของบัตร (CVV) ไม่ถูกต้อง กรุณาตรวจสอบแล้วลองใหม่',
    ja: 'カードのセキュリティコード（CVV）が正しくありません。ご確認のうえ、もう一度お試しください。',
  },
  timeout: {
    en: 'Your bank did not answer in time. You have not been charged; please try again.',
    th: 'ธนาคารตอบกลับไม่ทันเวลา ไม่มีการเรียกเก็บเงิน กรุณาลองใหม่อีกครั้ง',
    ja: 'カード会社から時間内に応答がありませんでした。料金は請求されていません。もう一度お試しください。',
  },
  reversed: {
    en: 'The payment was reversed. You have not been charged.',
    th: 'รายการชำระเงินถูกยกเลิกคืน ไม่มีการเรียกเก็บเงิน',
    ja: 'お支払いは取り消されました。料金は請求されていません。',
  },
  bankError: {
    en: 'Your bank could not process this payment. Please try again, or pay with another card.',
    th: 'ธนาคารไม่สามารถดำเนินการรายการนี้ได้ กรุณาลองใหม่ หรือชำระด้วยบัตรอื่น',
    ja: 'カード会社でこのお支払いを処理できませんでした。もう一度お試しいただくか、別のカードでお支払いください。',
  },
};

/** Which shopper message each card failure code gets (the appendix's explanations, grouped). */
const CARD_MESSAGE_KIND: Record<KpaymentCardFailureCode, keyof typeof CARD> = {
  '01': 'contactBank', '02': 'contactBank', '06': 'contactBank', '09': 'contactBank', '21': 'contactBank', '60': 'contactBank', '93': 'contactBank',
  '03': 'merchant', '12': 'merchant', '23': 'merchant', '30': 'merchant', '66': 'merchant', '89': 'merchant',
  '04': 'otherCard', '07': 'otherCard', '35': 'otherCard', '36': 'otherCard', '37': 'otherCard', '41': 'otherCard', '43': 'otherCard', '62': 'otherCard',
  '05': 'doNotHonor', '20': 'doNotHonor',
  '08': 'unclear', '10': 'unclear', '11': 'unclear', '16': 'unclear', '32': 'unclear',
  '14': 'cardNumber', '15': 'cardNumber', '25': 'cardNumber', '56': 'cardNumber', '92': 'cardNumber',
  '17': 'canceled', '18': 'bankError',
  '19': 'retry', '22': 'retry', '68': 'retry', '90': 'retry', '91': 'retry', '96': 'retry',
  '24': 'bankError', '26': 'bankError', '27': 'bankError', '28': 'bankError', '29': 'bankError', '86': 'bankError', '87': 'bankError',
  '88': 'bankError', '95': 'bankError', '97': 'bankError', '98': 'bankError', '99': 'bankError',
  '31': 'notPermitted', '40': 'notPermitted', '57': 'notPermitted', '58': 'notPermitted',
  '33': 'expired', '54': 'expired',
  '34': 'fraud', '59': 'fraud', '63': 'fraud', '67': 'fraud',
  '38': 'pinTries', '75': 'pinTries', '55': 'pinWrong',
  '39': 'account', '42': 'account', '44': 'account', '52': 'account', '53': 'account',
  '50': 'authentication',
  '51': 'funds',
  '61': 'limit', '65': 'limit',
  '13': 'amount', '64': 'amount',
  '94': 'duplicate',
  N7: 'cvv', NC: 'cvv',
  '500': 'timeout',
  '600': 'reversed',
};

/** K-Payment API refusals that end a card payment before the bank sees it (Charge API error codes, §8.3). */
const API_REFUSALS: Record<string, Messages> = {
  token_invalid: {
    en: 'The card form expired before the payment was made. Please enter your card again.',
    th: 'แบบฟอร์มบัตรหมดอายุก่อนชำระเงิน กรุณากรอกข้อมูลบัตรใหม่อีกครั้ง',
    ja: 'お支払いの前にカード入力フォームの有効期限が切れました。もう一度カード情報を入力してください。',
  },
  used_token: {
    en: 'This card entry was already used. Please enter your card again.',
    th: 'ข้อมูลบัตรชุดนี้ถูกใช้ไปแล้ว กรุณากรอกข้อมูลบัตรใหม่อีกครั้ง',
    ja: 'このカード情報はすでに使用されています。もう一度カード情報を入力してください。',
  },
  card_error: {
    en: 'This card type is not accepted here. Please pay with Visa, Mastercard or JCB.',
    th: 'ไม่รับบัตรประเภทนี้ กรุณาชำระด้วยบัตร Visa, Mastercard หรือ JCB',
    ja: 'この種類のカードはご利用いただけません。Visa、Mastercard、JCBのいずれかでお支払いください。',
  },
  smartpay_invalid: {
    en: 'Instalments are not available for this card or amount. Please pay in full, or with another card.',
    th: 'ไม่สามารถผ่อนชำระด้วยบัตรหรือยอดเงินนี้ได้ กรุณาชำระเต็มจำนวน หรือใช้บัตรอื่น',
    ja: 'このカードまたは金額では分割払いをご利用いただけません。一括でお支払いいただくか、別のカードをご利用ください。',
  },
  foreign_card_not_supported: {
    en: 'Only cards issued in Thailand can be saved this way. Please use a Thai card.',
    th: 'บันทึกบัตรด้วยวิธีนี้ได้เฉพาะบัตรที่ออกในประเทศไทย กรุณาใช้บัตรที่ออกในประเทศไทย',
    ja: 'この方法で保存できるのはタイで発行されたカードのみです。タイ発行のカードをご利用ください。',
  },
  campaign_card_invalid: {
    en: 'This card is not part of the promotion. Please pay with another card.',
    th: 'บัตรนี้ไม่ร่วมรายการส่งเสริมการขาย กรุณาชำระด้วยบัตรอื่น',
    ja: 'このカードはキャンペーンの対象外です。別のカードでお支払いください。',
  },
};
const MERCHANT_REFUSALS = ['mid_and_tid_not_exist', 'currency_invalid', 'amount_invalid', 'float_not_support', 'register_3d_mode_not_allow', 'exceed_amount_per_day', 'exceed_amount_per_txn', 'exceed_count_charge_per_day', 'ip_not_allow'];
const BANK_REFUSALS = ['decrypt_card_error', 'processing_card_error'];

/**
 * K-Payment QR failure codes (Thai QR, WeChat Pay): every code of the guide's appendix "QR failure codes"
 * (digest §8.2) with its messages and sub-codes. A failed QR payment, or a QR that can no longer be paid,
 * carries one of them; shoppers read a message per kind (below).
 */
export const KPAYMENT_QR_FAILURE_CODES = {
  account_error: 'Cannot credit to account (EMACF); Account is closed (EMAC)',
  authentication_error: 'Wrong partner keys (EMA); Miss match partner id and mid (EMPM)',
  bad_request: 'Invalid JSON (EMBR)',
  duplicate_request: 'This request is duplicated (EMDR)',
  internal_error: 'Cannot connect to database (EMIDB); System unavailable (EMIU); EAI system unavailable (EMIEU); EAI system timeout (EMIETO); Cannot open wallet account (EMIGTM)',
  invalid_account: 'Account Number does not exist (EMRAD); Invalid account and/or card status (EMACST)',
  invalid_currency_code: 'Currency code XXX is not allowed (EMICC)',
  invalid_origPartnerTxnUid: 'origPartnerTxnUid does not exist (EMITDNE)',
  invalid_txn_amount: 'Invalid Amount (EMITA); Amount must be an integer with two digits precision (EMITF)',
  invalid_qr_type: 'QR Type X is not allowed (EMIQR)',
  invalid_redis: 'Invalid Redis (EMIRD)',
  invalid_reference1: 'Reference1 must not be empty (EMIR)',
  invalid_shop_id: 'Shop ID is a duplicate (EMISD); Shop ID does not exist (EMISDNE)',
  invalid_document_id: 'Document ID invalid (EMID)',
  invalid_settlement_type: 'Invalid settlement type (EMIST)',
  merchant_closed: 'Merchant is already closed (EMMC)',
  duplicate_merchant: 'Partner ID and Partner Shop ID already registered (EMRD)',
  create_merchant: 'Merchant has not been created (EMCR)',
  invalid_merchant: 'Merchant ID does not exist (EMDNE); Wallet is suspended (EMMS); Wallet is suspended or closed (EMMSOC); Merchant balance does not exist (EMBDNE)',
  qr_cancelled: 'QR is cancelled (EMQRC)',
  qr_paid: 'QR already paid (EMQRP)',
  qr_void: 'QR status is not paid (EMQSNP); QR already voided (EMQRV); Cannot void between settlement process (EMQRCVS); Cannot void other channel (EMQRVOTCH); Cannot void over the day (EMQRVOD)',
  qr_expired: 'QR already expired (EMQRAE); QR has expired (EMQRE)',
  gtm_error: 'Cannot open wallet account (EMGTMA); Cannot reverse (EMGTMCR); Upsert accum error (EMGTMEAE); Cannot connect to GTM service (EMGTMSE); Cannot receive message from GTM (EMGTMRE); Cannot voided (EMGTMKF10)',
  settlement_error: 'Transaction is already settled (EMSET); Manual settlement is not allow between 22:00 - 02:30 (EMSMSG); Current balance mismatch (EMSBM); Settlement is not allowed (EMSNA); Settlement has been failed (EMSFA)',
  callback_error: 'Callback has been failed (EMCBFA); Save callback logging has been failed (EMCBSL)',
  register_error: "Settlement account number/name is required (EMRSR); Parent's Merchant is required (EMHQID); Owner email is required (EMHQID)",
  update_error: 'Cannot update merchant (EMUDM)',
} as const;
export type KpaymentQrFailureCode = keyof typeof KPAYMENT_QR_FAILURE_CODES;

const QR: Record<string, Messages> = {
  payerAccount: {
    en: 'Your bank could not take this payment from your account (the account may be closed or restricted). Please pay from another account, or choose another payment method.',
    th: 'ธนาคารไม่สามารถตัดเงินจากบัญชีของคุณได้ (บัญชีอาจถูกปิดหรือถูกระงับ) กรุณาชำระจากบัญชีอื่น หรือเลือกวิธีชำระเงินอื่น',
    ja: 'ご利用の銀行でお客様の口座から引き落としができませんでした（口座が解約または利用停止されている可能性があります）。別の口座からお支払いいただくか、別のお支払い方法をお選びください。',
  },
  amount: {
    en: 'Your bank or wallet refused the payment amount. Please try again, or choose another payment method.',
    th: 'ธนาคารหรือวอลเล็ตไม่รับยอดเงินของรายการนี้ กรุณาลองใหม่ หรือเลือกวิธีชำระเงินอื่น',
    ja: 'ご利用の銀行またはウォレットでお支払い金額が承認されませんでした。もう一度お試しいただくか、別のお支払い方法をお選びください。',
  },
  system: {
    en: 'The QR payment system was unavailable. You have not been charged; please try again in a moment.',
    th: 'ระบบชำระเงินด้วยคิวอาร์โค้ดไม่พร้อมให้บริการชั่วคราว ไม่มีการเรียกเก็บเงิน กรุณาลองใหม่อีกครั้งในอีกสักครู่',
    ja: 'QRコード決済システムが一時的にご利用いただけませんでした。料金は請求されていません。しばらくしてから、もう一度お試しください。',
  },
  duplicate: {
    en: 'This QR payment was sent twice. Please check your banking app before you try again.',
    th: 'รายการชำระเงินด้วยคิวอาร์โค้ดนี้ถูกส่งซ้ำ กรุณาตรวจสอบในแอปธนาคารของคุณก่อนลองชำระอีกครั้ง',
    ja: 'このQRコード決済が二重に送信されました。もう一度お試しになる前に、銀行アプリをご確認ください。',
  },
  merchant: {
    en: 'This shop cannot take QR payments right now. Please try again later, or choose another payment method.',
    th: 'ร้านค้าไม่สามารถรับชำระเงินด้วยคิวอาร์โค้ดได้ในขณะนี้ กรุณาลองใหม่ภายหลัง หรือเลือกวิธีชำระเงินอื่น',
    ja: 'このショップでは現在QRコード決済を受け付けられません。しばらくしてからもう一度お試しいただくか、別のお支払い方法をお選びください。',
  },
  expired: {
    en: 'The QR code expired before it was paid. You have not been charged; please start again for a new QR code.',
    th: 'คิวอาร์โค้ดหมดอายุก่อนชำระเงิน ไม่มีการเรียกเก็บเงิน กรุณาเริ่มใหม่เพื่อรับคิวอาร์โค้ดใหม่',
    ja: 'お支払いの前にQRコードの有効期限が切れました。料金は請求されていません。もう一度やり直して、新しいQRコードを取得してください。',
  },
  cancelled: {
    en: 'The QR code was cancelled before it was paid. You have not been charged.',
    th: 'คิวอาร์โค้ดถูกยกเลิกก่อนชำระเงิน ไม่มีการเรียกเก็บเงิน',
    ja: 'お支払いの前にQRコードがキャンセルされました。料金は請求されていません。',
  },
  paid: {
    en: 'This QR code has already been paid. Please check your banking app before you pay again.',
    th: 'คิวอาร์โค้ดนี้ถูกชำระเงินไปแล้ว กรุณาตรวจสอบในแอปธนาคารของคุณก่อนชำระอีกครั้ง',
    ja: 'このQRコードはすでにお支払い済みです。再度お支払いになる前に、銀行アプリをご確認ください。',
  },
};

/** Which shopper message each QR failure code gets. */
const QR_MESSAGE_KIND: Record<KpaymentQrFailureCode, keyof typeof QR> = {
  account_error: 'payerAccount', invalid_account: 'payerAccount',
  invalid_txn_amount: 'amount', invalid_currency_code: 'amount',
  internal_error: 'system', invalid_redis: 'system', gtm_error: 'system', callback_error: 'system',
  duplicate_request: 'duplicate',
  authentication_error: 'merchant', bad_request: 'merchant', invalid_origPartnerTxnUid: 'merchant', invalid_qr_type: 'merchant',
  invalid_reference1: 'merchant', invalid_shop_id: 'merchant', invalid_document_id: 'merchant', invalid_settlement_type: 'merchant',
  merchant_closed: 'merchant', duplicate_merchant: 'merchant', create_merchant: 'merchant', invalid_merchant: 'merchant',
  settlement_error: 'merchant', register_error: 'merchant', update_error: 'merchant', qr_void: 'merchant',
  qr_expired: 'expired',
  qr_cancelled: 'cancelled',
  qr_paid: 'paid',
};

/**
 * What a shopper reads for each K-Payment failure code: card declines, API refusals, then QR codes. Built by a call
 * marked pure, so that a bundle that only needs the catalog (the element's) leaves these texts out.
 */
export const KPAYMENT_FAILURE_MESSAGES: Record<string, Messages> = /* @__PURE__ */ failureMessages();

function failureMessages(): Record<string, Messages> {
  const messages: Record<string, Messages> = {};
  for (const [code, kind] of Object.entries(CARD_MESSAGE_KIND)) messages[code] = CARD[kind];
  Object.assign(messages, API_REFUSALS);
  for (const code of MERCHANT_REFUSALS) messages[code] = CARD.merchant;
  for (const code of BANK_REFUSALS) messages[code] = CARD.bankError;
  // A card code keeps its card wording; a code another gateway already uses (Opn's invalid_account) keeps that
  // gateway's wording too, where core's listing merges the tables (first wording wins): one code, one message.
  for (const [code, kind] of Object.entries(QR_MESSAGE_KIND)) messages[code] ??= QR[kind];
  return messages;
}
