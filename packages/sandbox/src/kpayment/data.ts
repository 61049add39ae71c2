import type { Currency } from '@payment-checkout/core';

/**
 * The K-Payment facts the emulator answers with, kept apart from the code (stripe-mock style).
 * Source: the K-Payment guide v4.3 (seed 003) through shared/spec/kpayment-gateway.md; line numbers are the guide's.
 */

export type CardBrand = 'visa' | 'mastercard' | 'jcb';

/** A card's response code at the issuer: the test tables of §7.1 / §7.2 (L3339–3389). */
export type ResponseCode = '00' | '01' | '05' | '14' | '50' | '51' | '500';

export interface TestCard {
  brand: CardBrand;
  code: ResponseCode;
  /** The card's own currency when it is a foreign card offered DCC (the "Full DCC" tables). */
  dccCurrency?: 'USD' | 'JPY';
  /** The tables the guide lists it in; the outcome is the same in both (§10.36). */
  tables: Array<'3ds' | 'non3ds'>;
}

const card = (brand: CardBrand, code: ResponseCode, tables: TestCard['tables'], dccCurrency?: 'USD' | 'JPY'): TestCard =>
  dccCurrency ? { brand, code, tables, dccCurrency } : { brand, code, tables };

/** Every test card of §7.1 (3-D Secure) and §7.2 (non 3-D Secure), MCC/SmartPay and DCC. */
export const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  // 3-D Secure, Full MCC and SmartPay (L3339–3352); the two DCC cards are also MCC approvals (L3354–3358).
  '5239620007270264': card('mastercard', '00', ['3ds'], 'USD'),
  '5404888000072727': card('mastercard', '00', ['3ds']),
  '5404888005380836': card('mastercard', '00', ['3ds']),
  '5411768003140872': card('mastercard', '00', ['3ds']),
  '5411768003141953': card('mastercard', '00', ['3ds']),
  '2221000604647064': card('mastercard', '01', ['3ds', 'non3ds']),
  '5596886582263266': card('mastercard', '05', ['3ds', 'non3ds']),
  '5149504001969007': card('mastercard', '51', ['3ds']),
  '5265434283867885': card('mastercard', '51', ['3ds', 'non3ds']),
  '4417706600005830': card('visa', '00', ['3ds'], 'JPY'),
  '3564580000056476': card('jcb', '00', ['3ds']),
  // Non 3-D Secure, Full MCC and SmartPay (L3364–3383).
  '5431289719925031': card('mastercard', '00', ['non3ds']),
  '5565694828631115': card('mastercard', '00', ['non3ds']),
  '5363314260912204': card('mastercard', '500', ['non3ds']),
  '4024007134786226': card('visa', '00', ['non3ds']),
  '4485169016314923': card('visa', '00', ['non3ds']),
  '4877300371267473': card('visa', '01', ['non3ds']),
  '4532741632025415': card('visa', '05', ['non3ds']),
  '4147602662715373': card('visa', '51', ['non3ds']),
  '4024007121398514': card('visa', '500', ['non3ds']),
  '3536353014086177': card('jcb', '00', ['non3ds']),
  '3540000981507917': card('jcb', '01', ['non3ds']),
  '3539074482135968': card('jcb', '05', ['non3ds']),
  '3528730936342392': card('jcb', '51', ['non3ds']),
  '3532598050794027': card('jcb', '500', ['non3ds']),
  // Non 3-D Secure, Full DCC (L3385–3389).
  '5372074248113841': card('mastercard', '00', ['non3ds'], 'USD'),
  '4205203648166408': card('visa', '00', ['non3ds'], 'JPY'),
};

/** Card failure messages of the appendix (L3632–3740) for the codes the sandbox produces. */
export const RESPONSE_MESSAGES: Record<ResponseCode, string> = {
  '00': 'Approved',
  '01': 'Refer to Card Issuer',
  '05': 'Do Not Honor',
  '14': 'Invalid Card Number',
  '50': 'Failed Authentication',
  '51': 'Insufficient Funds',
  '500': 'Timeout',
};

