import { expect, oneEvent } from '@open-wc/testing';
import { action, amountText, clean, methodButton, methodButtons, partText, root, shownCode, statusText, switchLocale, tag, payWith } from '../../test/support/checkout-dom.ts';
import { mountCheckout, placeCheckout, serve, stopServing } from '../../test/support/checkout-fixture.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { REQUEST_TIMEOUT_MS } from '../companion-client.ts';
import { type Reply, settle, until } from '../../test/support/fake-companion.ts';
import { fakeOmise, resetFakeOmise } from '../../test/support/fake-scripts.ts';
import { AUTHORIZE, configFor, okConfig, paymentView, redirectTo, thb } from '../../test/support/fixtures.ts';
import '../define.ts';
import type { CheckoutErrorEvent } from '../events.ts';
import type { PaymentCheckout } from './payment-checkout.ts';

/** Errors while loading the order or starting a payment: what the shopper reads, and "Try again" where it may help. */

afterEach(() => {
  stopServing();
  resetFakeOmise();
});


/** The companion's refusal of an order already paid, with its words for the shopper in the locale asked for. */
function paidError(locale: string | null): unknown {
  const customerMessage = locale === 'th' ? 'คำสั่งซื้อนี้ชำระเงินแล้ว' : locale === 'en' ? 'This order is already paid.' : undefined;
  return { error: { code: 'payment_final', message: 'This order is already paid.', ...(customerMessage ? { customerMessage } : {}) } };
}

