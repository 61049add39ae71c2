import { z } from 'zod';
import type { PaymentStatus } from '../../status.ts';

/**
 * K-Payment Gateway wire objects, as far as the product reads them (seed 003; shared/spec/kpayment-gateway.md).
 * Lenient where the guide's samples vary (§10): decimal amounts arrive as numbers or strings, optional
 * fields may be absent or null, the `transaction_state` vocabulary is compared case-insensitively.
 */

/** A decimal in major units, as a JSON number (`200.50`) or a string (`"200.50"`). */
const Decimal = z.union([z.number(), z.string().trim().regex(/^-?\d+(\.\d+)?$/)]);
const Text = z.string().nullable().optional();

export const KpaymentTransactionStates = [
  'Initialize',
  'Pre-Authorized',
  'Authorized',
  'Declined',
  'Reversed',
  'Voided',
  'Captured',
  'Settled',
  'Refund Sent',
  'Refunded',
  'Partial Refund',
] as const;
export type KpaymentTransactionState = (typeof KpaymentTransactionStates)[number];

/** The guide's `transaction_state` in its canonical spelling; `VOID` is `Voided` (decisions.md 6); unknown → null. */
export function kpaymentState(value: string): KpaymentTransactionState | null {
  const key = value.trim().toLowerCase().replace(/[\s_-]+/g, '');
  if (key === 'void') return 'Voided';
  return KpaymentTransactionStates.find((s) => s.toLowerCase().replace(/[\s_-]+/g, '') === key) ?? null;
}

export const KpaymentCardSource = z.object({
  id: z.string(),
  object: z.string().optional(),
  brand: Text,
  card_masking: Text,
  issuer_bank: Text,
});

const MoneyBreakdown = z.object({ settle_amount: Decimal.optional(), settlement_amount: Decimal.optional(), refund_amount: Decimal.optional() }).passthrough();

/** The charge object of Create Charge, Inquiry, Void, Settle and Refund (§3.1–3.5). */
export const KpaymentCharge = z.object({
  id: z.string().regex(/^chrg_[A-Za-z0-9_]+$/, 'a K-Payment charge id (chrg_…)'),
  object: z.literal('charge'),
  amount: Decimal,
  currency: z.string().transform((c) => c.toUpperCase()),
  transaction_state: z.string(),
  source: KpaymentCardSource.nullable().optional(),
  created: z.string().optional(),
  status: z.string().transform((s) => s.toLowerCase()),
  livemode: z.boolean().optional(),
  failure_code: Text,
  failure_message: Text,
  description: Text,
  redirect_url: Text,
  reference_order: Text,
  /** QR charges (Inquiry QR, Void QR): the Order API order the QR belonged to. */
  order_id: Text,
  approval_code: Text,
  settlement_info: MoneyBreakdown.nullable().optional(),
  refund_info: z.array(MoneyBreakdown).nullable().optional(),
  refund_id: Text,
  dcc_data: z
    .object({ converted_amount: Decimal.optional(), converted_currency_code: Text, rate: Decimal.optional() })
    .passthrough()
    .nullable()
    .optional(),
  campaign_id: Text,
});
export type KpaymentCharge = z.infer<typeof KpaymentCharge>;

/** A saved card in a customer object: Create Customer says `card_masking`, the others `number` (§10.21). */
export const KpaymentSavedCard = z
  .object({
    id: z.string(),
    object: z.string().optional(),
    brand: Text,
    name: Text,
    card_masking: Text,
    number: Text,
    expired: Text,
  })
  .transform(({ card_masking, number, ...card }) => ({ ...card, masked: card_masking ?? number ?? null }));

export const KpaymentCustomer = z.object({
  id: z.string().regex(/^cust_[A-Za-z0-9_]+$/, 'a K-Payment customer id (cust_…)'),
  object: z.literal('customer'),
  email: Text,
  name: Text,
  created: Text,
  livemode: z.boolean().optional(),
  default_card: Text,
  cards: z.array(KpaymentSavedCard).default([]),
});
export type KpaymentCustomer = z.infer<typeof KpaymentCustomer>;

/** Delete Customer answers the customer, Delete Card the card (the table and the sample differ, §10.20). */
export const KpaymentDeleted = z.object({ id: z.string(), object: z.string(), deleted: z.boolean(), livemode: z.boolean().optional() });
export type KpaymentDeleted = z.infer<typeof KpaymentDeleted>;

export const KpaymentError = z.object({ object: z.literal('error'), code: z.string(), message: z.string().nullable().optional() });
export type KpaymentError = z.infer<typeof KpaymentError>;

