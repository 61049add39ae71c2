import { OpnFailureCode, customerMessage } from '@payment-checkout/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type World, queryOf, startWorld } from './support/world.ts';

/**
 * End to end against the real sandbox: every method pays, fails with every code, and expires, as seen
 * through the return URL, the webhook, and polling.
 */

const MINUTE = 60_000;
const METHODS = [
  { method: 'mobile_banking_kbank', amount: 150_000, currency: 'THB' as const },
  { method: 'mobile_banking_bay', amount: 2_000, currency: 'THB' as const },
  { method: 'kakaopay', amount: 15_000_000, currency: 'THB' as const },
  { method: 'kakaopay', amount: 1_500, currency: 'SGD' as const },
];

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

async function start(method: string, amount: number, currency: 'THB' | 'SGD' = 'THB', extra: Record<string, unknown> = {}) {
  const orderId = world.order(amount, currency);
  const res = await world.createPayment(orderId, method, extra);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const payment = await world.paymentOf(res.body.paymentId);
  return { orderId, res: res.body, payment };
}

describe('a payment through the return URL', () => {
  it.each(METHODS)('$method in $currency: paid, verified by retrieving the charge', async ({ method, amount, currency }) => {
    // The webhook comes a minute later (sandbox time), so the return URL alone must mark the payment paid.
    await world.scenario({ webhooks: 'delay', webhookDelayMs: MINUTE });
    const { orderId, res, payment } = await start(method, amount, currency);
    expect(res).toMatchObject({ status: 'pending', reused: false, next: { type: 'redirect' } });
    expect(res.next.url).toMatch(new RegExp(`^${world.sandboxUrl}/payments/pay2_test_\\w+/authorize$`));
    expect(payment).toMatchObject({ orderId, method, amount, currency, status: 'pending', gateway: 'opn' });

    // The sandbox charged exactly the order's amount.
    const charge = await world.opn(`/charges/${payment.chargeId}`);
    expect(charge.body).toMatchObject({ amount, currency, status: 'pending', return_uri: expect.stringContaining(`/checkout/return/${payment.id}?token=`) });

    const returnUri = await world.authorize(res.next.url, 'successful');
    expect(returnUri).toBe(`${world.url}/checkout/return/${payment.id}?token=${payment.returnToken}`);
    const back = await world.visit(returnUri);
    expect(back.status).toBe(302);
    expect(queryOf(back.location)).toEqual({ payment: payment.id, status: 'succeeded' });
    expect(back.location).toMatch(/^https:\/\/shop\.example\/result\?/);

    const view = await world.api(`/checkout/payments/${payment.id}`);
    expect(view.body).toMatchObject({ id: payment.id, orderId, method, amount, currency, status: 'succeeded', failureCode: null, failureMessage: null });

    expect(world.hooks.onPaid.map((p) => [p.id, p.orderId, p.amount, p.status])).toEqual([[payment.id, orderId, amount, 'succeeded']]);
    expect(world.hooks.onPaid[0]).not.toHaveProperty('returnToken');

    // The late webhooks (the charge made, then paid) are received, re-fetched, and change nothing.
    await world.sandbox.clock.advance(MINUTE);
    await world.flushWebhooks();
    const deliveries = (await world.opn('/_sandbox/opn/webhook-deliveries')).body.data;
    expect(deliveries.map((d: { event_key: string; status_code: number }) => [d.event_key, d.status_code])).toEqual([
      ['charge.create', 200],
      ['charge.complete', 200],
    ]);
    expect(world.hooks.onPaid).toHaveLength(1);
    expect(world.hooks.onFailed).toEqual([]);
    const events = await world.companion.checkout.store.listEvents(payment.id);
    expect(events.filter((e) => e.type === 'status_changed').map((e) => [e.toStatus, e.source])).toEqual([
      ['pending', 'create'],
      ['succeeded', 'return'],
    ]);
    expect(events.map((e) => e.type)).toContain('webhook_received');
  });

  it.each(OpnFailureCode.options)('fails with %s and shows the customer message', async (code) => {
    const { res, payment } = await start('mobile_banking_bay', 150_000);
    const back = await world.visit(await world.authorize(res.next.url, 'failed', code));
    expect(queryOf(back.location)).toEqual({ payment: payment.id, status: 'failed' });
    expect((await world.api(`/checkout/payments/${payment.id}`)).body).toMatchObject({ status: 'failed', failureCode: code, failureMessage: customerMessage(code, 'en') });
    expect((await world.api(`/checkout/payments/${payment.id}?locale=th`)).body.failureMessage).toBe(customerMessage(code, 'th'));
    expect((await world.paymentOf(payment.id)).failureMessage).toBeTruthy();
    await world.flushWebhooks();
    expect(world.hooks.onFailed.map((p) => [p.id, p.failureCode])).toEqual([[payment.id, code]]);
    expect(world.hooks.onPaid).toEqual([]);
  });

  it('sends a shopper who returns before paying to the result page with the payment still pending', async () => {
    const { payment } = await start('mobile_banking_kbank', 150_000);
    const back = await world.visit(`${world.url}/checkout/return/${payment.id}?token=${payment.returnToken}`);
    expect(queryOf(back.location)).toEqual({ payment: payment.id, status: 'pending' });
    expect((await world.paymentOf(payment.id)).status).toBe('pending');
  });

  it('waits briefly for a charge that completes just after the shopper returns', async () => {
    const { payment } = await start('mobile_banking_kbank', 150_000);
    const returning = world.visit(`${world.url}/checkout/return/${payment.id}?token=${payment.returnToken}`);
    setTimeout(() => void world.complete(payment.chargeId!, 'successful'), 100);
    expect(queryOf((await returning).location).status).toBe('succeeded');
  });
});