describe('<payment-checkout> errors', () => {
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

    await payWith(el, 'mobile_banking_bay');
    const error = await failed;
    await el.updateComplete;

    expect([error.code, error.stage, error.message]).to.deep.equal(['gateway_error', 'payment', 'The bank did not answer. Please try again.']);
    expect(statusText(el)).to.equal('The bank did not answer. Please try again.');
    expect(shownCode(el)).to.equal('gateway_error');
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    expect(navigations).to.deep.equal([]);
    await expect(el).to.be.accessible();

    action(el, 'retry')!.click();
    await until(() => navigations.length === 1, 'redirected after retry');
    expect(fakeOmise().calls.map((c) => c.type)).to.deep.equal(['mobile_banking_bay', 'mobile_banking_bay']);
    expect(attempts).to.equal(2);
  });

  it("shows the companion's errors in Thai, with the code, and keeps its English message for the page's events", async () => {
    const fake = serve({
      config: okConfig(thb()),
      createPayment: () => ({ status: 409, body: paidError(fake.requests.at(-1)!.url.searchParams.get('locale')) }),
    });
    const { el, navigations } = await mountCheckout({ locale: 'th' });
    const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;

    await payWith(el, 'mobile_banking_kbank');
    const error = await failed;
    await el.updateComplete;
    expect(statusText(el)).to.equal('คำสั่งซื้อนี้ชำระเงินแล้ว');
    expect(shownCode(el)).to.equal('payment_final');
    expect([error.code, error.message]).to.deep.equal(['payment_final', 'This order is already paid.']);
    expect(navigations).to.deep.equal([]);
    expect(tag(action(el, 'retry'))).to.equal(null);
    // Every request told the companion the shopper's language (the order read again after the refusal: not paid by
    // another payment, so the refusal stands); the page switching to English shows its English.
    expect(fake.requests.map((r) => [r.url.pathname, r.url.searchParams.get('locale')])).to.deep.equal([
      ['/api/checkout/config', 'th'],
      ['/api/checkout/payments', 'th'],
      ['/api/checkout/config', 'th'],
    ]);
    await switchLocale(el, 'en');
    expect(statusText(el)).to.equal('This order is already paid.');
    expect(shownCode(el)).to.equal('payment_final');

    // A code the element does not know: the companion's own words rather than nothing.
    stopServing();
    serve({ config: () => ({ status: 418, body: { error: { code: 'teapot', message: 'I am a teapot.' } } }) });
    const other = await mountCheckout({ locale: 'th' });
    expect(statusText(other.el)).to.equal('I am a teapot.');
    expect(shownCode(other.el)).to.equal('teapot');
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

    expect(statusText(el)).to.equal('Something went wrong on our side.');
    expect(shownCode(el)).to.equal('internal_error');
    expect(methodButtons(el)).to.have.length(0);
    action(el, 'retry')!.click();
    await until(() => methodButtons(el).length === 3, 'methods after retry');
    expect(amountText(el)).to.equal('฿1,500.00');
    expect(tag(action(el, 'retry'))).to.equal(null);
    // "Try again" went away: focus is on the first choice, not lost to the page.
    expect(root(el).activeElement).to.equal(methodButtons(el)[0]);
  });

  it('gives up on a companion that does not answer, on its clock, and says so in Thai; Try again asks again', async () => {
    let attempts = 0;
    const fake = serve({ config: () => (++attempts === 1 ? new Promise<never>(() => {}) : { body: thb() }) });
    const clock = new FakeClock();
    const { el } = await placeCheckout({ clock, locale: 'th' });
    const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;
    await until(() => fake.count('config') === 1, 'config asked');

    clock.advance(REQUEST_TIMEOUT_MS - 1);
    await settle();
    expect(statusText(el)).to.equal('กำลังโหลด…');
    clock.advance(1);
    const error = await failed;
    await el.updateComplete;
    expect([error.code, error.stage]).to.deep.equal(['timeout', 'config']);
    expect(statusText(el)).to.equal('ไม่สามารถเชื่อมต่อบริการชำระเงินได้');
    expect(shownCode(el)).to.equal('timeout');

    action(el, 'retry')!.click();
    await until(() => methodButtons(el).length === 3, 'methods after retry');
    expect(fake.count('config')).to.equal(2);
  });

  it('gives up on a create that does not answer: the shopper may try again, and the second one pays', async () => {
    let creates = 0;
    serve({ config: okConfig(thb()), createPayment: () => (++creates === 1 ? new Promise<never>(() => {}) : { body: redirectTo(AUTHORIZE) }) });
    const clock = new FakeClock();
    const { el, navigations } = await mountCheckout({ clock });
    const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;
    await payWith(el, 'mobile_banking_kbank');
    await until(() => creates === 1, 'create asked');
    expect(methodButtons(el).every((b) => b.disabled)).to.equal(true);

    clock.advance(REQUEST_TIMEOUT_MS);
    const error = await failed;
    await el.updateComplete;
    expect([error.code, error.stage]).to.deep.equal(['timeout', 'payment']);
    expect(statusText(el)).to.equal('We could not reach the payment service. Check your connection and try again.');
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    action(el, 'retry')!.click();
    await until(() => navigations.length === 1, 'redirected after retry');
    expect([creates, navigations[0]]).to.deep.equal([2, AUTHORIZE]);
  });

  it('says the service cannot be reached when the network fails, in Thai and Japanese too, in its own words (no texts came)', async () => {
    serve({ config: () => 'network-error' });
    const { el } = await mountCheckout();
    expect(statusText(el)).to.equal('We could not reach the payment service.');
    expect(clean(action(el, 'retry')?.textContent)).to.equal('Try again');

    const th = await mountCheckout({ locale: 'th' });
    expect(statusText(th.el)).to.equal('ไม่สามารถเชื่อมต่อบริการชำระเงินได้');
    expect(clean(action(th.el, 'retry')?.textContent)).to.equal('ลองอีกครั้ง');

    const ja = await mountCheckout({ locale: 'ja' });
    expect(statusText(ja.el)).to.equal('決済サービスに接続できませんでした。');
    expect(clean(action(ja.el, 'retry')?.textContent)).to.equal('再試行');
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

      await payWith(el, 'mobile_banking_kbank');
      const error = await failed;
      await el.updateComplete;
      expect([error.code, error.stage]).to.deep.equal([code, 'payment']);
      expect(clean(action(el, 'retry')?.textContent)).to.equal(final ? '' : 'Try again');
      // The code is for scripts and support, not for the shopper to read.
      expect(shownCode(el)).to.equal(code);
      expect(statusText(el)).to.not.contain(code);
      expect(methodButtons(el).map((b) => b.disabled)).to.deep.equal([false, false, false]);
      expect(tag(action(el, 'choose-again'))).to.equal(null);
      await expect(el).to.be.accessible();

      // The choices are still there to pay with.
      await payWith(el, 'mobile_banking_bay');
      await until(() => navigations.length === 1, 'redirected with another choice');
      expect(fake.count('create')).to.equal(2);
    });
  }

  it("shows the receipt of an order already paid (the config names its payment), not an error", async () => {
    const paid = paymentView({ status: 'succeeded', method: 'mobile_banking_kbank' });
    const fake = serve({ config: okConfig({ ...thb(), methods: [], gateways: {}, paid }) });
    const errors: CheckoutErrorEvent[] = [];
    document.addEventListener('checkout-error', (e) => errors.push(e), { once: true });
    const { el } = await mountCheckout();
    await until(() => statusText(el) === 'Payment successful', 'the receipt');
    expect(partText(el, 'summary')).to.equal('฿1,500.00 with KBank K PLUS');
    expect(errors).to.deep.equal([]);
    expect(shownCode(el)).to.equal(null);
    expect(methodButtons(el)).to.have.length(0);
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(tag(action(el, 'choose-again'))).to.equal(null);
    await expect(el).to.be.accessible();
    await settle(30);
    // Read once, with the order: final, so no polls.
    expect([fake.count('config'), fake.count('payment')]).to.deep.equal([1, 0]);
  });

  it('shows the receipt, not an error, when Pay meets an order paid meanwhile (a QR code paid in the bank app after its window closed)', async () => {
    const paid = paymentView({ id: 'pay_qr_1', method: 'thai_qr', status: 'succeeded' });
    let reads = 0;
    const fake = serve({
      config: () => ({ body: ++reads === 1 ? thb() : { ...thb(), paid } }),
      createPayment: () => ({ status: 409, body: paidError('en') }),
      payment: () => ({ body: paid }),
    });
    const errors: CheckoutErrorEvent[] = [];
    document.addEventListener('checkout-error', (e) => errors.push(e), { once: true });
    const { el, navigations } = await mountCheckout();

    await payWith(el, 'mobile_banking_kbank');
    await until(() => partText(el, 'headline') === 'Payment successful', 'the receipt of the payment that paid the order');
    expect(fake.requests.at(-1)!.url.pathname).to.equal('/api/checkout/payments/pay_qr_1');
    expect(errors).to.deep.equal([]);
    expect(shownCode(el)).to.equal(null);
    expect(methodButtons(el)).to.have.length(0);
    expect(navigations).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('shows an order already paid, answered by GET /checkout/config, with no retry and no choices', async () => {
    const fake = serve({ config: () => ({ status: 409, body: { error: { code: 'payment_final', message: 'This order is already paid.' } } }) });
    const errors: CheckoutErrorEvent[] = [];
    document.addEventListener('checkout-error', (e) => errors.push(e), { once: true });
    const { el } = await mountCheckout();

    expect(statusText(el)).to.equal('This order is already paid.');
    expect(shownCode(el)).to.equal('payment_final');
    expect(errors.map((e) => [e.code, e.stage, e.message])).to.deep.equal([['payment_final', 'config', 'This order is already paid.']]);
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(tag(action(el, 'choose-again'))).to.equal(null);
    expect(methodButtons(el)).to.have.length(0);
    expect(tag(root(el).querySelector('[part~="amount"]'))).to.equal(null);
    await expect(el).to.be.accessible();
    await settle(30);
    expect(fake.count('config')).to.equal(1);

    stopServing();
    const thai = serve({ config: () => ({ status: 409, body: paidError(thai.requests.at(-1)!.url.searchParams.get('locale')) }) });
    const th = await mountCheckout({ locale: 'th' });
    expect(statusText(th.el)).to.equal('คำสั่งซื้อนี้ชำระเงินแล้ว');
    expect(shownCode(th.el)).to.equal('payment_final');
    expect(tag(action(th.el, 'retry'))).to.equal(null);
    await expect(th.el).to.be.accessible();
  });

  it('offers no Try again for an order the companion does not know', async () => {
    serve({ config: () => ({ status: 404, body: { error: { code: 'order_not_found', message: 'We could not find order order_1.' } } }) });
    const { el } = await mountCheckout();
    expect(statusText(el)).to.equal('We could not find order order_1.');
    expect(shownCode(el)).to.equal('order_not_found');
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(methodButtons(el)).to.have.length(0);
  });

  it('reads an error code it does not know by its status: Try again after a 5xx, none after a 4xx', async () => {
    serve({ config: () => ({ status: 503, body: { error: { code: 'teapot_busy', message: 'The teapot is busy.' } } }) });
    const { el } = await mountCheckout();
    expect(statusText(el)).to.equal('The teapot is busy.');
    expect(shownCode(el)).to.equal('teapot_busy');
    expect(clean(action(el, 'retry')?.textContent)).to.equal('Try again');

    stopServing();
    serve({ config: () => ({ status: 418, body: { error: { code: 'teapot', message: 'I am a teapot.' } } }) });
    const teapot = await mountCheckout();
    expect(statusText(teapot.el)).to.equal('I am a teapot.');
    expect(shownCode(teapot.el)).to.equal('teapot');
    expect(tag(action(teapot.el, 'retry'))).to.equal(null);
  });
});
