import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type World, startWorld } from './support/world.ts';

/**
 * Issue 9, "Reconciliation": the reconciler never stalls. A payment whose gateway check fails (here an Opn
 * charge the gateway does not know: every retrieve answers 404) is asked again later with backoff, so a run's
 * 100 payments are not the same failing ones every time and newer payments are reached.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

let world: World | undefined;
let now = Date.parse('2030-01-01T00:00:00Z');
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function open() {
  now = Date.parse('2030-01-01T00:00:00Z');
  world = await startWorld({ checkout: { now: () => now } });
  await world.scenario({ webhooks: 'drop' });
  return world;
}

/** A pending Opn payment whose charge id the gateway does not know, created `ago` ms before now: every check fails. */
async function unknownCharge(w: World, ago: number) {
  const id = `pay_${randomBytes(16).toString('hex')}`;
  await w.companion.checkout.store.createPayment({
    id, orderId: w.order(150_000), method: 'mobile_banking_kbank', gateway: 'opn', amount: 150_000, currency: 'THB', platform: null,
    chargeId: `chrg_test_${randomBytes(10).toString('hex')}`, sourceId: null, status: 'pending', failureCode: null, failureMessage: null,
    returnToken: randomBytes(24).toString('base64url'), authorizeUri: null, createdAt: new Date(now - ago).toISOString(),
  });
  return id;
}

describe('the reconciler never stalls on payments it cannot settle', () => {
  it('reaches a newer payment behind 120 payments whose check fails (100 per run), and leaves those to their backoff', async () => {
    const w = await open();
    for (let i = 0; i < 120; i++) await unknownCharge(w, 20 * MINUTE);
    const created = await w.createPayment(w.order(150_000), 'mobile_banking_kbank');
    expect(created.status).toBe(201);
    const payable = await w.paymentOf(created.body.paymentId);
    await w.complete(payable.chargeId!, 'successful');
    now += 11 * MINUTE;

    const first = await w.companion.checkout.reconcile();
    expect(first).toMatchObject({ checked: 100, errors: 100, updated: 0 });
    now += SECOND;
    const second = await w.companion.checkout.reconcile();
    expect(second.payments.filter((p) => !p.error)).toEqual([{ id: payable.id, from: 'pending', to: 'succeeded' }]);
    expect(second).toMatchObject({ checked: 21, errors: 20, updated: 1 });
    expect(await w.paymentOf(payable.id)).toMatchObject({ status: 'succeeded' });
    expect(w.hooks.onPaid.map((p) => p.id)).toEqual([payable.id]);

    // Every failing payment now waits for its backoff: a run a second later asks the gateway about none of them.
    now += SECOND;
    expect(await w.companion.checkout.reconcile()).toMatchObject({ checked: 0 });
    now += MINUTE;
    expect(await w.companion.checkout.reconcile()).toMatchObject({ checked: 100, errors: 100 });
  });

  it('moves a failing payment\'s next check out with backoff (1, 2, 4 … minutes, at most an hour), visible in the store', async () => {
    const w = await open();
    const id = await unknownCharge(w, 11 * MINUTE);
    const { store } = w.companion.checkout;
    const start = now;

    expect(await w.companion.checkout.reconcile()).toMatchObject({ checked: 1, errors: 1 });
    now += 30 * SECOND;
    expect(await w.companion.checkout.reconcile()).toMatchObject({ checked: 0 });
    expect(await store.getReconcileSchedule(id)).toEqual({ attempts: 1, nextCheckAt: new Date(start + MINUTE).toISOString() });

    const delays: number[] = [];
    for (let attempt = 2; attempt <= 9; attempt++) {
      now = Date.parse((await store.getReconcileSchedule(id))!.nextCheckAt!);
      expect(await w.companion.checkout.reconcile()).toMatchObject({ checked: 1, errors: 1 });
      const schedule = await store.getReconcileSchedule(id);
      expect(schedule?.attempts).toBe(attempt);
      delays.push((Date.parse(schedule!.nextCheckAt!) - now) / MINUTE);
    }
    expect(delays).toEqual([2, 4, 8, 16, 32, 60, 60, 60]);
    expect((await w.paymentOf(id)).status).toBe('pending');
  });

  it('defers a payment it may not check yet to the time it may, without counting an attempt', async () => {
    const w = await open();
    const young = await unknownCharge(w, 4 * MINUTE);
    const { store } = w.companion.checkout;
    expect(await w.companion.checkout.reconcile()).toMatchObject({ checked: 0 });
    expect(await store.getReconcileSchedule(young)).toEqual({ attempts: 0, nextCheckAt: new Date(now + 6 * MINUTE).toISOString() });
    now += 6 * MINUTE - SECOND;
    expect(await w.companion.checkout.reconcile()).toMatchObject({ checked: 0 });
    now += SECOND;
    expect(await w.companion.checkout.reconcile()).toMatchObject({ checked: 1, errors: 1 });
    expect(await store.getReconcileSchedule(young)).toMatchObject({ attempts: 1 });
  });
});
