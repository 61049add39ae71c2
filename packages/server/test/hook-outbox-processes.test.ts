import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HookDelivery } from '../src/common/host.ts';
import type { Payment } from '../src/options.ts';
import type { CheckoutServer } from '../src/server.ts';
import { usePostgres } from './support/postgres.ts';
import { type World, startOtherCompanion, startWorld } from './support/world.ts';

/**
 * Issue 9, "Hooks that are never lost": two companion processes on one PostgreSQL (two pools, as two processes
 * have), both moving payments and both delivering the outbox at once. Each hook call is delivered once, counted
 * by its idempotency key, and no key is ever in two calls at the same time.
 */

const MINUTE = 60_000;

const cluster = usePostgres();

let world: World | undefined;
let other: CheckoutServer | undefined;
afterEach(async () => {
  await other?.close();
  await world?.close();
  world = other = undefined;
});

interface Call {
  by: 'a' | 'b';
  hook: string;
  key: string;
  attempt: number;
  paymentId: string;
}

describe('two companions on one PostgreSQL delivering hooks at once', () => {
  it('call each hook once between them (by key), never twice at once, and share the work', async () => {
    let now = Date.now();
    const calls: Call[] = [];
    const delivered: Call[] = [];
    const inFlight = new Set<string>();
    const overlaps: string[] = [];
    // Every first attempt throws, so that every call is left to the two dispatchers; each call takes a while,
    // so that the two processes' runs overlap.
    const hook = (by: 'a' | 'b', name: string) => async (payment: Payment, delivery?: HookDelivery) => {
      const call = { by, hook: name, key: delivery!.idempotencyKey, attempt: delivery!.attempt, paymentId: payment.id };
      if (inFlight.has(call.key)) overlaps.push(call.key);
      inFlight.add(call.key);
      calls.push(call);
      try {
        await new Promise((resolve) => setTimeout(resolve, 15));
        if (call.attempt === 1) throw new Error('the shop is busy');
        delivered.push(call);
      } finally {
        inFlight.delete(call.key);
      }
    };
    const hooksOf = (by: 'a' | 'b') => ({ onPaid: hook(by, 'onPaid'), onFailed: hook(by, 'onFailed'), onNeedsRefund: hook(by, 'onNeedsRefund') });
    const store = await cluster().createDatabase('two_dispatchers');
    // Background delivery on in both, polling often: it races with the explicit runs below.
    const hookDelivery = { pollEveryMs: 100 };
    world = await startWorld({ checkout: { store, now: () => now, hooks: hooksOf('a'), hookDelivery } });
    other = await startOtherCompanion(world, store, { now: () => now, hooks: hooksOf('b'), hookDelivery });
    const [a, b] = [world.companion.checkout, other.checkout];

    // 40 payments, half paid and half failed at the gateway; no webhooks: the two reconcilers move them.
    await world.scenario({ webhooks: 'drop' });
    const payments: { id: string; paid: boolean }[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
      expect(res.status).toBe(201);
      const { id, chargeId } = await world.paymentOf(res.body.paymentId);
      await world.complete(chargeId!, i % 2 === 0 ? 'successful' : 'failed');
      payments.push({ id, paid: i % 2 === 0 });
    }
    now += 11 * MINUTE;
    await world.scenario({ latencyMs: 10 });
    const reports = await Promise.all([a.reconcile(), b.reconcile()]);
    expect(reports.every((r) => r.updated > 0), 'both companions moved payments').toBe(true);
    const keys = payments.map((p) => (p.paid ? `${p.id}:succeeded:onPaid` : `${p.id}:failed:onFailed`)).sort();
    expect(calls.map((c) => c.key).sort(), 'one first attempt per transition').toEqual(keys);
    expect(delivered).toEqual([]);

    // The retries fall due: both dispatchers run at once, explicitly and in the background.
    now += 2_000;
    const runs = await Promise.all([a.deliverHooks(), b.deliverHooks(), a.deliverHooks(), b.deliverHooks()]);
    await vi.waitFor(() => expect(delivered).toHaveLength(40), { timeout: 10_000, interval: 50 });
    // More background runs: nothing more to call.
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(overlaps, 'keys called twice at once').toEqual([]);
    const deliveries = new Map<string, number>();
    for (const call of delivered) deliveries.set(call.key, (deliveries.get(call.key) ?? 0) + 1);
    expect([...deliveries.keys()].sort()).toEqual(keys);
    expect([...deliveries.values()].filter((n) => n !== 1), 'keys delivered more than once').toEqual([]);
    expect(calls).toHaveLength(80);
    expect(delivered.every((c) => c.attempt === 2)).toBe(true);
    expect(runs[0].delivered > 0 || runs[2].delivered > 0, 'the first companion delivered some').toBe(true);
    expect(runs[1].delivered > 0 || runs[3].delivered > 0, 'the second companion delivered some').toBe(true);
    expect(new Set(delivered.map((c) => c.by))).toEqual(new Set(['a', 'b']));

    for (const p of payments) {
      const [row] = await a.store.listHookDeliveries(p.id);
      expect(row).toMatchObject({ hook: p.paid ? 'onPaid' : 'onFailed', attempts: 2, lease: null, lastError: 'the shop is busy', deliveredAt: expect.any(String) });
      const events = (await a.store.listEvents(p.id)).filter((e) => e.type.startsWith('hook_'));
      expect(events.map((e) => [e.type, e.source])).toEqual([['hook_failed', 'reconciler'], ['hook_called', 'reconciler']]);
    }
  });
});
