import * as z from 'zod/mini';

/** The one status machine of a payment (DESIGN.md). */
export const PaymentStatus = z.enum([
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
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

const NEXT: Record<PaymentStatus, readonly PaymentStatus[]> = {
  created: ['pending', 'authorized', 'succeeded', 'failed', 'expired', 'canceled'],
  pending: ['authorized', 'succeeded', 'failed', 'expired', 'canceled'],
  authorized: ['succeeded', 'failed', 'expired', 'canceled', 'voided'],
  succeeded: ['refunded', 'partially_refunded', 'voided'],
  partially_refunded: ['partially_refunded', 'refunded'],
  failed: [],
  expired: [],
  canceled: [],
  refunded: [],
  voided: [],
};

/** Whether a payment may move from one status to another. Moves are monotonic: nothing goes back. */
export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return NEXT[from].includes(to);
}

/** No shopper-side event can move a payment out of these. */
export function isFinal(status: PaymentStatus): boolean {
  return ['succeeded', 'failed', 'expired', 'canceled', 'refunded', 'partially_refunded', 'voided'].includes(status);
}

/** The money was taken (even if later returned by a merchant operation). */
export function isPaid(status: PaymentStatus): boolean {
  return ['succeeded', 'refunded', 'partially_refunded', 'voided'].includes(status);
}

/** Opn charge state to our status; `reversed` is an authorization released before capture. */
export function statusFromOpnCharge(charge: {
  status: 'pending' | 'successful' | 'failed' | 'expired' | 'reversed';
  authorized?: boolean;
  capturable?: boolean;
  voided?: boolean;
  refunded_amount?: number;
  amount?: number;
}): PaymentStatus {
  switch (charge.status) {
    case 'pending':
      return charge.authorized && charge.capturable ? 'authorized' : 'pending';
    case 'successful':
      if (charge.voided) return 'voided';
      if (charge.refunded_amount && charge.amount && charge.refunded_amount >= charge.amount) return 'refunded';
      if (charge.refunded_amount) return 'partially_refunded';
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'expired':
      return 'expired';
    case 'reversed':
      return 'canceled';
  }
}
