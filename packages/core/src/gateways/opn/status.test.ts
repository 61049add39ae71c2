import { describe, expect, it } from 'vitest';
import { statusFromOpnCharge } from './status.ts';

describe('Opn charge status', () => {
  it('maps Opn charge states', () => {
    expect(statusFromOpnCharge({ status: 'pending' })).toBe('pending');
    expect(statusFromOpnCharge({ status: 'pending', authorized: true, capturable: true })).toBe('authorized');
    expect(statusFromOpnCharge({ status: 'successful', amount: 100, refunded_amount: 0 })).toBe('succeeded');
    expect(statusFromOpnCharge({ status: 'successful', amount: 100, refunded_amount: 40 })).toBe('partially_refunded');
    expect(statusFromOpnCharge({ status: 'successful', amount: 100, refunded_amount: 100 })).toBe('refunded');
    expect(statusFromOpnCharge({ status: 'successful', voided: true })).toBe('voided');
    expect(statusFromOpnCharge({ status: 'failed' })).toBe('failed');
    expect(statusFromOpnCharge({ status: 'expired' })).toBe('expired');
    expect(statusFromOpnCharge({ status: 'reversed' })).toBe('canceled');
  });
});
