import { describe, expect, it } from 'vitest';
import { storedPayment } from '../gateway-contract-kit.ts';
import type { PaymentEvent, PaymentRecord } from '../../store/store.ts';
import { kpaymentOperationRules, transactionDateFor } from './kpayment-operations.ts';

/** The seeds' operation rules as pure functions of the payment, its log and the time (no gateway needed). */

const DAY = 86_400_000;
const CREATED = '2030-03-10T10:00:00.000Z'; // 18:00 in GMT+8 (KakaoPay's window), 17:00 in Bangkok

const payment = (patch: Partial<PaymentRecord>): PaymentRecord =>
  storedPayment(patch.method ?? 'card', { status: 'succeeded', chargeId: 'chrg_test_1', amount: 150_000, currency: 'THB', createdAt: CREATED, ...patch });
const at = (iso: string, offsetMs = 0) => Date.parse(iso) + offsetMs;
const event = (patch: Partial<PaymentEvent>): PaymentEvent => ({ id: 1, paymentId: payment({}).id, at: CREATED, source: 'create', type: 'created', fromStatus: null, toStatus: null, detail: null, ...patch });

describe('K-Payment', () => {
  const settled = payment({ settledAmount: 150_000 });

  it('refunds settled card payments up to 366 days old', () => {
    expect(kpaymentOperationRules(settled, { now: at(CREATED, 200 * DAY), events: [] }).refund).toEqual({ allowed: true, maxAmount: 150_000 });
    expect(kpaymentOperationRules(settled, { now: at(CREATED, 367 * DAY), events: [] }).refund).toMatchObject({ allowed: false, reason: expect.stringContaining('366 days') });
  });

  it('counts the refund windows, and dates the refund and the inquiry, from when K-Payment made the charge', () => {
    // The card form was open across midnight in Bangkok: the payment began on the 10th, the charge was made on the 11th.
    const late = payment({ settledAmount: 150_000, createdAt: '2030-03-10T16:55:00.000Z', chargeCreatedAt: '2030-03-10T17:05:00.000Z' });
    expect(kpaymentOperationRules(late, { now: at('2030-03-10T17:00:00.000Z', 366 * DAY), events: [] }).refund).toMatchObject({ allowed: true });
    expect(transactionDateFor(late, at('2030-03-10T17:05:00.000Z', 181 * DAY))).toBe('20300311');
    expect(transactionDateFor(late, at('2030-03-10T17:05:00.000Z', 179.5 * DAY))).toBe('20300311');
    expect(transactionDateFor(late, at('2030-03-10T17:05:00.000Z', 178.5 * DAY))).toBeUndefined();
    // Recorded before the companion kept the charge's time: the payment's own.
    expect(transactionDateFor(payment({ createdAt: CREATED }), at(CREATED, 181 * DAY))).toBe('20300310');
  });

  it('takes one partial refund of an instalment payment at most, and a full one only where the supplier pays the interest (IPAN modes, L3902–3904)', () => {
    const refund = (ipanMode: string | null, p: PaymentRecord = settled) =>
      kpaymentOperationRules(p, { now: at(CREATED, DAY), events: [event({ type: 'token_received', detail: { term: 6, ...(ipanMode ? { ipanMode } : {}) } })] }).refund;
    // SmartpayID (the shop's or the shopper's interest: mode 01 or 02, not said) and the shopper's (02): partial only.
    expect(refund(null)).toEqual({ allowed: true, maxAmount: 149_999 });
    expect(refund('02')).toEqual({ allowed: true, maxAmount: 149_999 });
    expect(refund('03')).toEqual({ allowed: true, maxAmount: 150_000 });
    expect(refund('01')).toMatchObject({ allowed: false, reason: expect.stringContaining('IPAN mode 01') });
    const once = payment({ settledAmount: 150_000, refundedAmount: 10_000, status: 'partially_refunded' });
    expect(refund('03', once)).toMatchObject({ allowed: false, reason: expect.stringContaining('one partial refund') });
    expect(kpaymentOperationRules(once, { now: at(CREATED, DAY), events: [] }).refund).toEqual({ allowed: true, maxAmount: 140_000 });
  });

  it('says of a card payment refunded in full that nothing is left, and its status in words', () => {
    const refunded = kpaymentOperationRules(payment({ status: 'refunded', settledAmount: 150_000, refundedAmount: 150_000 }), { now: at(CREATED, DAY), events: [] });
    expect(refunded.refund).toEqual({ allowed: false, reason: 'Nothing is left to refund: it was refunded in full.' });
    expect(refunded.void).toEqual({ allowed: false, reason: 'Only a paid card payment can be voided, settled or refunded; its status is refunded.' });
    expect(kpaymentOperationRules(payment({ status: 'partially_refunded', method: 'thai_qr' }), { now: at(CREATED), events: [] }).void).toMatchObject({ reason: expect.stringContaining('its status is partially refunded.') });
  });

  it('voids a Thai QR only on the day it was paid (Bangkok)', () => {
    const qr = payment({ method: 'thai_qr' });
    const paid = [event({ type: 'status_changed', toStatus: 'succeeded', at: '2030-03-10T16:59:00.000Z' })]; // 23:59 in Bangkok
    expect(kpaymentOperationRules(qr, { now: at('2030-03-10T16:59:30.000Z'), events: paid }).void).toMatchObject({ allowed: true });
    expect(kpaymentOperationRules(qr, { now: at('2030-03-10T17:00:00.000Z'), events: paid }).void).toMatchObject({ allowed: false, reason: expect.stringContaining('day it was paid') });
  });

  it('Alipay, UnionPay and WeChat Pay have no void or refund', () => {
    for (const method of ['alipay', 'unionpay', 'wechat_pay'] as const) {
      const rules = kpaymentOperationRules(payment({ method }), { now: at(CREATED), events: [] });
      expect(rules.refund).toMatchObject({ allowed: false });
      expect(rules.void).toMatchObject({ allowed: false });
    }
  });
});
