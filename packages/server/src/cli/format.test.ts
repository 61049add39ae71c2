import { describe, expect, it } from 'vitest';
import { describeEvent, formatAmount, formatPaymentDetail, formatTable, formatTime } from './format.ts';
import type { PaymentDetail } from '../services/operations.ts';

describe('what payments prints', () => {
  it('writes minor units as grouped major units with the currency code', () => {
    expect(formatAmount(150_000, 'THB')).toBe('1,500.00 THB');
    expect(formatAmount(5, 'THB')).toBe('0.05 THB');
    expect(formatAmount(123_456_789, 'SGD')).toBe('1,234,567.89 SGD');
    expect(formatAmount(1_500, 'JPY')).toBe('1,500 JPY');
    expect(formatAmount(999, 'JPY')).toBe('999 JPY');
    expect(formatAmount(Number.MAX_SAFE_INTEGER, 'USD')).toBe('90,071,992,547,409.91 USD');
  });

  it('aligns columns, right-aligned where asked, without trailing spaces', () => {
    const table = formatTable(['ID', 'AMOUNT', 'NOTE'], [['a', '1.00 THB', ''], ['bbb', '1,500.00 THB', 'x']], ['left', 'right', 'left']);
    expect(table.split('\n')).toEqual(['ID         AMOUNT  NOTE', 'a        1.00 THB', 'bbb  1,500.00 THB  x']);
  });

  it('says a payment that paid its order twice needs a refund until the money is back (voided, refunded)', () => {
    const detail = (status: string) =>
      ({
        payment: { id: `pay_${'1'.repeat(32)}`, orderId: 'o-1', method: 'wallet_a', gateway: 'gateway_a', platform: null, status, amount: 150_000, currency: 'THB', refundedAmount: 0, settledAmount: null, chargeId: null, sourceId: null, failureCode: null, failureMessage: null, needsRefund: true, supersededBy: null, createdAt: '2031-02-01T00:00:00.000Z', updatedAt: '2031-02-01T00:00:00.000Z' },
        operations: [],
        events: [],
      }) as unknown as PaymentDetail;
    expect(formatPaymentDetail(detail('succeeded'))).toMatch(/^Needs refund\s+yes: it succeeded after its order was paid otherwise$/m);
    expect(formatPaymentDetail(detail('partially_refunded'))).toMatch(/^Needs refund\s+yes:/m);
    expect(formatPaymentDetail(detail('voided'))).toMatch(/^Needs refund\s+no longer: voided$/m);
    expect(formatPaymentDetail(detail('refunded'))).toMatch(/^Needs refund\s+no longer: refunded$/m);
  });

  it('shortens times and writes an event detail in a line, amounts in the payment currency', () => {
    expect(formatTime('2031-02-01T00:01:00.000Z')).toBe('2031-02-01 00:01:00Z');
    const event = { id: 1, paymentId: `pay_${'0'.repeat(32)}`, at: '2031-02-01T00:01:00.000Z', source: 'operations', type: 'operation_requested', fromStatus: null, toStatus: null } as const;
    expect(describeEvent({ ...event, detail: { operation: 'refund', by: 'ops-alice', amount: 1_000, reason: 'broken cup', gatewayCode: null } }, 'THB')).toBe(
      'operation=refund by=ops-alice amount=10.00 THB reason="broken cup"',
    );
    expect(describeEvent({ ...event, type: 'status_changed', fromStatus: 'succeeded', toStatus: 'partially_refunded', detail: { refundedAmount: 1_000 } }, 'JPY')).toBe(
      'succeeded → partially_refunded refundedAmount=1,000 JPY',
    );
  });
});