/** A card that is in no test table: declined as the issuer does for a number it does not know. */
export const UNKNOWN_CARD_CODE: ResponseCode = '14';
/** A wrong OTP: "cardholder failed authentication" stays Pre-Authorized + fail (appendix L3622). */
export const FAILED_AUTHENTICATION_CODE: ResponseCode = '50';
/** The sandbox's OTP (L3337). */
export const SANDBOX_OTP = '123456';

export const ISSUER_BANK = { domestic: 'Kasikornbank Public Company Limited', foreign: 'Sandbox Foreign Test Bank' };

/** DCC: the rate in baht per unit of the card's currency (the guide's screen shows 33.560 Baht/USD, L611–623). */
export const DCC_RATES: Record<'USD' | 'JPY', { rate: number; name: string }> = {
  USD: { rate: 33.56, name: 'US Dollar' },
  JPY: { rate: 0.2315, name: 'Japanese Yen' },
};

/** Merchant discount rate and VAT on it, as the inquiry sample's settlement shows (11 → mdr 0.28, vat 0.02, net 10.70). */
export const MDR_PERCENT = 2.5;
export const VAT_PERCENT = 7;
/** Baht per unit for `settlement_info.exchange_rate` of a charge in another currency (MCC). */
export const THB_PER_UNIT: Record<Currency, number> = { THB: 1, USD: 33.56, SGD: 25.1, JPY: 0.2315 };

/** Error codes the emulator returns and their HTTP status (the guide gives none: §10.34). */
export const ERROR_STATUS = {
  authentication_failure: 401,
  mandatory_is_empty: 400,
  invalid_parameter: 400,
  amount_invalid: 400,
  amount_exceed: 400,
  currency_invalid: 400,
  float_not_support: 400,
  card_error: 400,
  mid_and_tid_not_exist: 400,
  foreign_card_not_supported: 400,
  register_3d_mode_not_allow: 400,
  smartpay_invalid: 400,
  token_invalid: 400,
  used_token: 400,
  void_state_invalid: 400,
  settle_state_invalid: 400,
  refund_state_invalid: 400,
  partial_refund_is_not_allowed: 400,
  refund_transaction_is_not_owed: 400,
  transaction_date_invalid: 400,
  card_not_verified: 400,
  internal_permission_denied: 403,
  customer_authen_fail: 403,
  charge_id_not_exist: 404,
  customer_invalid: 404,
  card_invalid: 404,
  order_id_is_already_used: 400,
  qr_expired: 400,
  qr_cancelled: 400,
  qr_paid: 400,
  invalid_order_id: 404,
  no_transaction_found: 404,
  not_found: 404,
  internal_error: 500,
} as const;
export type KpaymentErrorCode = keyof typeof ERROR_STATUS;

