import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardToken, kpaymentSettings, postForm, startCard, tokenFields } from './support/kpayment.ts';
import type { CardStore } from '../src/store/card-store.ts';
import { open, world } from './support/kpayment-world.ts';
import { queryOf, startOtherCompanion } from './support/world.ts';

/**
 * Remembered cards that were lost (found by trying "Remember card" with two tabs and with the sandbox's faults):
 * two cards remembered at once kept one, and a card whose saving failed once was never saved.
 */

const SHOPPER = { id: 'shopper-7', email: 'malee@example.com', name: 'Malee Srisuk' };
const cards = () => world.companion.checkout.store as unknown as CardStore;
const events = async (paymentId: string) => (await world.companion.checkout.store.listEvents(paymentId)).filter((e) => e.type.startsWith('card_'));
const savedCards = async () => {
  const mapping = await cards().getShopperCustomer('kpayment', SHOPPER.id);
  if (!mapping) return [];
  return (await world.companion.checkout.gateways.kpayment!.client.retrieveCustomer(mapping.customerId)).cards.map((c) => c.masked).sort();
};

/** A card payment of a new order, posted with "Remember card"; answers the payment's id once the charge is known. */
async function payRemembering(number: string, amount: number): Promise<string> {
  const { paymentId, next } = await startCard(world, amount);
  const token = await cardToken(world, { number, savecard: true });
  const back = await postForm(next.formAction, tokenFields(token, next.attributes, { savecard: 'true' }));
  expect(queryOf(back.location).status).toBe('succeeded');
  return paymentId;
}

