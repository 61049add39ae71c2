import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeOutboxContract } from './store-outbox-contract.ts';
import { describeSearchContract } from './store-search-contract.ts';
import { type NewPayment, type PaymentPatch, type PaymentRecord, type PaymentStore, StoreConflictError } from './store.ts';

/** Stores that keep shoppers' K-Payment customers too run this one as well (`@payment-checkout/server/store-contract`). */
export { describeCardStoreContract } from './card-store-contract.ts';

/** A new payment for the store tests (a random id and return token; order `order-1`, ฿1,500.00, created at `createdAt`). */
export function newPaymentFixture(overrides: Partial<NewPayment> = {}, createdAt = '2030-01-01T00:00:00.000Z'): NewPayment {
  return {
    id: `pay_${randomBytes(16).toString('hex')}`,
    orderId: 'order-1',
    method: 'mobile_banking_kbank',
    gateway: 'gateway_a',
    amount: 150_000,
    currency: 'THB',
    platform: null,
    chargeId: null,
    sourceId: null,
    status: 'created',
    failureCode: null,
    failureMessage: null,
    returnToken: randomBytes(32).toString('base64url'),
    authorizeUri: null,
    createdAt,
    ...overrides,
  };
}

/**
 * The contract every PaymentStore adapter must pass (SQLite, PostgreSQL):
 * `describeStoreContract('sqlite (memory)', () => new SqliteStore({ path: ':memory:' }))`. Each test gets a
 * new, empty store; the store is closed after it.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<PaymentStore> | PaymentStore): void {
  describe(`PaymentStore contract: ${name}`, () => {
    let store: PaymentStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const T0 = '2030-01-01T00:00:00.000Z';
    const T1 = '2030-01-01T00:05:00.000Z';
    const T2 = '2030-01-01T00:20:00.000Z';
    const newPayment = (overrides: Partial<NewPayment> = {}) => newPaymentFixture(overrides, T0);


    const setStatus = (status: PaymentRecord['status'], extra: PaymentPatch = {}) => () => ({
      status,
      patch: extra,
      events: [{ source: 'poll' as const, type: 'status_changed' as const, toStatus: status }],
      result: status,
    });

    it('stores a payment and reads it back unchanged, by id and by charge id', async () => {
      const created = await store.createPayment(newPayment({ chargeId: 'chrg_test_1', status: 'pending', platform: 'IOS' }));
      const read = await store.getPayment(created.id);
      expect(read).toEqual(created);
      expect(read).toMatchObject({ orderId: 'order-1', amount: 150_000, currency: 'THB', status: 'pending', platform: 'IOS', needsRefund: false, supersededBy: null, updatedAt: T0 });
      expect(await store.findPaymentByChargeId('chrg_test_1')).toEqual(created);
      expect(await store.getPayment('pay_00000000000000000000000000000000')).toBeNull();
      expect(await store.findPaymentByChargeId('chrg_test_unknown')).toBeNull();
    });

    it('logs the creation as the first event', async () => {
      const p = await store.createPayment(newPayment());
      const events = await store.listEvents(p.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ paymentId: p.id, source: 'create', type: 'created', toStatus: 'created', at: T0 });
    });

    it('refuses a second live payment for one order unless the first was superseded or ended', async () => {
      const first = await store.createPayment(newPayment({ status: 'pending' }));
      const second = newPayment({ method: 'mobile_banking_bay' });
      await expect(store.createPayment(second)).rejects.toMatchObject({ name: 'StoreConflictError', code: 'live_payment_exists' });
      expect(await store.getPayment(second.id)).toBeNull();

      await store.updatePayment(first.id, () => ({ patch: { supersededBy: second.id }, events: [{ source: 'create', type: 'superseded' }], result: null }), T1);
      await store.createPayment(second);
      expect((await store.listPaymentsForOrder('order-1')).map((p) => p.id)).toEqual([first.id, second.id]);

      // Un-superseding the first while the second is live breaks the invariant.
      await expect(
        store.updatePayment(first.id, () => ({ patch: { supersededBy: null }, events: [], result: null }), T1),
      ).rejects.toBeInstanceOf(StoreConflictError);

      await store.updatePayment(second.id, setStatus('failed'), T1);
      const third = await store.createPayment(newPayment({ createdAt: T1 }));
      expect(third.status).toBe('created');
      // Other orders are independent.
      await store.createPayment(newPayment({ orderId: 'order-2' }));
    });

    it('refuses a duplicate charge id', async () => {
      await store.createPayment(newPayment({ chargeId: 'chrg_test_dup', status: 'failed' }));
      await expect(store.createPayment(newPayment({ chargeId: 'chrg_test_dup', orderId: 'order-9' }))).rejects.toMatchObject({ code: 'duplicate' });
    });

    it('applies a decision and its events in one step, and tells the decision who paid the order', async () => {
      const p = await store.createPayment(newPayment({ status: 'pending' }));
      const seen: unknown[] = [];
      const update = await store.updatePayment(
        p.id,
        (current, context) => {
          seen.push(current.status, context.paidPayment);
          return {
            status: 'succeeded',
            patch: { failureCode: null },
            events: [
              { source: 'webhook', type: 'status_changed', toStatus: 'succeeded', detail: { eventId: 'evnt_test_1' } },
              { source: 'webhook', type: 'hook_called', detail: { hook: 'onPaid' } },
            ],
            result: 'paid',
          };
        },
        T1,
      );
      expect(seen).toEqual(['pending', null]);
      expect(update?.result).toBe('paid');
      expect(update?.before.status).toBe('pending');
      expect(update?.after).toMatchObject({ status: 'succeeded', updatedAt: T1 });
      expect(await store.getPayment(p.id)).toEqual(update?.after);
      const events = await store.listEvents(p.id);
      expect(events.map((e) => [e.type, e.source, e.fromStatus, e.toStatus])).toEqual([
        ['created', 'create', null, 'pending'],
        ['status_changed', 'webhook', 'pending', 'succeeded'],
        ['hook_called', 'webhook', null, null],
      ]);
      expect(events[1].detail).toEqual({ eventId: 'evnt_test_1' });

      // A second payment of the same order sees the first as the order's paid payment.
      await store.updatePayment(p.id, () => ({ patch: {}, events: [], result: null }), T1);
      const other = await store.createPayment(newPayment({ method: 'kakaopay', status: 'pending', createdAt: T1 }));
      let paidBy: string | null | undefined;
      await store.updatePayment(other.id, (_c, ctx) => {
        paidBy = ctx.paidPayment?.id;
        return null;
      }, T2);
      expect(paidBy).toBe(p.id);
    });

    it('writes nothing when the decision answers null or throws', async () => {
      const p = await store.createPayment(newPayment({ status: 'pending' }));
      expect(await store.updatePayment(p.id, () => null, T1)).toBeNull();
      await expect(
        store.updatePayment(p.id, () => {
          throw new Error('decided to fail');
        }, T1),
      ).rejects.toThrow('decided to fail');
      expect(await store.getPayment(p.id)).toEqual(p);
      expect(await store.listEvents(p.id)).toHaveLength(1);
      await expect(store.updatePayment('pay_00000000000000000000000000000000', () => null, T1)).rejects.toThrow();
    });

    it('keeps what was paid: the amount the card was charged in its currency (DCC), and the instalments', async () => {
      const p = await store.createPayment(newPayment({ method: 'card', status: 'pending' }));
      expect(p).toMatchObject({ chargedAmount: null, chargedCurrency: null, installmentTerm: null });
      await store.updatePayment(p.id, setStatus('succeeded', { chargedAmount: 4470, chargedCurrency: 'USD', installmentTerm: 6 }), T1);
      expect(await store.getPayment(p.id)).toMatchObject({ status: 'succeeded', chargedAmount: 4470, chargedCurrency: 'USD', installmentTerm: 6 });
      // An amount is nothing without its currency: the database refuses one without the other.
      const q = await store.createPayment(newPayment({ orderId: 'order-2', method: 'card', status: 'pending' }));
      await expect(store.updatePayment(q.id, () => ({ patch: { chargedAmount: 4470 }, events: [], result: null }), T1)).rejects.toThrow();
      await expect(store.updatePayment(q.id, () => ({ patch: { chargedCurrency: 'USD' }, events: [], result: null }), T1)).rejects.toThrow();
      expect(await store.getPayment(q.id)).toEqual(q);
    });

    it('keeps when the gateway made the charge, written with its id', async () => {
      const p = await store.createPayment(newPayment({ method: 'card', status: 'pending' }));
      expect(p.chargeCreatedAt).toBeNull();
      await store.updatePayment(p.id, () => ({ patch: { chargeId: 'chrg_test_1', chargeCreatedAt: '2030-03-10T17:05:00.123Z' }, events: [], result: null }), T1);
      expect(await store.getPayment(p.id)).toMatchObject({ chargeId: 'chrg_test_1', chargeCreatedAt: '2030-03-10T17:05:00.123Z' });
      await expect(store.updatePayment(p.id, () => ({ patch: { chargeCreatedAt: 'yesterday' }, events: [], result: null }), T1)).rejects.toThrow();
    });

    it('lets only one payment pay an order; a second success must be marked needsRefund', async () => {
      const a = await store.createPayment(newPayment({ status: 'pending' }));
      await store.updatePayment(a.id, () => ({ patch: { supersededBy: a.id.replace(/.$/, '0') }, events: [], result: null }), T0);
      const b = await store.createPayment(newPayment({ method: 'mobile_banking_bay', status: 'pending' }));
      await store.updatePayment(b.id, setStatus('succeeded'), T1);
      await expect(store.updatePayment(a.id, setStatus('succeeded'), T1)).rejects.toMatchObject({ code: 'order_already_paid' });
      expect((await store.getPayment(a.id))?.status).toBe('pending');
      expect(await store.listEvents(a.id)).toHaveLength(1);
      await store.updatePayment(a.id, setStatus('succeeded', { needsRefund: true }), T1);
      expect(await store.getPayment(a.id)).toMatchObject({ status: 'succeeded', needsRefund: true });
    });

    it('moves a status only where the transition rule allows, and never through a patch', async () => {
      const p = await store.createPayment(newPayment({ status: 'pending' }));
      await store.updatePayment(p.id, setStatus('failed'), T1);
      await expect(store.updatePayment(p.id, setStatus('succeeded'), T2)).rejects.toMatchObject({ code: 'invalid_transition' });
      const smuggled = () => ({ patch: { status: 'succeeded' } as PaymentPatch, events: [], result: null });
      await expect(store.updatePayment(p.id, smuggled, T2)).rejects.toThrow(/cannot carry a status/);
      expect(await store.getPayment(p.id)).toMatchObject({ status: 'failed', updatedAt: T1 });
      expect((await store.listEvents(p.id)).map((e) => e.toStatus)).toEqual(['pending', 'failed']);
    });

    it('lists live payments created before a time, oldest first', async () => {
      const old = await store.createPayment(newPayment({ orderId: 'o-old', status: 'pending', createdAt: T0 }));
      const young = await store.createPayment(newPayment({ orderId: 'o-young', status: 'pending', createdAt: T2 }));
      await store.createPayment(newPayment({ orderId: 'o-done', status: 'succeeded', createdAt: T0 }));
      const created = await store.createPayment(newPayment({ orderId: 'o-created', status: 'created', createdAt: T1 }));
      expect((await store.listLivePayments({ createdBefore: T2, limit: 10 })).map((p) => p.id)).toEqual([old.id, created.id]);
      expect((await store.listLivePayments({ createdBefore: '2030-01-02T00:00:00.000Z', limit: 10 })).map((p) => p.id)).toEqual([old.id, created.id, young.id]);
      expect(await store.listLivePayments({ createdBefore: '2030-01-02T00:00:00.000Z', limit: 1 })).toHaveLength(1);
    });

    describe('the merchant\'s search', () => describeSearchContract(() => store));

    describe('the reconciler queue', () => {
      const MINUTE = 60_000;
      const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
      const LATER = '2030-02-01T00:00:00.000Z';
      const live = (orderId: string, createdMs = 0, status: PaymentRecord['status'] = 'pending') => store.createPayment(newPaymentFixture({ orderId, status }, at(createdMs)));
      /** Claims at `nowMs` with a five-minute lease; answers the ids. */
      const claim = async (nowMs: number, limit = 10, createdBefore = LATER) =>
        (await store.claimPaymentsToReconcile({ createdBefore, dueBy: at(nowMs), leaseUntil: at(nowMs + 5 * MINUTE), limit })).map((c) => c.payment.id);

      it('claims due live payments with their schedule, and holds them until the lease ends', async () => {
        const [a, b] = [await live('o-a', 0), await live('o-b', MINUTE)];
        const young = await live('o-young', 20 * MINUTE);
        const claimed = await store.claimPaymentsToReconcile({ createdBefore: at(20 * MINUTE), dueBy: at(20 * MINUTE), leaseUntil: at(25 * MINUTE), limit: 10 });
        expect(claimed).toEqual([{ payment: a, nextCheckAt: null, attempts: 0 }, { payment: b, nextCheckAt: null, attempts: 0 }]);
        // The lease is the next check; the payment itself is unchanged.
        expect(await store.getReconcileSchedule(a.id)).toEqual({ nextCheckAt: at(25 * MINUTE), attempts: 0 });
        expect(await store.getPayment(a.id)).toEqual(a);
        expect(await claim(24 * MINUTE)).toEqual([young.id]);
        expect(await claim(25 * MINUTE - 1)).toEqual([]);
        expect(await claim(25 * MINUTE)).toEqual([a.id, b.id]);
      });

      it('never claims a payment that is no longer live', async () => {
        const settled = await live('o-settled');
        await live('o-failed', 0, 'failed');
        await live('o-paid', 0, 'succeeded');
        expect(await claim(10 * MINUTE)).toEqual([settled.id]);
        await store.updatePayment(settled.id, setStatus('succeeded'), at(11 * MINUTE));
        expect(await claim(60 * MINUTE)).toEqual([]);
        await store.scheduleReconcile(settled.id, { nextCheckAt: at(0), attempts: 3 });
        expect(await claim(60 * MINUTE)).toEqual([]);
      });

      it('takes payments never checked first (oldest first), then rechecks by when they fell due', async () => {
        const [a, b, c, d] = [await live('o-a', 0), await live('o-b', 1), await live('o-c', 2), await live('o-d', 3)];
        const e = await live('o-e', 4);
        await store.scheduleReconcile(b.id, { nextCheckAt: at(12 * MINUTE), attempts: 2 });
        await store.scheduleReconcile(c.id, { nextCheckAt: at(11 * MINUTE), attempts: 1 });
        await store.scheduleReconcile(e.id, { nextCheckAt: at(30 * MINUTE), attempts: 1 });
        expect(await store.getReconcileSchedule(b.id)).toEqual({ nextCheckAt: at(12 * MINUTE), attempts: 2 });
        expect(await claim(20 * MINUTE, 3)).toEqual([a.id, d.id, c.id]);
        expect(await claim(20 * MINUTE, 3)).toEqual([b.id]);
        expect((await store.claimPaymentsToReconcile({ createdBefore: LATER, dueBy: at(40 * MINUTE), leaseUntil: at(45 * MINUTE), limit: 10 })).map((x) => [x.payment.id, x.attempts])).toEqual([
          // Leases that ended count as due then; equal times keep creation order.
          [a.id, 0], [d.id, 0], [b.id, 2], [c.id, 1], [e.id, 1],
        ]);
      });

      it('never gives one payment to two claims made at once', async () => {
        const payments = await Promise.all(Array.from({ length: 30 }, (_, i) => live(`o-${i}`, i)));
        const claims = await Promise.all(Array.from({ length: 5 }, () => claim(60 * MINUTE, 8)));
        const ids = claims.flat();
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.sort()).toEqual(payments.map((p) => p.id).sort());
      });

      it('knows no schedule for an unknown payment', async () => {
        expect(await store.getReconcileSchedule('pay_00000000000000000000000000000000')).toBeNull();
        await expect(store.scheduleReconcile('pay_00000000000000000000000000000000', { nextCheckAt: T1, attempts: 1 })).rejects.toThrow();
      });
    });

    describe('the hook outbox', () => describeOutboxContract(() => store));

    it('appends events without touching the payment', async () => {
      const p = await store.createPayment(newPayment({ status: 'pending' }));
      await store.appendEvent(p.id, { source: 'webhook', type: 'webhook_received', detail: { eventId: 'evnt_test_x' } }, T1);
      await store.appendEvent(p.id, { source: 'return', type: 'shopper_returned' }, T2);
      expect(await store.getPayment(p.id)).toEqual(p);
      const events = await store.listEvents(p.id);
      expect(events.map((e) => [e.type, e.at])).toEqual([
        ['created', T0],
        ['webhook_received', T1],
        ['shopper_returned', T2],
      ]);
      await expect(store.appendEvent('pay_00000000000000000000000000000000', { source: 'poll', type: 'shopper_returned' }, T1)).rejects.toThrow();
    });

    it('serialises concurrent updates of one payment (no lost update)', async () => {
      const p = await store.createPayment(newPayment({ status: 'pending' }));
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          store.updatePayment(p.id, (current) => (current.status === 'pending' ? setStatus('succeeded')() : null), T1),
        ),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect((await store.listEvents(p.id)).filter((e) => e.type === 'status_changed')).toHaveLength(1);
    });

    it('refuses rows that break the record schema', async () => {
      await expect(store.createPayment(newPayment({ amount: -5 }))).rejects.toThrow();
      await expect(store.createPayment(newPayment({ returnToken: 'short' }))).rejects.toThrow();
      expect(await store.listPaymentsForOrder('order-1')).toEqual([]);
    });
  });
}
