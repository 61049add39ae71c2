import { expect } from '@open-wc/testing';
import { CompanionClient, CompanionError, REQUEST_TIMEOUT_MS } from './companion-client.ts';
import { FakeClock } from '../test/support/fake-clock.ts';
import { type FakeCompanion, fakeCompanion } from '../test/support/fake-companion.ts';
import { AUTHORIZE, configFor, paymentView, redirectTo } from '../test/support/fixtures.ts';

let fake: FakeCompanion | undefined;
afterEach(() => fake?.restore());

async function failure(promise: Promise<unknown>): Promise<CompanionError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a CompanionError');
    },
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(CompanionError);
  return error as CompanionError;
}

describe('CompanionClient', () => {
  it('calls the three endpoints under the base URL and returns parsed bodies', async () => {
    fake = fakeCompanion({
      config: () => ({ body: configFor(150000, 'THB') }),
      createPayment: () => ({ status: 201, body: redirectTo('https://sandbox.test/authorize') }),
      payment: (id) => ({ body: paymentView({ id, status: 'succeeded' }) }),
    });
    const client = new CompanionClient('https://shop.test/api/');

    const config = await client.getConfig('order 1/ä');
    const created = await client.createPayment({ orderId: 'order_1', method: 'kakaopay', sourceId: 'src_test_1', platform: 'WEB' });
    const payment = await client.getPayment('pay/1');

    expect(config.amount).to.equal(150000);
    expect(created.next).to.deep.equal({ type: 'redirect', url: 'https://sandbox.test/authorize' });
    expect(payment.status).to.equal('succeeded');
    expect(fake.requests.map((r) => `${r.method} ${r.url.href}`)).to.deep.equal([
      'GET https://shop.test/api/checkout/config?orderId=order+1%2F%C3%A4',
      'POST https://shop.test/api/checkout/payments',
      'GET https://shop.test/api/checkout/payments/pay%2F1',
    ]);
    expect(fake.requests[1].body).to.deep.equal({ orderId: 'order_1', method: 'kakaopay', sourceId: 'src_test_1', platform: 'WEB' });

    // The shopper's language rides on every request, for the companion to word its answers in.
    await client.getConfig('order_1', { locale: 'th' });
    await client.createPayment({ orderId: 'order_1', method: 'kakaopay' }, { locale: 'th' });
    await client.getPayment('pay_2', { locale: 'th' });
    expect(fake.requests.slice(3).map((r) => r.url.href)).to.deep.equal([
      'https://shop.test/api/checkout/config?orderId=order_1&locale=th',
      'https://shop.test/api/checkout/payments?locale=th',
      'https://shop.test/api/checkout/payments/pay_2?locale=th',
    ]);
  });

  it("turns the companion's error body into a CompanionError with its code, message and status", async () => {
    fake = fakeCompanion({
      createPayment: () => ({ status: 422, body: { error: { code: 'amount_out_of_limits', message: 'KMA needs at least ฿20.00' } } }),
    });
    const error = await failure(new CompanionClient('').createPayment({ orderId: 'o', method: 'mobile_banking_bay' }));
    expect([error.code, error.message, error.status, error.fromServer]).to.deep.equal([
      'amount_out_of_limits',
      'KMA needs at least ฿20.00',
      422,
      true,
    ]);
    expect(error.name).to.equal('CompanionError');
    expect([error.customerMessage, error.locale]).to.deep.equal([null, null]);
    expect(fake.requests[0].url.pathname).to.equal('/checkout/payments');
  });

  it("keeps the companion's words for the shopper with the locale they were asked in", async () => {
    fake = fakeCompanion({
      createPayment: () => ({
        status: 409,
        body: { error: { code: 'payment_final', message: 'This order is already paid.', customerMessage: 'คำสั่งซื้อนี้ชำระเงินแล้ว' } },
      }),
    });
    const error = await failure(new CompanionClient('').createPayment({ orderId: 'o', method: 'kakaopay' }, { locale: 'th' }));
    expect([error.code, error.message, error.customerMessage, error.locale]).to.deep.equal([
      'payment_final',
      'This order is already paid.',
      'คำสั่งซื้อนี้ชำระเงินแล้ว',
      'th',
    ]);
  });

  it('reports an error without our body, a body that breaks the schema, and no answer at all', async () => {
    const answers = [
      { status: 503, body: 'upstream down' },
      { body: { ...configFor(150000, 'THB'), amount: '1500.00' } },
    ];
    let n = 0;
    fake = fakeCompanion({ config: () => answers[n++] ?? 'network-error' });
    const client = new CompanionClient('');

    const http = await failure(client.getConfig('order_1'));
    expect([http.code, http.status, http.fromServer]).to.deep.equal(['http_error', 503, false]);
    const invalid = await failure(client.getConfig('order_1'));
    expect([invalid.code, invalid.status]).to.deep.equal(['invalid_response', 200]);
    const network = await failure(client.getConfig('order_1'));
    expect([network.code, network.status]).to.deep.equal(['network_error', 0]);
  });

  it('checks by hand the fields the element reads, and refuses answers that break them', async () => {
    const config = configFor(150000, 'THB');
    const offer = config.methods[0];
    const broken: [string, unknown][] = [
      ['config: a currency it does not know', { ...config, currency: 'XXX' }],
      ['config: an amount of zero', { ...config, amount: 0 }],
      ['config: an offer without its flow', { ...config, methods: [{ ...offer, flow: undefined }] }],
      ['config: without texts', { ...config, texts: undefined }],
      ['config: a text that is not text', { ...config, texts: { ...config.texts, paid: 42 } }],
      ['config: method names that are not text', { ...config, texts: { ...config.texts, methods: { card: ['Card'] } } }],
      ['config: a gateway block that is not an object', { ...config, gateways: { [offer.gateway]: 'pkey_x' } }],
      ['create: a redirect that is not an http(s) URL', redirectTo('javascript:alert(1)')],
      ['create: a next action it does not know', { ...redirectTo(AUTHORIZE), next: { type: 'teleport' } }],
      ['create: a script form without its attributes', { ...redirectTo(AUTHORIZE), next: { type: 'qr', scriptUrl: AUTHORIZE, formAction: AUTHORIZE } }],
      ['payment: a status it does not know', paymentView({ status: 'lost' as never })],
      ['payment: a failure message that is not text', paymentView({ failureMessage: 42 as never })],
    ];
    let reply: unknown;
    fake = fakeCompanion({ config: () => ({ body: reply }), createPayment: () => ({ status: 201, body: reply }), payment: () => ({ body: reply }) });
    const client = new CompanionClient('');
    for (const [name, body] of broken) {
      reply = body;
      const request = name.startsWith('config')
        ? client.getConfig('order_1')
        : name.startsWith('create')
          ? client.createPayment({ orderId: 'order_1', method: 'kakaopay' })
          : client.getPayment('pay_1');
      expect((await failure(request)).code, name).to.equal('invalid_response');
    }
    // What the schemas allow passes: instalments on an offer, a QR's expiry, a failed payment's words.
    reply = { ...config, methods: [{ ...offer, installments: true }] };
    expect((await client.getConfig('order_1')).methods[0].installments).to.equal(true);
    reply = { ...redirectTo(AUTHORIZE), next: { type: 'qr', scriptUrl: AUTHORIZE, formAction: AUTHORIZE, attributes: { 'order-id': 'o' }, expiresAt: '2025-01-01T00:10:00Z' } };
    expect((await client.createPayment({ orderId: 'order_1', method: 'thai_qr' })).next.type).to.equal('qr');
    reply = paymentView({ status: 'failed', failureCode: '51', failureMessage: 'Insufficient funds.' });
    expect((await client.getPayment('pay_1')).failureMessage).to.equal('Insufficient funds.');
  });

  it('lets an aborted request reject as an abort, not as a network error', async () => {
    fake = fakeCompanion({ config: () => new Promise(() => {}) });
    window.fetch = ((original) => (input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
        void original(input, init).then(resolve, reject);
      }))(window.fetch);
    const controller = new AbortController();
    const pending = new CompanionClient('').getConfig('order_1', { signal: controller.signal });
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).to.equal('AbortError');
  });

  it('gives up on an answer that does not come in time (the headers or the body), on the clock it is given', async () => {
    const clock = new FakeClock();
    const signals: AbortSignal[] = [];
    let stall: 'headers' | 'body' | null = 'headers';
    let bodyAsked = false;
    // Like the browser's fetch: a request (and its body) rejects with the signal's reason when that aborts.
    const fetchImpl = (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const signal = init!.signal!;
      signals.push(signal);
      const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      if (stall === 'headers') return aborted;
      const body = JSON.stringify(paymentView({ status: 'pending' }));
      if (stall === null) return Promise.resolve(new Response(body));
      const response = new Response(new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode(body.slice(0, 10))) }));
      const json = () => {
        bodyAsked = true;
        return aborted;
      };
      return Promise.resolve(Object.assign(response, { json }));
    };
    const client = new CompanionClient('', fetchImpl, clock);

    const read = failure(client.getPayment('pay_1'));
    clock.advance(REQUEST_TIMEOUT_MS - 1);
    expect(signals[0].aborted).to.equal(false);
    clock.advance(1);
    const timedOut = await read;
    expect([timedOut.code, timedOut.status, timedOut.fromServer, timedOut.message]).to.deep.equal([
      'timeout',
      0,
      false,
      'We could not reach the payment service.',
    ]);
    expect(signals[0].aborted, 'the request is aborted, not left open').to.equal(true);

    const create = failure(client.createPayment({ orderId: 'o', method: 'kakaopay' }));
    clock.advance(REQUEST_TIMEOUT_MS);
    expect((await create).code).to.equal('timeout');

    stall = 'body';
    const body = failure(client.getPayment('pay_1'));
    for (let turn = 0; turn < 10 && !bodyAsked; turn++) await Promise.resolve();
    expect(bodyAsked, 'the headers came, the body is being read').to.equal(true);
    clock.advance(REQUEST_TIMEOUT_MS);
    expect((await body).code).to.equal('timeout');

    // An answer in time clears its timer: nothing aborts it later, nothing is left on the clock.
    stall = null;
    expect((await client.getPayment('pay_1')).status).to.equal('pending');
    expect(clock.pending).to.equal(0);
    clock.advance(REQUEST_TIMEOUT_MS);
    expect(signals.at(-1)!.aborted).to.equal(false);
  });

  it("aborts the request when the caller's signal aborts (also before it starts), and rejects as that abort", async () => {
    const clock = new FakeClock();
    const fetchImpl = (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
      new Promise((_, reject) => {
        const signal = init!.signal!;
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason));
      });
    const client = new CompanionClient('', fetchImpl, clock);
    const controller = new AbortController();
    const pending = client.getPayment('pay_1', { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(((await pending) as Error).name).to.equal('AbortError');
    expect(clock.pending).to.equal(0);
    const early = await client.getPayment('pay_1', { signal: controller.signal }).catch((e: unknown) => e);
    expect((early as Error).name).to.equal('AbortError');
    expect(clock.pending).to.equal(0);
  });
});
