import { ApiErrorBody, CheckoutConfig, CreatePaymentResponse, PaymentView } from '@payment-checkout/core';
import { connect } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCheckout } from '../src/checkout.ts';
import { type World, startWorld } from './support/world.ts';

/** The HTTP surface: config, validation of every input, errors as 4xx JSON that change nothing, gateway trouble. */

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

describe('GET /checkout/texts', () => {
  it("answers the shopper's texts in a locale, the same for every shopper (cacheable), and refuses an unknown locale", async () => {
    const th = await world.api('/checkout/texts?locale=th');
    expect(th.status).toBe(200);
    // The names of this companion's methods (Opn's here: no K-Payment, so no card and no instalments).
    expect([th.body.retry, th.body.methods.mobile_banking_kbank, th.body.methods.card, th.body.installments]).toEqual(['ลองอีกครั้ง', 'K PLUS ธนาคารกสิกรไทย', undefined, {}]);
    expect(th.headers.get('cache-control')).toBe('public, max-age=600');
    expect((await world.api('/checkout/texts')).body.retry).toBe('Try again');
    const bad = await world.api('/checkout/texts?locale=xx');
    expect([bad.status, bad.body.error.code, bad.headers.get('cache-control')]).toEqual([400, 'bad_request', 'no-store']);
  });
});

describe('GET /checkout/config', () => {
  it('offers the methods that fit a THB order, with the public key and script URL', async () => {
    const orderId = world.order(150_000);
    const res = await world.api(`/checkout/config?orderId=${orderId}`);
    expect(res.status).toBe(200);
    const config = CheckoutConfig.parse(res.body);
    expect(config).toMatchObject({ orderId, amount: 150_000, currency: 'THB', sandbox: true });
    expect(config.methods.map((m) => m.id)).toEqual(['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay']);
    expect(config.methods[2]).toMatchObject({ group: 'wallet', desktopPlatform: 'WEB', label: { en: 'KakaoPay' } });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it("carries each offer's flow and the shopper's texts in the locale asked for (English without one)", async () => {
    const orderId = world.order(150_000);
    const en = CheckoutConfig.parse((await world.api(`/checkout/config?orderId=${orderId}`)).body);
    expect(en.methods.map((m) => m.flow)).toEqual(['app_redirect', 'app_redirect', 'app_redirect']);
    expect([en.texts.paid, en.texts.methods.mobile_banking_kbank, en.texts.groups.wallet]).toEqual(['Payment successful', 'KBank K PLUS', 'Wallets']);
    const th = CheckoutConfig.parse((await world.api(`/checkout/config?orderId=${orderId}&locale=th`)).body);
    expect([th.texts.paid, th.texts.methods.mobile_banking_kbank, th.texts.groups.wallet]).toEqual(['ชำระเงินสำเร็จ', 'K PLUS ธนาคารกสิกรไทย', 'วอลเล็ต']);
    const unknown = await world.api(`/checkout/config?orderId=${orderId}&locale=fr`);
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 'bad_request']);
  });

  it('offers only what fits: SGD → KakaoPay; THB 10.00 → nothing (below every minimum); over the maximum → nothing', async () => {
    const ids = async (orderId: string) => (await world.api(`/checkout/config?orderId=${orderId}`)).body.methods.map((m: { id: string }) => m.id);
    expect(await ids(world.order(1_500, 'SGD'))).toEqual(['kakaopay']);
    expect(await ids(world.order(1_000))).toEqual([]);
    expect(await ids(world.order(15_000_001))).toEqual([]);
    expect(await ids(world.order(2_000_001, 'SGD'))).toEqual([]);
  });

  it('offers only the enabled methods', async () => {
    await world.close();
    world = await startWorld({ checkout: { methods: ['mobile_banking_bay'] } });
    const orderId = world.order(150_000);
    expect((await world.api(`/checkout/config?orderId=${orderId}`)).body.methods.map((m: { id: string }) => m.id)).toEqual(['mobile_banking_bay']);
    const res = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect([res.status, res.body.error.code]).toEqual([422, 'method_unavailable']);
  });

  it('does not offer KakaoPay when the companion is on plain http (not loopback), and refuses it', async () => {
    await world.close();
    world = await startWorld({ checkout: { publicBaseUrl: 'http://shop.example' } });
    const orderId = world.order(150_000);
    expect((await world.api(`/checkout/config?orderId=${orderId}`)).body.methods.map((m: { id: string }) => m.id)).toEqual(['mobile_banking_kbank', 'mobile_banking_bay']);
    const res = await world.createPayment(orderId, 'kakaopay');
    expect([res.status, res.body.error.code]).toEqual([422, 'method_unavailable']);
    expect(res.body.error.message).toMatch(/https/);
    expect(await world.chargeCount()).toBe(0);
  });

  it.each([
    ['', 400, 'bad_request'],
    ['?orderId=', 400, 'bad_request'],
    ['?orderId=a%20b', 400, 'bad_request'],
    [`?orderId=${'x'.repeat(65)}`, 400, 'bad_request'],
    ['?orderId=a&orderId=b', 400, 'bad_request'],
    ['?orderId=no-such-order', 404, 'order_not_found'],
  ])('GET /checkout/config%s → %i %s', async (query, status, code) => {
    const res = await world.api(`/checkout/config${query}`);
    expect(res.status).toBe(status);
    expect(ApiErrorBody.parse(res.body).error.code).toBe(code);
  });
});

