import { randomBytes } from 'node:crypto';
import { customerMessage } from '@payment-checkout/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Payment } from '../../src/options.ts';
import { type CheckoutServer, startCheckoutServer } from '../../src/server.ts';
import { type FakePayEmulator, startFakePayEmulator } from './emulator.ts';
import { type FakePayModule, fakepay } from './fakepay-module.ts';
import { SIGNATURE_HEADER, signFakePayWebhook } from './fakepay-wire.ts';

/**
 * The plug-in proof: the companion with FakePay as its only gateway, listed once, and nothing else changed.
 * Everything goes over HTTP: the shop's browser, the payer at FakePay, FakePay's webhooks.
 */

const RESULT_URL = 'https://shop.example/result?payment={paymentId}&status={status}';

let emulator: FakePayEmulator;
let companion: CheckoutServer;
const orders = new Map<string, { amount: number; currency: 'THB' }>();
const hooks = { onPaid: [] as Payment[], onFailed: [] as Payment[] };

beforeEach(async () => {
  emulator = await startFakePayEmulator();
  hooks.onPaid = [];
  hooks.onFailed = [];
  companion = await startCheckoutServer({
    resolveOrder: async (orderId) => orders.get(orderId) ?? null,
    resultUrl: RESULT_URL,
    store: ':memory:',
    gateways: [fakepay({ apiUrl: emulator.url, secretKey: emulator.secretKey })],
    hooks: { onPaid: (p) => void hooks.onPaid.push(p), onFailed: (p) => void hooks.onFailed.push(p) },
    logger: { info() {}, warn() {}, error() {} },
    refreshIntervalMs: 0,
    returnWaitMs: 300,
    returnRetryMs: 50,
  });
  await companion.checkout.ready;
});
afterEach(async () => {
  await companion?.close();
  await emulator?.close();
});

function order(amount: number): string {
  const id = `order-${randomBytes(6).toString('hex')}`;
  orders.set(id, { amount, currency: 'THB' });
  return id;
}

