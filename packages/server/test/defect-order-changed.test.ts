import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type World, queryOf, startWorld } from './support/world.ts';

/**
 * Issue 9, defect 1: an order was reported paid at an older, lower amount. The cart changes after the shopper
 * started a payment; the first gateway page is then paid. A payment whose amount or currency is no longer the
 * order's must never make the order paid: it is flagged for a refund (onNeedsRefund) and the order stays payable.
 */

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => world?.close());

/** Starts K PLUS for the order as it is now; answers the payment id and the gateway's page. */
async function startKplus(orderId: string): Promise<{ paymentId: string; authorizeUri: string }> {
  const res = await world.createPayment(orderId, 'mobile_banking_kbank', { platform: 'IOS' });
  expect(res.status, res.text).toBe(201);
  return { paymentId: res.body.paymentId, authorizeUri: res.body.next.url };
}

describe('a payment of an order whose amount changed since it started', () => {
  for (const [what, change] of [
    ['a higher amount', { amount: 200_000, currency: 'THB' }],
    ['another currency', { amount: 150_000, currency: 'SGD' }],
  ] as const) {
    it(`(${what}) paid at the gateway is flagged for a refund, never makes the order paid, and the order stays payable`, async () => {
      const orderId = world.order(150_000);
      const first = await startKplus(orderId);
      world.orders.set(orderId, change);
      const second = change.currency === 'THB' ? await startKplus(orderId) : null;

      // The shopper pays the first page after all (another tab, a saved link): the gateway takes 1,500.00 THB.
      const back = await world.visit(await world.authorize(first.authorizeUri, 'successful'));
      expect(queryOf(back.location).status).toBe('succeeded');

      expect(world.hooks.onPaid).toEqual([]);
      expect(world.hooks.onNeedsRefund.map((p) => [p.id, p.amount, p.currency])).toEqual([[first.paymentId, 150_000, 'THB']]);
      expect(await world.paymentOf(first.paymentId)).toMatchObject({ status: 'succeeded', needsRefund: true });
      const events = await world.companion.checkout.store.listEvents(first.paymentId);
      expect(events.find((e) => e.type === 'needs_refund')?.detail).toMatchObject({ orderChanged: { amount: change.amount, currency: change.currency } });

      // The order is still to be paid, at its current amount.
      const config = await world.api(`/checkout/config?orderId=${orderId}`);
      expect(config.status).toBe(200);
      expect([config.body.amount, config.body.currency]).toEqual([change.amount, change.currency]);
      if (second) {
        expect((await world.paymentOf(second.paymentId)).status).toBe('pending');
        await world.visit(await world.authorize(second.authorizeUri, 'successful'));
        expect(world.hooks.onPaid.map((p) => [p.id, p.amount])).toEqual([[second.paymentId, 200_000]]);
      } else {
        const again = await world.createPayment(orderId, 'kakaopay', { platform: 'IOS' });
        expect(again.status, again.text).toBe(201);
      }
    });
  }

  it('an unchanged order is paid as before (onPaid once, no flag)', async () => {
    const orderId = world.order(150_000);
    const first = await startKplus(orderId);
    await world.visit(await world.authorize(first.authorizeUri, 'successful'));
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([first.paymentId]);
    expect(world.hooks.onNeedsRefund).toEqual([]);
    expect((await world.paymentOf(first.paymentId)).needsRefund).toBe(false);
  });
});
