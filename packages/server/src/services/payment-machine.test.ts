import { PaymentStatus } from '@payment-checkout/core';
import { describe, expect, it } from 'vitest';
import type { PaymentRecord } from '../store/store.ts';
import { decideTransition } from './payment-machine.ts';

const base: PaymentRecord = {
  id: 'pay_0123456789abcdef0123456789abcdef',
  orderId: 'order-1',
  method: 'mobile_banking_kbank',
  gateway: 'gateway_a',
  amount: 150_000,
  currency: 'THB',
  platform: null,
  chargeId: 'chrg_test_1',
  sourceId: 'src_test_1',
  status: 'pending',
  failureCode: null,
  failureMessage: null,
  returnToken: 't'.repeat(43),
  authorizeUri: 'http://127.0.0.1/pay',
  supersededBy: null,
  needsRefund: false,
  refundedAmount: 0,
  settledAmount: null,
  chargedAmount: null,
  chargedCurrency: null,
  installmentTerm: null,
  chargeCreatedAt: null,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
};
const other: PaymentRecord = { ...base, id: 'pay_ffffffffffffffffffffffffffffffff', chargeId: 'chrg_test_2', status: 'succeeded' };
const none = { paidPayment: null };
const webhook = { source: 'webhook' as const };

/** What a decision writes: its status move and its patch, as one record of changed fields. */
const written = (change: ReturnType<typeof decideTransition>) => change && { ...(change.status === undefined ? {} : { status: change.status }), ...change.patch };

describe('decideTransition', () => {
  it('marks a pending payment paid and fires onPaid', () => {
    const change = decideTransition(base, { status: 'succeeded' }, none, webhook);
    expect(written(change)).toEqual({ status: 'succeeded', failureCode: null, failureMessage: null });
    expect(change?.result).toEqual({ changed: true, hook: 'onPaid' });
    expect(change?.events).toEqual([{ source: 'webhook', type: 'status_changed', fromStatus: 'pending', toStatus: 'succeeded', detail: null }]);
  });

  it('records what the shopper paid (DCC, instalments) with a move or without one, and never erases it', () => {
    const paidAs = { chargedAmount: 4470, chargedCurrency: 'USD' as const, installmentTerm: 6 };
    expect(written(decideTransition(base, { status: 'succeeded', ...paidAs }, none, webhook))).toMatchObject({ status: 'succeeded', ...paidAs });
    const same = decideTransition(base, { status: 'pending', installmentTerm: 6 }, none, webhook);
    expect(written(same)).toEqual({ installmentTerm: 6 });
    expect(same?.events).toEqual([{ source: 'webhook', type: 'amounts_changed', detail: { installmentTerm: 6 } }]);
    // An answer that does not say (an inquiry without dcc_data, the term known only from the form) keeps the figures.
    expect(decideTransition({ ...base, ...paidAs }, { status: 'pending' }, none, webhook)).toBeNull();
    expect(decideTransition({ ...base, ...paidAs }, { status: 'pending', ...paidAs }, none, webhook)).toBeNull();
  });

  it('keeps nothing settled for a voided payment: a KakaoPay charge captured, then voided, still says what was captured', () => {
    const captured = { ...base, method: 'kakaopay' as const, status: 'succeeded' as const, settledAmount: 150_000 };
    expect(written(decideTransition(captured, { status: 'voided', refundedAmount: 0, settledAmount: 150_000 }, none, webhook))).toMatchObject({ status: 'voided', settledAmount: null });
    // Read again later: the charge says the same; nothing changes.
    expect(decideTransition({ ...captured, status: 'voided', settledAmount: null }, { status: 'voided', refundedAmount: 0, settledAmount: 150_000 }, none, webhook)).toBeNull();
  });

  it('says in the status change how much was refunded when a refund moves the status (a webhook or a read)', () => {
    const change = decideTransition({ ...base, status: 'succeeded', settledAmount: 150_000 }, { status: 'partially_refunded', refundedAmount: 10_000 }, none, webhook);
    expect(change?.events).toEqual([{ source: 'webhook', type: 'status_changed', fromStatus: 'succeeded', toStatus: 'partially_refunded', detail: { refundedAmount: 10_000 } }]);
  });

  it('does nothing for the same status (duplicate webhooks, repeated polls)', () => {
    expect(decideTransition(base, { status: 'pending' }, none, webhook)).toBeNull();
    expect(decideTransition({ ...base, status: 'succeeded' }, { status: 'succeeded' }, none, webhook)).toBeNull();
  });

  it('never lets a late or lower event overwrite a final status, for every final status', () => {
    for (const from of ['succeeded', 'failed', 'expired', 'canceled'] as const) {
      for (const to of ['pending', 'created', 'authorized', 'failed', 'expired'] as const) {
        if (from === to) continue;
        const change = decideTransition({ ...base, status: from }, { status: to }, none, webhook);
        expect(written(change), `${from} -> ${to}`).toEqual({});
        expect(change?.result.hook).toBeNull();
        expect(change?.events[0]).toMatchObject({ type: 'transition_refused', fromStatus: from, toStatus: to });
      }
    }
  });

  it('lets a payment the companion itself called abandoned be paid after all, and no other ended payment', () => {
    const abandoned = { ...base, status: 'expired' as const, failureCode: 'payment_abandoned' };
    const paid = decideTransition(abandoned, { status: 'succeeded' }, none, webhook);
    expect(written(paid)).toMatchObject({ status: 'succeeded', failureCode: null });
    expect(paid?.result.hook).toBe('onPaid');
    for (const failureCode of ['payment_expired', 'qr_expired', null]) {
      const change = decideTransition({ ...base, status: 'expired', failureCode }, { status: 'succeeded' }, none, webhook);
      expect(written(change), String(failureCode)).toEqual({});
      expect(change?.events[0]).toMatchObject({ type: 'transition_refused' });
    }
  });

  it('records the failure code and fires onFailed once the payment fails', () => {
    const change = decideTransition(base, { status: 'failed', failureCode: 'insufficient_fund', failureMessage: 'insufficient funds' }, none, webhook);
    expect(written(change)).toEqual({ status: 'failed', failureCode: 'insufficient_fund', failureMessage: 'insufficient funds' });
    expect(change?.result.hook).toBe('onFailed');
  });

  it('gives an expired payment the payment_expired code when the gateway sends none', () => {
    expect(decideTransition(base, { status: 'expired' }, none, webhook)?.patch.failureCode).toBe('payment_expired');
  });

  it('does not report the end of a payment the shopper already left for another one', () => {
    const superseded = { ...base, supersededBy: other.id };
    const change = decideTransition(superseded, { status: 'expired' }, none, webhook);
    expect(change?.status).toBe('expired');
    expect(change?.result.hook).toBeNull();
  });

  it('does not report a failure for an order another payment paid', () => {
    expect(decideTransition(base, { status: 'failed' }, { paidPayment: other }, webhook)?.result.hook).toBeNull();
  });

  it('marks a second success of a paid order needsRefund and fires onNeedsRefund, not onPaid', () => {
    const change = decideTransition(base, { status: 'succeeded' }, { paidPayment: other }, webhook);
    expect(written(change)).toMatchObject({ status: 'succeeded', needsRefund: true });
    expect(change?.result.hook).toBe('onNeedsRefund');
    expect(change?.events.map((e) => e.type)).toEqual(['status_changed', 'needs_refund']);
    expect(change?.events[1].detail).toEqual({ orderPaidBy: other.id });
  });

  it('flags a success for a refund when the order now costs another amount or currency, and does not pay the order', () => {
    for (const order of [{ amount: base.amount + 100, currency: base.currency }, { amount: base.amount, currency: 'SGD' as const }]) {
      const change = decideTransition(base, { status: 'succeeded' }, { paidPayment: null, order }, webhook);
      expect(written(change)).toMatchObject({ status: 'succeeded', needsRefund: true });
      expect(change?.result.hook).toBe('onNeedsRefund');
      expect(change?.events[1]).toMatchObject({ type: 'needs_refund', detail: { orderChanged: order } });
    }
    const same = decideTransition(base, { status: 'succeeded' }, { paidPayment: null, order: { amount: base.amount, currency: base.currency } }, webhook);
    expect(same?.result.hook).toBe('onPaid');
  });

  it('fires no hook for moves that are not news (created -> pending, succeeded -> refunded)', () => {
    expect(decideTransition({ ...base, status: 'created' }, { status: 'pending' }, none, { source: 'create' })?.result).toEqual({ changed: true, hook: null });
    expect(decideTransition({ ...base, status: 'succeeded' }, { status: 'refunded' }, none, webhook)?.result).toEqual({ changed: true, hook: null });
  });

  it('fires at most one hook over any sequence of observations', () => {
    const statuses = PaymentStatus.options;
    for (const a of statuses) {
      for (const b of statuses) {
        let p: PaymentRecord = { ...base };
        const hooks: string[] = [];
        for (const status of [a, b, 'succeeded', 'failed', a] as const) {
          const change = decideTransition(p, { status }, none, webhook);
          if (change?.result.hook) hooks.push(change.result.hook);
          if (change) p = { ...p, ...written(change) };
        }
        expect(hooks.length, `${a}, ${b}`).toBeLessThanOrEqual(1);
      }
    }
  });
});

