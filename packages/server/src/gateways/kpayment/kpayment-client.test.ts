import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { type ListeningSandbox, type Sandbox, createSandbox } from '@payment-checkout/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../gateway.ts';
import { KpaymentClient } from './kpayment-client.ts';
import { registerKpaymentSandbox } from './sandbox-registration.ts';
import { KpaymentApiError, KpaymentClientError, KpaymentNetworkError, KpaymentResponseError, KpaymentTimeoutError, outcomeUnknown } from './kpayment-errors.ts';

/** The K-Payment client: every endpoint against the sandbox, and its errors against a scripted server. */

const DAY = 86_400_000;
let sandbox: Sandbox;
let listening: ListeningSandbox;
// One merchant: both keys from one timestamp (two `Date.now()` calls may fall in two milliseconds, two merchants).
const merchantName = `client${Date.now()}`;
const keys = { pk: `pkey_test_${merchantName}`, sk: `skey_test_${merchantName}` };
let client: KpaymentClient;

beforeAll(async () => {
  sandbox = createSandbox();
  listening = await sandbox.listen(0);
  sandbox.kpayment.setSettings(keys.sk, { threeDSecure: false });
  client = new KpaymentClient({ secretKey: keys.sk, apiUrl: listening.url });
});
afterAll(async () => {
  await sandbox.close();
});

async function token(number = '4024007134786226', savecard = false): Promise<string> {
  const res = await fetch(`${listening.url}/ui/v2/token`, {
    method: 'POST',
    headers: { 'x-api-key': keys.pk, 'content-type': 'application/json' },
    body: JSON.stringify({ number, expiry_month: 12, expiry_year: 2099, cvv: '123', name: 'Somchai Jaidee', savecard }),
  });
  return ((await res.json()) as { id: string }).id;
}

let reference = 0;
async function charge(overrides: Partial<Parameters<KpaymentClient['createCharge']>[0]> = {}) {
  return client.createCharge({
    amount: 200.5,
    currency: 'THB',
    description: 'TEST PRODUCT',
    source_type: 'card',
    mode: 'token',
    token: await token(),
    reference_order: `INV${Date.now()}${++reference}`,
    additional_data: { mid: '401000000000001' },
    ...overrides,
  });
}

