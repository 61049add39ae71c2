import { canTransition } from '@payment-checkout/core';
import { type NewPayment, type NewPaymentEvent, type PaymentSearch, type PaymentChange, type PaymentEvent, type PaymentPatch, PaymentRecord, type ReconcileSchedule, StoreConflictError, type StoreConflictCode } from './store.ts';
import { CardRegistration, ShopperCustomer } from './card-store.ts';

/**
 * The row shapes both SQL stores share (SQLite and PostgreSQL have the same tables and column names), and
 * their mapping to and from the records of store.ts. What goes in is checked with the record schemas (a new
 * payment, a patch); what comes back is only mapped: the store wrote it from a checked record, the schema's
 * constraints hold it, and parsing every row read was a tenth of a create's CPU (issue 12).
 */

export interface PaymentRow {
  id: string;
  order_id: string;
  method: string;
  gateway: string;
  /** PostgreSQL's bigint arrives as a string. */
  amount: number | string;
  currency: string;
  platform: string | null;
  charge_id: string | null;
  source_id: string | null;
  status: string;
  failure_code: string | null;
  failure_message: string | null;
  return_token: string;
  authorize_uri: string | null;
  superseded_by: string | null;
  /** SQLite has no booleans: 0 or 1 there. */
  needs_refund: boolean | number;
  /** PostgreSQL's bigint arrives as a string. */
  refunded_amount: number | string;
  settled_amount: number | string | null;
  charged_amount: number | string | null;
  charged_currency: string | null;
  installment_term: number | null;
  charge_created_at: string | null;
  created_at: string;
  updated_at: string;
}

export const PAYMENT_COLUMNS = [
  'id', 'order_id', 'method', 'gateway', 'amount', 'currency', 'platform', 'charge_id', 'source_id', 'status',
  'failure_code', 'failure_message', 'return_token', 'authorize_uri', 'superseded_by', 'needs_refund', 'refunded_amount',
  'settled_amount', 'charged_amount', 'charged_currency', 'installment_term', 'charge_created_at', 'created_at', 'updated_at',
] as const satisfies readonly (keyof PaymentRow)[];

/** The reconciler's columns of a payment (not part of the record: nothing but the reconciler reads them). */
export interface ScheduleRow {
  reconcile_after: string | null;
  reconcile_attempts: number;
}

export const scheduleFromRow = (r: ScheduleRow): ReconcileSchedule => ({ nextCheckAt: r.reconcile_after, attempts: Number(r.reconcile_attempts) });

/** A new payment's full record: nothing superseded, flagged, refunded, settled or converted yet. */
export function newPaymentRecord(payment: NewPayment): PaymentRecord {
  return PaymentRecord.parse({
    ...payment,
    supersededBy: payment.supersededBy ?? null,
    needsRefund: payment.needsRefund ?? false,
    refundedAmount: 0,
    settledAmount: null,
    chargedAmount: null,
    chargedCurrency: null,
    installmentTerm: null,
    chargeCreatedAt: null,
    updatedAt: payment.createdAt,
  });
}

/**
 * A decision applied to the row it was made on: the record after it and the fields that changed. A status
 * move core's transition rule forbids is refused here, inside the caller's transaction.
 */
export function applyChange(before: PaymentRecord, change: PaymentChange<unknown>, at: string): { after: PaymentRecord; fields: string[] } {
  if (change.status !== undefined && change.status !== before.status && !canTransition(before.status, change.status)) {
    throw new StoreConflictError('invalid_transition', `payment ${before.id} cannot move from ${before.status} to ${change.status}`);
  }
  if ('status' in change.patch) throw new Error('a patch cannot carry a status: only the status writer moves it, through PaymentChange.status');
  // Only what changes is checked: `before` is a stored record already.
  const { updatedAt, ...patch } = PatchedFields.parse(change.status === undefined ? { ...change.patch, updatedAt: at } : { ...change.patch, status: change.status, updatedAt: at });
  return { after: { ...before, ...patch, updatedAt: updatedAt! }, fields: Object.keys(patch) };
}

