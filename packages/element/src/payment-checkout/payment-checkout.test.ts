import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../define.ts';
import type { CheckoutErrorEvent, CheckoutFailureEvent, CheckoutRedirectEvent, CheckoutSuccessEvent } from '../events.ts';
import {
  action,
  buttonsIn,
  clean,
  focusedMethod,
  legends,
  methodButton,
  methodButtons,
  root,
  statusText,
  tag,
} from '../test-support/checkout-dom.ts';
import {
  ANDROID,
  DESKTOP,
  IPHONE,
  mountCheckout,
  mountPayment,
  type PaymentOptions,
  serve,
  stopServing,
} from '../test-support/checkout-fixture.ts';
import {
  configFor,
  deferred,
  ENDPOINT,
  FAKE_OMISE_URL,
  fakeOmise,
  okConfig,
  paymentView,
  redirectTo,
  type Reply,
  resetFakeOmise,
  settle,
  until,
} from '../test-support/fake-companion.ts';
import type { PaymentCheckout } from './payment-checkout.ts';

const AUTHORIZE = 'https://sandbox.test/payments/chrg_test_1/authorize';

afterEach(() => {
  stopServing();
  resetFakeOmise();
});

const amountText = (el: PaymentCheckout) => clean(root(el).querySelector('[part~="amount-value"]')?.textContent);

/** The result of `pay_1`, polled every 5 ms unless told. */
const mountResult = (options: PaymentOptions = {}) => mountPayment({ pollDelays: [5], pollLimit: 50, ...options });

const thb = () => configFor(150000, 'THB');