describe('a payment completed in the bank app, seen through the webhook only', () => {
  it.each(METHODS)('$method in $currency: the signed webhook triggers a re-fetch and marks it paid', async ({ method, amount, currency }) => {
    const { payment } = await start(method, amount, currency);
    await world.complete(payment.chargeId!, 'successful');
    await world.flushWebhooks();
    const deliveries = await world.opn('/_sandbox/opn/webhook-deliveries');
    const webhooks = `${world.url}/webhooks/opn`;
    expect(deliveries.body.data.map((d: { url: string; event_key: string; status_code: number }) => [d.url, d.event_key, d.status_code])).toEqual([
      [webhooks, 'charge.create', 200],
      [webhooks, 'charge.complete', 200],
    ]);
    expect(await world.paymentOf(payment.id)).toMatchObject({ status: 'succeeded' });
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([payment.id]);
    const events = await world.companion.checkout.store.listEvents(payment.id);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['webhook_received', 'status_changed', 'hook_called']));
    expect(events.find((e) => e.toStatus === 'succeeded')?.source).toBe('webhook');
  });

  it('records a failure from the webhook with its code', async () => {
    const { payment } = await start('mobile_banking_kbank', 150_000);
    await world.complete(payment.chargeId!, 'failed', 'insufficient_fund');
    await world.flushWebhooks();
    expect(await world.paymentOf(payment.id)).toMatchObject({ status: 'failed', failureCode: 'insufficient_fund' });
    expect(world.hooks.onFailed.map((p) => p.failureCode)).toEqual(['insufficient_fund']);
  });
});

describe('a payment seen through polling only (webhooks lost)', () => {
  it.each(METHODS)('$method in $currency: the status endpoint asks the gateway and completes', async ({ method, amount, currency }) => {
    await world.scenario({ webhooks: 'drop' });
    const { payment } = await start(method, amount, currency);
    expect((await world.api(`/checkout/payments/${payment.id}`)).body.status).toBe('pending');
    await world.complete(payment.chargeId!, 'successful');
    expect((await world.api(`/checkout/payments/${payment.id}`)).body.status).toBe('succeeded');
    expect((await world.opn('/_sandbox/opn/webhook-deliveries')).body.total).toBe(0);
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([payment.id]);
  });

  it('reports a polled failure with the customer message', async () => {
    await world.scenario({ webhooks: 'drop' });
    const { payment } = await start('kakaopay', 500, 'SGD');
    await world.complete(payment.chargeId!, 'failed', 'payment_rejected');
    expect((await world.api(`/checkout/payments/${payment.id}`)).body).toMatchObject({
      status: 'failed',
      failureCode: 'payment_rejected',
      failureMessage: customerMessage('payment_rejected'),
    });
  });
});

describe('expiry (sandbox clock)', () => {
  it('K PLUS expires after 10 minutes; the webhook reports it', async () => {
    const { payment } = await start('mobile_banking_kbank', 150_000);
    await world.sandbox.clock.advance(9 * MINUTE);
    await world.flushWebhooks();
    expect((await world.paymentOf(payment.id)).status).toBe('pending');
    await world.sandbox.clock.advance(1 * MINUTE + 1_000);
    await world.flushWebhooks();
    expect(await world.paymentOf(payment.id)).toMatchObject({ status: 'expired', failureCode: 'payment_expired' });
    expect(world.hooks.onFailed.map((p) => [p.id, p.status])).toEqual([[payment.id, 'expired']]);
    const view = await world.api(`/checkout/payments/${payment.id}`);
    expect(view.body).toMatchObject({ status: 'expired', failureCode: 'payment_expired', failureMessage: customerMessage('payment_expired') });
  });

  it('KMA expires after 15 minutes; polling sees it when webhooks are lost', async () => {
    await world.scenario({ webhooks: 'drop' });
    const { payment } = await start('mobile_banking_bay', 150_000);
    await world.sandbox.clock.advance(14 * MINUTE);
    expect((await world.api(`/checkout/payments/${payment.id}`)).body.status).toBe('pending');
    await world.sandbox.clock.advance(1 * MINUTE + 1_000);
    expect((await world.api(`/checkout/payments/${payment.id}`)).body.status).toBe('expired');
    expect(world.hooks.onFailed).toHaveLength(1);
  });

  it('an expired charge seen through the return URL', async () => {
    const { res, payment } = await start('mobile_banking_kbank', 150_000);
    await world.scenario({ webhooks: 'drop' });
    await world.sandbox.clock.advance(11 * MINUTE);
    const back = await world.visit(`${world.url}/checkout/return/${payment.id}?token=${payment.returnToken}`);
    expect(queryOf(back.location).status).toBe('expired');
    // The authorize page no longer takes a decision.
    const late = await fetch(res.next.url, { method: 'POST', body: new URLSearchParams({ action: 'successful' }), redirect: 'manual' });
    expect(late.status).toBe(409);
    expect((await world.paymentOf(payment.id)).status).toBe('expired');
  });
});

