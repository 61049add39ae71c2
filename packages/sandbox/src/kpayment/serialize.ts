import { kpaymentChecksum } from '@payment-checkout/core/signature';
import { round, toMajor } from './cards.ts';
import { DCC_RATES, ISSUER_BANK, MDR_PERCENT, QR_BRANDS, REDIRECT_BRANDS, TEST_CARDS, THB_PER_UNIT, VAT_PERCENT } from './data.ts';
import { kpaymentTime } from './ids.ts';
import type { CardRecord, ChargeRecord, CustomerRecord, OrderRecord, QrChargeRecord, QrRecord, RedirectChargeRecord, RefundRecord, TokenRecord } from './state.ts';

/** The wire formats: field names, order and formats of the guide's tables and samples. */

function sourceWire(card: CardRecord) {
  return {
    id: card.id,
    object: 'card' as const,
    brand: card.brand,
    card_masking: card.masking,
    issuer_bank: TEST_CARDS[card.number]?.dccCurrency ? ISSUER_BANK.foreign : ISSUER_BANK.domestic,
  };
}

/** Decimal(14,4) money breakdown: MDR and VAT on it, as in the inquiry sample (11 → 0.28 / 0.02 / 10.70). */
function breakdown(charge: ChargeRecord, minor: number) {
  const amount = toMajor(minor, charge.currency);
  const exchangeRate = THB_PER_UNIT[charge.currency];
  const mdr = round((amount * MDR_PERCENT) / 100, 2);
  const vat = round((mdr * VAT_PERCENT) / 100, 2);
  return {
    baht_amount: round(amount * exchangeRate, 4),
    exchange_rate: exchangeRate,
    orig_amount: toMajor(charge.amount, charge.currency),
    orig_mdr: mdr,
    orig_vat: vat,
    orig_net_amount: round(amount - mdr - vat, 4),
  };
}

function settlementInfo(charge: ChargeRecord) {
  if (!charge.settlement) return null;
  return { settle_amount: toMajor(charge.settlement.amount, charge.currency), ...breakdown(charge, charge.settlement.amount) };
}

function refundInfo(charge: ChargeRecord) {
  if (charge.refunds.length === 0) return null;
  return charge.refunds.map((refund: RefundRecord) => ({
    refund_id: refund.id,
    refund_amount: toMajor(refund.amount, charge.currency),
    ...breakdown(charge, refund.amount),
    error_code: null,
    error_message: null,
    refund_date: kpaymentTime(refund.createdAt),
  }));
}

function dccData(charge: ChargeRecord) {
  if (!charge.dcc) return null;
  return {
    baht_amount: toMajor(charge.amount, charge.currency),
    rate: charge.dcc.rate,
    converted_amount: charge.dcc.convertedAmount,
    converted_currency_code: charge.dcc.currency,
    converted_currency_name: DCC_RATES[charge.dcc.currency].name,
    mid: charge.mid,
  };
}

/**
 * The charge object of Create Charge, Inquiry, Void, Settle and Refund (the Void table L1723–1786 plus
 * `mpi`, §10.30). On an inquiry, a 3-D Secure charge still waiting for its OTP reads `pending` (§10.24).
 */
export function chargeWire(charge: ChargeRecord, view: 'create' | 'inquiry' | 'action' = 'action') {
  const waiting = charge.state === 'Pre-Authorized' && charge.decidedAt === null;
  return {
    id: charge.id,
    object: 'charge' as const,
    amount: toMajor(charge.amount, charge.currency),
    currency: charge.currency,
    transaction_state: charge.state,
    source: sourceWire(charge.card),
    created: kpaymentTime(charge.createdAt),
    status: view === 'inquiry' && waiting ? ('pending' as const) : charge.status,
    livemode: false,
    metadata: charge.metadata,
    failure_code: charge.failureCode,
    failure_message: charge.failureMessage,
    description: charge.description,
    mpi: charge.mpi,
    redirect_url: charge.redirectUrl,
    settlement_info: settlementInfo(charge),
    refund_info: refundInfo(charge),
    approval_code: charge.approvalCode,
    multi_clearing: null,
    ref_1: charge.refs[0],
    ref_2: charge.refs[1],
    ref_3: charge.refs[2],
    dcc_data: dccData(charge),
    reference_order: charge.referenceOrder,
    campaign_id: charge.campaignId,
    convfee: null,
  };
}

/** The Refund response: the charge plus the new `refund_id` (L1999–2064). */
export function refundWire(charge: ChargeRecord, refund: RefundRecord) {
  const { refund_info, ...rest } = chargeWire(charge);
  return { ...rest, refund_id: refund.id, refund_info };
}