describe('against the sandbox', () => {
  it('creates a charge and reads it back by id and by reference_order', async () => {
    const created = await charge({ reference_order: 'INV-client-1' });
    expect(created).toMatchObject({ object: 'charge', amount: 200.5, currency: 'THB', transaction_state: 'Authorized', status: 'success', reference_order: 'INV-client-1' });
    expect(created.id).toMatch(/^chrg_test_/);
    expect((await client.retrieveCharge(created.id)).id).toBe(created.id);
    expect((await client.retrieveCharge('INV-client-1')).id).toBe(created.id);
  });

  it('answers a decline as a charge, not an error', async () => {
    const declined = await charge({ token: await token('4147602662715373') });
    expect(declined).toMatchObject({ transaction_state: 'Declined', status: 'fail', failure_code: '51' });
  });

  it('voids, settles and refunds with the guide\'s state rules', async () => {
    const toVoid = await charge();
    expect((await client.voidCharge(toVoid.id, { reason: 'customer asked' })).transaction_state).toBe('Voided');
    await expect(client.voidCharge(toVoid.id, { reason: 'again' })).rejects.toMatchObject({ code: 'void_state_invalid', httpStatus: 400 });

    const toSettle = await charge();
    expect((await client.settleCharge(toSettle.id, { amount: 200.5, type: 'full' })).transaction_state).toBe('Captured');
    await expect(client.refundCharge(toSettle.id, { amount: 100, reason: 'too early' })).rejects.toMatchObject({ code: 'refund_state_invalid' });
    await sandbox.clock.advance(DAY);
    const refunded = await client.refundCharge(toSettle.id, { amount: 100, reason: 'wrong size' });
    expect(refunded).toMatchObject({ transaction_state: 'Refund Sent', refund_id: expect.stringMatching(/^refd_test_/) });
    await expect(client.refundCharge(toSettle.id, { amount: 500, reason: 'too much' })).rejects.toMatchObject({ code: 'amount_exceed' });
  });

  it('manages customers and their cards', async () => {
    const first = await token('4024007134786226', true);
    await charge({ token: first, savecard: true });
    const customer = await client.createCustomer({ email: 'somrak@example.com', name: 'Somrak', token: first });
    expect(customer).toMatchObject({ object: 'customer', email: 'somrak@example.com', cards: [{ masked: '402400*****6226' }] });
    expect(customer.id).toMatch(/^cust_test_/);

    const second = await token('4485169016314923', true);
    await charge({ token: second, savecard: true });
    const withTwo = await client.addCard(customer.id, { token: second });
    expect(withTwo.cards.map((c) => c.masked)).toEqual(['402400*****6226', '448516*****4923']);
    expect((await client.updateCustomer(customer.id, { email: 'somrak@example.com', name: 'Somrak Raktrakoon' })).name).toBe('Somrak Raktrakoon');
    expect((await client.retrieveCustomer(customer.id)).cards).toHaveLength(2);
    expect(await client.deleteCard(customer.id, withTwo.cards[0].id)).toMatchObject({ id: withTwo.cards[0].id, deleted: true });
    expect(await client.deleteCustomer(customer.id)).toMatchObject({ id: customer.id, object: 'customer', deleted: true });
    await expect(client.retrieveCustomer(customer.id)).rejects.toMatchObject({ name: 'KpaymentApiError', code: 'customer_invalid', httpStatus: 404 });
  });

  it('reports the gateway\'s own error codes: a wrong key, an unknown charge, a used token', async () => {
    const wrong = new KpaymentClient({ secretKey: 'skey_nope', apiUrl: listening.url });
    const auth = await wrong.retrieveCharge('chrg_test_x').catch((e: unknown) => e);
    expect(auth).toBeInstanceOf(KpaymentApiError);
    expect(auth).toBeInstanceOf(GatewayError);
    expect(auth).toMatchObject({ name: 'KpaymentApiError', gateway: 'kpayment', code: 'authentication_failure', httpStatus: 401 });
    await expect(client.retrieveCharge('chrg_test_doesnotexist')).rejects.toMatchObject({ code: 'charge_id_not_exist' });
    const used = await token();
    await charge({ token: used });
    await expect(charge({ token: used })).rejects.toMatchObject({ code: 'used_token' });
  });

  it('creates QR orders, inquires, voids and cancels QR payments (Order API, QR API)', async () => {
    const order = await client.createOrder({ amount: 120.5, currency: 'THB', description: 'TEST', source_type: 'qr', reference_order: `QR${Date.now()}`, expire_time_seconds: 900 });
    expect(order).toMatchObject({ object: 'order', amount: 120.5, currency: 'THB', source_type: 'qr', status: 'success', expire_time_seconds: 900 });
    expect((await client.retrieveOrder(order.id)).id).toBe(order.id);
    await expect(client.retrieveQrCharge(order.id)).rejects.toMatchObject({ code: 'no_transaction_found' });
    const paid = sandbox.kpayment.payQr(keys.sk, order.id, 'kplus');
    const charge = await client.retrieveQrCharge(order.id);
    expect(charge).toMatchObject({ id: paid.charge_id, order_id: order.id, transaction_state: 'Authorized', status: 'success' });
    expect((await client.retrieveQrCharge(charge.id)).id).toBe(charge.id);
    expect(await client.voidQrCharge(charge.id)).toMatchObject({ transaction_state: 'Voided', status: 'success' });
    expect(await client.voidQrCharge(charge.id)).toMatchObject({ status: 'fail', failure_code: 'qr_void' });
    expect(await client.cancelQr(paid.id)).toMatchObject({ id: paid.id, status: 'fail', failure_code: 'qr_paid' });

    const waiting = await client.createOrder({ amount: 10, currency: 'THB', description: 'TEST', source_type: 'wechat', reference_order: `WX${Date.now()}` });
    const qr = sandbox.kpayment.openQr(keys.sk, waiting.id);
    expect(await client.cancelQr(qr.id)).toMatchObject({ object: 'qr', status: 'success', failure_code: null });
    await expect(client.retrieveQrCharge(waiting.id)).rejects.toMatchObject({ code: 'qr_cancelled' });
    await expect(client.retrieveOrder('order_test_nope')).rejects.toMatchObject({ code: 'invalid_order_id', httpStatus: 404 });
  });

  it('creates Alipay and UnionPay charges that wait on their hosted page', async () => {
    const alipay = await client.createRedirectCharge({ amount: 55, currency: 'THB', description: 'TEST', source_type: 'alipay', reference_order: `AP${Date.now()}` });
    expect(alipay).toMatchObject({ transaction_state: 'Initialize', status: 'success', redirect_url: expect.stringContaining('/kpgw/alipay/') });
    const unionpay = await client.createRedirectCharge({ amount: 55, currency: 'THB', description: 'TEST', source_type: 'unionpay', reference_order: `UP${Date.now()}`, additional_data: { mid: '401000000000001' } });
    expect((await client.retrieveCharge(unionpay.id)).source).toMatchObject({ object: 'redirect', brand: 'UnionPay' });
  });

  it('refuses ids that would change the path before sending anything', async () => {
    await expect(client.retrieveCharge('../customer/cust_x')).rejects.toThrow(TypeError);
    await expect(client.deleteCard('cust_x', 'card_x/../../y')).rejects.toThrow(TypeError);
  });
});