describe('<payment-checkout> choosing a method', () => {
  it('shows the order amount in baht and the methods grouped, accessibly', async () => {
    const fake = serve({ config: okConfig(thb()) });
    const { el } = await mountCheckout();

    expect(amountText(el)).to.equal('฿1,500.00');
    expect(legends(el)).to.deep.equal(['Mobile banking', 'Wallets']);
    expect(buttonsIn(el, 'mobile_banking')).to.deep.equal(['KBank K PLUS', 'Krungsri KMA']);
    expect(buttonsIn(el, 'wallet')).to.deep.equal(['KakaoPay']);
    expect(fake.requests[0].url.href).to.equal(`${ENDPOINT}/checkout/config?orderId=order_1`);
    await expect(el).to.be.accessible();
  });

  it('shows an SGD order in S$ with only the wallet that takes SGD', async () => {
    serve({ config: okConfig(configFor(1500, 'SGD')) });
    const { el } = await mountCheckout();

    expect(amountText(el)).to.equal('S$15.00');
    expect(legends(el)).to.deep.equal(['Wallets']);
    expect(methodButtons(el).map((b) => b.dataset.method)).to.deep.equal(['kakaopay']);
  });

  it('does not offer a method outside its limits or currency even if the config lists it', async () => {
    // A config that wrongly lists every method: 15 baht is below every THB minimum, SGD fits KakaoPay only.
    const all = thb().methods;
    serve({ config: okConfig({ ...configFor(1500, 'THB'), methods: all }) });
    const { el } = await mountCheckout();
    expect(methodButtons(el)).to.have.length(0);
    expect(statusText(el)).to.equal('No payment method is available for this order.');

    stopServing();
    serve({ config: okConfig({ ...configFor(1500, 'SGD'), methods: all }) });
    const sgd = await mountCheckout();
    expect(methodButtons(sgd.el).map((b) => b.dataset.method)).to.deep.equal(['kakaopay']);
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

  it('pays on a desktop: a source for the config amount without platform, one POST, then the gateway', async () => {
    const fake = serve({ config: okConfig(thb()), createPayment: () => ({ status: 201, body: redirectTo(AUTHORIZE) }) });
    const { el, navigations } = await mountCheckout();
    const redirect = oneEvent(el, 'checkout-redirect') as Promise<CheckoutRedirectEvent>;

    methodButton(el, 'mobile_banking_kbank').click();
    const event = await redirect;

    expect(fakeOmise().calls).to.deep.equal([
      { type: 'mobile_banking_kbank', params: { amount: 150000, currency: 'THB' }, publicKey: 'pkey_test_shop' },
    ]);
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.url.href)).to.deep.equal([`${ENDPOINT}/checkout/payments`]);
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
      methodButton(el, method).click();
      await until(() => navigations.length === 1, 'redirected');

      const expected = platform ? { amount, currency, platform_type: platform } : { amount, currency };
      expect(fakeOmise().calls.map((c) => [c.type, c.params])).to.deep.equal([[method, expected]]);
      expect(fake.requests.find((r) => r.method === 'POST')?.body).to.include({ method, platform });
    });
  }

  it('starts one payment for a double click or a second choice while busy, and shows it is busy', async () => {
    const held = deferred<Reply>();
    const fake = serve({ config: okConfig(thb()), createPayment: () => held.promise });
    const { el, navigations } = await mountCheckout();

    const kbank = methodButton(el, 'mobile_banking_kbank');
    kbank.click();
    kbank.click();
    methodButton(el, 'kakaopay').click();
    await until(() => fake.count('create') === 1, 'the POST was sent');
    await el.updateComplete;

    expect(statusText(el)).to.equal('Connecting to KBank K PLUS…');
    expect(root(el).querySelector('[part~="methods"]')?.getAttribute('aria-busy')).to.equal('true');
    expect(root(el).querySelector('[part~="spinner"]')).to.exist;
    expect(methodButtons(el).every((b) => b.disabled)).to.equal(true);
    methodButton(el, 'mobile_banking_bay').click();

    held.resolve({ body: redirectTo(AUTHORIZE) });
    await until(() => navigations.length > 0, 'redirected');
    await settle();
    expect(fakeOmise().calls).to.have.length(1);
    expect(fake.count('create')).to.equal(1);
    expect(navigations).to.deep.equal([AUTHORIZE]);
  });

  it("shows the companion's error with its code, and Try again starts the payment again", async () => {
    let attempts = 0;
    serve({
      config: okConfig(thb()),
      createPayment: () =>
        ++attempts === 1
          ? { status: 502, body: { error: { code: 'gateway_error', message: 'The bank did not answer. Please try again.' } } }
          : { body: redirectTo(AUTHORIZE) },
    });
    const { el, navigations } = await mountCheckout();
    const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;

    methodButton(el, 'mobile_banking_bay').click();
    const error = await failed;
    await el.updateComplete;

    expect([error.code, error.stage, error.message]).to.deep.equal(['gateway_error', 'payment', 'The bank did not answer. Please try again.']);
    expect(statusText(el)).to.equal('The bank did not answer. Please try again. Error code: gateway_error');
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    expect(navigations).to.deep.equal([]);
    await expect(el).to.be.accessible();

    action(el, 'retry')!.click();
    await until(() => navigations.length === 1, 'redirected after retry');
    expect(fakeOmise().calls.map((c) => c.type)).to.deep.equal(['mobile_banking_bay', 'mobile_banking_bay']);
    expect(attempts).to.equal(2);
  });

  it("shows the companion's errors in Thai, with the code, and keeps its English message for the page's events", async () => {
    serve({
      config: okConfig(thb()),
      createPayment: () => ({ status: 409, body: { error: { code: 'payment_final', message: 'This order is already paid.' } } }),
    });
    const { el, navigations } = await mountCheckout({ locale: 'th' });
    const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;

    methodButton(el, 'mobile_banking_kbank').click();
    const error = await failed;
    await el.updateComplete;
    expect(statusText(el)).to.equal('คำสั่งซื้อนี้ชำระเงินแล้ว รหัสข้อผิดพลาด: payment_final');
    expect([error.code, error.message]).to.deep.equal(['payment_final', 'This order is already paid.']);
    expect(navigations).to.deep.equal([]);
    expect(tag(action(el, 'retry'))).to.equal(null);

    // A code the element does not know: the companion's own words rather than nothing.
    stopServing();
    serve({ config: () => ({ status: 418, body: { error: { code: 'teapot', message: 'I am a teapot.' } } }) });
    const other = await mountCheckout({ locale: 'th' });
    expect(statusText(other.el)).to.equal('I am a teapot. รหัสข้อผิดพลาด: teapot');
  });

  it('shows why the config could not be loaded and retries it', async () => {
    let attempts = 0;
    serve({
      config: () =>
        ++attempts === 1
          ? { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side.' } } }
          : { body: thb() },
    });
    const { el } = await mountCheckout();

    expect(statusText(el)).to.equal('Something went wrong on our side. Error code: internal_error');
    expect(methodButtons(el)).to.have.length(0);
    action(el, 'retry')!.click();
    await until(() => methodButtons(el).length === 3, 'methods after retry');
    expect(amountText(el)).to.equal('฿1,500.00');
    expect(tag(action(el, 'retry'))).to.equal(null);
  });

  it('says the service cannot be reached when the network fails, in Thai too', async () => {
    serve({ config: () => 'network-error' });
    const { el } = await mountCheckout();
    expect(statusText(el)).to.equal('We could not reach the payment service. Check your connection and try again.');

    const th = await mountCheckout({ locale: 'th' });
    expect(statusText(th.el)).to.equal('ไม่สามารถเชื่อมต่อบริการชำระเงินได้ กรุณาตรวจสอบการเชื่อมต่อแล้วลองอีกครั้ง');
    expect(clean(action(th.el, 'retry')?.textContent)).to.equal('ลองอีกครั้ง');
  });

  it('shows a source Opn refused and asks the companion for nothing', async () => {
    const fake = serve({ config: okConfig(thb()), createPayment: () => ({ body: redirectTo(AUTHORIZE) }) });
    fakeOmise().respond = () => [400, { object: 'error', code: 'invalid_amount', message: 'amount must be at least 2000' }];
    const { el, navigations } = await mountCheckout();

    methodButton(el, 'kakaopay').click();
    await until(() => action(el, 'retry'), 'error shown');
    expect(statusText(el)).to.equal('The payment could not be started. amount must be at least 2000 Error code: invalid_amount');
    expect(fake.count('create')).to.equal(0);
    expect(navigations).to.deep.equal([]);
  });

  it('shows an error when the gateway script cannot be loaded', async () => {
    const missing = new URL('./no-such-omise.js', FAKE_OMISE_URL).href;
    const fake = serve({
      config: okConfig({ ...thb(), opn: { publicKey: 'pkey_test_shop', scriptUrl: missing } }),
      createPayment: () => ({ body: redirectTo(AUTHORIZE) }),
    });
    const { el } = await mountCheckout();

    methodButton(el, 'mobile_banking_kbank').click();
    await until(() => action(el, 'retry'), 'error shown');
    expect(statusText(el)).to.equal('The payment provider could not be loaded. Please try again. Error code: script_load_failed');
    expect(fake.count('create')).to.equal(0);
  });

  it('lets the shopper choose again after coming back from the gateway through the back button', async () => {
    serve({ config: okConfig(thb()), createPayment: () => ({ body: redirectTo(AUTHORIZE) }) });
    const { el, navigations } = await mountCheckout();
    methodButton(el, 'mobile_banking_kbank').click();
    await until(() => navigations.length === 1, 'redirected');
    await el.updateComplete;
    expect(methodButtons(el).every((b) => b.disabled)).to.equal(true);

    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await el.updateComplete;
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    expect(statusText(el)).to.equal('');
  });

  it('leaves navigation to the page when the redirect event is canceled', async () => {
    serve({ config: okConfig(thb()), createPayment: () => ({ body: redirectTo(AUTHORIZE) }) });
    const { el, navigations } = await mountCheckout();
    el.addEventListener('checkout-redirect', (event) => event.preventDefault());
    const redirect = oneEvent(el, 'checkout-redirect') as Promise<CheckoutRedirectEvent>;

    methodButton(el, 'mobile_banking_kbank').click();
    expect((await redirect).url).to.equal(AUTHORIZE);
    await el.updateComplete;
    expect(navigations).to.deep.equal([]);
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
  });

  it('starts nothing when the method-select event is canceled', async () => {
    const fake = serve({ config: okConfig(thb()), createPayment: () => ({ body: redirectTo(AUTHORIZE) }) });
    const { el } = await mountCheckout();
    el.addEventListener('checkout-method-select', (event) => event.preventDefault());

    methodButton(el, 'kakaopay').click();
    await settle();
    expect(fakeOmise().calls).to.have.length(0);
    expect(fake.count('create')).to.equal(0);
  });

  it('shows the verified result when the companion has nothing left for the browser to do', async () => {
    serve({
      config: okConfig(thb()),
      createPayment: () => ({ body: { paymentId: 'pay_9', status: 'succeeded', next: { type: 'done', status: 'succeeded' }, reused: true } }),
      payment: (id) => ({ body: paymentView({ id, status: 'succeeded' }) }),
    });
    const { el, navigations } = await mountCheckout();
    const success = oneEvent(el, 'checkout-success') as Promise<CheckoutSuccessEvent>;

    methodButton(el, 'mobile_banking_kbank').click();
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
      createPayment: () => ({ body: { paymentId: 'pay_9', status: 'failed', next: { type: 'done', status: 'failed' }, reused: true } }),
      payment: (id) => ({ body: paymentView({ id, status: 'failed', failureCode: 'payment_rejected', failureMessage: 'Your bank rejected the payment.' }) }),
    });
    const { el } = await mountCheckout();
    methodButton(el, 'mobile_banking_kbank').click();
    await until(() => action(el, 'choose-again'), 'choose again offered');
    expect(statusText(el)).to.equal('Payment failed Your bank rejected the payment. Error code: payment_rejected');
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

    methodButton(el, 'mobile_banking_kbank').focus();
    await sendKeys({ press: 'Tab' });
    expect(focusedMethod(el)).to.equal('mobile_banking_bay');
    await sendKeys({ press: 'Space' });
    await until(() => navigations.length === 1, 'redirected');
    expect(fakeOmise().calls.map((c) => c.type)).to.deep.equal(['mobile_banking_bay']);

    const second = await mountCheckout();
    methodButton(second.el, 'kakaopay').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => second.navigations.length === 1, 'redirected by Enter');
  });

  it('has loaded omise.js once for the whole page', () => {
    // Every test above used the same script URL; the loader added it once.
    expect(document.querySelectorAll(`script[src="${FAKE_OMISE_URL}"]`)).to.have.length(1);
    expect(fakeOmise().loads).to.equal(1);
  });
});

