import { expect } from '@open-wc/testing';
import type { CheckoutConfig, MethodOffer } from '@payment-checkout/core/api';
import type { ReactiveControllerHost } from 'lit';
import { ENDPOINT, type FakeCompanion, fakeCompanion } from '../../test/support/fake-companion.ts';
import { configFor, done, redirectTo } from '../../test/support/fixtures.ts';
import { CompanionClient } from '../companion-client.ts';
import { gatewayEntry, startableOffers } from '../gateways/index.ts';
import { PaymentStartController } from './payment-start.ts';

/** Starting a payment, whatever the gateway: the generic part the element does without any gateway's starter. */

let fake: FakeCompanion | undefined;
afterEach(() => fake?.restore());

function controller(): PaymentStartController {
  const host = document.createElement('div') as unknown as ReactiveControllerHost & HTMLElement;
  host.addController = () => undefined;
  return new PaymentStartController(host, {
    client: () => new CompanionClient(ENDPOINT),
    locale: () => 'th',
    platform: () => null,
    starter: (gateway) => gatewayEntry(gateway)?.load() ?? null,
    onClose: () => undefined,
    onSubmit: () => undefined,
  });
}

/** A method of a gateway the element lists no starter for (an offer of a gateway added on the server only). */
const elsewhere = (config: CheckoutConfig): MethodOffer => ({ ...config.methods[0], gateway: 'elsewhere' });

describe('PaymentStartController', () => {
  it("starts a plain redirect of a gateway without a starter: nothing prepared, the gateway's page next", async () => {
    const config = configFor(150000, 'THB');
    fake = fakeCompanion({ createPayment: () => ({ status: 201, body: redirectTo('https://gateway.test/pay', 'pay_7') }) });
    const started = await controller().start(config, elsewhere(config), false, new AbortController().signal, () => true);
    expect(started).to.deep.equal({ type: 'redirect', paymentId: 'pay_7', url: 'https://gateway.test/pay' });
    expect(fake.requests.map((r) => r.body)).to.deep.equal([{ orderId: 'order_1', method: 'mobile_banking_kbank' }]);
    // The shopper's language, for the companion to word a refusal in.
    expect(fake.requests[0].url.search).to.equal('?locale=th');
  });

  it('asks for instalments only when the shopper chose them, and follows `done`', async () => {
    const config = configFor(150000, 'THB');
    fake = fakeCompanion({ createPayment: () => ({ status: 201, body: done('succeeded') }) });
    const started = await controller().start(config, elsewhere(config), true, new AbortController().signal, () => true);
    expect(started).to.deep.equal({ type: 'done', paymentId: 'pay_9' });
    expect(fake.requests.map((r) => r.body)).to.deep.equal([{ orderId: 'order_1', method: 'mobile_banking_kbank', installments: true }]);
  });

  it('refuses a script form it has no starter for, and stops when the start is no longer wanted', async () => {
    const config = configFor(150000, 'THB');
    const form = { type: 'script_form', scriptUrl: 'https://gateway.test/s.js', formAction: 'https://shop.test/f', attributes: {} };
    fake = fakeCompanion({ createPayment: () => ({ status: 201, body: { paymentId: 'pay_8', status: 'created', next: form, reused: false } }) });
    const error = await controller()
      .start(config, elsewhere(config), false, new AbortController().signal, () => true)
      .catch((e: unknown) => e);
    expect(String(error)).to.contain('no starter of elsewhere opens a script_form');

    let wanted = true;
    const late = controller().start(config, elsewhere(config), false, new AbortController().signal, () => wanted);
    wanted = false;
    expect(await late).to.equal(null);
  });

  it('draws what the companion offers (it chose them for the order) in a flow it can start, with the block the gateway needs', () => {
    const config = configFor(150000, 'THB');
    expect(startableOffers(null)).to.deep.equal([]);
    expect(startableOffers(config).map((m) => m.id)).to.deep.equal(['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay']);
    // A gateway without a starter: a plain redirect, as above.
    expect(startableOffers({ ...config, methods: [elsewhere(config)] }).map((m) => m.gateway)).to.deep.equal(['elsewhere']);
    // A flow this element does not know how to start is not drawn.
    expect(startableOffers({ ...config, methods: [{ ...config.methods[0], flow: 'hosted_fields' as never }] })).to.deep.equal([]);
    // Opn's methods need Opn's block (its public key).
    expect(startableOffers({ ...config, gateways: {} })).to.deep.equal([]);
  });
});
