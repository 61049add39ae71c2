import { type OpnMethodId, getMethod } from '@payment-checkout/core';
import { FEES, LIST_DEFAULT_LIMIT } from './data.ts';
import { voidDeadline } from './rules.ts';
import type { ChargeRecord, EventRecord, RefundRecord, SourceRecord } from './state.ts';

/** Records to Opn's wire objects, with every field the seeds' samples show, in their order. */

/** `2024-03-19T09:35:01Z`: Opn's timestamps have no milliseconds. */
export function isoTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const isoOrNull = (ms: number | null) => (ms === null ? null : isoTime(ms));

export function sourceWire(source: SourceRecord, chargeStatus: string | null) {
  return {
    object: 'source' as const,
    id: source.id,
    livemode: false,
    location: `/sources/${source.id}`,
    amount: source.amount,
    barcode: null,
    bank: null,
    created_at: isoTime(source.createdAt),
    currency: source.currency,
    email: null,
    flow: 'app_redirect',
    installment_term: null,
    ip: source.ip,
    absorption_type: null,
    name: null,
    mobile_number: null,
    phone_number: null,
    platform_type: source.platformType,
    scannable_code: null,
    billing: null,
    shipping: null,
    items: [],
    references: null,
    provider_references: source.providerReference
      ? { reference_number_1: source.providerReference, reference_number_2: null }
      : null,
    store_id: null,
    store_name: null,
    terminal_id: null,
    type: source.type,
    zero_interest_installments: null,
    charge_status: chargeStatus ?? 'unknown',
    receipt_amount: null,
    discounts: [],
  };
}

export function refundWire(refund: RefundRecord) {
  return {
    object: 'refund' as const,
    id: refund.id,
    location: `/charges/${refund.chargeId}/refunds/${refund.id}`,
    amount: refund.amount,
    currency: refund.currency,
    funding_amount: refund.amount,
    funding_currency: refund.currency,
    charge: refund.chargeId,
    transaction: refund.transactionId,
    voided: refund.voided,
    status: 'closed',
    metadata: refund.metadata,
    created_at: isoTime(refund.createdAt),
  };
}

export function listWire<T>(data: T[], page: { limit: number; offset: number; total: number; order: string; from?: number; to: number; location: string }) {
  return {
    object: 'list' as const,
    data,
    limit: page.limit,
    offset: page.offset,
    total: page.total,
    location: page.location,
    order: page.order,
    from: isoTime(page.from ?? 0),
    to: isoTime(page.to),
  };
}

function money(minor: number): string {
  const major = minor / 100;
  return Number.isInteger(major) ? major.toFixed(1) : String(major);
}

function rate(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** Flags that depend on the method and on time (refundable, void window). */
export function chargeAbilities(charge: ChargeRecord, now: number) {
  const method = getMethod(charge.sourceType);
  const refunded = charge.refunds.reduce((sum, r) => sum + r.amount, 0);
  const successful = charge.status === 'successful';
  const capturable = charge.status === 'pending' && charge.authorized && !charge.capture;
  const refundable = successful && method.refundable && !charge.voided && refunded < charge.amount;
  const canVoid = refundable && method.voidable && refunded === 0 && now < voidDeadline(charge.createdAt);
  return { refunded, capturable, reversible: capturable, refundable, canVoid };
}

export function chargeWire(charge: ChargeRecord, source: SourceRecord, now: number) {
  // Sources are created only for Opn methods (methodOf), so the type always has a fee row.
  const fees = FEES[source.type as OpnMethodId][charge.currency] ?? { flat: 0, rate: 0, vat: 0 };
  const fee = Math.round(fees.flat + (charge.amount * fees.rate) / 100);
  const feeVat = Math.round((fee * fees.vat) / 100);
  const can = chargeAbilities(charge, now);
  return {
    object: 'charge' as const,
    id: charge.id,
    location: `/charges/${charge.id}`,
    amount: charge.amount,
    acquirer_reference_number: null,
    net: charge.amount - fee - feeVat,
    fee,
    fee_vat: feeVat,
    interest: 0,
    interest_vat: 0,
    funding_amount: charge.amount,
    refunded_amount: can.refunded,
    transaction_fees: { fee_flat: money(fees.flat), fee_rate: rate(fees.rate), vat_rate: rate(fees.vat) },
    platform_fee: { fixed: null, amount: null, percentage: null },
    currency: charge.currency,
    funding_currency: charge.currency,
    ip: charge.ip,
    refunds: listWire(charge.refunds.map(refundWire), {
      limit: LIST_DEFAULT_LIMIT,
      offset: 0,
      total: charge.refunds.length,
      order: 'chronological',
      to: now,
      location: `/charges/${charge.id}/refunds`,
    }),
    link: null,
    description: charge.description,
    metadata: charge.metadata,
    card: null,
    source: sourceWire(source, charge.status),
    schedule: null,
    customer: null,
    dispute: null,
    transaction: charge.transactionId,
    failure_code: charge.failureCode,
    failure_message: charge.failureMessage,
    status: charge.status,
    authorize_uri: charge.authorizeUri,
    return_uri: charge.returnUri,
    created_at: isoTime(charge.createdAt),
    paid_at: isoOrNull(charge.paidAt),
    expires_at: isoOrNull(charge.expiresAt),
    expired_at: isoOrNull(charge.expiredAt),
    reversed_at: isoOrNull(charge.reversedAt),
    zero_interest_installments: false,
    branch: null,
    terminal: null,
    device: null,
    authorized: charge.authorized,
    capturable: can.capturable,
    capture: charge.capture,
    disputable: false,
    livemode: false,
    refundable: can.refundable,
    partially_refundable: can.refundable,
    reversed: charge.status === 'reversed',
    reversible: can.reversible,
    voided: charge.voided,
    paid: charge.status === 'successful',
    expired: charge.status === 'expired',
    can_perform_void: can.canVoid,
    approval_code: null,
  };
}
export type ChargeWire = ReturnType<typeof chargeWire>;

export function eventWire(event: EventRecord) {
  return {
    object: 'event' as const,
    id: event.id,
    livemode: false,
    location: `/events/${event.id}`,
    key: event.key,
    created_at: isoTime(event.createdAt),
    data: event.data,
  };
}
