import { describe, expect, it } from 'vitest';
import { canTransition, isFinal, isPaid, PaymentStatus } from './status.ts';

describe('payment status machine', () => {
  it('moves forward only', () => {
    expect(canTransition('created', 'pending')).toBe(true);
    expect(canTransition('pending', 'succeeded')).toBe(true);
    expect(canTransition('succeeded', 'pending')).toBe(false);
    expect(canTransition('succeeded', 'failed')).toBe(false);
    expect(canTransition('failed', 'succeeded')).toBe(false);
    // Only for a payment the companion ended itself; the server's status machine refuses the others.
    expect(canTransition('expired', 'succeeded')).toBe(true);
    expect(canTransition('expired', 'failed')).toBe(false);
    expect(canTransition('succeeded', 'refunded')).toBe(true);
    expect(canTransition('authorized', 'canceled')).toBe(true);
  });

  it('never leaves a final status for pending', () => {
    for (const status of PaymentStatus.options.filter(isFinal)) {
      expect(canTransition(status, 'pending'), status).toBe(false);
      expect(canTransition(status, 'created'), status).toBe(false);
    }
  });

  it('counts refunds and voids as money once taken', () => {
    expect(isPaid('succeeded')).toBe(true);
    expect(isPaid('voided')).toBe(true);
    expect(isPaid('pending')).toBe(false);
    expect(isPaid('failed')).toBe(false);
  });
});