describe('sources created in the browser (Omise.js)', () => {
  it('charges a source the browser created with the public key', async () => {
    const orderId = world.order(35_000);
    const source = await world.opn('/sources', { key: world.keys.publicKey, json: { type: 'mobile_banking_kbank', amount: 35_000, currency: 'THB', platform_type: 'ANDROID' } });
    const res = await world.createPayment(orderId, 'mobile_banking_kbank', { sourceId: source.body.id, platform: 'ANDROID' });
    expect(res.status).toBe(201);
    const payment = await world.paymentOf(res.body.paymentId);
    expect(payment.sourceId).toBe(source.body.id);
    const charge = await world.opn(`/charges/${payment.chargeId}`);
    expect(charge.body.source).toMatchObject({ id: source.body.id, platform_type: 'ANDROID' });
  });

  it('uses the platform of the device: IOS from the user agent, none for mobile banking on a desktop, WEB for KakaoPay', async () => {
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15';
    const desktop = 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120';
    const a = await world.createPayment(world.order(150_000), 'mobile_banking_kbank', {}, { 'user-agent': iphone });
    const b = await world.createPayment(world.order(150_000), 'mobile_banking_bay', {}, { 'user-agent': desktop });
    const c = await world.createPayment(world.order(150_000), 'kakaopay', {}, { 'user-agent': desktop });
    const platformOf = async (id: string) => (await world.opn(`/charges/${(await world.paymentOf(id)).chargeId}`)).body.source.platform_type;
    expect(await platformOf(a.body.paymentId)).toBe('IOS');
    expect(await platformOf(b.body.paymentId)).toBeNull();
    expect(await platformOf(c.body.paymentId)).toBe('WEB');
  });
});

describe('the reconciler', () => {
  it('settles payments left pending with no webhook after 10 minutes, and only those', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    await world.close();
    world = await startWorld({ checkout: { now: () => now } });
    await world.scenario({ webhooks: 'drop' });
    const { payment } = await start('mobile_banking_kbank', 150_000);
    const other = await start('kakaopay', 150_000);
    await world.complete(payment.chargeId!, 'successful');

    now += 5 * MINUTE;
    expect(await world.companion.checkout.reconcile()).toMatchObject({ checked: 0, updated: 0 });
    expect((await world.paymentOf(payment.id)).status).toBe('pending');

    now += 6 * MINUTE;
    const report = await world.companion.checkout.reconcile();
    expect(report).toMatchObject({ checked: 2, updated: 1, errors: 0, payments: [{ id: payment.id, from: 'pending', to: 'succeeded' }] });
    expect((await world.paymentOf(payment.id)).status).toBe('succeeded');
    expect((await world.paymentOf(other.payment.id)).status).toBe('pending');
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([payment.id]);
    const events = await world.companion.checkout.store.listEvents(payment.id);
    expect(events.find((e) => e.toStatus === 'succeeded')?.source).toBe('reconciler');
  });

  it('rate-limits gateway refreshes while polling (at most once per refresh interval)', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    await world.close();
    world = await startWorld({ checkout: { now: () => now, refreshIntervalMs: 2_000 } });
    await world.scenario({ webhooks: 'drop' });
    const { payment } = await start('mobile_banking_kbank', 150_000);
    await world.complete(payment.chargeId!, 'successful');
    now += 1_000;
    expect((await world.api(`/checkout/payments/${payment.id}`)).body.status).toBe('pending');
    now += 1_500;
    expect((await world.api(`/checkout/payments/${payment.id}`)).body.status).toBe('succeeded');
  });

  it('runs on its own when reconcileEveryMs is set', async () => {
    await world.close();
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      world = await startWorld({ checkout: { reconcileEveryMs: 60_000 } });
      await world.scenario({ webhooks: 'drop' });
      const { payment } = await start('mobile_banking_kbank', 150_000);
      await world.complete(payment.chargeId!, 'successful');
      const spy = vi.spyOn(world.companion.checkout.service, 'reconcile');
      vi.advanceTimersByTime(60_000);
      expect(spy).toHaveBeenCalledTimes(1);
      await spy.mock.results[0].value;
    } finally {
      vi.useRealTimers();
    }
  });
});