/**
 * The card notify payload (L3097–3168) with its checksum (decisions.md 1). `failure_code` and
 * `failure_message` are `""` when there is none, as in the guide's worked example.
 */
export function notifyWire(charge: ChargeRecord, secretKey: string) {
  const body = {
    id: charge.id,
    object: 'charge' as const,
    amount: toMajor(charge.amount, charge.currency),
    currency: charge.currency,
    transaction_state: charge.state,
    source: sourceWire(charge.card),
    created: kpaymentTime(charge.createdAt),
    status: charge.status,
    reference_order: charge.referenceOrder,
    description: charge.description,
    redirect_url: charge.redirectUrl,
    approval_code: charge.approvalCode,
    ref_1: charge.refs[0],
    ref_2: charge.refs[1],
    ref_3: charge.refs[2],
    livemode: false,
    failure_code: charge.failureCode ?? '',
    failure_message: charge.failureMessage ?? '',
    campaign_id: charge.campaignId,
    mpi: charge.mpi ? { eci: charge.mpi.eci, xid: charge.mpi.xid, cavv: charge.mpi.cavv, kbank_mpi: charge.mpi.kbank_mpi } : null,
  };
  return { ...body, checksum: kpaymentChecksum(body, secretKey) };
}

export function tokenWire(token: TokenRecord) {
  return {
    id: token.id,
    object: 'token' as const,
    livemode: false,
    used: token.chargeId !== null,
    created: kpaymentTime(token.createdAt),
    savecard: token.savecard,
    card: {
      id: token.card.id,
      brand: token.card.brand,
      name: token.card.name,
      card_masking: token.card.masking,
      expiration_month: token.card.expiryMonth,
      expiration_year: token.card.expiryYear,
    },
  };
}

/** `expired`: the end of the card's expiry month, 17 digits (§10.22). */
function expired(card: CardRecord): string {
  const lastDay = new Date(Date.UTC(card.expiryYear, card.expiryMonth, 0)).getUTCDate();
  return `${card.expiryYear}${String(card.expiryMonth).padStart(2, '0')}${String(lastDay).padStart(2, '0')}000000000`;
}

/** Create Customer lists cards with `object` and `card_masking` (L2163–2184). */
export function createdCustomerWire(customer: CustomerRecord) {
  return {
    id: customer.id,
    object: 'customer' as const,
    email: customer.email,
    name: customer.name,
    created: kpaymentTime(customer.createdAt),
    livemode: false,
    default_card: customer.defaultCardId,
    cards: customer.cards.map((card) => ({
      object: 'card' as const,
      id: card.id,
      brand: card.brand.toUpperCase(),
      name: card.name,
      card_masking: card.masking,
      expired: expired(card),
    })),
  };
}

/** Inquiry, Update and Add Card list cards with `number` (L2244–2260, §10.21). */
export function customerWire(customer: CustomerRecord) {
  return {
    id: customer.id,
    object: 'customer' as const,
    email: customer.email,
    name: customer.name,
    created: kpaymentTime(customer.createdAt),
    livemode: false,
    default_card: customer.defaultCardId,
    cards: customer.cards.map((card) => ({
      id: card.id,
      name: card.name,
      brand: card.brand.toUpperCase(),
      number: card.masking,
      expired: expired(card),
    })),
  };
}

// ── Order API and QR API ────────────────────────────────────────────────────────────────────────

/**
 * Create Order and Inquiry Order (L2638–2715): the sample's fields in its order, then the table's
 * optional ones. `source_type` echoes the request's `qr`/`wechat` (§10.19).
 */
export function orderWire(order: OrderRecord) {
  const extra = order.additionalData;
  return {
    id: order.id,
    object: 'order' as const,
    amount: toMajor(order.amount, order.currency),
    currency: order.currency,
    reference_order: order.referenceOrder,
    source_type: order.sourceType,
    description: order.description,
    status: 'success' as const,
    created: kpaymentTime(order.createdAt),
    livemode: false,
    failure_code: null,
    failure_message: null,
    expire_time_seconds: order.expireSeconds,
    customer: order.customerId ? { customer_id: order.customerId } : null,
    metadata: order.metadata ?? null,
    additional_data: {
      term: extra?.term ?? null,
      mid: extra?.mid ?? null,
      tid: extra?.tid ?? null,
      smartpay_id: extra?.smartpayId ?? null,
      campaign_id: extra?.campaignId ?? null,
    },
  };
}

function qrSource(charge: QrChargeRecord) {
  return { id: charge.qrId, object: 'qr' as const, brand: QR_BRANDS[charge.sourceType] };
}