/** The guide's messages (L3811–3908) where it gives one. */
export const ERROR_MESSAGES: Partial<Record<KpaymentErrorCode, string>> = {
  authentication_failure: 'Failure to properly authenticate yourself in the request',
  mandatory_is_empty: 'Mandatory parameter is missing',
  amount_invalid: 'Amount must be positive',
  currency_invalid: 'Currency is currently not supported',
  float_not_support: 'Decimal places are not supported with small CHARGE currencies',
  card_error: 'Card type is not supported',
  charge_id_not_exist: 'Charge ID does not exist or invalid',
  foreign_card_not_supported: 'Not support foreign card for register with 3D mode',
  mid_and_tid_not_exist: 'MID and/or TID do not exist or are not mapped to this currency',
  register_3d_mode_not_allow: 'Not allow register 3d mode for this merchant',
  token_invalid: 'Token was expired or cannot be found',
  used_token: 'Token was already used',
  void_state_invalid: 'Transaction status is not eligible for void',
  settle_state_invalid: 'Transaction status is not eligible for settlement',
  refund_state_invalid: 'Transaction status is not valid to refund',
  amount_exceed: 'Refund amount cannot exceed the available limit',
  partial_refund_is_not_allowed: 'Invalid refund request',
  internal_permission_denied: 'Permission denied.',
  refund_transaction_is_not_owed: 'Invalid refund date range',
  transaction_date_invalid: 'Invalid Transaction date format',
  smartpay_invalid: 'smartpay information cannot found in system',
  card_invalid: 'Card ID does not exist or invalid',
  card_not_verified: 'Customer ID cannot be generated due to unsuccessful charge',
  customer_authen_fail: 'Customer ID does not belong to your company',
  customer_invalid: 'Customer ID is invalid or does not exist',
  invalid_order_id: 'Order ID cannot found in system',
  order_id_is_already_used: 'Order ID was already used',
  no_transaction_found: 'Transaction does not exist in the system',
  qr_expired: 'QR has expired (EMQRE)',
  qr_cancelled: 'QR is cancelled (EMQRC)',
  qr_paid: 'QR already paid (EMQRP)',
};

/** Tokens expire 10 minutes after creation (decisions.md 10). */
export const TOKEN_LIFETIME_MS = 10 * 60_000;

/** Refund windows (L1995, L3895): no date needed up to 180 days, `transaction_date` up to 366, refused after. */
export const REFUND_WITHOUT_DATE_DAYS = 180;
export const REFUND_MAX_DAYS = 366;

/** The gateway's local time (Bangkok, GMT+7) for `created`, `transaction_date` and "next day" settlement. */
export const UTC_OFFSET_HOURS = 7;

/** Notify retries after a failed attempt (sandbox time); "retries until a 200" (§10.34), bounded. */
export const DEFAULT_NOTIFY_RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000];
/** How long one notify attempt may take (real time) before it counts as a network failure. */
export const NOTIFY_TIMEOUT_MS = 10_000;

/** Per-merchant defaults (decisions.md 3); the companion or a test overrides them through the settings. */
export const DEFAULT_SETTINGS = {
  orderExpireSeconds: 3600,
  settlement: 'manual',
  mid: '401000000000001',
  dccMid: '451000000000001',
  threeDSecure: true,
  smartpayIds: [{ smartpayId: '0001', terms: [3, 4, 6, 10], ipanMode: '02' }],
  installmentPlans: [
    {
      planId: '999',
      ipanMode: '03',
      productType: '003',
      supplierNo: '99903',
      modelNo: '123456',
      modelName: 'ALL PRODUCT',
      terms: [3, 6, 10],
      minPrice: 100,
      maxPrice: 999_999_999,
    },
  ],
} as const;

// ── Thai QR, WeChat Pay (Order API, QR API) ──────────────────────────────────────────────────────

/** Bounds of `expire_time_seconds` (default in DEFAULT_SETTINGS: 3600 as in both samples, L2715). */
export const MIN_ORDER_EXPIRE_SECONDS = 60;
export const MAX_ORDER_EXPIRE_SECONDS = 86_400;

/**
 * The QR failure codes the emulator answers with (appendix L3742–3809): code, message and sub-code,
 * written "message (SUB)" as the digest's §10.35 recommends.
 */
export const QR_FAILURES = {
  notPaid: { code: 'qr_void', message: 'QR status is not paid (EMQSNP)' },
  alreadyVoided: { code: 'qr_void', message: 'QR already voided (EMQRV)' },
  otherChannel: { code: 'qr_void', message: 'Cannot void other channel (EMQRVOTCH)' },
  overTheDay: { code: 'qr_void', message: 'Cannot void over the day (EMQRVOD)' },
  paid: { code: 'qr_paid', message: 'QR already paid (EMQRP)' },
  cancelled: { code: 'qr_cancelled', message: 'QR is cancelled (EMQRC)' },
  expired: { code: 'qr_expired', message: 'QR has expired (EMQRE)' },
  notCancellable: { code: 'cancel_state_invalid', message: 'Transaction status is not eligible for cancel' },
} as const;