describe('<payment-checkout> errors a second try cannot fix', () => {
  const companionError = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });
  /** Refusals the companion would repeat: shown with their code, without "Try again". */
  const finals: [string, Reply][] = [
    ['payment_final', companionError(409, 'payment_final', 'This order is already paid.')],
    ['method_unavailable', companionError(422, 'method_unavailable', 'KBank K PLUS is not available for this order.')],
    ['amount_out_of_limits', companionError(422, 'amount_out_of_limits', 'The amount is outside the limits of KBank K PLUS.')],
    ['order_not_found', companionError(404, 'order_not_found', 'We could not find order order_1.')],
    ['source_mismatch', companionError(422, 'source_mismatch', 'The payment source does not match the order.')],
    ['bad_request', companionError(400, 'bad_request', 'The request is not valid.')],
    ['invalid_token', companionError(403, 'invalid_token', 'This link is not valid.')],
  ];
  /** Problems that may pass on a second try: "Try again" stays. */
  const transients: [string, Reply][] = [
    ['network_error', 'network-error'],
    ['gateway_error', companionError(502, 'gateway_error', 'The bank did not answer. Please try again.')],
    ['internal_error', companionError(500, 'internal_error', 'Something went wrong on our side.')],
    ['payment_in_progress', companionError(409, 'payment_in_progress', 'A payment for this order is being created.')],
    ['http_error', { status: 503, body: { unavailable: true } }],
    ['invalid_response', { status: 201, body: { unexpected: true } }],
  ];

  for (const [code, reply] of [...finals, ...transients]) {
    const final = finals.some(([c]) => c === code);
    it(`${final ? 'offers no' : 'offers'} Try again for ${code} when starting a payment, and keeps the choices usable`, async () => {
      let n = 0;
      const fake = serve({ config: okConfig(thb()), createPayment: () => (n++ === 0 ? reply : { body: redirectTo(AUTHORIZE) }) });
      const { el, navigations } = await mountCheckout();
      const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;

      methodButton(el, 'mobile_banking_kbank').click();
      const error = await failed;
      await el.updateComplete;
      expect([error.code, error.stage]).to.deep.equal([code, 'payment']);
      expect(clean(action(el, 'retry')?.textContent)).to.equal(final ? '' : 'Try again');
      if (code !== 'network_error') expect(clean(root(el).querySelector('[part~="code"]')?.textContent)).to.equal(`Error code: ${code}`);
      expect(methodButtons(el).map((b) => b.disabled)).to.deep.equal([false, false, false]);
      expect(tag(action(el, 'choose-again'))).to.equal(null);
      await expect(el).to.be.accessible();

      // The choices are still there to pay with.
      methodButton(el, 'mobile_banking_bay').click();
      await until(() => navigations.length === 1, 'redirected with another choice');
      expect(fake.count('create')).to.equal(2);
    });
  }

  it('shows an order already paid, answered by GET /checkout/config, with no retry and no choices', async () => {
    const fake = serve({ config: () => ({ status: 409, body: { error: { code: 'payment_final', message: 'This order is already paid.' } } }) });
    const errors: CheckoutErrorEvent[] = [];
    document.addEventListener('checkout-error', (e) => errors.push(e), { once: true });
    const { el } = await mountCheckout();

    expect(statusText(el)).to.equal('This order is already paid. Error code: payment_final');
    expect(errors.map((e) => [e.code, e.stage, e.message])).to.deep.equal([['payment_final', 'config', 'This order is already paid.']]);
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(tag(action(el, 'choose-again'))).to.equal(null);
    expect(methodButtons(el)).to.have.length(0);
    expect(tag(root(el).querySelector('[part~="amount"]'))).to.equal(null);
    await expect(el).to.be.accessible();
    await settle(30);
    expect(fake.count('config')).to.equal(1);

    const th = await mountCheckout({ locale: 'th' });
    expect(statusText(th.el)).to.equal('คำสั่งซื้อนี้ชำระเงินแล้ว รหัสข้อผิดพลาด: payment_final');
    expect(tag(action(th.el, 'retry'))).to.equal(null);
    await expect(th.el).to.be.accessible();
  });

  it('offers no Try again for an order the companion does not know', async () => {
    serve({ config: () => ({ status: 404, body: { error: { code: 'order_not_found', message: 'We could not find order order_1.' } } }) });
    const { el } = await mountCheckout();
    expect(statusText(el)).to.equal('We could not find order order_1. Error code: order_not_found');
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(methodButtons(el)).to.have.length(0);
  });

  it('keeps Try again for an error code it does not know', async () => {
    serve({ config: () => ({ status: 418, body: { error: { code: 'teapot', message: 'I am a teapot.' } } }) });
    const { el } = await mountCheckout();
    expect(statusText(el)).to.equal('I am a teapot. Error code: teapot');
    expect(clean(action(el, 'retry')?.textContent)).to.equal('Try again');
  });
});