describe('POST /checkout/payments: every bad input is a 4xx JSON error that stores and charges nothing', () => {
  const cases: [string, { body?: string; json?: unknown; headers?: Record<string, string> }, number, string][] = [
    ['malformed JSON', { body: '{"orderId": "x", "method": ', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
    ['a JSON string', { body: '"mobile_banking_kbank"', headers: { 'content-type': 'application/json' } }, 400, 'invalid_json'],
    ['no content type', { body: 'orderId=ORDER&method=mobile_banking_kbank', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 400, 'bad_request'],
    ['an empty body', { body: '', headers: { 'content-type': 'application/json' } }, 400, 'bad_request'],
    ['an array', { json: [] }, 400, 'bad_request'],
    ['orderId as a number', { json: { orderId: 42, method: 'mobile_banking_kbank' } }, 400, 'bad_request'],
    ['method missing', { json: { orderId: 'ORDER' } }, 400, 'bad_request'],
    ['an unknown method', { json: { orderId: 'ORDER', method: 'paypal' } }, 400, 'bad_request'],
    ['an unknown field', { json: { orderId: 'ORDER', method: 'mobile_banking_kbank', currency: 'USD' } }, 400, 'bad_request'],
    ['a malformed sourceId', { json: { orderId: 'ORDER', method: 'mobile_banking_kbank', sourceId: 'chrg_test_x' } }, 400, 'bad_request'],
    ['an unknown platform', { json: { orderId: 'ORDER', method: 'mobile_banking_kbank', platform: 'WINDOWS' } }, 400, 'bad_request'],
    ['an order id with spaces', { json: { orderId: 'ORDER 1', method: 'mobile_banking_kbank' } }, 400, 'bad_request'],
    // A URL's path would read it as "this folder" or "the one above" (the operations API's /orders/:id/payments).
    ['an order id of dots only', { json: { orderId: '..', method: 'mobile_banking_kbank' } }, 400, 'bad_request'],
    ['an unknown order', { json: { orderId: 'no-such-order', method: 'mobile_banking_kbank' } }, 404, 'order_not_found'],
    ['a body over 16 kB', { json: { orderId: 'ORDER', method: 'mobile_banking_kbank', pad: 'x'.repeat(20_000) } }, 413, 'bad_request'],
  ];

  it.each(cases)('%s', async (_name, request, status, code) => {
    const orderId = world.order(150_000);
    const fill = (text: string) => text.replaceAll('ORDER', orderId);
    const res = await world.api('/checkout/payments', {
      method: 'POST',
      body: request.json !== undefined ? fill(JSON.stringify(request.json)) : fill(request.body ?? ''),
      headers: request.json !== undefined ? { 'content-type': 'application/json' } : request.headers,
    });
    expect(res.status, res.text).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(ApiErrorBody.parse(res.body).error.code).toBe(code);
    expect(await world.companion.checkout.store.listPaymentsForOrder(orderId)).toEqual([]);
    expect(await world.chargeCount()).toBe(0);
  });

  it("words its refusals for the shopper in the request's locale (customerMessage), the developer's message kept", async () => {
    const orderId = world.order(1_999);
    const th = await world.api('/checkout/payments?locale=th', { json: { orderId, method: 'mobile_banking_kbank' } });
    expect(th.status).toBe(422);
    expect(th.body.error).toMatchObject({ code: 'amount_out_of_limits', customerMessage: 'ยอดชำระอยู่นอกวงเงินที่วิธีชำระเงินนี้รองรับ กรุณาเลือกวิธีอื่น' });
    expect(th.body.error.message).toMatch(/at least/);
    const en = await world.api('/checkout/payments?locale=en', { json: { orderId, method: 'mobile_banking_kbank' } });
    // Our sentence for the code, in English too: the message (method ids, limits) is for developers.
    expect(en.body.error.customerMessage).toBe('This amount cannot be paid with this method. Please choose another one.');
    const config = await world.api('/checkout/config?orderId=no-such-order&locale=th');
    expect([config.status, config.body.error.customerMessage]).toEqual([404, 'ไม่พบคำสั่งซื้อนี้']);
    // Without a locale, the body is as it always was.
    expect((await world.createPayment(orderId, 'mobile_banking_kbank')).body.error).not.toHaveProperty('customerMessage');
  });

  it('names the offending fields in issues', async () => {
    const res = await world.api('/checkout/payments', { json: { orderId: 42, method: 'paypal', extra: true } });
    const paths = res.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['orderId', 'method']));
    expect(JSON.stringify(res.body.error.issues)).toContain('extra');
  });

  it.each([
    ['below the minimum', 1_999, 'THB', 'mobile_banking_kbank', 'amount_out_of_limits'],
    ['above the maximum', 15_000_001, 'THB', 'mobile_banking_bay', 'amount_out_of_limits'],
    ['KakaoPay SGD above S$20,000', 2_000_001, 'SGD', 'kakaopay', 'amount_out_of_limits'],
    ['a currency the method does not take', 150_000, 'SGD', 'mobile_banking_kbank', 'method_unavailable'],
  ] as const)('refuses %s with 422 before calling the gateway', async (_name, amount, currency, method, code) => {
    const orderId = world.order(amount, currency);
    const res = await world.createPayment(orderId, method);
    expect([res.status, res.body.error.code]).toEqual([422, code]);
    expect(await world.companion.checkout.store.listPaymentsForOrder(orderId)).toEqual([]);
    expect(await world.chargeCount()).toBe(0);
  });

  it('accepts the limits themselves', async () => {
    expect((await world.createPayment(world.order(2_000), 'mobile_banking_kbank')).status).toBe(201);
    expect((await world.createPayment(world.order(15_000_000), 'mobile_banking_bay')).status).toBe(201);
    expect((await world.createPayment(world.order(100, 'SGD'), 'kakaopay')).status).toBe(201);
  });

  it('answers a valid request with a CreatePaymentResponse', async () => {
    const res = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    expect(CreatePaymentResponse.parse(res.body)).toEqual(res.body);
  });
});

describe('GET /checkout/payments/:id', () => {
  it('answers a PaymentView, and 4xx JSON for bad or unknown ids', async () => {
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    const view = await world.api(`/checkout/payments/${created.body.paymentId}`);
    expect(PaymentView.parse(view.body)).toMatchObject({ status: 'pending', amount: 150_000 });
    expect(view.body).not.toHaveProperty('returnToken');
    expect(view.text).not.toContain((await world.paymentOf(created.body.paymentId)).returnToken);
    for (const [id, status] of [
      ['pay_00000000000000000000000000000000', 404],
      ['nope', 404],
      ["pay_'; DROP TABLE payments; --", 404],
      ['x'.repeat(500), 404],
    ] as const) {
      const res = await world.api(`/checkout/payments/${encodeURIComponent(id)}`);
      expect(res.status, id).toBe(status);
      expect(res.body.error.code).toBe('not_found');
    }
    expect((await world.api(`/checkout/payments/${created.body.paymentId}?locale=fr`)).status).toBe(400);
  });

  it('answers 400 JSON, not 500, for a payment id that is not valid percent-encoding (here and on the return URL)', async () => {
    for (const path of ['/checkout/payments/%E0%A4%A', '/checkout/return/%E0%A4%A?token=x', '/checkout/payments/%']) {
      const res = await world.api(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(ApiErrorBody.parse(res.body).error.code).toBe('bad_request');
    }
    expect(world.logs.filter((l) => l.level === 'error')).toEqual([]);
  });
});

describe('when things go wrong', () => {
  it('answers 502 gateway_error when Opn answers a 5xx, keeps the attempt pending until Opn is asked, and lets the shopper retry', async () => {
    let clockOffsetMs = 0;
    await world.close();
    world = await startWorld({ checkout: { now: () => Date.now() + clockOffsetMs } });
    const orderId = world.order(150_000);
    await world.scenario({ failNext: { count: 1, status: 500 } });
    const res = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect([res.status, res.body.error.code]).toEqual([502, 'gateway_error']);
    const [first] = await world.companion.checkout.store.listPaymentsForOrder(orderId);
    // A 5xx may hide a charge Opn made: the payment waits for a lookup instead of failing.
    expect(first).toMatchObject({ status: 'pending', chargeId: null });
    expect((await world.companion.checkout.store.listEvents(first.id)).find((e) => e.type === 'gateway_error')?.detail).toMatchObject({ outcomeUnknown: true });
    // While a create could still land at Opn, a retry is asked to wait, and nothing is charged.
    const early = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect([early.status, early.body.error.code]).toEqual([409, 'payment_in_progress']);
    clockOffsetMs = 60_000;
    const retry = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect(retry.status).toBe(201);
    expect(await world.chargeCount()).toBe(1);
    expect((await world.paymentOf(first.id)).status).toBe('canceled');
  });

  it('answers 502 gateway_error when Opn refuses the create (4xx), records the failed attempt, and lets the shopper retry at once', async () => {
    const orderId = world.order(150_000);
    await world.scenario({ failNext: { count: 1, status: 400 } });
    const res = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect([res.status, res.body.error.code]).toEqual([502, 'gateway_error']);
    const [failed] = await world.companion.checkout.store.listPaymentsForOrder(orderId);
    expect(failed).toMatchObject({ status: 'failed', chargeId: null });
    expect((await world.companion.checkout.store.listEvents(failed.id)).map((e) => e.type)).toContain('gateway_error');
    const retry = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect(retry.status).toBe(201);
    expect(await world.chargeCount()).toBe(1);
  });

  it('answers 502 when Opn does not answer within the timeout', async () => {
    await world.close();
    world = await startWorld({ checkout: { opn: { timeoutMs: 150 } } });
    await world.scenario({ latencyMs: 1_000 });
    const res = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    expect([res.status, res.body.error.code]).toEqual([502, 'gateway_error']);
  });

  it('keeps serving status from the store when the gateway is down while polling', async () => {
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    await world.scenario({ failNext: { count: 5, status: 503 } });
    const view = await world.api(`/checkout/payments/${created.body.paymentId}`);
    expect([view.status, view.body.status]).toEqual([200, 'pending']);
  });

  it('logs a hook that throws and still completes the request; the payment stays paid', async () => {
    await world.close();
    world = await startWorld({
      checkout: {
        hooks: {
          onPaid: () => {
            throw new Error('merchant database is down');
          },
        },
      },
    });
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    const payment = await world.paymentOf(created.body.paymentId);
    const back = await world.visit(await world.authorize(created.body.next.url, 'successful'));
    expect(back.status).toBe(302);
    expect((await world.paymentOf(payment.id)).status).toBe('succeeded');
    expect(world.logs.some((l) => l.level === 'error' && /onPaid/.test(l.message))).toBe(true);
    expect((await world.companion.checkout.store.listEvents(payment.id)).find((e) => e.type === 'hook_failed')?.detail).toMatchObject({ hook: 'onPaid', message: 'merchant database is down' });
  });

  it('answers 502 order_lookup_failed when resolveOrder throws, without leaking its message (issue 9, defect 7: was a generic 500)', async () => {
    await world.close();
    world = await startWorld({
      checkout: {
        resolveOrder: async () => {
          throw new Error('connection to orders-db.internal:5432 refused');
        },
      },
    });
    const res = await world.createPayment('order-1', 'mobile_banking_kbank');
    expect([res.status, res.body.error.code]).toEqual([502, 'order_lookup_failed']);
    expect(res.text).not.toContain('orders-db');
    expect(world.logs.some((l) => l.level === 'error' && /resolveOrder/.test(l.message))).toBe(true);
  });

  it('refuses an order whose resolveOrder answer is not minor units (a merchant bug) with 502 order_lookup_failed (was 500)', async () => {
    await world.close();
    world = await startWorld({ checkout: { resolveOrder: async () => ({ amount: 1500.5, currency: 'THB' }) as never } });
    const res = await world.createPayment('order-1', 'mobile_banking_kbank');
    expect([res.status, res.body.error.code]).toEqual([502, 'order_lookup_failed']);
    expect(await world.chargeCount()).toBe(0);
  });
});

describe('mounting', () => {
  it('refuses (500, logged) webhooks whose body a global express.json() already consumed', async () => {
    const logs: string[] = [];
    const app = express();
    app.use(express.json());
    app.use(
      createCheckout({
        resolveOrder: async () => null,
        publicBaseUrl: 'http://127.0.0.1:1',
        resultUrl: '/r',
        opn: { publicKey: 'pkey_test_mount', secretKey: 'skey_test_mount' },
        store: ':memory:',
        logger: { info() {}, warn() {}, error: (m) => void logs.push(m) },
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    const res = await fetch(`http://127.0.0.1:${port}/webhooks/opn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(500);
    expect(logs.join()).toMatch(/before express\.json\(\)/);
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it("answers a POST without a body to either webhook URL (the README's reachability check, curl -X POST) as an empty one: a 4xx, no set-up error logged", async () => {
    const world = await startWorld({ kpayment: true });
    /** The request curl -X POST sends: no Content-Length, no Transfer-Encoding, so no body at all. */
    const bare = (path: string) =>
      new Promise<{ status: number; body: { error: { code: string } } }>((resolve, reject) => {
        const socket = connect(Number(new URL(world.url).port), '127.0.0.1', () => socket.end(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
        let text = '';
        socket.on('data', (chunk) => (text += chunk));
        socket.on('error', reject);
        socket.on('end', () => resolve({ status: Number(text.split(' ')[1]), body: JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) }));
      });
    try {
      for (const path of ['/webhooks/opn', '/webhooks/kpayment']) {
        const empty = await fetch(`${world.url}${path}`, { method: 'POST', headers: { 'content-length': '0' } });
        const none = await bare(path);
        expect([path, none.status, none.body.error.code]).toEqual([path, empty.status, ((await empty.json()) as { error: { code: string } }).error.code]);
        expect([400, 401]).toContain(none.status);
      }
      expect(world.logs.filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      await world.close();
    }
  });

  it('leaves other paths to the host app', async () => {
    world.companion.app.get('/checkout', (_req, res) => void res.send('host checkout page'));
    expect((await world.api('/checkout')).text).toBe('host checkout page');
  });
});