describe('decideTransition and the hook outbox', () => {
  it('gives the change the hook call to enqueue, under a key made of the payment and the transition', () => {
    expect(decideTransition(base, { status: 'succeeded' }, none, webhook)?.hook).toEqual({ name: 'onPaid', key: `${base.id}:succeeded:onPaid`, source: 'webhook' });
    expect(decideTransition(base, { status: 'expired' }, none, { source: 'reconciler' })?.hook).toEqual({ name: 'onFailed', key: `${base.id}:expired:onFailed`, source: 'reconciler' });
    expect(decideTransition(base, { status: 'succeeded' }, { paidPayment: other }, webhook)?.hook?.key).toBe(`${base.id}:succeeded:onNeedsRefund`);
  });

  it('lets any later move of a payment that paid twice update its onNeedsRefund call, if not delivered yet', () => {
    const twice: PaymentRecord = { ...base, status: 'succeeded', needsRefund: true };
    const update = { name: 'onNeedsRefund', key: `${base.id}:succeeded:onNeedsRefund`, update: true };
    expect(decideTransition(twice, { status: 'voided' }, none, webhook)?.hook).toEqual({ ...update, source: 'webhook' });
    expect(decideTransition(twice, { status: 'refunded', refundedAmount: base.amount }, none, { source: 'operations' })?.hook).toEqual({ ...update, source: 'operations' });
    expect(decideTransition({ ...base, status: 'succeeded' }, { status: 'voided' }, none, webhook)).not.toHaveProperty('hook');
  });

  it('enqueues nothing for a move without a hook, a refused move or no move', () => {
    expect(decideTransition(base, { status: 'authorized' }, none, webhook)).not.toHaveProperty('hook');
    expect(decideTransition({ ...base, supersededBy: other.id }, { status: 'failed' }, none, webhook)).not.toHaveProperty('hook');
    expect(decideTransition({ ...base, status: 'failed' }, { status: 'succeeded' }, none, webhook)).not.toHaveProperty('hook');
  });
});
