import { describe, expect, it } from 'vitest';
import { cardToken, kpaymentSettings, postForm, startCard, tokenFields } from './support/kpayment.ts';
import { open, world } from './support/kpayment-world.ts';

/**
 * The merchant's shopper lookup (`resolveCustomer`, for saved cards) is optional to paying. A lookup that threw made
 * the whole checkout config a 500 (no method could be paid), and one that never answered held the config, every card
 * payment and a card registration forever. Now it is bounded like the order lookup (`orderLookupTimeoutMs`), and a
 * failed one means no saved cards: the shopper pays with a card typed in; only saving a card on purpose fails.
 */

const SHOPPER = { id: 'shopper-42', email: 'somrak@example.com', name: 'Somrak Raktrakoon' };
/** Card registrations (saving a card before buying) on, with their result page. */
const REGISTRATIONS = { registrationResultUrl: '/cards/{registrationId}?status={status}' };

const LOOKUPS: [string, () => unknown][] = [
  ['never answers', () => new Promise<never>(() => undefined)],
  ['throws', () => {
    throw new Error('customers database down');
  }],
];

describe('a resolveCustomer that fails', () => {
  for (const [what, lookup] of LOOKUPS) {
    it(`${what}: the config and a card payment go on without saved cards; a card registration fails clearly, within the timeout`, async () => {
      await open({ checkout: { orderLookupTimeoutMs: 200, resolveCustomer: lookup as never }, kpayment: REGISTRATIONS });
      kpaymentSettings(world, { threeDSecure: false });
      const started = performance.now();
      const orderId = world.order(150_000);
      const config = await world.api(`/checkout/config?orderId=${orderId}`);
      expect(config.status, JSON.stringify(config.body)).toBe(200);
      expect(config.body.gateways.kpayment.savedCards).toBe(false);

      const card = await startCard(world);
      expect(card.next.attributes).not.toHaveProperty('customer-id');
      const paid = await postForm(card.next.formAction, tokenFields(await cardToken(world, { number: '5431289719925031' }), card.next.attributes));
      expect(paid.status).toBe(303);
      expect(await world.paymentOf(card.paymentId)).toMatchObject({ status: 'succeeded' });

      const registration = await world.api('/checkout/kpayment/registrations', { json: { orderId: world.order(1_000) } });
      expect([registration.status, registration.body.error.code]).toEqual([500, 'internal_error']);
      expect(registration.text).not.toMatch(/customers database down/);
      expect(performance.now() - started).toBeLessThan(8_000);
      expect(world.logs.some((l) => l.level === 'error' && l.message.startsWith('resolveCustomer failed'))).toBe(true);
    });
  }

  it('a shopper found, as before: a card registration starts', async () => {
    await open({ checkout: { orderLookupTimeoutMs: 200, resolveCustomer: () => SHOPPER }, kpayment: REGISTRATIONS });
    const registration = await world.api('/checkout/kpayment/registrations', { json: { orderId: world.order(1_000) } });
    expect(registration.status).toBe(201);
  });
});
