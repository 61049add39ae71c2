import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckoutServer } from '../src/server.ts';
import { usePostgres } from './support/postgres.ts';
import { type World, startOtherCompanion, startWorld } from './support/world.ts';
import { recordGatewayCalls } from './support/gateway-calls.ts';

/**
 * Issue 9, "Reconciliation": safe with several companion processes on one PostgreSQL. Two companions (two
 * pools, as two processes would have) reconcile at the same moment; each payment is asked about once. The
 * gateway requests are counted by the companion's user agent, through a `fetch` the clients pick up at start.
 */

const MINUTE = 60_000;
let calls: string[] = [];
let restoreFetch = () => {};

const cluster = usePostgres();

let world: World | undefined;
let other: CheckoutServer | undefined;
beforeEach(() => {
  ({ calls, restore: restoreFetch } = recordGatewayCalls());
});
afterEach(async () => {
  restoreFetch();
  await other?.close();
  await world?.close();
  world = other = undefined;
});

describe('two companions on one PostgreSQL reconciling at once', () => {
  it('ask the gateway about each payment once between them, and settle the paid ones once', async () => {
    let now = Date.now();
    const store = await cluster().createDatabase('two_reconcilers');
    world = await startWorld({ checkout: { store, now: () => now } });
    other = await startOtherCompanion(world, store, { now: () => now });
    await world.scenario({ webhooks: 'drop' });
    const payments: { id: string; chargeId: string }[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
      expect(res.status).toBe(201);
      const { id, chargeId } = await world.paymentOf(res.body.paymentId);
      payments.push({ id, chargeId: chargeId! });
    }
    const paid = payments.filter((_, i) => i % 4 === 0);
    for (const p of paid) await world.complete(p.chargeId, 'successful');
    // Each retrieve takes a while, so that the two runs overlap from start to end.
    await world.scenario({ latencyMs: 20 });
    now += 11 * MINUTE;

    calls.length = 0;
    const reports = await Promise.all([world.companion.checkout.reconcile(), other.checkout.reconcile()]);
    const retrieves = new Map<string, number>();
    for (const call of calls) retrieves.set(call, (retrieves.get(call) ?? 0) + 1);
    expect([...retrieves.values()].filter((n) => n > 1), 'charges retrieved more than once').toEqual([]);
    expect([...retrieves.keys()].sort()).toEqual(payments.map((p) => `GET /charges/${p.chargeId}`).sort());
    expect(reports.map((r) => r.checked).reduce((a, b) => a + b)).toBe(40);
    expect(reports.every((r) => r.checked > 0), 'both companions took a share').toBe(true);
    expect(reports.flatMap((r) => r.payments).map((p) => p.id).sort()).toEqual(paid.map((p) => p.id).sort());
    for (const p of payments) {
      expect((await world.paymentOf(p.id)).status).toBe(paid.includes(p) ? 'succeeded' : 'pending');
      const moves = (await world.companion.checkout.store.listEvents(p.id)).filter((e) => e.source === 'reconciler' && e.type === 'status_changed');
      expect(moves.map((e) => e.toStatus)).toEqual(paid.includes(p) ? ['succeeded'] : []);
    }
  });
});
