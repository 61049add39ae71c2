import { expect, it } from 'vitest';
import { newPaymentFixture } from './store-contract.ts';
import type { PaymentPatch, PaymentRecord, PaymentStore } from './store.ts';

/**
 * The contract of the hook outbox (a status change and the hook call it causes, in one transaction; claims with a
 * lease; retries; delivery), run by `describeStoreContract` against each adapter; `store()` answers the test's
 * fresh store.
 */
export function describeOutboxContract(store: () => PaymentStore): void {
  const T0 = '2030-01-01T00:00:00.000Z';
  const T1 = '2030-01-01T00:05:00.000Z';
  const T2 = '2030-01-01T00:20:00.000Z';
  const newPayment = (overrides: Parameters<typeof newPaymentFixture>[0] = {}) => newPaymentFixture(overrides, T0);
  const setStatus = (status: PaymentRecord['status']) => () => ({
    status,
    patch: {},
    events: [{ source: 'poll' as const, type: 'status_changed' as const, toStatus: status }],
    result: status,
  });
  const SECOND = 1_000;
  const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
  const keyOf = (p: PaymentRecord, status = 'succeeded', hook = 'onPaid') => `${p.id}:${status}:${hook}`;
  /** A status change that owes a hook call, as the status machine decides it. */
  const moveWithHook = (status: PaymentRecord['status'], key: string, extra: PaymentPatch = {}) => () => ({
    status,
    patch: extra,
    events: [{ source: 'webhook' as const, type: 'status_changed' as const, toStatus: status }],
    hook: { name: status === 'succeeded' ? 'onPaid' : 'onFailed', key, source: 'webhook' as const },
    result: null,
  });
  const paid = async (orderId: string, createdMs = 0) => {
    const p = await store().createPayment(newPaymentFixture({ orderId, status: 'pending' }, at(createdMs)));
    await store().updatePayment(p.id, moveWithHook('succeeded', keyOf(p)), at(createdMs));
    return p;
  };
  /** Claims what is due at `nowMs` with a one-minute lease. */
  const claim = (nowMs: number, extra: { limit?: number; key?: string; freshBefore?: string } = {}) =>
    store().claimHookDeliveries({ dueBy: at(nowMs), leaseUntil: at(nowMs + 60 * SECOND), limit: 10, ...extra });

  it('writes the hook call with the status change, with the payment as the change left it', async () => {
    const p = await store().createPayment(newPayment({ status: 'pending' }));
    const update = await store().updatePayment(p.id, moveWithHook('succeeded', keyOf(p)), T1);
    expect(await store().listHookDeliveries(p.id)).toEqual([
      { key: keyOf(p), paymentId: p.id, hook: 'onPaid', source: 'webhook', payment: update!.after, attempts: 0, nextAttemptAt: T1, lease: null, lastError: null, deliveredAt: null, createdAt: T1 },
    ]);
    expect(await store().listHookDeliveries('pay_00000000000000000000000000000000')).toEqual([]);
  });

  it('writes nothing when the change is refused or its decision throws (one transaction)', async () => {
    const p = await store().createPayment(newPayment({ status: 'pending' }));
    await expect(store().updatePayment(p.id, () => {
      throw new Error('decided to fail');
    }, T1)).rejects.toThrow('decided to fail');
    await store().updatePayment(p.id, setStatus('failed'), T1);
    await expect(store().updatePayment(p.id, moveWithHook('succeeded', keyOf(p)), T2)).rejects.toMatchObject({ code: 'invalid_transition' });
    // A second payment that would pay an already paid order: the database refuses it, and its hook call with it.
    const first = await paid('o-twice');
    const second = await store().createPayment(newPayment({ orderId: 'o-twice', status: 'pending' }));
    await expect(store().updatePayment(second.id, moveWithHook('succeeded', keyOf(second)), T2)).rejects.toMatchObject({ code: 'order_already_paid' });
    expect(await store().listHookDeliveries(p.id)).toEqual([]);
    expect(await store().listHookDeliveries(second.id)).toEqual([]);
    expect((await store().listHookDeliveries(first.id)).map((h) => h.key)).toEqual([keyOf(first)]);
  });

  it('keeps one row per key: a second change with the same key enqueues nothing', async () => {
    const p = await store().createPayment(newPayment({ status: 'pending' }));
    await store().updatePayment(p.id, moveWithHook('succeeded', keyOf(p)), T1);
    await store().updatePayment(p.id, () => ({ patch: { settledAmount: p.amount }, events: [], hook: { name: 'onPaid', key: keyOf(p), source: 'poll' as const }, result: null }), T2);
    const rows = await store().listHookDeliveries(p.id);
    expect(rows.map((h) => [h.key, h.source, h.createdAt, h.payment.settledAmount])).toEqual([[keyOf(p), 'webhook', T1, null]]);
    expect((await store().getPayment(p.id))?.settledAmount).toBe(p.amount);
  });

  it('claims due rows with a lease: counted as an attempt, held until the lease ends, then due again', async () => {
    const [a, b] = [await paid('o-a', 0), await paid('o-b', SECOND)];
    const claimed = await claim(2 * SECOND);
    expect(claimed.map((h) => [h.key, h.attempts, h.nextAttemptAt])).toEqual([[keyOf(a), 1, at(62 * SECOND)], [keyOf(b), 1, at(62 * SECOND)]]);
    expect(claimed[0].lease).toEqual(expect.any(String));
    expect(claimed[0].payment).toMatchObject({ id: a.id, status: 'succeeded' });
    expect(await claim(3 * SECOND)).toEqual([]);
    expect(await claim(62 * SECOND - 1)).toEqual([]);
    const again = await claim(62 * SECOND, { limit: 1 });
    expect(again.map((h) => [h.key, h.attempts])).toEqual([[keyOf(a), 2]]);
    expect(again[0].lease).not.toBe(claimed[0].lease);
    // The first claim's lease ended and another claim took the row: the first one may not finish it.
    expect(await store().finishHookDelivery(keyOf(a), claimed[0].lease!, { at: at(63 * SECOND), delivered: true })).toBe(false);
    expect(await store().finishHookDelivery(keyOf(a), again[0].lease!, { at: at(63 * SECOND), delivered: true })).toBe(true);
  });

  it('writes the hook call already claimed when the change asks (the request delivers it without a claim of its own)', async () => {
    const p = await store().createPayment(newPayment({ status: 'pending' }));
    const lease = 'lease-of-the-request';
    const move = moveWithHook('succeeded', keyOf(p));
    const update = await store().updatePayment(p.id, () => { const change = move(); return { ...change, hook: { ...change.hook, claim: { lease, leaseUntil: at(60 * SECOND) } } }; }, at(0));
    const entry = { key: keyOf(p), paymentId: p.id, hook: 'onPaid', source: 'webhook', payment: update!.after, attempts: 1, nextAttemptAt: at(60 * SECOND), lease, lastError: null, deliveredAt: null, createdAt: at(0) };
    expect(update!.claimedHook).toEqual(entry);
    expect(await store().listHookDeliveries(p.id)).toEqual([entry]);
    // Held like any claim until its lease ends; only its lease finishes it.
    expect(await claim(59 * SECOND)).toEqual([]);
    expect(await store().finishHookDelivery(keyOf(p), lease, { at: at(SECOND), delivered: true })).toBe(true);
    // A key already there keeps its row: nothing was written claimed.
    const again = await store().updatePayment(p.id, () => ({ patch: { settledAmount: p.amount }, events: [], hook: { name: 'onPaid', key: keyOf(p), source: 'poll' as const, claim: { lease: 'other', leaseUntil: at(120 * SECOND) } }, result: null }), at(2 * SECOND));
    expect(again!.claimedHook).toBeUndefined();
    expect(await store().listHookDeliveries(p.id)).toMatchObject([{ attempts: 1, lease: null, deliveredAt: at(SECOND) }]);
  });

  it('claims one row by key, and leaves rows never tried to the request that wrote them until freshBefore', async () => {
    const [a, b] = [await paid('o-a', 0), await paid('o-b', 10 * SECOND)];
    expect((await claim(20 * SECOND, { freshBefore: at(5 * SECOND) })).map((h) => h.key)).toEqual([keyOf(a)]);
    expect(await claim(20 * SECOND, { key: keyOf(a) })).toEqual([]);
    expect((await claim(20 * SECOND, { key: keyOf(b) })).map((h) => h.key)).toEqual([keyOf(b)]);
  });

  it('schedules a retry: keeps the error and the attempts, logs the event in the same step, due again at retryAt', async () => {
    const p = await paid('o-retry');
    const [first] = await claim(0);
    const event = { source: 'webhook' as const, type: 'hook_failed' as const, detail: { hook: 'onPaid', message: 'shop down' } };
    expect(await store().finishHookDelivery(first.key, first.lease!, { at: at(SECOND), delivered: false, error: 'shop down', retryAt: at(3 * SECOND), event })).toBe(true);
    expect(await store().listHookDeliveries(p.id)).toMatchObject([{ attempts: 1, nextAttemptAt: at(3 * SECOND), lastError: 'shop down', deliveredAt: null }]);
    const events = await store().listEvents(p.id);
    expect(events.map((e) => [e.type, e.at])).toEqual([['created', T0], ['status_changed', at(0)], ['hook_failed', at(SECOND)]]);
    expect(events[2].detail).toEqual({ hook: 'onPaid', message: 'shop down' });
    // Finishing twice with one lease does nothing more.
    expect(await store().finishHookDelivery(first.key, first.lease!, { at: at(SECOND), delivered: true })).toBe(false);
    expect(await claim(3 * SECOND - 1)).toEqual([]);
    const [second] = await claim(3 * SECOND);
    expect([second.key, second.attempts, second.lastError]).toEqual([first.key, 2, 'shop down']);
  });

  it('never claims a delivered row again', async () => {
    const p = await paid('o-done');
    const [entry] = await claim(0);
    const event = { source: 'webhook' as const, type: 'hook_called' as const, detail: { hook: 'onPaid' } };
    expect(await store().finishHookDelivery(entry.key, entry.lease!, { at: at(SECOND), delivered: true, event })).toBe(true);
    expect(await store().listHookDeliveries(p.id)).toMatchObject([{ attempts: 1, deliveredAt: at(SECOND), lastError: null }]);
    expect((await store().listEvents(p.id)).map((e) => e.type)).toEqual(['created', 'status_changed', 'hook_called']);
    expect(await claim(3_600 * SECOND)).toEqual([]);
    expect(await claim(3_600 * SECOND, { key: entry.key })).toEqual([]);
    expect(await store().finishHookDelivery(entry.key, entry.lease!, { at: at(2 * SECOND), delivered: false, error: 'late', retryAt: at(3 * SECOND) })).toBe(false);
    expect(await store().listHookDeliveries(p.id)).toMatchObject([{ deliveredAt: at(SECOND), lastError: null }]);
  });

  it('never gives one row to two claims made at once', async () => {
    const payments = await Promise.all(Array.from({ length: 30 }, (_, i) => paid(`o-${i}`, i)));
    const claims = await Promise.all(Array.from({ length: 5 }, () => claim(60 * SECOND, { limit: 8 })));
    const keys = claims.flat().map((h) => h.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.sort()).toEqual(payments.map((p) => keyOf(p)).sort());
  });
}
