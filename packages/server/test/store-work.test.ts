import { signOpnWebhook } from '@payment-checkout/core/signature';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { type World, startWorld } from './support/world.ts';

/**
 * What the hot paths cost the store (issue 12): each store call is a database round trip, and each write is a
 * transaction (with SQLite, a sync of the journal that blocks the event loop). A create reads the order's
 * payments once and writes twice; a webhook finds its payment and writes once, its arrival logged with the change.
 */

let world: World;
let calls: Map<string, number>;

/** The world's store, counting every call of its methods. */
function countingStore(): SqliteStore {
  const store = new SqliteStore({ path: ':memory:' });
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
}

const counted = () => Object.fromEntries(calls);

beforeEach(async () => {
  calls = new Map();
  world = await startWorld({ checkout: { store: countingStore() } });
  // The sandbox's own webhooks would race the ones these tests post.
  await world.scenario({ webhooks: 'drop' });
});
afterEach(async () => {
  await world.close();
});

async function pendingPayment() {
  const res = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return world.paymentOf(res.body.paymentId);
}

async function postWebhook(chargeId: string) {
  const secret = (await world.opn('/_sandbox/opn/webhooks')).body.data[0].secret as string;
  const body = JSON.stringify({ object: 'event', id: `evnt_test_${chargeId.slice(-10)}`, livemode: false, key: 'charge.complete', created_at: new Date().toISOString(), data: { object: 'charge', id: chargeId } });
  const timestamp = Math.floor(Date.now() / 1000);
  calls.clear();
  return world.api('/webhooks/opn', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'omise-signature': signOpnWebhook(body, secret, timestamp), 'omise-signature-timestamp': String(timestamp) },
  });
}

const eventTypes = async (paymentId: string) => (await world.companion.checkout.store.listEvents(paymentId)).map((e) => e.type);

describe('a create', () => {
  it("reads a new order's payments once, stores the payment before the charge, then its charge and status in one write", async () => {
    const orderId = world.order(150_000);
    calls.clear();
    const res = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(counted()).toEqual({ listPaymentsForOrder: 1, createPayment: 1, updatePayment: 1 });
    const payment = await world.paymentOf(res.body.paymentId);
    expect(payment).toMatchObject({ status: 'pending', chargeId: expect.stringMatching(/^chrg_test_/), authorizeUri: expect.any(String) });
    expect(await eventTypes(payment.id)).toEqual(['created', 'charge_created', 'status_changed']);
  });
});

describe('a webhook', () => {
  it('that changes nothing: one lookup and one write, which logs its arrival', async () => {
    const payment = await pendingPayment();
    const res = await postWebhook(payment.chargeId!);
    expect([res.status, res.body]).toEqual([200, { received: true, paymentId: payment.id, status: 'pending' }]);
    expect(counted()).toEqual({ findPaymentByChargeId: 1, updatePayment: 1 });
    expect((await eventTypes(payment.id)).slice(-1)).toEqual(['webhook_received']);
  });

  it('that pays: its arrival, the change and the hook call in one write, the delivery in another; the hook is called once', async () => {
    const payment = await pendingPayment();
    await world.complete(payment.chargeId!, 'successful');
    const res = await postWebhook(payment.chargeId!);
    expect([res.status, res.body]).toEqual([200, { received: true, paymentId: payment.id, status: 'succeeded' }]);
    // The listing is the order's other live payments, to end them.
    expect(counted()).toEqual({ findPaymentByChargeId: 1, updatePayment: 1, finishHookDelivery: 1, listPaymentsForOrder: 1 });
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([payment.id]);
    expect((await eventTypes(payment.id)).slice(-3)).toEqual(['webhook_received', 'status_changed', 'hook_called']);
    expect(await world.companion.checkout.store.listHookDeliveries(payment.id)).toMatchObject([{ hook: 'onPaid', attempts: 1, lease: null, deliveredAt: expect.any(String) }]);
  });

  it('whose charge cannot be re-fetched is still logged, once, and answered 5xx for the gateway to retry', async () => {
    const payment = await pendingPayment();
    await world.scenario({ failNext: { count: 1, status: 500 } });
    const res = await postWebhook(payment.chargeId!);
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect((await eventTypes(payment.id)).filter((t) => t === 'webhook_received')).toHaveLength(1);
    expect((await world.paymentOf(payment.id)).status).toBe('pending');
  });
});