describe('remembered cards', () => {
  it('two tabs remembering two cards at once keep both, on one customer', async () => {
    let now = Date.now();
    await open({ checkout: { resolveCustomer: () => SHOPPER, now: () => now } });
    kpaymentSettings(world, { threeDSecure: false });
    world.sandbox.kpayment.setScenario(world.keys.secretKey, { latencyMs: 30 });
    const [a, b] = await Promise.all([payRemembering('4024007134786226', 10_000), payRemembering('4485169016314923', 20_000)]);
    // The second tab's card waits for the first's customer: added to it when tried again, within a minute.
    now += 31_000;
    await world.companion.checkout.deliverHooks();
    expect(await savedCards()).toEqual(['402400*****6226', '448516*****4923']);
    const saved = [...(await events(a)), ...(await events(b))];
    expect(saved.map((e) => e.type)).toEqual(['card_saved', 'card_saved']);
    expect(saved.filter((e) => e.detail?.customerCreated === true)).toHaveLength(1);
  });

  it('a card whose saving failed (the gateway answered 503) is saved by a later attempt, once', async () => {
    let now = Date.now();
    await open({ checkout: { resolveCustomer: () => SHOPPER, now: () => now } });
    kpaymentSettings(world, { threeDSecure: false });
    world.sandbox.kpayment.setScenario(world.keys.secretKey, { failNext: { count: 1, status: 503, on: 'POST /card/v2/customer' } });
    const paymentId = await payRemembering('4024007134786226', 10_000);
    expect(await savedCards()).toEqual([]);
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'succeeded' });

    now += 31_000;
    await world.companion.checkout.deliverHooks();
    expect(await savedCards()).toEqual(['402400*****6226']);
    expect((await events(paymentId)).map((e) => e.type)).toEqual(['card_saved']);
    now += 60_000;
    await world.companion.checkout.deliverHooks();
    expect(await savedCards()).toEqual(['402400*****6226']);
  });

  it('a Customer API that does not answer does not hold the shopper\'s page: the result comes at once, the card is saved later', async () => {
    let now = Date.now();
    await open({ kpayment: { timeoutMs: 1_000 }, checkout: { resolveCustomer: () => SHOPPER, now: () => now, hookDelivery: { requestWaitMs: 200 } } });
    kpaymentSettings(world, { threeDSecure: false });
    world.sandbox.kpayment.setScenario(world.keys.secretKey, { failNext: { count: 1, fault: 'timeout', on: 'POST /card/v2/customer' }, hangMs: 60_000 });
    const started = Date.now();
    const paymentId = await payRemembering('4024007134786226', 10_000);
    // Answered after the hooks' request wait (200 ms here), not after the client's timeout (1 s here, 15 s by default).
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect.poll(async () => (await world.companion.checkout.store.listEvents(paymentId)).some((e) => e.type === 'hook_failed'), { timeout: 5_000 }).toBe(true);
    now += 31_000;
    await world.companion.checkout.deliverHooks();
    expect(await savedCards()).toEqual(['402400*****6226']);
  });

  it('a card whose saving keeps failing is given up after ten more attempts, and recorded so', async () => {
    let now = Date.now();
    await open({ checkout: { resolveCustomer: () => SHOPPER, now: () => now } });
    kpaymentSettings(world, { threeDSecure: false });
    world.sandbox.kpayment.setScenario(world.keys.secretKey, { failNext: { count: 1_000, status: 502, on: 'POST /card/v2/customer' } });
    const paymentId = await payRemembering('4024007134786226', 10_000);
    const attempts = async () => (await world.companion.checkout.store.listEvents(paymentId)).filter((e) => e.type === 'hook_failed').length;
    for (let round = 0; round < 15; round++) {
      now += 11 * 60_000;
      await world.companion.checkout.deliverHooks();
    }
    // The first attempt and nine retries failed; the tenth retry (the eleventh attempt) gave up.
    expect(await attempts()).toBe(10);
    expect((await events(paymentId)).map((e) => [e.type, e.detail?.attempts])).toEqual([['card_not_saved', 11]]);
    expect(world.logs.some((l) => l.level === 'error' && l.message.includes('given up'))).toBe(true);
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'succeeded' });
  });

  it('asks resolveCustomer to show the cards in the browser that pays, and to save the card after payment: a browser not the shopper\'s gets none', async () => {
    const asked: string[] = [];
    let showTo: 'the shopper' | 'someone else' = 'the shopper';
    await open({ checkout: { resolveCustomer: (_orderId, purpose) => (asked.push(purpose), purpose === 'show' && showTo !== 'the shopper' ? null : SHOPPER) } });
    kpaymentSettings(world, { threeDSecure: false });
    await payRemembering('4024007134786226', 10_000);
    expect(asked).toContain('show');
    expect(asked.at(-1)).toBe('save');
    const orderId = world.order(20_000);
    expect((await world.api(`/checkout/config?orderId=${orderId}`)).body.gateways.kpayment.savedCards).toBe(true);
    showTo = 'someone else';
    expect((await world.api(`/checkout/config?orderId=${orderId}`)).body.gateways.kpayment.savedCards).toBe(false);
    const started = await world.createPayment(orderId, 'card');
    expect(started.body.next.attributes).not.toHaveProperty('customer-id');
  });

  it('a card the gateway refuses for good (its token already used) is not tried again', async () => {
    let now = Date.now();
    await open({ checkout: { resolveCustomer: () => SHOPPER, now: () => now } });
    kpaymentSettings(world, { threeDSecure: false });
    const { paymentId, next } = await startCard(world, 10_000);
    const token = await cardToken(world, { number: '4024007134786226', savecard: true });
    // Another customer took the token's one saving first: K-Payment answers used_token.
    const stolen = world.companion.checkout.gateways.kpayment!.client;
    const original = stolen.createCustomer.bind(stolen);
    let calls = 0;
    stolen.createCustomer = async (params) => {
      calls++;
      await original({ ...params, email: 'other@example.com' });
      return original(params);
    };
    await postForm(next.formAction, tokenFields(token, next.attributes, { savecard: 'true' }));
    now += 60 * 60_000;
    await world.companion.checkout.deliverHooks();
    expect(calls).toBe(1);
    expect((await events(paymentId)).map((e) => [e.type, e.detail?.code])).toEqual([['card_not_saved', 'used_token']]);
  });

  it('a process that dies right after the commit that pays leaves the card to save: the next process saves it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkout-card-crash-'));
    let now = Date.now();
    try {
      await open({ checkout: { store: join(dir, 'shop.db'), resolveCustomer: () => SHOPPER, now: () => now } });
      kpaymentSettings(world, { threeDSecure: false });
      // The process "dies" once the paying move is on disk: nothing after that commit runs, the request never answers.
      const store = world.companion.checkout.store;
      const commit = store.updatePayment.bind(store);
      store.updatePayment = (async (id, decide, at) => {
        const update = await commit(id, decide, at);
        return update?.after.status === 'succeeded' && update.before.status !== 'succeeded' ? new Promise(() => {}) : update;
      }) as typeof store.updatePayment;
      const { paymentId, next } = await startCard(world, 10_000);
      const token = await cardToken(world, { number: '4024007134786226', savecard: true });
      const request = new AbortController();
      const posting = fetch(next.formAction, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(tokenFields(token, next.attributes, { savecard: 'true' })).toString(),
        redirect: 'manual',
        signal: request.signal,
      }).catch(() => null);
      await expect.poll(async () => (await world.paymentOf(paymentId))?.status, { timeout: 5_000 }).toBe('succeeded');
      request.abort();
      await posting;
      expect(await savedCards()).toEqual([]);

      // Another process of the shop, set up without customers, takes the step's row first: it leaves it to one that
      // keeps them (not "not saved" for good).
      now += 31_000;
      const noCustomers = await startOtherCompanion(world, join(dir, 'shop.db'), { kpayment: { ...world.keys, apiUrl: world.sandboxUrl, sandbox: true }, now: () => now });
      try {
        await noCustomers.checkout.deliverHooks();
      } finally {
        await noCustomers.close();
      }
      expect(await events(paymentId)).toEqual([]);
      // The next process on the same file that keeps customers saves it, at the step's next attempt.
      now += 60_000;
      const next_ = await startOtherCompanion(world, join(dir, 'shop.db'), {
        kpayment: { ...world.keys, apiUrl: world.sandboxUrl, sandbox: true },
        resolveCustomer: () => SHOPPER,
        now: () => now,
      });
      try {
        await next_.checkout.deliverHooks();
      } finally {
        await next_.close();
      }
      expect(await savedCards()).toEqual(['402400*****6226']);
      expect((await events(paymentId)).map((e) => e.type)).toEqual(['card_saved']);
    } finally {
      await world.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