/** The fields an update may patch (the status only through `PaymentChange.status`), and their columns. */
export const PATCH_COLUMNS: Record<string, keyof PaymentRow> = {
  status: 'status',
  failureCode: 'failure_code',
  failureMessage: 'failure_message',
  chargeId: 'charge_id',
  sourceId: 'source_id',
  authorizeUri: 'authorize_uri',
  supersededBy: 'superseded_by',
  needsRefund: 'needs_refund',
  refundedAmount: 'refunded_amount',
  settledAmount: 'settled_amount',
  chargedAmount: 'charged_amount',
  chargedCurrency: 'charged_currency',
  installmentTerm: 'installment_term',
  chargeCreatedAt: 'charge_created_at',
};

/** The fields a change may write (the patchable ones, the status and the time), each checked with the record's schema. */
const PatchedFields = PaymentRecord.pick({
  status: true, failureCode: true, failureMessage: true, chargeId: true, sourceId: true, authorizeUri: true, supersededBy: true, needsRefund: true,
  refundedAmount: true, settledAmount: true, chargedAmount: true, chargedCurrency: true, installmentTerm: true, chargeCreatedAt: true, updatedAt: true,
} satisfies Record<keyof PaymentPatch | 'status' | 'updatedAt', true>).partial();

export function paymentToRow(p: PaymentRecord): PaymentRow {
  return {
    id: p.id,
    order_id: p.orderId,
    method: p.method,
    gateway: p.gateway,
    amount: p.amount,
    currency: p.currency,
    platform: p.platform,
    charge_id: p.chargeId,
    source_id: p.sourceId,
    status: p.status,
    failure_code: p.failureCode,
    failure_message: p.failureMessage,
    return_token: p.returnToken,
    authorize_uri: p.authorizeUri,
    superseded_by: p.supersededBy,
    needs_refund: p.needsRefund,
    refunded_amount: p.refundedAmount,
    settled_amount: p.settledAmount,
    charged_amount: p.chargedAmount,
    charged_currency: p.chargedCurrency,
    installment_term: p.installmentTerm,
    charge_created_at: p.chargeCreatedAt,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

/** A stored row as its record: mapped, not parsed (see above); PostgreSQL's bigints become numbers. */
export function paymentFromRow(r: PaymentRow): PaymentRecord {
  return {
    id: r.id,
    orderId: r.order_id,
    method: r.method as PaymentRecord['method'],
    gateway: r.gateway as PaymentRecord['gateway'],
    amount: Number(r.amount),
    currency: r.currency as PaymentRecord['currency'],
    platform: r.platform as PaymentRecord['platform'],
    chargeId: r.charge_id,
    sourceId: r.source_id,
    status: r.status as PaymentRecord['status'],
    failureCode: r.failure_code,
    failureMessage: r.failure_message,
    returnToken: r.return_token,
    authorizeUri: r.authorize_uri,
    supersededBy: r.superseded_by,
    needsRefund: r.needs_refund === true || r.needs_refund === 1,
    refundedAmount: Number(r.refunded_amount),
    settledAmount: r.settled_amount === null ? null : Number(r.settled_amount),
    chargedAmount: r.charged_amount === null ? null : Number(r.charged_amount),
    chargedCurrency: r.charged_currency as PaymentRecord['chargedCurrency'],
    installmentTerm: r.installment_term,
    chargeCreatedAt: r.charge_created_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export interface EventRow {
  /** PostgreSQL's bigserial arrives as a string. */
  id: number | string;
  payment_id: string;
  at: string;
  source: string;
  type: string;
  from_status: string | null;
  to_status: string | null;
  /** JSON text in SQLite, jsonb in PostgreSQL. */
  detail: string | Record<string, unknown> | null;
}

/** A stored event as its record: mapped, not parsed (the store wrote it). */
export function eventFromRow(r: EventRow): PaymentEvent {
  return {
    id: Number(r.id),
    paymentId: r.payment_id,
    at: r.at,
    source: r.source as PaymentEvent['source'],
    type: r.type as PaymentEvent['type'],
    fromStatus: r.from_status as PaymentEvent['fromStatus'],
    toStatus: r.to_status as PaymentEvent['toStatus'],
    detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
  };
}

/** An event's `from_status, to_status, detail` (JSON text): a status change is from the payment's status unless it says otherwise. */
export function eventColumns(event: NewPaymentEvent, currentStatus: string | null): [string | null, string | null, string | null] {
  return [
    event.fromStatus !== undefined ? event.fromStatus : event.toStatus ? currentStatus : null,
    event.toStatus ?? null,
    event.detail ? JSON.stringify(event.detail) : null,
  ];
}

/** The error for a write that broke one of the order invariants (a second live or a second paying payment). */
export function orderConflictError(code: StoreConflictCode): StoreConflictError {
  return new StoreConflictError(code, code === 'order_already_paid' ? 'another payment already paid this order' : 'the order already has a live payment');
}

export interface CustomerRow {
  gateway: string;
  shopper_id: string;
  customer_id: string;
  created_at: string;
  updated_at: string;
}

/**
 * The `customer_id` of a shopper whose customer is being created (`claimShopperCustomer`): `updated_at` is the
 * claim's time. Never a customer: both stores read such a row as no customer.
 */
export const CUSTOMER_CLAIMED = '';

export function customerFromRow(r: CustomerRow): ShopperCustomer {
  return ShopperCustomer.parse({ gateway: r.gateway, shopperId: r.shopper_id, customerId: r.customer_id, createdAt: r.created_at, updatedAt: r.updated_at });
}

export const REGISTRATION_COLUMNS = [
  'id', 'gateway', 'order_id', 'shopper_id', 'return_token', 'card_token', 'charge_id', 'status',
  'failure_code', 'failure_message', 'customer_id', 'created_at', 'updated_at',
] as const;
export type RegistrationRow = Record<(typeof REGISTRATION_COLUMNS)[number], string | null>;

export function registrationToRow(r: CardRegistration): RegistrationRow {
  return {
    id: r.id,
    gateway: r.gateway,
    order_id: r.orderId,
    shopper_id: r.shopperId,
    return_token: r.returnToken,
    card_token: r.cardToken,
    charge_id: r.chargeId,
    status: r.status,
    failure_code: r.failureCode,
    failure_message: r.failureMessage,
    customer_id: r.customerId,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export function registrationFromRow(r: RegistrationRow): CardRegistration {
  return CardRegistration.parse({
    id: r.id,
    gateway: r.gateway,
    orderId: r.order_id,
    shopperId: r.shopper_id,
    returnToken: r.return_token,
    cardToken: r.card_token,
    chargeId: r.charge_id,
    status: r.status,
    failureCode: r.failure_code,
    failureMessage: r.failure_message,
    customerId: r.customer_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
}

/**
 * The WHERE clause and ORDER BY of `searchPayments`, for both SQL stores (`param` writes a placeholder and
 * keeps its value): the filters, then the keyset — newest first by (created_at, id), after the cursor's row.
 */
export function searchSql(query: PaymentSearch, param: (value: unknown) => string): string {
  const where: string[] = [];
  const filters: [keyof PaymentSearch, string][] = [['orderId', 'order_id'], ['status', 'status'], ['method', 'method'], ['gateway', 'gateway']];
  for (const [field, column] of filters) if (query[field] !== undefined) where.push(`${column} = ${param(query[field])}`);
  if (query.createdFrom !== undefined) where.push(`created_at >= ${param(query.createdFrom)}`);
  if (query.createdTo !== undefined) where.push(`created_at < ${param(query.createdTo)}`);
  if (query.after) {
    where.push(`(created_at < ${param(query.after.createdAt)} OR (created_at = ${param(query.after.createdAt)} AND id < ${param(query.after.id)}))`);
  }
  return `${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ${param(query.limit)}`;
}