/** What the simulator's "Fail" declines with unless told otherwise: the payer's account cannot pay (EMACST). */
export const QR_DECLINES: Readonly<Record<string, string>> = {
  invalid_account: 'Invalid account and/or card status (EMACST)',
  account_error: 'Account is closed (EMAC)',
  invalid_txn_amount: 'Invalid Amount (EMITA)',
  internal_error: 'System unavailable (EMIU)',
};
export const DEFAULT_QR_DECLINE = 'invalid_account';

/** Who paid a QR: the K PLUS app (the only payments a void accepts, L2889), another bank's app or e-wallet, or WeChat. */
export type QrChannel = 'kplus' | 'other_bank' | 'wechat';

/** `source.brand` of QR charges (`ThaiQR`, L2870); WeChat Pay's brand is the sandbox's own (String(10)). */
export const QR_BRANDS = { qr: 'ThaiQR', wechat: 'WeChat' } as const;

/** How often the QR popup asks for its QR's state (real time). */
export const QR_POLL_MS = 1500;

// ── Alipay and UnionPay (Redirect) ──────────────────────────────────────────────────────────────

export const REDIRECT_BRANDS = { alipay: 'Alipay', unionpay: 'UnionPay' } as const;

/**
 * The UnionPay test cards of §7.3 (L3393–3402). TPN cards are domestic debit cards (TPN's own page,
 * PIN); UPI cards are international (UnionPay's page, SMS code then PIN). The SMS code cell is split
 * over the two UPI rows ("111111 (PC) or" / "123456 (Mobile)"): both codes work for both cards.
 */
export interface UnionpayTestCard {
  network: 'TPN' | 'UPI';
  cvn2: string;
  /** MM/YY as the table prints it; the sandbox accepts it whatever today's date (they are test cards). */
  expiry: string;
  pin: string;
  smsCodes: readonly string[];
}

const UPI_SMS_CODES = ['111111', '123456'] as const;

export const UNIONPAY_TEST_CARDS: Readonly<Record<string, UnionpayTestCard>> = {
  '6210947764000027': { network: 'TPN', cvn2: '456', expiry: '10/30', pin: '111111', smsCodes: [] },
  '9100009764000010': { network: 'TPN', cvn2: '123', expiry: '03/25', pin: '111111', smsCodes: [] },
  '9100008764000025': { network: 'TPN', cvn2: '123', expiry: '03/25', pin: '111111', smsCodes: [] },
  '9100009764000015': { network: 'TPN', cvn2: '123', expiry: '03/25', pin: '111111', smsCodes: [] },
  '6250947000000014': { network: 'UPI', cvn2: '123', expiry: '12/33', pin: '111111', smsCodes: UPI_SMS_CODES },
  '6250946000000016': { network: 'UPI', cvn2: '123', expiry: '12/33', pin: '111111', smsCodes: UPI_SMS_CODES },
};

/**
 * Why a UnionPay payment is declined, with the appendix's card codes (L3632–3740): an unknown number,
 * a wrong expiry, CVN2, PIN or SMS code. One wrong answer ends the payment (no second try).
 */
export const UNIONPAY_DECLINES = {
  unknownCard: { code: '14', message: 'Invalid Card Number' },
  wrongExpiry: { code: '54', message: 'Expired Card' },
  wrongCvn2: { code: 'N7', message: 'Invalid CVV2' },
  wrongSmsCode: { code: '50', message: 'Failed Authentication' },
  wrongPin: { code: '55', message: 'Incorrect PIN' },
} as const;

/** Alipay's "Fail" control: the wallet declines (the generic "Do Not Honor", L3640). */
export const ALIPAY_DECLINE = { code: '05', message: 'Do Not Honor' } as const;