describe('against a scripted server', () => {
  let server: Server;
  let url: string;
  let answer: { status: number; raw: string; delayMs?: number } = { status: 200, raw: '{}' };
  const seen: { method: string; path: string; key: string | undefined; body: unknown }[] = [];

  beforeAll(async () => {
    const app = express();
    app.use(express.json());
    app.use((req, res) => {
      seen.push({ method: req.method, path: req.url, key: req.get('x-api-key'), body: req.body });
      setTimeout(() => res.status(answer.status).type('application/json').send(answer.raw), answer.delayMs ?? 0);
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends x-api-key and JSON; Update Customer is PATCH by default, POST when configured', async () => {
    answer = { status: 200, raw: JSON.stringify({ id: 'cust_test_1', object: 'customer', cards: [] }) };
    await new KpaymentClient({ secretKey: 'skey_test_s', apiUrl: url }).updateCustomer('cust_test_1', { email: 'a@example.com' });
    await new KpaymentClient({ secretKey: 'skey_test_s', apiUrl: url, updateCustomerMethod: 'POST' }).updateCustomer('cust_test_1', { email: 'a@example.com' });
    expect(seen.slice(-2).map((r) => [r.method, r.path, r.key, r.body])).toEqual([
      ['PATCH', '/card/v2/customer/cust_test_1', 'skey_test_s', { email: 'a@example.com' }],
      ['POST', '/card/v2/customer/cust_test_1', 'skey_test_s', { email: 'a@example.com' }],
    ]);
  });

  it('tells an error body, a 5xx page, a wrong shape, no answer and a timeout apart', async () => {
    const c = new KpaymentClient({ secretKey: 'skey_test_s', apiUrl: url, timeoutMs: 200 });
    answer = { status: 200, raw: JSON.stringify({ object: 'error', code: 'token_invalid', message: 'Token was expired or cannot be found' }) };
    const api = await c.retrieveCharge('chrg_test_1').catch((e: unknown) => e);
    expect(api).toMatchObject({ name: 'KpaymentApiError', code: 'token_invalid', httpStatus: 200 });
    expect(outcomeUnknown(api)).toBe(false);

    answer = { status: 502, raw: '<html>Bad gateway</html>' };
    const page = await c.retrieveCharge('chrg_test_1').catch((e: unknown) => e);
    expect(page).toBeInstanceOf(KpaymentResponseError);
    expect(page).toMatchObject({ code: 'invalid_response', httpStatus: 502 });
    expect(outcomeUnknown(page)).toBe(true);

    answer = { status: 200, raw: JSON.stringify({ id: 'chrg_test_1', object: 'charge' }) };
    const shape = await c.retrieveCharge('chrg_test_1').catch((e: unknown) => e);
    expect(shape).toMatchObject({ name: 'KpaymentResponseError', code: 'invalid_response' });

    answer = { status: 200, raw: '{}', delayMs: 1_000 };
    const slow = await c.retrieveCharge('chrg_test_1').catch((e: unknown) => e);
    expect(slow).toBeInstanceOf(KpaymentTimeoutError);
    expect(outcomeUnknown(slow)).toBe(true);

    const down = await new KpaymentClient({ secretKey: 'skey_test_s', apiUrl: 'http://127.0.0.1:9' }).retrieveCharge('chrg_test_1').catch((e: unknown) => e);
    expect(down).toBeInstanceOf(KpaymentNetworkError);
    expect(down).toBeInstanceOf(KpaymentClientError);
    expect(outcomeUnknown(down)).toBe(true);
  });
});

describe('registerKpaymentSandbox', () => {
  it('registers the callback and notify URLs (and the mids) with the sandbox', async () => {
    const sk = `skey_test_reg${Date.now()}`;
    await registerKpaymentSandbox({
      apiUrl: listening.url, secretKey: sk, callbackUrl: 'http://127.0.0.1:1/checkout/kpayment/callback', notifyUrl: 'http://127.0.0.1:1/webhooks/kpayment',
      mid: '401000000000009', dccMid: '451000000000009', smartpay: { smartpayId: '0042', term: 12 },
    });
    expect(sandbox.kpayment.settings(sk)).toMatchObject({
      callbackUrl: 'http://127.0.0.1:1/checkout/kpayment/callback', notifyUrl: 'http://127.0.0.1:1/webhooks/kpayment',
      mid: '401000000000009', dccMid: '451000000000009', smartpayIds: [{ smartpayId: '0042', terms: [12] }],
    });
  });

  it('gives up with a readable error when the sandbox cannot be reached', async () => {
    await expect(
      registerKpaymentSandbox({ apiUrl: 'http://127.0.0.1:9', secretKey: 'skey_test_x', callbackUrl: 'http://a/c', notifyUrl: 'http://a/n', mid: '1', dccMid: null, smartpay: null, attempts: 2 }),
    ).rejects.toThrow(/could not register the K-Payment callback and notify URLs with the sandbox at http:\/\/127\.0\.0\.1:9/);
  });
});
