import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startWorld } from './support/world.ts';

/**
 * A companion stopped (SIGTERM, a deploy) while a merchant's refund was at the gateway (found by running the CLI
 * against two companions): `close()` cut every connection at once, the refund went through at Opn, and nothing
 * recorded it — the payment showed nothing refunded, and the CLI said the API was never reached. Requests under
 * way now finish before the companion stops.
 */

const OPS = { name: 'ops-finn', token: randomBytes(32).toString('base64url') };

describe('close() while a request is under way', () => {
  it('lets it finish and record what the gateway did', async () => {
    const world = await startWorld({ checkout: { operations: { tokens: [OPS] } } });
    const created = await world.createPayment(world.order(150_000), 'kakaopay');
    await world.visit(await world.authorize(created.body.next.url, 'successful'));
    const paymentId = created.body.paymentId as string;
    await world.scenario({ latencyMs: 800 });

    const refund = world.api(`/operations/payments/${paymentId}/refund`, { method: 'POST', headers: { authorization: `Bearer ${OPS.token}` }, json: { amount: 10_000 } });
    await new Promise((resolve) => setTimeout(resolve, 200)); // the refund is at the gateway
    const closing = world.companion.close();
    const answer = await refund;
    expect([answer.status, answer.body.payment?.refundedAmount]).toEqual([200, 10_000]);
    expect((await world.opn(`/charges/${answer.body.payment.chargeId}`)).body.refunded_amount).toBe(10_000);
    await closing;
    await world.sandbox.close();
  });
});
