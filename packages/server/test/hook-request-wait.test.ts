import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Payment } from '../src/options.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { type World, startWorld } from './support/world.ts';

/**
 * The request that pays an order calls the merchant's hook and waits for it — at most `hookDelivery.requestWaitMs`
 * (3 s by default). A slow hook no longer holds the shopper's return page, or a webhook past its gateway's timeout
 * (Opn gives up after 10 s): the request answers, the call goes on, and its outcome is recorded when it ends.
 */

const dir = mkdtempSync(join(tmpdir(), 'checkout-hook-wait-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** An onPaid hook that takes `ms` to return; records when each call started and ended. */
function slowHook(ms: number) {
  const calls: { orderId: string; started: number; ended?: number }[] = [];
  const hook = async (payment: Payment) => {
    const call: (typeof calls)[number] = { orderId: payment.orderId, started: performance.now() };
    calls.push(call);
    await new Promise((resolve) => setTimeout(resolve, ms));
    call.ended = performance.now();
  };
  return { calls, hook };
}

/** A new K PLUS order paid at the gateway; answers the shopper's return (its answer and how long it took). */
async function payAndReturn(w: World) {
  // Opn's webhooks (charge.create, charge.complete) come a minute later, sandbox time: the return is what pays.
  await w.scenario({ webhooks: 'delay', webhookDelayMs: 60_000 });
  const orderId = w.order(150_000);
  const created = await w.createPayment(orderId, 'mobile_banking_kbank');
  expect(created.status).toBe(201);
  const returnUrl = await w.authorize(created.body.next.url, 'successful');
  const started = performance.now();
  const back = await w.visit(returnUrl);
  return { orderId, paymentId: created.body.paymentId as string, back, answeredAfterMs: performance.now() - started };
}

const delivered = async (w: World, paymentId: string) => (await w.companion.checkout.store.listHookDeliveries(paymentId)).map((h) => h.deliveredAt !== null);
const events = async (w: World, paymentId: string) => (await w.companion.checkout.store.listEvents(paymentId)).map((e) => e.type);

describe('a hook slower than the request will wait', () => {
  it("answers the shopper's return after requestWaitMs, while the call goes on; records the call once it ends", async () => {
    const onPaid = slowHook(1_500);
    world = await startWorld({ checkout: { hooks: { onPaid: onPaid.hook }, hookDelivery: { requestWaitMs: 200 } } });
    const { orderId, paymentId, back, answeredAfterMs } = await payAndReturn(world);
    expect(back.status).toBe(302);
    expect(back.location).toContain(`payment=${paymentId}`);
    expect(back.location).toContain('status=succeeded');
    expect(answeredAfterMs).toBeLessThan(1_200);
    expect(onPaid.calls).toEqual([{ orderId, started: expect.any(Number) }]);
    expect(await delivered(world, paymentId)).toEqual([false]);
    expect(world.logs.some((l) => l.level === 'warn' && l.message.includes("outlasted the request's wait (200 ms)"))).toBe(true);

    await expect.poll(() => delivered(world!, paymentId), { timeout: 5_000 }).toEqual([true]);
    expect(onPaid.calls).toHaveLength(1);
    expect(onPaid.calls[0].ended! - onPaid.calls[0].started).toBeGreaterThanOrEqual(1_450);
    expect(await events(world, paymentId)).toContain('hook_called');
  });

  it('is waited for by close(): the call ends and its outcome is recorded before the companion stops', async () => {
    const onPaid = slowHook(1_000);
    const path = join(dir, 'close.db');
    world = await startWorld({ checkout: { store: new SqliteStore({ path }), hooks: { onPaid: onPaid.hook }, hookDelivery: { requestWaitMs: 100 } } });
    const { paymentId } = await payAndReturn(world);
    expect(onPaid.calls[0].ended).toBeUndefined();
    const { logs } = world;
    const closing = world.close();
    world = undefined;
    await closing;
    expect(onPaid.calls[0].ended).toBeDefined();
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    const reopened = new SqliteStore({ path });
    expect((await reopened.listHookDeliveries(paymentId)).map((h) => h.deliveredAt !== null)).toEqual([true]);
    await reopened.close();
  });
});

describe('a hook within the wait', () => {
  it('is waited for, as before: the shopper is answered after the call is recorded', async () => {
    const onPaid = slowHook(150);
    world = await startWorld({ checkout: { hooks: { onPaid: onPaid.hook } } });
    const { paymentId, back, answeredAfterMs } = await payAndReturn(world);
    expect(back.status).toBe(302);
    expect(answeredAfterMs).toBeGreaterThanOrEqual(140);
    expect(onPaid.calls[0].ended).toBeDefined();
    expect(await delivered(world, paymentId)).toEqual([true]);
    expect(await events(world, paymentId)).toContain('hook_called');
    expect(world.logs.filter((l) => l.level === 'warn')).toEqual([]);
  });
});

/**
 * An onPaid hook whose first call for each order throws (so that its retry falls due for a delivery run), and whose
 * later calls for the orders `hangs` picks wait until `release()`; `calls` counts the calls per order.
 */
function failsThenHangs(hangs: (orderId: string) => boolean) {
  let release: () => void = () => undefined;
  const hung = new Promise<void>((resolve) => (release = resolve));
  const calls = new Map<string, number>();
  const onPaid = async (payment: Payment) => {
    const n = (calls.get(payment.orderId) ?? 0) + 1;
    calls.set(payment.orderId, n);
    if (n === 1) throw new Error('shop database down');
    if (hangs(payment.orderId)) await hung;
  };
  return { calls, onPaid, release: () => release() };
}

describe('a hook that hangs in a delivery run', () => {
  it("does not hold the run: other payments' retries are delivered, and the hung call records its outcome once it ends", async () => {
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    let hangOrder = '';
    const { calls, onPaid, release } = failsThenHangs((orderId) => orderId === hangOrder);
    world = await startWorld({ checkout: { now: () => now, hooks: { onPaid }, hookDelivery: { pollEveryMs: false, requestWaitMs: 200 } } });
    const hanging = await payAndReturn(world);
    hangOrder = hanging.orderId;
    const other = await payAndReturn(world);
    expect([calls.get(hanging.orderId), calls.get(other.orderId)]).toEqual([1, 1]);

    now += 1_000; // both retries due
    const started = performance.now();
    expect(await world.companion.checkout.deliverHooks()).toEqual({ delivered: 1, failed: 0, running: 1 });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(await delivered(world, other.paymentId)).toEqual([true]);
    expect(await delivered(world, hanging.paymentId)).toEqual([false]);
    // The hung row stays leased to its call: a second run does not call it again.
    expect(await world.companion.checkout.deliverHooks()).toEqual({ delivered: 0, failed: 0, running: 0 });
    expect(calls.get(hanging.orderId)).toBe(2);

    release();
    await expect.poll(() => delivered(world!, hanging.paymentId), { timeout: 5_000 }).toEqual([true]);
    expect(world.logs.some((l) => l.level === 'warn' && l.message.includes("outlasted the run's wait (200 ms)"))).toBe(true);
  });
});

describe('hooks that all hang', () => {
  it('are started at most ten at a time by the runs of one process; the rest wait until calls end', async () => {
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    const { calls, onPaid, release } = failsThenHangs(() => true);
    world = await startWorld({ checkout: { now: () => now, hooks: { onPaid }, hookDelivery: { pollEveryMs: false, requestWaitMs: 100 } } });
    const paid: Awaited<ReturnType<typeof payAndReturn>>[] = [];
    for (let i = 0; i < 12; i++) paid.push(await payAndReturn(world));
    now += 1_000;
    expect(await world.companion.checkout.deliverHooks()).toEqual({ delivered: 0, failed: 0, running: 10 });
    expect(await world.companion.checkout.deliverHooks()).toEqual({ delivered: 0, failed: 0, running: 0 });
    expect([...calls.values()].filter((n) => n === 2)).toHaveLength(10);

    release();
    await expect.poll(async () => (await Promise.all(paid.map((p) => delivered(world!, p.paymentId)))).flat().filter(Boolean).length, { timeout: 5_000 }).toBe(10);
    expect(await world.companion.checkout.deliverHooks()).toEqual({ delivered: 2, failed: 0, running: 0 });
  });
});

describe('a hook that never returns, at close()', () => {
  it('is waited for at most hookDelivery.closeWaitMs; after a restart its call is made again, with the same key, once its lease ends', async () => {
    const path = join(dir, 'hung-close.db');
    const hung: { orderId: string; key?: string }[] = [];
    const never = async (payment: Payment, delivery?: { idempotencyKey: string }) => {
      hung.push({ orderId: payment.orderId, key: delivery?.idempotencyKey });
      await new Promise<never>(() => {});
    };
    world = await startWorld({
      checkout: { store: new SqliteStore({ path }), hooks: { onPaid: never }, hookDelivery: { requestWaitMs: 100, closeWaitMs: 300, leaseMs: 1_000 } },
    });
    const { orderId, paymentId, back } = await payAndReturn(world);
    expect(back.status).toBe(302);
    const { logs } = world;
    const started = performance.now();
    const closing = world.close();
    world = undefined;
    await closing;
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(logs.some((l) => l.level === 'warn' && l.message.includes('1 hook call still running at close'))).toBe(true);

    // The next process on the same file: the call, left leased, is taken again once its lease ends, and delivered.
    const called: { orderId: string; key?: string; attempt?: number }[] = [];
    world = await startWorld({
      checkout: {
        store: new SqliteStore({ path }),
        hooks: { onPaid: async (payment, delivery) => void called.push({ orderId: payment.orderId, key: delivery?.idempotencyKey, attempt: delivery?.attempt }) },
        hookDelivery: { pollEveryMs: 200 },
      },
    });
    await expect.poll(() => delivered(world!, paymentId), { timeout: 5_000 }).toEqual([true]);
    expect(called).toEqual([{ orderId, key: hung[0].key, attempt: 2 }]);
    expect(hung).toHaveLength(1);
  });
});
