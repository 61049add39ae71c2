import type { PaymentStatus } from '../../status.ts';

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
