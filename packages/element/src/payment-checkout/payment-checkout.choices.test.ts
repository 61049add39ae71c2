import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { action, amountText, buttonsIn, clean, focusedMethod, legends, methodButton, methodButtons, root, shownCode, statusText, tag, payWith, payButton, partText } from '../../test/support/checkout-dom.ts';
import { mountCheckout, serve, stopServing } from '../../test/support/checkout-fixture.ts';
import { deferred, ENDPOINT, type Reply, settle, until } from '../../test/support/fake-companion.ts';
import { fakeOmise, resetFakeOmise } from '../../test/support/fake-scripts.ts';
import { AUTHORIZE, configFor, done, okConfig, paymentView, redirectTo, thb } from '../../test/support/fixtures.ts';
import '../define.ts';
import type { CheckoutRedirectEvent, CheckoutSuccessEvent } from '../events.ts';
import type { PaymentCheckout } from './payment-checkout.ts';

/** Choosing a method: the grouped choices, starting one payment, redirects and `done`, in any gateway's name. */

afterEach(() => {
  stopServing();
  resetFakeOmise();
});


describe('<payment-checkout> choosing a method', () => {
  it('shows the order amount in baht and the methods grouped, accessibly', async () => {
    const fake = serve({ config: okConfig(thb()) });
    const { el } = await mountCheckout();

    expect(amountText(el)).to.equal('฿1,500.00');
    expect(legends(el)).to.deep.equal(['Mobile banking', 'Wallets']);
    expect(buttonsIn(el, 'mobile_banking')).to.deep.equal(['KBank K PLUS', 'Krungsri KMA']);
    expect(buttonsIn(el, 'wallet')).to.deep.equal(['KakaoPay']);
    expect(fake.requests[0].url.href).to.equal(`${ENDPOINT}/checkout/config?orderId=order_1&locale=en`);
    await expect(el).to.be.accessible();
  });

  it('reads left to right in a right-to-left page (its languages all do): badges and sentences are not mirrored', async () => {
    serve({ config: okConfig(thb()) });
    document.documentElement.dir = 'rtl';
    try {
      const { el } = await mountCheckout();
      const base = root(el).querySelector<HTMLElement>('[part~="base"]')!;
      expect(getComputedStyle(base).direction).to.equal('ltr');
      expect(getComputedStyle(methodButton(el, 'mobile_banking_kbank')!).direction).to.equal('ltr');
    } finally {
      document.documentElement.removeAttribute('dir');
    }
  });

  it('shows an SGD order in S$ with only the wallet that takes SGD', async () => {
    serve({ config: okConfig(configFor(1500, 'SGD')) });
    const { el } = await mountCheckout();

    expect(amountText(el)).to.equal('S$15.00');
    expect(legends(el)).to.deep.equal(['Wallets']);
    expect(methodButtons(el).map((b) => b.dataset.method)).to.deep.equal(['kakaopay']);
  });

  it("draws the companion's choice of methods for the order, and shows its refusal of one outside the limits", async () => {
    // 15 baht is below every THB minimum: the companion offers nothing, and says so if asked anyway.
    serve({ config: okConfig(configFor(1500, 'THB')) });
    const { el } = await mountCheckout();
    expect(methodButtons(el)).to.have.length(0);
    expect(statusText(el)).to.equal('No payment method is available for this order.');

    // A config that wrongly lists K PLUS: the element draws what the companion sends, and the companion, which
    // checks every payment against the order, refuses it (packages/server: amount_out_of_limits).
    stopServing();
    const refusal = { error: { code: 'amount_out_of_limits', message: 'KBank K PLUS cannot take this amount.', customerMessage: 'This amount cannot be paid with this method.' } };
    const fake = serve({
      config: okConfig({ ...configFor(1500, 'THB'), methods: thb().methods.slice(0, 1), gateways: thb().gateways }),
      createPayment: () => ({ status: 422, body: refusal }),
    });
    const wrong = await mountCheckout();
    await payWith(wrong.el, 'mobile_banking_kbank');
    await until(() => shownCode(wrong.el) === 'amount_out_of_limits', 'the refusal');
    expect(statusText(wrong.el)).to.equal('This amount cannot be paid with this method.');
    expect(shownCode(wrong.el)).to.equal('amount_out_of_limits');
    expect(wrong.navigations).to.deep.equal([]);
    expect(tag(action(wrong.el, 'retry'))).to.equal(null);
    expect(fake.count('create')).to.equal(1);
  });

  it('speaks Thai with locale="th"', async () => {
    serve({ config: okConfig(thb()) });
    const { el } = await mountCheckout({ locale: 'th' });

    expect(clean(root(el).querySelector('[part~="amount"]')?.textContent)).to.equal('ยอดชำระ ฿1,500.00');
    expect(legends(el)).to.deep.equal(['โมบายแบงก์กิ้ง', 'วอลเล็ต']);
    expect(buttonsIn(el, 'mobile_banking')).to.deep.equal(['K PLUS ธนาคารกสิกรไทย', 'KMA ธนาคารกรุงศรีอยุธยา']);
    expect(root(el).querySelector('[part~="base"]')?.getAttribute('lang')).to.equal('th');
    await expect(el).to.be.accessible();
  });

  it('follows the page language when it has no locale attribute', async () => {
    serve({ config: okConfig(thb()) });
    const before = document.documentElement.lang;
    document.documentElement.lang = 'th-TH';
    try {
      const el = await fixture<PaymentCheckout>(html`<payment-checkout endpoint=${ENDPOINT} order-id="order_1"></payment-checkout>`);
      await until(() => methodButtons(el).length > 0, 'methods drawn');
      expect(legends(el)).to.deep.equal(['โมบายแบงก์กิ้ง', 'วอลเล็ต']);
    } finally {
      document.documentElement.lang = before;
    }
  });

  it('starts one payment for a double click or a second choice while busy, and shows it is busy', async () => {
    const held = deferred<Reply>();
    const fake = serve({ config: okConfig(thb()), createPayment: () => held.promise });
    const { el, navigations } = await mountCheckout();

    methodButton(el, 'mobile_banking_kbank').click();
    await el.updateComplete;
    payButton(el).click();
    payButton(el).click();
    // Another choice in the same moment, before the choices are drawn disabled: refused, the radio stays as it was.
    methodButton(el, 'kakaopay').click();
    payButton(el).click();
    expect(methodButtons(el).filter((b) => b.checked).map((b) => b.dataset.method)).to.deep.equal(['mobile_banking_kbank']);
    await until(() => fake.count('create') === 1, 'the POST was sent');
    await el.updateComplete;

    expect(statusText(el)).to.equal('Connecting to KBank K PLUS…');
    expect(root(el).querySelector('[part~="methods"]')?.getAttribute('aria-busy')).to.equal('true');
    // The spinner shows only once the wait has lasted 150 ms: a short wait paints no flicker.
    const spinner = root(el).querySelector<HTMLElement>('[part~="spinner"]');
    expect(spinner && getComputedStyle(spinner).visibility).to.equal('hidden');
    await until(() => spinner !== null && getComputedStyle(spinner).visibility === 'visible', 'the spinner shown after 150 ms');
    expect(methodButtons(el).every((b) => b.disabled)).to.equal(true);
    await payWith(el, 'mobile_banking_bay');

    held.resolve({ body: redirectTo(AUTHORIZE) });
    await until(() => navigations.length > 0, 'redirected');
    await settle();
    expect(fakeOmise().calls).to.have.length(1);
    expect(fake.count('create')).to.equal(1);
    expect(navigations).to.deep.equal([AUTHORIZE]);
  });

  it('lets the shopper choose again after coming back from the gateway through the back button', async () => {
    const fake = serve({ config: okConfig(thb()), createPayment: () => ({ body: redirectTo(AUTHORIZE) }) });
    const { el, navigations } = await mountCheckout();
    await payWith(el, 'mobile_banking_kbank');
    await until(() => navigations.length === 1, 'redirected');
    await el.updateComplete;
    expect(methodButtons(el).every((b) => b.disabled)).to.equal(true);

    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await until(() => fake.count('config') === 2, 'the order read again at once');
    await until(() => methodButtons(el).length > 0 && methodButtons(el).every((b) => !b.disabled), 'choices back');
    expect(statusText(el)).to.equal('');
  });

  it('shows the receipt when the shopper comes back (back/forward cache) from a bank app that paid the order', async () => {
    let paid = false;
    serve({
      config: () => ({ body: paid ? { ...thb(), methods: [], paid: paymentView({ status: 'succeeded' }) } : thb() }),
      createPayment: () => ({ body: redirectTo(AUTHORIZE) }),
    });
    const { el, navigations } = await mountCheckout();
    await payWith(el, 'mobile_banking_kbank');
    await until(() => navigations.length === 1, 'redirected');

    paid = true; // in the app, meanwhile
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await until(() => partText(el, 'headline') === 'Payment successful', 'the receipt');
    expect(methodButtons(el)).to.have.length(0);
  });

  it('leaves navigation to the page when the redirect event is canceled', async () => {
    serve({ config: okConfig(thb()), createPayment: () => ({ body: redirectTo(AUTHORIZE) }) });
    const { el, navigations } = await mountCheckout();
    el.addEventListener('checkout-redirect', (event) => event.preventDefault());
    const redirect = oneEvent(el, 'checkout-redirect') as Promise<CheckoutRedirectEvent>;

    await payWith(el, 'mobile_banking_kbank');
    expect((await redirect).url).to.equal(AUTHORIZE);
    await el.updateComplete;
    expect(navigations).to.deep.equal([]);
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
  });

  it('starts nothing when the method-select event is canceled', async () => {
    const fake = serve({ config: okConfig(thb()), createPayment: () => ({ body: redirectTo(AUTHORIZE) }) });
    const { el } = await mountCheckout();
    el.addEventListener('checkout-method-select', (event) => event.preventDefault());

    await payWith(el, 'kakaopay');
    await settle();
    expect(fakeOmise().calls).to.have.length(0);
    expect(fake.count('create')).to.equal(0);
  });

  it('shows the verified result when the companion has nothing left for the browser to do', async () => {
    serve({
      config: okConfig(thb()),
      createPayment: () => ({ body: done('succeeded') }),
      payment: (id) => ({ body: paymentView({ id, status: 'succeeded' }) }),
    });
    const { el, navigations } = await mountCheckout();
    const success = oneEvent(el, 'checkout-success') as Promise<CheckoutSuccessEvent>;

    await payWith(el, 'mobile_banking_kbank');
    expect((await success).payment.id).to.equal('pay_9');
    await el.updateComplete;
    expect(el.paymentId).to.equal('pay_9');
    expect(statusText(el)).to.equal('Payment successful');
    expect(navigations).to.deep.equal([]);
    // Paid: nothing else to choose.
    expect(tag(action(el, 'choose-again'))).to.equal(null);
  });

  it('offers another choice after a payment the companion finished unpaid, with the order read again', async () => {
    const fake = serve({
      config: okConfig(thb()),
      createPayment: () => ({ body: done('failed') }),
      payment: (id) => ({ body: paymentView({ id, status: 'failed', failureCode: 'payment_rejected', failureMessage: 'Your bank rejected the payment.' }) }),
    });
    const { el } = await mountCheckout();
    await payWith(el, 'mobile_banking_kbank');
    await until(() => action(el, 'choose-again'), 'choose again offered');
    expect(statusText(el)).to.equal('Payment failed Your bank rejected the payment.');
    expect(shownCode(el)).to.equal('payment_rejected');
    expect(clean(action(el, 'choose-again')!.textContent)).to.equal('Choose another payment method');
    await expect(el).to.be.accessible();

    action(el, 'choose-again')!.click();
    await until(() => methodButtons(el).length === 3, 'choices back');
    await el.updateComplete;
    expect(fake.count('config')).to.equal(2);
    expect(el.paymentId).to.equal(undefined);
    expect(statusText(el)).to.equal('');
    expect(focusedMethod(el)).to.equal('mobile_banking_kbank');
  });

  it('can be operated with the keyboard alone', async () => {
    serve({ config: okConfig(thb()), createPayment: () => ({ body: redirectTo(AUTHORIZE) }) });
    const { el, navigations } = await mountCheckout();

    // The choices are one radio group: the arrow keys select, Tab goes on to the pay action, Enter pays.
    methodButton(el, 'mobile_banking_kbank').focus();
    await sendKeys({ press: 'ArrowDown' });
    expect(focusedMethod(el)).to.equal('mobile_banking_bay');
    expect(methodButton(el, 'mobile_banking_bay').checked).to.equal(true);
    await el.updateComplete;
    await sendKeys({ press: 'Tab' });
    expect(root(el).activeElement?.getAttribute('part')).to.equal('pay');
    expect(navigations).to.have.length(0);
    await sendKeys({ press: 'Enter' });
    await until(() => navigations.length === 1, 'redirected');
    expect(fakeOmise().calls.map((c) => c.type)).to.deep.equal(['mobile_banking_bay']);

    // Space selects the focused choice, and presses the pay action.
    const second = await mountCheckout();
    methodButton(second.el, 'kakaopay').focus();
    await sendKeys({ press: 'Space' });
    await second.el.updateComplete;
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Space' });
    await until(() => second.navigations.length === 1, 'redirected by Space');
  });
});