describe('<payment-checkout> result of a payment', () => {
  const finals: [string, Parameters<typeof paymentView>[0], string][] = [
    ['paid', { status: 'succeeded' }, 'Payment successful'],
    ['expired', { status: 'expired' }, 'Payment expired The payment was not completed in time. No money was taken.'],
    ['canceled', { status: 'canceled' }, 'Payment canceled The payment was canceled. No money was taken.'],
  ];
  for (const [name, overrides, shown] of finals) {
    it(`shows a ${name} payment`, async () => {
      const fake = serve({ payment: () => ({ body: paymentView(overrides) }) });
      const el = await mountResult();
      await until(() => !statusText(el).includes('Checking'), 'payment loaded');
      expect(statusText(el)).to.equal(shown);
      expect(clean(root(el).querySelector('[part~="summary"]')?.textContent)).to.equal('฿1,500.00 with KBank K PLUS');
      expect(fake.requests.map((r) => r.url.href)).to.deep.equal([`${ENDPOINT}/checkout/payments/pay_1?locale=en`]);
      // A return page: what comes next is the shop's to offer, not the element's.
      expect(tag(action(el, 'choose-again'))).to.equal(null);
      await expect(el).to.be.accessible();
    });
  }

  it('shows a failed payment with the companion message and the failure code, and fires failure once', async () => {
    const payment = paymentView({
      status: 'failed',
      failureCode: 'payment_rejected',
      failureMessage: 'Your bank rejected the payment. Please try another method or contact your bank.',
    });
    const fake = serve({ payment: () => ({ body: payment }) });
    let failures = 0;
    const listener = () => failures++;
    document.addEventListener('checkout-failure', listener);
    try {
      const failure = new Promise<CheckoutFailureEvent>((resolve) =>
        document.addEventListener('checkout-failure', resolve as EventListener, { once: true }),
      );
      const el = await mountResult();
      expect((await failure).payment).to.deep.equal(payment);
      await el.updateComplete;
      expect(statusText(el)).to.equal(
        'Payment failed Your bank rejected the payment. Please try another method or contact your bank. Error code: payment_rejected',
      );
      expect(tag(action(el, 'choose-again'))).to.equal(null);
      await expect(el).to.be.accessible();

      // Moving the element around or re-rendering it in Thai does not report the same payment again.
      el.remove();
      document.body.append(el);
      el.locale = 'th';
      await settle(50);
      expect(failures).to.equal(1);
      expect(statusText(el)).to.equal(
        'การชำระเงินไม่สำเร็จ ธนาคารปฏิเสธการชำระเงิน กรุณาเลือกวิธีอื่นหรือติดต่อธนาคารของคุณ รหัสข้อผิดพลาด: payment_rejected',
      );

      // Reloading it (here through a different spelling of the same endpoint) shows it again but reports nothing new.
      el.endpoint = `${ENDPOINT}/`;
      await until(() => fake.count('payment') === 2, 'payment read again');
      await settle(50);
      expect(failures).to.equal(1);
      el.remove();
    } finally {
      document.removeEventListener('checkout-failure', listener);
    }
  });

  it("shows the companion's own message for a failure code it alone knows, asking for it in the shopper's language", async () => {
    const fake = serve({ payment: () => ({ body: paymentView({ status: 'failed', failureCode: 'stolen_or_lost_card', failureMessage: 'The card was reported lost.' }) }) });
    const el = await mountResult({ locale: 'th' });
    await until(() => statusText(el).includes('lost'), 'failure shown');
    expect(statusText(el)).to.equal('การชำระเงินไม่สำเร็จ The card was reported lost. รหัสข้อผิดพลาด: stolen_or_lost_card');
    expect(fake.requests.map((r) => r.url.searchParams.get('locale'))).to.deep.equal(['th']);
  });

  it('waits for confirmation while pending and polls until the payment is final, in one live region', async () => {
    const answers = ['pending', 'pending', 'succeeded'] as const;
    let n = 0;
    const held = deferred<void>();
    const fake = serve({
      payment: async () => {
        const status = answers[Math.min(n++, answers.length - 1)];
        if (n === 2) await held.promise;
        return { body: paymentView({ status, updatedAt: `2025-01-01T00:00:0${n}.000Z` }) };
      },
    });
    let successes = 0;
    const el = await mountResult({ pollDelays: [5] });
    el.addEventListener('checkout-success', () => successes++);
    await until(() => statusText(el) === 'Waiting for confirmation…', 'waiting shown');
    const region = root(el).querySelector('[role="status"]');
    expect(region?.getAttribute('aria-live')).to.equal('polite');
    await expect(el).to.be.accessible();

    held.resolve();
    await until(() => statusText(el) === 'Payment successful', 'paid shown');
    expect(root(el).querySelector('[role="status"]')).to.equal(region);
    await settle(50);
    expect(fake.count('payment')).to.equal(3);
    expect(successes).to.equal(1);
  });

  it('keeps waiting through a network blip', async () => {
    const answers: Reply[] = [{ body: paymentView() }, 'network-error', { body: paymentView({ status: 'succeeded' }) }];
    let n = 0;
    serve({ payment: () => answers[Math.min(n++, answers.length - 1)] });
    const el = await mountResult();
    await until(() => statusText(el) === 'Payment successful', 'paid shown');
    expect(n).to.equal(3);
  });

  it('backs off 1 s, 2 s, 3 s, then every 5 s, and stops with a Check again button at the limit', async () => {
    let status: 'pending' | 'succeeded' = 'pending';
    const fake = serve({ payment: () => ({ body: paymentView({ status }) }) });
    const realSetTimeout = window.setTimeout;
    const delays: number[] = [];
    // Drive the clock: the element's poll timers (1 s and more) fire at once, and their delays are recorded.
    window.setTimeout = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) => {
      if ((timeout ?? 0) < 1000) return realSetTimeout(handler, timeout, ...args);
      delays.push(timeout!);
      return realSetTimeout(handler, 0, ...args);
    }) as typeof window.setTimeout;
    try {
      const el = await fixture<PaymentCheckout>(
        html`<payment-checkout endpoint=${ENDPOINT} payment-id="pay_1" .pollLimit=${6}></payment-checkout>`,
      );
      await until(() => action(el, 'check-again'), 'polling stopped');
      expect(delays).to.deep.equal([1000, 2000, 3000, 5000, 5000, 5000]);
      expect(fake.count('payment')).to.equal(7);
      expect(statusText(el)).to.equal(
        'We have not received a confirmation yet. If you completed the payment, check again in a moment.',
      );
      await expect(el).to.be.accessible();

      status = 'succeeded';
      action(el, 'check-again')!.click();
      await until(() => statusText(el) === 'Payment successful', 'paid after checking again');
      expect(tag(action(el, 'check-again'))).to.equal(null);
    } finally {
      window.setTimeout = realSetTimeout;
    }
  });

  it('stops polling when removed from the page and resumes when put back', async () => {
    const fake = serve({ payment: () => ({ body: paymentView() }) });
    const el = await mountResult({ pollDelays: [20] });
    await until(() => fake.count('payment') >= 2, 'polling');
    el.remove();
    const atRemoval = fake.count('payment');
    await settle(120);
    expect(fake.count('payment')).to.equal(atRemoval);

    document.body.append(el);
    await until(() => fake.count('payment') >= atRemoval + 2, 'polling again');
    el.remove();
  });

  it('resumes polling when put back after being removed while a poll was under way', async () => {
    const held = deferred<void>();
    let n = 0;
    const fake = serve({
      payment: async () => {
        if (++n === 2) await held.promise;
        return { body: paymentView() };
      },
    });
    const el = await mountResult({ pollDelays: [20] });
    await until(() => fake.count('payment') === 2, 'second poll under way');
    el.remove();
    held.resolve();
    await settle(80);
    expect(fake.count('payment')).to.equal(2);

    document.body.append(el);
    await until(() => fake.count('payment') >= 4, 'polling again');
    el.remove();
  });

  it('shows an unknown payment as an error, without a retry that could only fail again', async () => {
    const fake = serve({ payment: () => ({ status: 404, body: { error: { code: 'not_found', message: 'No such payment.' } } }) });
    const el = await mountResult();
    await until(() => statusText(el).includes('not_found'), 'error shown');
    expect(statusText(el)).to.equal('No such payment. Error code: not_found');
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(tag(action(el, 'choose-again'))).to.equal(null);
    await settle(30);
    expect(fake.count('payment')).to.equal(1);
    await expect(el).to.be.accessible();
  });

  it('offers Try again on the return page after a transient error, and reads the payment again with it', async () => {
    let n = 0;
    serve({
      payment: () =>
        n++ === 0
          ? { status: 500, body: { error: { code: 'internal_error', message: 'Something went wrong on our side.' } } }
          : { body: paymentView({ status: 'succeeded' }) },
    });
    const el = await mountResult();
    await until(() => action(el, 'retry'), 'error shown');
    expect(statusText(el)).to.equal('Something went wrong on our side. Error code: internal_error');
    action(el, 'retry')!.click();
    await until(() => statusText(el) === 'Payment successful', 'paid after retry');
  });
});
