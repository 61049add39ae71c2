import { expect, oneEvent } from '@open-wc/testing';
import { buttonsIn, legends, methodButton, methodButtons, root, statusText, switchLocale, tag, payWith } from '../../../test/support/checkout-dom.ts';
import { kpaymentTestHooks, mountOnClock, serve, stopServing } from '../../../test/support/checkout-fixture.ts';
import { deferred, type Reply, until } from '../../../test/support/fake-companion.ts';
import { ALL_METHODS, configFor, okConfig, redirectTo, withKPayment, withoutBlock } from '../../../test/support/fixtures.ts';
import '../../define.ts';
import type { CheckoutRedirectEvent } from '../../events.ts';

/** K-Payment's wallets and QR code in the choices, and Alipay and UnionPay (plain redirects) started from them. */

const ALIPAY_PAGE = 'https://kpayment.sandbox.test/kpgw/alipay/redr_test_1';
const UNIONPAY_PAGE = 'https://kpayment.sandbox.test/kpgw/unionpay/redr_test_2';

kpaymentTestHooks();

describe('<payment-checkout> K-Payment wallets and QR in the choices', () => {
  it('draws WeChat Pay, Alipay and UnionPay with the wallets and Thai QR in its own group, in one list', async () => {
    serve({ config: okConfig(withKPayment()) });
    const { el } = await mountOnClock();

    expect(legends(el)).to.deep.equal(['Mobile banking', 'Wallets', 'Cards', 'QR payment']);
    expect(buttonsIn(el, 'wallet')).to.deep.equal(['KakaoPay', 'WeChat Pay', 'Alipay', 'UnionPay']);
    expect(buttonsIn(el, 'qr')).to.deep.equal(['Thai QR (PromptPay)']);
    const lists = root(el).querySelectorAll('[part~="methods"]');
    expect(lists).to.have.length(1);
    expect([...lists[0].querySelectorAll('input')].map((b) => b.dataset.method)).to.deep.equal(ALL_METHODS);
    await expect(el).to.be.accessible();

    await switchLocale(el, 'th');
    expect(legends(el)).to.deep.equal(['โมบายแบงก์กิ้ง', 'วอลเล็ต', 'บัตร', 'คิวอาร์โค้ด']);
    expect(buttonsIn(el, 'qr')).to.deep.equal(['Thai QR (พร้อมเพย์)']);
    await expect(el).to.be.accessible();
  });

  it('offers the K-Payment wallets without an Opn key, and none of them for an SGD order', async () => {
    serve({ config: okConfig(withoutBlock(withKPayment(), 'opn')) });
    const { el } = await mountOnClock();
    expect(legends(el)).to.deep.equal(['Wallets', 'Cards', 'QR payment']);
    expect(buttonsIn(el, 'wallet')).to.deep.equal(['WeChat Pay', 'Alipay', 'UnionPay']);

    stopServing();
    // K-Payment's QR and redirect methods take THB only.
    serve({ config: okConfig(configFor(1500, 'SGD', {}, ['opn', 'kpayment'])) });
    const sgd = await mountOnClock();
    expect(methodButtons(sgd.el).map((b) => b.dataset.method)).to.deep.equal(['kakaopay', 'card']);
  });
});

describe('<payment-checkout> Alipay and UnionPay', () => {
  for (const [method, label, url] of [
    ['alipay', 'Alipay', ALIPAY_PAGE],
    ['unionpay', 'UnionPay', UNIONPAY_PAGE],
  ] as const) {
    it(`asks the companion for ${label} and sends the browser to its page`, async () => {
      const held = deferred<Reply>();
      const fake = serve({ config: okConfig(withKPayment()), createPayment: () => held.promise });
      const { el, navigations } = await mountOnClock();
      const omiseCalls = window.fakeOmise?.calls.length ?? 0;
      const redirect = oneEvent(el, 'checkout-redirect') as Promise<CheckoutRedirectEvent>;

      await payWith(el, method);
      await el.updateComplete;
      expect(statusText(el)).to.equal(`Connecting to ${label}…`);
      expect(methodButtons(el).every((b) => b.disabled)).to.equal(true);
      held.resolve({ status: 201, body: redirectTo(url, `pay_${method}`) });
      const event = await redirect;
      await el.updateComplete;

      // The order and the method only: the companion creates the charge, no Opn source is made in the browser.
      expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.body)).to.deep.equal([{ orderId: 'order_1', method }]);
      expect(window.fakeOmise?.calls.length ?? 0).to.equal(omiseCalls);
      expect([event.url, event.paymentId, event.method]).to.deep.equal([url, `pay_${method}`, method]);
      expect(navigations).to.deep.equal([url]);
      expect(statusText(el)).to.equal(`Opening ${label}…`);
      expect(tag(el.querySelector('form'))).to.equal(null);

      // Back from the gateway's page through the back/forward cache: the order read again, the shopper can choose again.
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      await until(() => methodButtons(el).length > 0 && methodButtons(el).every((b) => !b.disabled), 'choices back');
      expect(statusText(el)).to.equal('');
    });
  }
});