async function api(path: string, json?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${companion.url}${path}`, json === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) });
  return { status: res.status, body: await res.json() };
}

/** A payment started through the companion's API, as the element starts it. */
async function start(method: string, amount = 150_000) {
  const orderId = order(amount);
  const created = await api('/checkout/payments', { orderId, method });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const payment = (await companion.checkout.store.getPayment(created.body.paymentId))!;
  return { orderId, next: created.body.next as { type: string; url: string }, payment };
}

/** The payer's click on FakePay's authorize page; answers where FakePay sends the browser. */
async function payAtFakePay(url: string, result: 'paid' | 'declined'): Promise<string> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  expect(await page.text()).toMatch(/Pay 1500\.00 THB/);
  const res = await fetch(url, { method: 'POST', body: new URLSearchParams({ result }), redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

const postWebhook = (body: Buffer, headers: Record<string, string>) =>
  fetch(`${companion.url}/webhooks/fakepay`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: new Uint8Array(body) });

/** The module as built: `checkout.gateways` types only the built-in modules, so a plugged-in one is cast back. */
const fakePayModule = () => companion.checkout.gateways.fakepay as FakePayModule;

/** A well-formed FakePay event about this charge that says it was paid (whatever FakePay says). */
async function eventClaimingPaid(chargeId: string): Promise<Buffer> {
  const charge = await fakePayModule().client.retrieveCharge(chargeId);
  const event = { object: 'event', id: `fevt_${randomBytes(12).toString('hex')}`, type: 'charge.complete', created_at: new Date().toISOString(), data: { ...charge, status: 'paid' } };
  return Buffer.from(JSON.stringify(event));
}

describe('FakePay plugged into the companion by one line', () => {
  it('offers FakePay’s methods and no built-in gateway’s', async () => {
    const config = await api(`/checkout/config?orderId=${order(150_000)}`);
    expect(config.status).toBe(200);
    expect(config.body.methods.map((m: { id: string; gateway: string }) => [m.id, m.gateway])).toEqual([
      ['alipay', 'fakepay'],
      ['unionpay', 'fakepay'],
    ]);
    expect(config.body).toMatchObject({ currency: 'THB', amount: 150_000, gateways: {}, sandbox: true });
    expect(Object.keys(companion.checkout.gateways)).toEqual(['fakepay']);
    expect(fakePayModule().settings).toEqual({ apiUrl: emulator.url, timeoutMs: 5_000 });
    // A method only a built-in gateway takes is not configured here.
    expect((await api('/checkout/payments', { orderId: order(150_000), method: 'thai_qr' })).body.error.code).toBe('method_unavailable');
  });

  it('pays through the authorize page; the signed webhook makes the companion re-fetch the charge', async () => {
    const { orderId, next, payment } = await start('alipay');
    expect(next).toEqual({ type: 'redirect', url: `${emulator.url}/pay/${payment.chargeId}` });
    expect(payment).toMatchObject({ gateway: 'fakepay', method: 'alipay', status: 'pending', amount: 150_000 });

    // Counted before the click: FakePay sends the webhook as it answers it, so the re-fetch may come first.
    const asked = emulator.requests.length;
    const returnUri = await payAtFakePay(next.url, 'paid');
    expect(returnUri).toBe(`${companion.url}/checkout/return/${payment.id}?token=${payment.returnToken}`);
    await emulator.flushWebhooks();
    expect(emulator.deliveries.map((d) => [d.url, d.status])).toEqual([[`${companion.url}/webhooks/fakepay`, 200]]);
    // The webhook's only effect is a question to FakePay.
    expect(emulator.requests.slice(asked)).toEqual([`GET /charges/${payment.chargeId}`]);

    const stored = (await companion.checkout.store.getPayment(payment.id))!;
    expect(stored.status).toBe('succeeded');
    const events = await companion.checkout.store.listEvents(payment.id);
    expect(events.find((e) => e.toStatus === 'succeeded')?.source).toBe('webhook');
    expect(hooks.onPaid.map((p) => [p.id, p.orderId, p.amount, p.currency, p.status])).toEqual([[payment.id, orderId, 150_000, 'THB', 'succeeded']]);

    // The shopper comes back: sent on to the shop's result page, and nothing is paid twice.
    const back = await fetch(returnUri, { redirect: 'manual' });
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe(`https://shop.example/result?payment=${payment.id}&status=succeeded`);
    expect(hooks.onPaid).toHaveLength(1);
    expect((await api(`/checkout/payments/${payment.id}`)).body).toMatchObject({ status: 'succeeded', failureCode: null });
  });

  it('refuses a forged webhook with a 4xx and changes nothing', async () => {
    const { payment } = await start('unionpay');
    const event = await eventClaimingPaid(payment.chargeId!);
    const before = await companion.checkout.store.listEvents(payment.id);

    const forgeries: Record<string, string>[] = [{ [SIGNATURE_HEADER]: signFakePayWebhook(event, 'not-the-secret') }, {}];
    for (const headers of forgeries) {
      const res = await postWebhook(event, headers);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('invalid_signature');
    }
    expect(await companion.checkout.store.listEvents(payment.id)).toEqual(before);
    expect((await companion.checkout.store.getPayment(payment.id))!.status).toBe('pending');
    expect(hooks.onPaid).toEqual([]);
  });

  it('believes a genuinely signed webhook only as far as FakePay confirms it', async () => {
    const { payment } = await start('alipay');
    // Signed with the real secret, but FakePay's charge is still pending: the body's "paid" counts for nothing.
    const event = await eventClaimingPaid(payment.chargeId!);
    const res = await postWebhook(event, { [SIGNATURE_HEADER]: signFakePayWebhook(event, emulator.webhookSecret) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true, paymentId: payment.id, status: 'pending' });
    expect(hooks.onPaid).toEqual([]);
  });

  it('ends a declined payment failed, with a message for the shopper', async () => {
    const { next, payment } = await start('unionpay');
    const returnUri = await payAtFakePay(next.url, 'declined');
    await emulator.flushWebhooks();
    const view = await api(`/checkout/payments/${payment.id}`);
    expect(view.body).toMatchObject({ status: 'failed', failureCode: 'payment_rejected', failureMessage: customerMessage('payment_rejected') });
    expect(view.body.failureMessage).not.toBe(customerMessage('generic'));
    expect(hooks.onFailed.map((p) => [p.id, p.failureCode])).toEqual([[payment.id, 'payment_rejected']]);
    expect(hooks.onPaid).toEqual([]);
    const back = await fetch(returnUri, { redirect: 'manual' });
    expect(back.headers.get('location')).toBe(`https://shop.example/result?payment=${payment.id}&status=failed`);
  });

  it('takes another decline reason through the emulator’s test control', async () => {
    const { payment } = await start('alipay');
    const res = await fetch(`${emulator.url}/_fake/charges/${payment.chargeId}/complete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emulator.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ result: 'declined', failure_code: 'insufficient_fund' }),
    });
    expect(res.status).toBe(200);
    await emulator.flushWebhooks();
    expect((await api(`/checkout/payments/${payment.id}?locale=th`)).body).toMatchObject({
      status: 'failed',
      failureCode: 'insufficient_fund',
      failureMessage: customerMessage('insufficient_fund', 'th'),
    });
  });
});
