import { describe, expect, it } from 'vitest';
import { storedPayment } from '../gateway-contract-kit.ts';
import type { PaymentRecord } from '../../store/store.ts';
import { opnOperationRules } from './opn-operations.ts';

/** The seeds' operation rules as pure functions of the payment, its log and the time (no gateway needed). */

const CREATED = '2030-03-10T10:00:00.000Z'; // 18:00 in GMT+8 (KakaoPay's window), 17:00 in Bangkok

const payment = (patch: Partial<PaymentRecord>): PaymentRecord =>
  storedPayment(patch.method ?? 'kakaopay', { status: 'succeeded', chargeId: 'chrg_test_1', amount: 150_000, currency: 'THB', createdAt: CREATED, ...patch });
const at = (iso: string, offsetMs = 0) => Date.parse(iso) + offsetMs;

describe('Opn', () => {
  it('KakaoPay voids until 00:15 GMT+8 of the next day, then only refunds', () => {
    const kakao = payment({ method: 'kakaopay' });
    expect(opnOperationRules(kakao, { now: at('2030-03-10T16:14:59.000Z'), events: [] }).void).toEqual({ allowed: true, maxAmount: 150_000 });
    expect(opnOperationRules(kakao, { now: at('2030-03-10T16:15:00.000Z'), events: [] }).void).toMatchObject({ allowed: false, reason: expect.stringContaining('void window closed') });
    expect(opnOperationRules(kakao, { now: at('2030-03-10T16:15:00.000Z'), events: [] }).refund).toEqual({ allowed: true, maxAmount: 150_000 });
  });

  it('says why in words: nothing left of a payment refunded in full, a status as words, not its code', () => {
    const rules = (patch: Partial<PaymentRecord>) => opnOperationRules(payment(patch), { now: at(CREATED), events: [] });
    expect(rules({ status: 'refunded', refundedAmount: 150_000 }).refund).toEqual({ allowed: false, reason: 'Nothing is left to refund: it was refunded in full.' });
    expect(rules({ status: 'partially_refunded', refundedAmount: 10_000 }).void).toEqual({ allowed: false, reason: 'Only a paid payment that was not refunded can be voided; its status is partially refunded.' });
  });

  it('mobile banking has neither void nor refund; only KMA expires, and only while pending', () => {
    const kplus = opnOperationRules(payment({ method: 'mobile_banking_kbank' }), { now: at(CREATED), events: [] });
    expect(Object.keys(kplus).sort()).toEqual(['refund', 'void']);
    expect(kplus.refund).toMatchObject({ allowed: false });
    expect(opnOperationRules(payment({ method: 'mobile_banking_bay', status: 'pending' }), { now: at(CREATED), events: [] }).expire).toEqual({ allowed: true, maxAmount: null });
  });
});

