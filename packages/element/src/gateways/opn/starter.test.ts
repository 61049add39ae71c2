import { expect, oneEvent } from '@open-wc/testing';
import { action, methodButton, methodButtons, statusText, payWith } from '../../../test/support/checkout-dom.ts';
import { ANDROID, DESKTOP, IPHONE, mountCheckout, serve, stopServing } from '../../../test/support/checkout-fixture.ts';
import { ENDPOINT, until } from '../../../test/support/fake-companion.ts';
import { FAKE_OMISE_URL, fakeOmise, resetFakeOmise } from '../../../test/support/fake-scripts.ts';
import { AUTHORIZE, configFor, okConfig, OPN_BLOCK, redirectTo, thb, withoutBlock } from '../../../test/support/fixtures.ts';
import '../../define.ts';
import type { CheckoutErrorEvent, CheckoutRedirectEvent } from '../../events.ts';

/** Opn's starter in the element: Omise.js makes the source (with the config's amount and the platform) before the POST. */

afterEach(() => {
  stopServing();
  resetFakeOmise();
});


describe('<payment-checkout> paying with Opn', () => {
  it('pays on a desktop: a source for the config amount without platform, one POST, then the gateway', async () => {
    const fake = serve({ config: okConfig(thb()), createPayment: () => ({ status: 201, body: redirectTo(AUTHORIZE) }) });
    const { el, navigations } = await mountCheckout();
    const redirect = oneEvent(el, 'checkout-redirect') as Promise<CheckoutRedirectEvent>;

    await payWith(el, 'mobile_banking_kbank');
    const event = await redirect;

    expect(fakeOmise().calls).to.deep.equal([
      { type: 'mobile_banking_kbank', params: { amount: 150000, currency: 'THB' }, publicKey: 'pkey_test_shop' },
    ]);
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.url.href)).to.deep.equal([`${ENDPOINT}/checkout/payments?locale=en`]);
    expect(posts[0].body).to.deep.equal({ orderId: 'order_1', method: 'mobile_banking_kbank', sourceId: 'src_test_1', platform: null });
    expect(event.url).to.equal(AUTHORIZE);
    expect(event.paymentId).to.equal('pay_1');
    expect(navigations).to.deep.equal([AUTHORIZE]);
    await el.updateComplete;
    expect(statusText(el)).to.equal('Opening KBank K PLUS…');
    expect(methodButtons(el).every((b) => b.disabled)).to.equal(true);
  });

  const platforms: [string, string, string, number, 'THB' | 'SGD', string | null][] = [
    ['an iPhone', IPHONE, 'mobile_banking_bay', 150000, 'THB', 'IOS'],
    ['an Android phone', ANDROID, 'mobile_banking_kbank', 150000, 'THB', 'ANDROID'],
    ['an Android phone', ANDROID, 'kakaopay', 1500, 'SGD', 'ANDROID'],
    ['an iPhone', IPHONE, 'kakaopay', 150000, 'THB', 'IOS'],
    ['a desktop', DESKTOP, 'kakaopay', 1500, 'SGD', 'WEB'],
    ['a desktop', DESKTOP, 'mobile_banking_bay', 150000, 'THB', null],
  ];
  for (const [device, userAgent, method, amount, currency, platform] of platforms) {
    it(`sends platform_type ${platform ?? '(none)'} for ${method} in ${currency} on ${device}`, async () => {
      const fake = serve({ config: okConfig(configFor(amount, currency)), createPayment: () => ({ body: redirectTo(AUTHORIZE) }) });
      const { el, navigations } = await mountCheckout({ userAgent });
      await payWith(el, method);
      await until(() => navigations.length === 1, 'redirected');

      const expected = platform ? { amount, currency, platform_type: platform } : { amount, currency };
      expect(fakeOmise().calls.map((c) => [c.type, c.params])).to.deep.equal([[method, expected]]);
      expect(fake.requests.find((r) => r.method === 'POST')?.body).to.include({ method, platform });
    });
  }

  it('shows a source Opn refused and asks the companion for nothing', async () => {
    const fake = serve({ config: okConfig(thb()), createPayment: () => ({ body: redirectTo(AUTHORIZE) }) });
    fakeOmise().respond = () => [400, { object: 'error', code: 'invalid_amount', message: 'amount must be at least 2000' }];
    const { el, navigations } = await mountCheckout();

    const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;
    await payWith(el, 'kakaopay');
    await until(() => action(el, 'retry'), 'error shown');
    // Our sentence, in the shopper's language; Opn's own words only for the page's developer.
    expect(statusText(el)).to.equal('The payment could not be started. Please try again or choose another method.');
    expect((await failed).message).to.equal('amount must be at least 2000');
    expect(fake.count('create')).to.equal(0);
    expect(navigations).to.deep.equal([]);
  });

  it('shows an error when the gateway script cannot be loaded', async () => {
    const missing = new URL('./no-such-omise.js', FAKE_OMISE_URL).href;
    const fake = serve({
      config: okConfig({ ...thb(), gateways: { opn: { ...OPN_BLOCK, scriptUrl: missing } } }),
      createPayment: () => ({ body: redirectTo(AUTHORIZE) }),
    });
    const { el } = await mountCheckout();

    await payWith(el, 'mobile_banking_kbank');
    await until(() => action(el, 'retry'), 'error shown');
    expect(statusText(el)).to.equal('The payment provider could not be loaded. Please try again.');
    expect(fake.count('create')).to.equal(0);
  });

  it("draws no Opn method without Opn's block of the config, and refuses a block it cannot use", async () => {
    serve({ config: okConfig(withoutBlock(thb(), 'opn')) });
    const { el } = await mountCheckout();
    expect(methodButtons(el)).to.have.length(0);
    expect(statusText(el)).to.equal('No payment method is available for this order.');

    stopServing();
    const fake = serve({ config: okConfig({ ...thb(), gateways: { opn: { scriptUrl: FAKE_OMISE_URL } } }) });
    const broken = await mountCheckout();
    const failed = oneEvent(broken.el, 'checkout-error') as Promise<CheckoutErrorEvent>;
    await payWith(broken.el, 'kakaopay');
    expect((await failed).code).to.equal('invalid_response');
    expect(fake.count('create')).to.equal(0);
    expect(methodButtons(broken.el).every((b) => !b.disabled)).to.equal(true);
  });

  it('has loaded omise.js once for the whole page', () => {
    // Every test above used the same script URL; the loader added it once.
    expect(document.querySelectorAll(`script[src="${FAKE_OMISE_URL}"]`)).to.have.length(1);
    expect(fakeOmise().loads).to.equal(1);
  });
});