/**
 * Inquiry QR and Void QR (the Inquiry sample's order, L2861–2880). A refused void answers the charge as
 * it is with `status: "fail"` and the QR failure code ("Authorized : Void transaction fail", L2925).
 */
export function qrChargeWire(charge: QrChargeRecord, refusal?: { code: string; message: string }) {
  return {
    id: charge.id,
    order_id: charge.orderId,
    object: 'charge' as const,
    amount: toMajor(charge.amount, charge.currency),
    currency: charge.currency,
    transaction_state: charge.state,
    source: qrSource(charge),
    created: kpaymentTime(charge.createdAt),
    status: refusal ? ('fail' as const) : charge.status,
    reference_order: charge.referenceOrder,
    description: charge.description,
    livemode: false,
    metadata: charge.metadata ?? null,
    failure_code: refusal ? refusal.code : charge.failureCode,
    failure_message: refusal ? refusal.message : charge.failureMessage,
  };
}

/** Cancel QR (L2994–3025): the QR object, `status` saying whether it was cancelled. */
export function qrCancelWire(qr: QrRecord, refusal?: { code: string; message: string }) {
  return {
    id: qr.id,
    object: 'qr' as const,
    created: kpaymentTime(qr.createdAt),
    livemode: false,
    status: refusal ? ('fail' as const) : ('success' as const),
    failure_code: refusal?.code ?? null,
    failure_message: refusal?.message ?? null,
  };
}

/** WebHook Notify for QR (§6.5.3, L3179–3204), `object: "charge"` as the table says (§10.31). */
export function qrNotifyWire(charge: QrChargeRecord, secretKey: string) {
  const body = {
    id: charge.id,
    order_id: charge.orderId,
    object: 'charge' as const,
    amount: toMajor(charge.amount, charge.currency),
    currency: charge.currency,
    transaction_state: charge.state,
    source: qrSource(charge),
    created: kpaymentTime(charge.createdAt),
    status: charge.status,
    reference_order: charge.referenceOrder,
    description: charge.description,
    livemode: false,
    failure_code: charge.failureCode ?? '',
    failure_message: charge.failureMessage ?? '',
  };
  return { ...body, checksum: kpaymentChecksum(body, secretKey) };
}

// ── Alipay and UnionPay ─────────────────────────────────────────────────────────────────────────

function redirectSource(charge: RedirectChargeRecord) {
  return {
    id: charge.redirectId,
    object: 'redirect' as const,
    brand: REDIRECT_BRANDS[charge.kind],
    card_masking: charge.unionpay && charge.decidedAt !== null ? charge.unionpay.masking : null,
    issuer_bank: null,
  };
}

/** Create Charge and Inquiry of an Alipay / UnionPay charge: the card charge's fields with the redirect source. */
export function redirectChargeWire(charge: RedirectChargeRecord) {
  return {
    id: charge.id,
    object: 'charge' as const,
    amount: toMajor(charge.amount, charge.currency),
    currency: charge.currency,
    transaction_state: charge.state,
    source: redirectSource(charge),
    created: kpaymentTime(charge.createdAt),
    status: charge.status,
    livemode: false,
    metadata: charge.metadata,
    failure_code: charge.failureCode,
    failure_message: charge.failureMessage,
    description: charge.description,
    mpi: null,
    redirect_url: charge.redirectUrl,
    settlement_info: null,
    refund_info: null,
    approval_code: charge.approvalCode,
    multi_clearing: null,
    ref_1: charge.refs[0],
    ref_2: charge.refs[1],
    ref_3: charge.refs[2],
    dcc_data: null,
    reference_order: charge.referenceOrder,
    campaign_id: null,
    convfee: null,
  };
}

/** WebHook Notify for Alipay (§6.5.4, L3254–3287); UnionPay's result goes out in the same shape. */
export function redirectNotifyWire(charge: RedirectChargeRecord, secretKey: string) {
  const { card_masking: _masking, issuer_bank: _issuer, ...source } = redirectSource(charge);
  const body = {
    id: charge.id,
    object: 'charge' as const,
    amount: toMajor(charge.amount, charge.currency),
    currency: charge.currency,
    transaction_state: charge.state,
    source,
    created: kpaymentTime(charge.createdAt),
    status: charge.status,
    reference_order: charge.referenceOrder,
    description: charge.description,
    redirect_url: charge.redirectUrl,
    ref_1: charge.refs[0],
    ref_2: charge.refs[1],
    ref_3: charge.refs[2],
    livemode: false,
    failure_code: charge.failureCode ?? '',
    failure_message: charge.failureMessage ?? '',
  };
  return { ...body, checksum: kpaymentChecksum(body, secretKey) };
}
