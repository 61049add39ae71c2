import { expect } from '@open-wc/testing';
import { CompanionClient, CompanionError } from './companion-client.ts';
import { type FakeCompanion, fakeCompanion } from '../test/support/fake-companion.ts';
import { configFor, paymentView, redirectTo } from '../test/support/fixtures.ts';

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

    await client.getPayment('pay_2', { locale: 'th' });
    expect(fake.requests[3].url.href).to.equal('https://shop.test/api/checkout/payments/pay_2?locale=th');
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
    expect(fake.requests[0].url.pathname).to.equal('/checkout/payments');
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
});