/** The card notify body (§6.3), as far as the checksum and the charge id go; its status is never trusted. */
export const KpaymentNotify = z.object({
  id: z.string().regex(/^chrg_[A-Za-z0-9_]+$/, 'a K-Payment charge id (chrg_…)'),
  amount: Decimal,
  currency: z.string().min(1),
  status: z.string(),
  transaction_state: z.string(),
  failure_code: z.string().nullable().optional(),
  /** Outside the checksum: a hint of which payment the charge is for (the merchant's `reference_order`), never proof. */
  reference_order: Text,
  /** The QR notify's order (§6.4); outside the checksum too. */
  order_id: Text,
  checksum: z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 checksum in hex'),
});
export type KpaymentNotify = z.infer<typeof KpaymentNotify>;

/** Create Order and Inquiry Order (§3.7). `source_type` is compared loosely: the guide's samples answer `card` for a `qr` order (§10.19). */
export const KpaymentOrder = z.object({
  id: z.string().regex(/^[A-Za-z0-9_]{1,100}$/, 'a K-Payment order id'),
  object: z.literal('order'),
  amount: Decimal,
  currency: z.string().transform((c) => c.toUpperCase()),
  reference_order: Text,
  source_type: Text,
  description: Text,
  status: z.string().transform((s) => s.toLowerCase()),
  created: Text,
  livemode: z.boolean().optional(),
  failure_code: Text,
  failure_message: Text,
  /** Mandatory in the answer ("Order expire time", sample 3600); a string is read as a number. */
  expire_time_seconds: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,7}$/).transform(Number)]).nullable().optional(),
});
export type KpaymentOrder = z.infer<typeof KpaymentOrder>;

/** Cancel QR (§3.8): the QR object, `status` saying whether it was cancelled. */
export const KpaymentQrCancel = z.object({
  id: z.string(),
  object: z.literal('qr'),
  status: z.string().transform((s) => s.toLowerCase()),
  created: Text,
  livemode: z.boolean().optional(),
  failure_code: Text,
  failure_message: Text,
});
export type KpaymentQrCancel = z.infer<typeof KpaymentQrCancel>;

const BANGKOK_OFFSET_MS = 7 * 3_600_000;

/** The Bangkok day of an instant, `YYYYMMDD`: K-Payment's `transaction_date`, and the day its rules go by. */
export function kpaymentDay(epochMs: number): string {
  return new Date(epochMs + BANGKOK_OFFSET_MS).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * A K-Payment `created` time (`YYYYMMDDHHmmSSsss`, Bangkok time; 14 to 18 digits occur, §10.22) as epoch
 * milliseconds, or null when it is not one.
 */
export function kpaymentTimeToEpochMs(value: string | null | undefined): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{0,4})$/.exec(value?.trim() ?? '');
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const ms = Number((m[7] + '000').slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - BANGKOK_OFFSET_MS;
}

/**
 * A K-Payment decimal (at most four places: Decimal(14,4)) as a whole number of ten-thousandths, so that amounts add
 * and compare exactly (0.01 + 49.98 is 49.99, which it is not in floating point).
 */
const tenThousandths = (value: string | number | undefined): number => Math.round(Number(value ?? 0) * 10_000);

/** What was refunded of a charge, in major units (`refund_amount`, or `settle_amount` in the inquiry sample, §10.29). */
export function kpaymentRefunded(charge: Pick<KpaymentCharge, 'refund_info'>): number {
  return (charge.refund_info ?? []).reduce((sum, r) => sum + tenThousandths(r.refund_amount ?? r.settle_amount), 0) / 10_000;
}

/**
 * K-Payment charge state to our status (digest §5). Only `Authorized` + `success` is paid (§5.4); after it,
 * Captured and Settled are still paid, Voided is voided, refunds are refunded or partially refunded.
 * `Pre-Authorized` waits for 3-D Secure unless its status is `fail` (a failed authentication).
 * Register-3D charges end `Voided` + `success`: the caller treats those as a verified card, not a payment.
 */
export function statusFromKpaymentCharge(charge: Pick<KpaymentCharge, 'transaction_state' | 'status' | 'amount' | 'refund_info' | 'settlement_info'>): PaymentStatus {
  const state = kpaymentState(charge.transaction_state);
  const status = charge.status.toLowerCase();
  switch (state) {
    case 'Initialize':
      return status === 'fail' ? 'failed' : 'pending';
    case 'Pre-Authorized':
      return status === 'fail' ? 'failed' : 'pending';
    case 'Authorized':
      return status === 'success' ? 'succeeded' : status === 'fail' ? 'failed' : 'pending';
    case 'Captured':
    case 'Settled':
      return 'succeeded';
    case 'Declined':
    case 'Reversed':
      return 'failed';
    case 'Voided':
      return 'voided';
    case 'Refunded':
      return 'refunded';
    case 'Partial Refund':
      return 'partially_refunded';
    case 'Refund Sent': {
      // A charge settled for less than its amount took only what was settled: refunding that refunds it all.
      const settled = charge.settlement_info?.settle_amount ?? charge.settlement_info?.settlement_amount;
      return tenThousandths(kpaymentRefunded(charge)) >= tenThousandths(settled ?? charge.amount) ? 'refunded' : 'partially_refunded';
    }
    case null:
      return 'pending';
  }
}
