import * as z from 'zod/mini';

/** Every status of a payment, in the order of its life (DESIGN.md). */
export const PAYMENT_STATUSES = [
  'created',
  'pending',
  'authorized',
  'succeeded',
  'failed',
  'expired',
  'canceled',
  'refunded',
  'partially_refunded',
  'voided',
] as const;

/**
 * The schema of a status. The browser imports this module for the status groupings below: marked pure, so that a
 * bundle that does not validate statuses (the element's) drops it and zod with it.
 */
export const PaymentStatus = /* @__PURE__ */ z.enum(PAYMENT_STATUSES);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

const NEXT: Record<PaymentStatus, readonly PaymentStatus[]> = {
  created: ['pending', 'authorized', 'succeeded', 'failed', 'expired', 'canceled'],
  pending: ['authorized', 'succeeded', 'failed', 'expired', 'canceled'],
  authorized: ['succeeded', 'failed', 'expired', 'canceled', 'voided'],
  succeeded: ['refunded', 'partially_refunded', 'voided'],
  partially_refunded: ['partially_refunded', 'refunded'],
  failed: [],
  // A payment the companion ended itself (`payment_abandoned`: left on a hosted page the gateway never ends) may
  // still be paid there: the gateway's later word is kept. The status machine refuses it for any other expiry.
  expired: ['succeeded'],
  canceled: [],
  refunded: [],
  voided: [],
};

/** Whether a payment may move from one status to another. Moves are monotonic: nothing goes back. */
export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return NEXT[from].includes(to);
}

// The groupings of statuses, written once: every package (and the stores' SQL) asks these.
/** Still waiting for the shopper or the gateway. */
export const LIVE_STATUSES = ['created', 'pending', 'authorized'] as const satisfies readonly PaymentStatus[];
/** The money was taken (even if later returned). */
export const PAID_STATUSES = ['succeeded', 'refunded', 'partially_refunded', 'voided'] as const satisfies readonly PaymentStatus[];
/** Over without money taken. */
export const ENDED_UNPAID_STATUSES = ['failed', 'expired', 'canceled'] as const satisfies readonly PaymentStatus[];

/** Still waiting for the shopper or the gateway: the gateway may still change it. */
export function isLive(status: PaymentStatus): boolean {
  return (LIVE_STATUSES as readonly PaymentStatus[]).includes(status);
}

/** No shopper-side event can move a payment out of these. */
export function isFinal(status: PaymentStatus): boolean {
  return !isLive(status);
}

/** The money was taken (even if later returned by a merchant operation). */
export function isPaid(status: PaymentStatus): boolean {
  return (PAID_STATUSES as readonly PaymentStatus[]).includes(status);
}

/** Over without money taken: failed, expired or canceled (the payment's failure code says why). */
export function isEndedUnpaid(status: PaymentStatus): boolean {
  return (ENDED_UNPAID_STATUSES as readonly PaymentStatus[]).includes(status);
}

/** The money taken was all given back: voided, or refunded in full. */
export function isMoneyReturned(status: PaymentStatus): boolean {
  return status === 'voided' || status === 'refunded';
}
