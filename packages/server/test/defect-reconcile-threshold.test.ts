import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type World, startWorld } from './support/world.ts';

/**
 * The merchant's "reconcile now" (operations API and CLI) used the built-in 10 minutes, not `reconcileOlderThanMs`,
 * and put off every younger payment it claimed until it was 10 minutes old — out of reach of the background
 * reconciler configured for less (found by running two companions and the CLI on one database). Every run uses the
 * configured threshold by default, and a run asked for a longer one never puts a payment off past what the
 * configured rule allows.
 */

const SECOND = 1_000;
const OPS = { name: 'ops-erin', token: randomBytes(32).toString('base64url') };
let world: World | undefined;
let now = Date.parse('2030-01-01T00:00:00Z');
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** `n` K PLUS payments paid at the gateway, their webhooks dropped: pending here until a check. */
async function paidUnheard(w: World, n: number) {
  await w.scenario({ webhooks: 'drop' });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const created = await w.createPayment(w.order(150_000), 'mobile_banking_kbank');
    expect(created.status).toBe(201);
    await w.complete((await w.paymentOf(created.body.paymentId)).chargeId!, 'successful');
    ids.push(created.body.paymentId);
  }
  return ids;
}

const statuses = async (w: World, ids: string[]) => Promise.all(ids.map(async (id) => (await w.paymentOf(id)).status));

describe('reconcile now', () => {
  it('from the operations API, uses reconcileOlderThanMs', async () => {
    world = await startWorld({ checkout: { now: () => now, reconcileOlderThanMs: 1_000, reconcileEveryMs: false, operations: { tokens: [OPS] } } });
    const ids = await paidUnheard(world, 3);
    now += 40 * SECOND;
    const run = await world.api('/operations/reconcile', { method: 'POST', headers: { authorization: `Bearer ${OPS.token}` } });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ checked: 3, updated: 3 });
    expect(await statuses(world, ids)).toEqual(['succeeded', 'succeeded', 'succeeded']);
  });

  it('asked for a longer threshold, leaves younger payments due when the configured rule says', async () => {
    world = await startWorld({ checkout: { now: () => now, reconcileOlderThanMs: 1_000, reconcileEveryMs: false } });
    const ids = await paidUnheard(world, 2);
    // Old enough to be claimed by any run (past the 30 s a creation may take), younger than the hour asked for.
    now += 40 * SECOND;
    expect(await world.companion.checkout.reconcile({ olderThanMs: 60 * 60_000 })).toMatchObject({ checked: 0 });
    // The configured run, a second later, reaches them.
    now += SECOND;
    expect(await world.companion.checkout.reconcile()).toMatchObject({ checked: 2, updated: 2 });
    expect(await statuses(world, ids)).toEqual(['succeeded', 'succeeded']);
  });
});
