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

/*
 * The charge objects of cards, QR and Alipay / UnionPay, and their notifies, share their fields, in the same
 * order. Parameters are `Readonly<T>` so that each field keeps its record's own type (a redirect's `mpi: null`).
 */

/** What every charge object has after `id` (and QR's `order_id`). */
function chargeHead<Charge extends ChargeRecord | QrChargeRecord | RedirectChargeRecord, Source, Status>(
  charge: Readonly<Charge>,
  source: Source,
  status: Status,
) {
  return {
    object: 'charge' as const,
    amount: toMajor(charge.amount, charge.currency),
    currency: charge.currency,
    transaction_state: charge.state,
    source,
    created: kpaymentTime(charge.createdAt),
    status,
  };
}

function refFields(charge: { refs: [string | null, string | null, string | null] }) {
  return { ref_1: charge.refs[0], ref_2: charge.refs[1], ref_3: charge.refs[2] };
}

/** The notifies send `""` rather than null when there is no failure, as in the guide's worked example. */
function notifyFailure(charge: { failureCode: string | null; failureMessage: string | null }) {
  return { failure_code: charge.failureCode ?? '', failure_message: charge.failureMessage ?? '' };
}

function signed<Body extends Parameters<typeof kpaymentChecksum>[0]>(body: Body, secretKey: string) {
  return { ...body, checksum: kpaymentChecksum(body, secretKey) };
}

interface CardOnlyFields {
  mpi: ChargeRecord['mpi'];
  settlement_info: ReturnType<typeof settlementInfo>;
  refund_info: ReturnType<typeof refundInfo>;
  dcc_data: ReturnType<typeof dccData>;
  campaign_id: string | null;
}

/** The charge object of a card or a redirect charge; `card` holds the fields only a card charge fills. */
function chargeObject<Charge extends ChargeRecord | RedirectChargeRecord, Source, Status, Card extends CardOnlyFields>(
  charge: Readonly<Charge>,
  source: Source,
  status: Status,
  card: Readonly<Card>,
) {
  return {
    id: charge.id,
    ...chargeHead(charge, source, status),
    livemode: false,
    metadata: charge.metadata,
    failure_code: charge.failureCode,
    failure_message: charge.failureMessage,
    description: charge.description,
    mpi: card.mpi,
    redirect_url: charge.redirectUrl,
    settlement_info: card.settlement_info,
    refund_info: card.refund_info,
    approval_code: charge.approvalCode,
    multi_clearing: null,
    ...refFields(charge),
    dcc_data: card.dcc_data,
    reference_order: charge.referenceOrder,
    campaign_id: card.campaign_id,
    convfee: null,
  };
}

/**
 * The charge object of Create Charge, Inquiry, Void, Settle and Refund (the Void table L1723–1786 plus
 * `mpi`, §10.30). On an inquiry, a 3-D Secure charge still waiting for its OTP reads `pending` (§10.24).
 */
export function chargeWire(charge: ChargeRecord, view: 'create' | 'inquiry' | 'action' = 'action') {
  const waiting = charge.state === 'Pre-Authorized' && charge.decidedAt === null;
  return chargeObject(charge, sourceWire(charge.card), view === 'inquiry' && waiting ? ('pending' as const) : charge.status, {
    mpi: charge.mpi,
    settlement_info: settlementInfo(charge),
    refund_info: refundInfo(charge),
    dcc_data: dccData(charge),
    campaign_id: charge.campaignId,
  });
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
  return signed(
    {
      id: charge.id,
      ...chargeHead(charge, sourceWire(charge.card), charge.status),
      reference_order: charge.referenceOrder,
      description: charge.description,
      redirect_url: charge.redirectUrl,
      approval_code: charge.approvalCode,
      ...refFields(charge),
      livemode: false,
      ...notifyFailure(charge),
      campaign_id: charge.campaignId,
      mpi: charge.mpi ? { eci: charge.mpi.eci, xid: charge.mpi.xid, cavv: charge.mpi.cavv, kbank_mpi: charge.mpi.kbank_mpi } : null,
    },
    secretKey,
  );
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

function customerHead(customer: CustomerRecord) {
  return {
    id: customer.id,
    object: 'customer' as const,
    email: customer.email,
    name: customer.name,
    created: kpaymentTime(customer.createdAt),
    livemode: false,
    default_card: customer.defaultCardId,
  };
}

/** Create Customer lists cards with `object` and `card_masking` (L2163–2184). */
export function createdCustomerWire(customer: CustomerRecord) {
  return {
    ...customerHead(customer),
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
    ...customerHead(customer),
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
    ...chargeHead(charge, qrSource(charge), refusal ? ('fail' as const) : charge.status),
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
  return signed(
    {
      id: charge.id,
      order_id: charge.orderId,
      ...chargeHead(charge, qrSource(charge), charge.status),
      reference_order: charge.referenceOrder,
      description: charge.description,
      livemode: false,
      ...notifyFailure(charge),
    },
    secretKey,
  );
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
  return chargeObject(charge, redirectSource(charge), charge.status, { mpi: null, settlement_info: null, refund_info: null, dcc_data: null, campaign_id: null });
}

/** WebHook Notify for Alipay (§6.5.4, L3254–3287); UnionPay's result goes out in the same shape. */
export function redirectNotifyWire(charge: RedirectChargeRecord, secretKey: string) {
  const { card_masking: _masking, issuer_bank: _issuer, ...source } = redirectSource(charge);
  return signed(
    {
      id: charge.id,
      ...chargeHead(charge, source, charge.status),
      reference_order: charge.referenceOrder,
      description: charge.description,
      redirect_url: charge.redirectUrl,
      ...refFields(charge),
      livemode: false,
      ...notifyFailure(charge),
    },
    secretKey,
  );
}
