import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { HookDelivery } from '../src/common/host.ts';
import { type Payment, parseCheckoutOptions } from '../src/options.ts';
import { hookRetryDelayMs } from '../src/services/hook-outbox.ts';
import { configError } from './support/config-error.ts';
import { type World, startWorld } from './support/world.ts';

/**
 * Issue 9, "Hooks that are never lost": a hook that throws is called again, with backoff (1 s, 2 s, 4 s … at most
 * 10 minutes by default), until it returns; the same idempotency key each time, the attempt counted, every
 * attempt in the payment's log, the row of the outbox delivered in the end. Before the outbox a throw was logged
 * and the call never made again.
 */

const SECOND = 1_000;
const dir = mkdtempSync(join(tmpdir(), 'checkout-hooks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

interface Call {
  key: string;
  attempt: number;
  at: number;
  payment: Payment;
}

/** An onPaid hook that throws on its first `failures` calls, and records every call. */
function flakyHook(failures: number, clock: () => number = Date.now) {
  const calls: Call[] = [];
  const hook = (payment: Payment, delivery?: HookDelivery) => {
    calls.push({ key: delivery!.idempotencyKey, attempt: delivery!.attempt, at: clock(), payment });
    if (calls.length <= failures) throw new Error(`shop database down (${calls.length})`);
  };
  return { calls, hook };
}

/** Pays a new order through the return URL; answers the payment id once the shopper is sent to the result page. */
async function pay(w: World): Promise<string> {
  const created = await w.createPayment(w.order(150_000), 'mobile_banking_kbank');
  const back = await w.visit(await w.authorize(created.body.next.url, 'successful'));
  expect(back.status).toBe(302);
  return created.body.paymentId;
}

describe('a hook that throws', () => {
  it('is called again with backoff until it returns, with the same key each time, and is then delivered', async () => {
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    const onPaid = flakyHook(3, () => now);
    world = await startWorld({ checkout: { now: () => now, hooks: { onPaid: onPaid.hook }, hookDelivery: { pollEveryMs: false } } });
    const { deliverHooks, store } = world.companion.checkout;
    const start = now;
    const id = await pay(world);
    // The request answered after the first attempt, as before the outbox; the payment stays paid.
    expect(onPaid.calls.map((c) => c.attempt)).toEqual([1]);
    expect((await world.paymentOf(id)).status).toBe('succeeded');
    expect(await store.listHookDeliveries(id)).toMatchObject([{ attempts: 1, nextAttemptAt: new Date(start + SECOND).toISOString(), lastError: 'shop database down (1)', deliveredAt: null }]);

    // 1 s, then 2 s, then 4 s after each failure; nothing before.
    const steps: [number, { delivered: number; failed: number; running: number }][] = [
      [SECOND - 1, { delivered: 0, failed: 0, running: 0 }],
      [1, { delivered: 0, failed: 1, running: 0 }],
      [2 * SECOND - 1, { delivered: 0, failed: 0, running: 0 }],
      [1, { delivered: 0, failed: 1, running: 0 }],
      [4 * SECOND - 1, { delivered: 0, failed: 0, running: 0 }],
      [1, { delivered: 1, failed: 0, running: 0 }],
      [3_600 * SECOND, { delivered: 0, failed: 0, running: 0 }],
    ];
    for (const [wait, report] of steps) {
      now += wait;
      expect(await deliverHooks()).toEqual(report);
    }

    const key = `${id}:succeeded:onPaid`;
    expect(onPaid.calls.map((c) => [c.key, c.attempt, c.at - start])).toEqual([
      [key, 1, 0],
      [key, 2, SECOND],
      [key, 3, 3 * SECOND],
      [key, 4, 7 * SECOND],
    ]);
    expect(onPaid.calls.every((c) => c.payment.id === id && c.payment.status === 'succeeded' && !('returnToken' in c.payment))).toBe(true);
    const hookEvents = (await store.listEvents(id)).filter((e) => e.type.startsWith('hook_'));
    expect(hookEvents.map((e) => [e.type, e.source, e.detail])).toEqual([
      ['hook_failed', 'return', { hook: 'onPaid', message: 'shop database down (1)' }],
      ['hook_failed', 'return', { hook: 'onPaid', message: 'shop database down (2)' }],
      ['hook_failed', 'return', { hook: 'onPaid', message: 'shop database down (3)' }],
      ['hook_called', 'return', { hook: 'onPaid' }],
    ]);
    expect(await store.listHookDeliveries(id)).toMatchObject([{ key, attempts: 4, lastError: 'shop database down (3)', deliveredAt: new Date(start + 7 * SECOND).toISOString() }]);
    expect(world.logs.filter((l) => l.level === 'error' && /onPaid hook threw/.test(l.message))).toHaveLength(3);
  });

  it('waits 1, 2, 4 … seconds between attempts, at most 10 minutes, never giving up', () => {
    const defaults = parseCheckoutOptions({ resolveOrder: () => null, publicBaseUrl: 'https://shop.example', resultUrl: '/r', opn: { apiUrl: 'http://127.0.0.1:4000' } }).hookDelivery;
    expect(defaults).toEqual({ retryFirstMs: 1_000, retryMaxMs: 600_000, pollEveryMs: 5_000, leaseMs: 300_000, requestWaitMs: 3_000, closeWaitMs: 10_000 });
    expect([1, 2, 3, 4, 5, 9, 10, 11, 50, 1_000].map((attempts) => hookRetryDelayMs(attempts, defaults) / SECOND)).toEqual([1, 2, 4, 8, 16, 256, 512, 600, 600, 600]);
  });

  it('is retried in the background when the retry falls due, and no longer once the companion is closed', async () => {
    const onPaid = flakyHook(1);
    world = await startWorld({ checkout: { hooks: { onPaid: onPaid.hook }, hookDelivery: { retryFirstMs: 100, pollEveryMs: 60_000 } } });
    const id = await pay(world);
    await vi.waitFor(() => expect(onPaid.calls).toHaveLength(2), { timeout: 5_000, interval: 20 });
    expect(onPaid.calls[1].at - onPaid.calls[0].at).toBeGreaterThanOrEqual(90);
    await vi.waitFor(async () => expect((await world!.companion.checkout.store.listHookDeliveries(id))[0].deliveredAt).not.toBeNull());

    const closing = flakyHook(10);
    await world.close();
    world = await startWorld({ checkout: { hooks: { onPaid: closing.hook }, hookDelivery: { retryFirstMs: 100, pollEveryMs: 100 } } });
    await pay(world);
    expect(closing.calls).toHaveLength(1);
    await world.close();
    world = undefined;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(closing.calls).toHaveLength(1);
  });

  it('is retried when its wake timer fires, even if the clock still reads a moment before the retry time', async () => {
    // Node counts a timer from the loop's time, which lags the clock after a long turn: the timer may fire a few ms
    // before the clock reaches the retry. Here the clock stands still, so it always reads before the retry time.
    const now = Date.now();
    const onPaid = flakyHook(1);
    world = await startWorld({ checkout: { now: () => now, hooks: { onPaid: onPaid.hook }, hookDelivery: { retryFirstMs: 100, pollEveryMs: 60_000 } } });
    const id = await pay(world);
    await vi.waitFor(() => expect(onPaid.calls).toHaveLength(2), { timeout: 3_000, interval: 20 });
    await vi.waitFor(async () => expect((await world!.companion.checkout.store.listHookDeliveries(id))[0].deliveredAt).not.toBeNull());
  });

  it('left undelivered by a companion that stopped, is delivered by the next one on the same store when it starts', async () => {
    const store = join(dir, 'restart.db');
    let now = Date.now();
    const failing = flakyHook(1);
    world = await startWorld({ checkout: { store, now: () => now, hooks: { onPaid: failing.hook }, hookDelivery: { pollEveryMs: false } } });
    const id = await pay(world);
    await world.close();

    now += 2 * SECOND;
    const succeeding = flakyHook(0);
    // Its poll is an hour away: only the run at the start can deliver it.
    world = await startWorld({ checkout: { store, now: () => now, hooks: { onPaid: succeeding.hook }, hookDelivery: { pollEveryMs: 3_600_000 } } });
    await vi.waitFor(() => expect(succeeding.calls.map((c) => [c.key, c.attempt])).toEqual([[`${id}:succeeded:onPaid`, 2]]), { timeout: 5_000, interval: 20 });
    await vi.waitFor(async () => expect((await world!.companion.checkout.store.listHookDeliveries(id))[0]).toMatchObject({ attempts: 2, deliveredAt: expect.any(String) }));
  });
});

describe('the hookDelivery options', () => {
  const base = { resolveOrder: () => null, publicBaseUrl: 'https://shop.example', resultUrl: '/r', opn: { apiUrl: 'http://127.0.0.1:4000' } };

  it('take each field, and false to switch the background delivery off', () => {
    expect(parseCheckoutOptions({ ...base, hookDelivery: { retryFirstMs: 500, retryMaxMs: 60_000, pollEveryMs: false, leaseMs: 30_000, requestWaitMs: 800, closeWaitMs: 0 } }).hookDelivery).toEqual({
      retryFirstMs: 500, retryMaxMs: 60_000, pollEveryMs: false, leaseMs: 30_000, requestWaitMs: 800, closeWaitMs: 0,
    });
    expect(parseCheckoutOptions({ ...base, hookDelivery: { pollEveryMs: 250 } }).hookDelivery).toMatchObject({ pollEveryMs: 250, retryFirstMs: 1_000 });
  });

  it.each([
    [{ pollEveryMs: 0 }, 'hookDelivery.pollEveryMs'],
    [{ pollEveryMs: true }, 'hookDelivery.pollEveryMs'],
    [{ retryFirstMs: 5_000, retryMaxMs: 2_000 }, 'hookDelivery.retryMaxMs'],
    [{ retryFirstMs: 1.5 }, 'hookDelivery.retryFirstMs'],
    [{ leaseMs: 10 }, 'hookDelivery.leaseMs'],
    [{ requestWaitMs: -1 }, 'hookDelivery.requestWaitMs'],
    [{ requestWaitMs: 120_000 }, 'hookDelivery.requestWaitMs'],
    [{ closeWaitMs: -5 }, 'hookDelivery.closeWaitMs'],
    [{ closeWaitMs: '10s' }, 'hookDelivery.closeWaitMs'],
    [{ retries: 3 }, 'hookDelivery'],
  ])('refuse %j', (hookDelivery, path) => {
    expect(configError({ ...base, hookDelivery }).issues.map((i) => i.path)).toEqual([path]);
  });
});
