import { expect, oneEvent } from '@open-wc/testing';
import type { CheckoutConfig } from '@payment-checkout/core/api';
import '../define.ts';
import type { CheckoutErrorEvent, CheckoutMethodSelectEvent } from '../events.ts';
import {
  action,
  buttonsIn,
  cardForm,
  clean,
  dataAttributes,
  focusedMethod,
  legends,
  methodButton,
  methodButtons,
  methodsBusy,
  root,
  statusText,
  tag,
} from '../test-support/checkout-dom.ts';
import {
  kpaymentTestHooks,
  mountCheckout,
  mountPayment,
  openKPayment,
  serve,
  stopServing,
} from '../test-support/checkout-fixture.ts';
import {
  ALL_METHODS,
  CARD_FORM_ACTION,
  cardAttributes,
  configFor,
  deferred,
  ENDPOINT,
  FAKE_KPAYMENT_URL,
  type FakeCompanion,
  fakeKPayment,
  kpaymentNext,
  kpaymentShows,
  okConfig,
  paymentView,
  type Reply,
  settle,
  until,
  withKPayment,
} from '../test-support/fake-companion.ts';
import type { PaymentCheckout } from './payment-checkout.ts';

/** The card (K-Payment, kpayment.min.js) in the element, against a fake companion and a fake kpayment.min.js. */

/** Forms the script submitted, in this test. */
const submitted = kpaymentTestHooks();

/** A script URL of its own, so that a test sees the first run of the script on this page. */
let scriptCount = 0;
const freshScriptUrl = () => `${FAKE_KPAYMENT_URL}?script=${++scriptCount}`;
const scriptTags = (src: string) => document.querySelectorAll(`script[src="${src}"]`).length;
const shows = () => fakeKPayment().shows;

describe('<payment-checkout> card choice', () => {
  it('draws the card in its own Cards group, from the config, in the one list of choices', async () => {
    serve({ config: okConfig(withKPayment()) });
    const { el } = await mountCheckout();

    expect(legends(el)).to.deep.equal(['Mobile banking', 'Wallets', 'Cards', 'QR payment']);
    expect(buttonsIn(el, 'card')).to.deep.equal(['Credit / debit card']);
    const lists = root(el).querySelectorAll('[part~="methods"]');
    expect(lists).to.have.length(1);
    expect([...lists[0].querySelectorAll('button')].map((b) => b.dataset.method)).to.deep.equal(ALL_METHODS);
    await expect(el).to.be.accessible();

    el.locale = 'th';
    await el.updateComplete;
    expect(legends(el)).to.deep.equal(['โมบายแบงก์กิ้ง', 'วอลเล็ต', 'บัตร', 'คิวอาร์โค้ด']);
    expect(buttonsIn(el, 'card')).to.deep.equal(['บัตรเครดิต / เดบิต']);
  });

  it('offers only the K-Payment methods for a merchant with K-Payment only, and for amounts too small for Opn', async () => {
    // A config without an Opn key that still lists Opn methods: those cannot start, the card (and K-Payment's
    // wallets and QR) can.
    const everything = withKPayment();
    const kpaymentOnly = ['wechat_pay', 'alipay', 'unionpay', 'card', 'thai_qr'];
    serve({ config: okConfig({ ...everything, opn: null }) });
    const { el } = await mountCheckout();
    expect(legends(el)).to.deep.equal(['Wallets', 'Cards', 'QR payment']);
    expect(methodButtons(el).map((b) => b.dataset.method)).to.deep.equal(kpaymentOnly);

    stopServing();
    // ฿15.00 is below every Opn minimum, not K-Payment's.
    serve({ config: okConfig({ ...withKPayment(1500), methods: everything.methods }) });
    const { el: small } = await mountCheckout();
    expect(methodButtons(small).map((b) => b.dataset.method)).to.deep.equal(kpaymentOnly);
  });

  it('does not draw the card when the config does not offer it, or offers it under another gateway', async () => {
    const opnOnly = configFor(150000, 'THB');
    const card = withKPayment().methods.find((m) => m.id === 'card')!;
    serve({ config: okConfig({ ...opnOnly, methods: [...opnOnly.methods, { ...card, gateway: 'opn' }] }) });
    const { el } = await mountCheckout();
    expect(legends(el)).to.deep.equal(['Mobile banking', 'Wallets']);
    expect(tag(methodButton(el, 'card'))).to.equal(null);
  });
});

describe('<payment-checkout> paying by card', () => {
  it('puts the form and the script in its light DOM with the exact attributes and action, and opens the card form once', async () => {
    const held = deferred<Reply>();
    const fake = serve({ config: okConfig(withKPayment()), createPayment: () => held.promise });
    const { el } = await mountCheckout();
    const showsBefore = kpaymentShows();

    methodButton(el, 'card').click();
    await el.updateComplete;
    expect(statusText(el)).to.equal('Opening the card form…');
    expect(methodButtons(el).every((b) => b.disabled)).to.equal(true);
    held.resolve({ status: 201, body: kpaymentNext() });
    await until(() => kpaymentShows() > showsBefore, 'card form opened');
    await el.updateComplete;

    // The companion was asked for the card payment of the order, with nothing from the page.
    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.body)).to.deep.equal([{ orderId: 'order_1', method: 'card' }]);
    const form = cardForm(el)!;
    expect(form.parentElement).to.equal(el);
    expect(el.shadowRoot!.contains(form)).to.equal(false);
    expect(form.method).to.equal('post');
    expect(form.getAttribute('action')).to.equal(CARD_FORM_ACTION);
    const scripts = form.querySelectorAll('script');
    expect(scripts).to.have.length(1);
    expect(scripts[0].src).to.equal(FAKE_KPAYMENT_URL);
    expect(dataAttributes(scripts[0])).to.deep.equal(cardAttributes());
    // The script's own "Pay Now" button is hidden: the element's card button is the one the shopper used.
    expect(tag(form.querySelector('.kpayment-button'))).to.equal(null);
    expect(form.querySelectorAll('input')).to.have.length(0);

    expect(shows().length - showsBefore).to.equal(1);
    expect(shows().at(-1)).to.deep.include({ action: CARD_FORM_ACTION, method: 'post', attributes: cardAttributes() });
    expect(statusText(el)).to.equal('Complete the payment in the card form.');
    expect(methodButtons(el).every((b) => b.disabled)).to.equal(true);
    expect(methodsBusy(el)).to.equal('true');
    expect(root(el).querySelector<HTMLSlotElement>('slot[name="card-form"]')!.assignedElements().map(tag)).to.deep.equal([tag(form)]);
    await expect(el).to.be.accessible();
  });

  it('hides the script button even when the companion leaves data-show-button out, on first run and on reuse', async () => {
    const { 'show-button': _shown, ...attributes } = cardAttributes();
    const scriptUrl = freshScriptUrl();
    serve({ config: okConfig(withKPayment()), createPayment: () => ({ body: kpaymentNext({ scriptUrl, attributes }) }) });
    const { el } = await mountCheckout();

    for (const attempt of [1, 2]) {
      await openKPayment(el, 'card');
      const form = cardForm(el)!;
      expect(form.querySelector('script')!.getAttribute('data-show-button'), `attempt ${attempt}`).to.equal('false');
      expect(tag(form.querySelector('.kpayment-button')), `attempt ${attempt}`).to.equal(null);
      fakeKPayment().close();
      await until(() => !cardForm(el), 'form removed');
    }
  });

  it('opens one card form and posts once for a double click', async () => {
    const fake = serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: kpaymentNext() }) });
    const { el } = await mountCheckout();
    const showsBefore = kpaymentShows();

    methodButton(el, 'card').click();
    methodButton(el, 'card').click();
    await until(() => kpaymentShows() > showsBefore, 'card form opened');
    methodButton(el, 'card').click();
    methodButton(el, 'kakaopay').click();
    await settle(50);

    expect(fake.count('create')).to.equal(1);
    expect(shows().length - showsBefore).to.equal(1);
    expect(el.querySelectorAll('form')).to.have.length(1);
  });

  it('returns to the choices when the shopper closes the card form, with focus on the card button', async () => {
    serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: kpaymentNext() }) });
    const { el } = await mountCheckout();
    await openKPayment(el, 'card');
    expect(fakeKPayment().isOpen()).to.equal(true);

    fakeKPayment().close();
    await until(() => statusText(el) === '', 'choices back');
    await el.updateComplete;
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    expect(methodsBusy(el)).to.equal('false');
    expect(tag(cardForm(el))).to.equal(null);
    expect(focusedMethod(el)).to.equal('card');
    await expect(el).to.be.accessible();
  });

  it('opens the card form again after a close, reusing the loaded script with the new attributes through KPayment.create()', async () => {
    const scriptUrl = freshScriptUrl();
    const answers = [
      kpaymentNext({ scriptUrl }),
      kpaymentNext({ scriptUrl, paymentId: 'pay_card_2', attributes: cardAttributes({ 'customer-id': 'cust_test_7' }) }),
      kpaymentNext({ scriptUrl, paymentId: 'pay_card_3', formAction: `${ENDPOINT}/checkout/kpayment/token?payment=pay_card_3` }),
    ];
    let n = 0;
    const fake = serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: answers[n++] }) });
    const { el } = await mountCheckout();
    let closes = 0;
    el.addEventListener('checkout-error', () => expect.fail('no error expected'));

    await openKPayment(el, 'card');
    const state = fakeKPayment();
    const first = { loads: state.loads, creates: state.creates, handlers: state.closeHandlers };
    expect(shows().at(-1)!.attributes).to.not.have.property('customer-id');
    state.close();
    closes++;
    await until(() => !cardForm(el) && methodButtons(el).every((b) => !b.disabled), 'choices back');

    await openKPayment(el, 'card');
    expect(fake.count('create')).to.equal(2);
    // Same script run, re-read: no second load, one create(), and no second close handler to call twice.
    expect([state.loads, state.creates, state.closeHandlers]).to.deep.equal([first.loads, first.creates + 1, first.handlers]);
    expect(shows().at(-1)!.load).to.equal(first.loads);
    expect(shows().at(-1)!.attributes).to.deep.equal(cardAttributes({ 'customer-id': 'cust_test_7' }));
    expect(dataAttributes(cardForm(el)!.querySelector('script')!)).to.deep.equal(cardAttributes({ 'customer-id': 'cust_test_7' }));
    expect(scriptTags(scriptUrl)).to.equal(1);
    expect(statusText(el)).to.equal('Complete the payment in the card form.');

    state.close();
    closes++;
    await until(() => !cardForm(el) && methodButtons(el).every((b) => !b.disabled), 'choices back again');
    expect(focusedMethod(el)).to.equal('card');

    // The third time the customer-id is gone again, and the token goes to the new form action.
    await openKPayment(el, 'card');
    expect(shows().at(-1)!.attributes).to.deep.equal(cardAttributes());
    expect(shows().at(-1)!.action).to.equal(`${ENDPOINT}/checkout/kpayment/token?payment=pay_card_3`);
    state.pay({ token: 'tokn_test_3', paymentMethods: 'card', mid: '401000000000001' });
    expect(submitted.map((s) => s.action)).to.deep.equal([`${ENDPOINT}/checkout/kpayment/token?payment=pay_card_3`]);
    expect(closes).to.equal(2);
  });

  it('lets the script post the token and its fields to the companion form action, and says the card is being processed', async () => {
    serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: kpaymentNext() }) });
    const { el } = await mountCheckout();
    await openKPayment(el, 'card');

    const fields = { token: 'tokn_test_abc', paymentMethods: 'card', mid: '401000000000001', savecard: 'true' };
    fakeKPayment().pay(fields);
    expect(submitted).to.deep.equal([{ action: CARD_FORM_ACTION, method: 'post', fields }]);
    await until(() => statusText(el) === 'Processing your card payment…', 'processing shown');
    expect(methodButtons(el).every((b) => b.disabled)).to.equal(true);
    await expect(el).to.be.accessible();

    // Back from the companion's page through the back/forward cache: the used token goes with the form.
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await el.updateComplete;
    expect(statusText(el)).to.equal('');
    expect(tag(cardForm(el))).to.equal(null);
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
  });

  it('notes that instalments are available when the companion sends SmartPay attributes', async () => {
    const variants: [string, Record<string, string>, string][] = [
      ['SmartpayID', { 'smartpay-id': '0001', term: '10' }, 'Complete the payment in the card form. Choose the number of months in the card form.'],
      [
        'Installment Plan',
        { 'plan-id': '999', 'ipan-mode': '03', 'product-type': '003', 'supplier-no': '99903', 'model-no': '123456' },
        'Complete the payment in the card form. Choose the number of months in the card form.',
      ],
      ['none', {}, 'Complete the payment in the card form.'],
    ];
    for (const [name, extra, shown] of variants) {
      serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: kpaymentNext({ attributes: cardAttributes(extra) }) }) });
      const { el } = await mountCheckout();
      await openKPayment(el, 'card');
      expect(statusText(el), name).to.equal(shown);
      expect(dataAttributes(cardForm(el)!.querySelector('script')!), name).to.deep.equal(cardAttributes(extra));
      fakeKPayment().close();
      await until(() => !cardForm(el), 'closed');
      stopServing();
    }

    serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: kpaymentNext({ attributes: cardAttributes({ 'smartpay-id': '0001' }) }) }) });
    const { el: th } = await mountCheckout({ locale: 'th' });
    await openKPayment(th, 'card');
    expect(statusText(th)).to.equal('กรุณาชำระเงินให้เสร็จในแบบฟอร์มบัตร เลือกจำนวนเดือนที่จะผ่อนในแบบฟอร์มบัตร');
    await expect(th).to.be.accessible();
  });

  it('shows an error with a retry when kpayment.min.js cannot be loaded, and leaves no form behind', async () => {
    const missing = new URL('./no-such-kpayment.js', FAKE_KPAYMENT_URL).href;
    let n = 0;
    const fake = serve({
      config: okConfig(withKPayment()),
      createPayment: () => ({ status: 201, body: kpaymentNext({ scriptUrl: n++ === 0 ? missing : FAKE_KPAYMENT_URL }) }),
    });
    const { el } = await mountCheckout();
    const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;

    methodButton(el, 'card').click();
    const error = await failed;
    await el.updateComplete;
    expect([error.code, error.stage]).to.deep.equal(['script_load_failed', 'payment']);
    expect(statusText(el)).to.equal('The payment provider could not be loaded. Please try again. Error code: script_load_failed');
    expect(tag(el.querySelector('form'))).to.equal(null);
    expect(scriptTags(missing)).to.equal(0);

    const showsBefore = kpaymentShows();
    action(el, 'retry')!.click();
    await until(() => kpaymentShows() > showsBefore, 'card form opened on retry');
    expect(fake.count('create')).to.equal(2);
    await el.updateComplete;
    expect(statusText(el)).to.equal('Complete the payment in the card form.');
  });

  it('shows an error when the script refuses to open the card form', async () => {
    serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: kpaymentNext() }) });
    const { el } = await mountCheckout();
    await openKPayment(el, 'card'); // make sure the script ran once, then make it refuse
    fakeKPayment().close();
    await until(() => !cardForm(el), 'closed');
    fakeKPayment().showResult = false;
    const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;

    methodButton(el, 'card').click();
    expect((await failed).code).to.equal('card_form_unavailable');
    await el.updateComplete;
    expect(statusText(el)).to.equal('The card form could not be opened. Please try again. Error code: card_form_unavailable');
    expect(tag(cardForm(el))).to.equal(null);
    expect(tag(action(el, 'retry'))).to.not.equal(null);

    el.locale = 'th';
    await el.updateComplete;
    expect(statusText(el)).to.equal('ไม่สามารถเปิดแบบฟอร์มบัตรได้ กรุณาลองอีกครั้ง รหัสข้อผิดพลาด: card_form_unavailable');
  });

  it("shows the companion's refusal of a card payment and opens nothing", async () => {
    const showsBefore = kpaymentShows();
    serve({
      config: okConfig(withKPayment()),
      createPayment: () => ({ status: 409, body: { error: { code: 'payment_final', message: 'This order is already paid.' } } }),
    });
    const { el } = await mountCheckout();
    methodButton(el, 'card').click();
    await until(() => statusText(el).includes('payment_final'), 'error shown');
    expect(statusText(el)).to.equal('This order is already paid. Error code: payment_final');
    // Paying again cannot help: no "Try again".
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(tag(el.querySelector('form'))).to.equal(null);
    expect(kpaymentShows()).to.equal(showsBefore);
  });

  it('takes its form away when it leaves the page while the card form is open', async () => {
    serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: kpaymentNext() }) });
    const { el } = await mountCheckout();
    await openKPayment(el, 'card');
    expect(tag(cardForm(el))).to.not.equal(null);

    el.remove();
    expect(tag(el.querySelector('form'))).to.equal(null);
    // A close arriving afterwards changes nothing and throws nothing.
    fakeKPayment().close();
    await settle();
    expect(tag(el.querySelector('form'))).to.equal(null);
  });

  it('shows the card busy states in Thai', async () => {
    const held = deferred<Reply>();
    serve({ config: okConfig(withKPayment()), createPayment: () => held.promise });
    const { el } = await mountCheckout({ locale: 'th' });
    methodButton(el, 'card').click();
    await el.updateComplete;
    expect(statusText(el)).to.equal('กำลังเปิดแบบฟอร์มบัตร…');
    const showsBefore = kpaymentShows();
    held.resolve({ status: 201, body: kpaymentNext() });
    await until(() => kpaymentShows() > showsBefore, 'card form opened');
    await el.updateComplete;
    expect(statusText(el)).to.equal('กรุณาชำระเงินให้เสร็จในแบบฟอร์มบัตร');
    fakeKPayment().pay({ token: 'tokn_test_th', paymentMethods: 'card', mid: '401000000000001' });
    await until(() => statusText(el) === 'กำลังดำเนินการชำระเงินด้วยบัตร…', 'processing in Thai');
  });
});

describe('<payment-checkout> card in SmartPay instalments', () => {
  /** A baht order on a SmartPay merchant: the companion's config says instalments may be asked for. */
  const withInstalments = (installments = true, amount = 150000): CheckoutConfig => ({
    ...withKPayment(amount),
    kpayment: { publicKey: 'pkey_test_shop', scriptUrl: FAKE_KPAYMENT_URL, installments, savedCards: false },
  });
  const instalmentButton = (el: PaymentCheckout) => root(el).querySelector<HTMLButtonElement>('button[data-method="card"][data-installments]');
  const focusedInstalments = (el: PaymentCheckout) => (root(el).activeElement as HTMLElement | null)?.dataset.installments ?? null;
  const SMARTPAY = { 'smartpay-id': '0001' };
  /** The companion answers a card payment with SmartPay attributes only when it was asked for instalments. */
  const cardReply = (body: unknown): Reply => ({
    status: 201,
    body: kpaymentNext({ attributes: cardAttributes((body as { installments?: boolean }).installments ? SMARTPAY : {}) }),
  });
  const posted = (fake: FakeCompanion) => fake.requests.filter((r) => r.method === 'POST').map((r) => r.body);

  it('draws "KBank credit card in instalments" next to the card only when the config offers instalments', async () => {
    serve({ config: okConfig(withInstalments()) });
    const { el } = await mountCheckout();
    expect(buttonsIn(el, 'card')).to.deep.equal(['Credit / debit card', 'KBank credit card in instalments']);
    expect(instalmentButton(el)!.getAttribute('part')).to.equal('method');
    await expect(el).to.be.accessible();
    el.locale = 'th';
    await el.updateComplete;
    expect(buttonsIn(el, 'card')).to.deep.equal(['บัตรเครดิต / เดบิต', 'ผ่อนชำระด้วยบัตรเครดิตกสิกรไทย']);

    for (const [name, config] of [
      ['installments false', withInstalments(false)],
      ['no kpayment block', withKPayment()],
      ['kpayment null', { ...withKPayment(), kpayment: null }],
    ] as const) {
      stopServing();
      serve({ config: okConfig(config) });
      const { el: other } = await mountCheckout();
      expect(buttonsIn(other, 'card'), name).to.deep.equal(['Credit / debit card']);
    }

    // No card offered (e.g. the config lists no card), no instalment button either.
    stopServing();
    const noCard = withInstalments();
    serve({ config: okConfig({ ...noCard, methods: noCard.methods.filter((m) => m.id !== 'card') }) });
    const { el: none } = await mountCheckout();
    expect(tag(instalmentButton(none))).to.equal(null);
  });

  it('asks the companion for instalments, opens the card form with its SmartPay attributes, and returns focus to the same button', async () => {
    const fake = serve({ config: okConfig(withInstalments()), createPayment: cardReply });
    const { el } = await mountCheckout();
    const selected: { method: string; installments: boolean }[] = [];
    el.addEventListener('checkout-method-select', (e) => {
      const { method, installments } = e as CheckoutMethodSelectEvent;
      selected.push({ method, installments });
    });
    const before = kpaymentShows();

    instalmentButton(el)!.click();
    await until(() => kpaymentShows() > before, 'card form opened');
    await el.updateComplete;
    expect(posted(fake)).to.deep.equal([{ orderId: 'order_1', method: 'card', installments: true }]);
    expect(selected).to.deep.equal([{ method: 'card', installments: true }]);
    expect(shows().at(-1)!.attributes).to.deep.equal(cardAttributes(SMARTPAY));
    expect(statusText(el)).to.equal('Complete the payment in the card form. Choose the number of months in the card form.');
    expect(instalmentButton(el)!.classList.contains('selected')).to.equal(true);
    expect(methodButton(el, 'card').classList.contains('selected')).to.equal(false);

    fakeKPayment().close();
    await until(() => !cardForm(el) && methodButtons(el).every((b) => !b.disabled), 'choices back');
    await el.updateComplete;
    expect([focusedMethod(el), focusedInstalments(el)]).to.deep.equal(['card', 'true']);

    // The card itself still pays in full: no flag, no SmartPay attributes, no note.
    await openKPayment(el, 'card');
    expect(posted(fake)[1]).to.deep.equal({ orderId: 'order_1', method: 'card' });
    expect(selected[1]).to.deep.equal({ method: 'card', installments: false });
    expect(shows().at(-1)!.attributes).to.deep.equal(cardAttributes());
    expect(statusText(el)).to.equal('Complete the payment in the card form.');
    fakeKPayment().close();
    await until(() => !cardForm(el) && methodButtons(el).every((b) => !b.disabled), 'choices back again');
    await el.updateComplete;
    expect([focusedMethod(el), focusedInstalments(el)]).to.deep.equal(['card', null]);
  });

  it("shows the companion's refusal of instalments without a retry, and the card still pays in full", async () => {
    let n = 0;
    const fake = serve({
      config: okConfig(withInstalments()),
      createPayment: (body) =>
        n++ === 0
          ? { status: 422, body: { error: { code: 'method_unavailable', message: 'Credit / debit card cannot be paid in instalments for this order.' } } }
          : cardReply(body),
    });
    const { el } = await mountCheckout();
    instalmentButton(el)!.click();
    await until(() => statusText(el).includes('method_unavailable'), 'error shown');
    expect(statusText(el)).to.equal('Credit / debit card cannot be paid in instalments for this order. Error code: method_unavailable');
    expect(tag(cardForm(el))).to.equal(null);
    // Asking again would be refused again: no "Try again"; the choices stay usable.
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    await expect(el).to.be.accessible();

    const before = kpaymentShows();
    methodButton(el, 'card').click();
    await until(() => kpaymentShows() > before, 'card form opened for the full amount');
    expect(posted(fake)).to.deep.equal([
      { orderId: 'order_1', method: 'card', installments: true },
      { orderId: 'order_1', method: 'card' },
    ]);
    expect(shows().at(-1)!.attributes).to.deep.equal(cardAttributes());
  });

  it('shows a transient failure to start instalments, and its retry asks for instalments again', async () => {
    let n = 0;
    const fake = serve({
      config: okConfig(withInstalments()),
      createPayment: (body) =>
        n++ === 0 ? { status: 502, body: { error: { code: 'gateway_error', message: 'The bank did not answer. Please try again.' } } } : cardReply(body),
    });
    const { el } = await mountCheckout();
    instalmentButton(el)!.click();
    await until(() => action(el, 'retry'), 'error shown');
    expect(statusText(el)).to.equal('The bank did not answer. Please try again. Error code: gateway_error');
    expect(tag(cardForm(el))).to.equal(null);

    const before = kpaymentShows();
    action(el, 'retry')!.click();
    await until(() => kpaymentShows() > before, 'card form opened on retry');
    expect(posted(fake)).to.deep.equal([
      { orderId: 'order_1', method: 'card', installments: true },
      { orderId: 'order_1', method: 'card', installments: true },
    ]);
    expect(shows().at(-1)!.attributes).to.deep.equal(cardAttributes(SMARTPAY));
  });

  it('lets a page cancel the instalment choice through checkout-method-select', async () => {
    const fake = serve({ config: okConfig(withInstalments()), createPayment: cardReply });
    const { el } = await mountCheckout();
    el.addEventListener('checkout-method-select', (e) => {
      if ((e as CheckoutMethodSelectEvent).installments) e.preventDefault();
    });
    instalmentButton(el)!.click();
    await settle(50);
    expect(fake.count('create')).to.equal(0);
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    await openKPayment(el, 'card');
    expect(fake.count('create')).to.equal(1);
  });
});

describe('<payment-checkout> result of a card payment', () => {
  const declines: [string, string, string][] = [
    ['05', 'Your bank declined the card. Please contact your bank or use another card.', 'ธนาคารผู้ออกบัตรปฏิเสธรายการ กรุณาติดต่อธนาคารหรือใช้บัตรอื่น'],
    ['51', 'Insufficient funds on the card. Please use another card.', 'วงเงินในบัตรไม่เพียงพอ กรุณาใช้บัตรอื่น'],
  ];
  for (const [code, en, th] of declines) {
    it(`shows the companion's message for card failure code ${code}, in English and in Thai`, async () => {
      const fake = serve({
        payment: () => {
          const locale = fake.requests.at(-1)!.url.searchParams.get('locale');
          return {
            body: paymentView({ method: 'card', status: 'failed', failureCode: code, failureMessage: locale === 'th' ? th : en }),
          };
        },
      });
      const el = await mountPayment();
      await until(() => statusText(el).startsWith('Payment failed'), 'failure shown');
      expect(statusText(el)).to.equal(`Payment failed ${en} Error code: ${code}`);
      expect(clean(root(el).querySelector('[part~="summary"]')?.textContent)).to.equal('฿1,500.00 with Credit / debit card');
      await expect(el).to.be.accessible();

      const thai = await mountPayment({ locale: 'th' });
      await until(() => statusText(thai).startsWith('การชำระเงินไม่สำเร็จ'), 'failure shown in Thai');
      expect(statusText(thai)).to.equal(`การชำระเงินไม่สำเร็จ ${th} รหัสข้อผิดพลาด: ${code}`);
      expect(clean(root(thai).querySelector('[part~="summary"]')?.textContent)).to.equal('฿1,500.00 ผ่าน บัตรเครดิต / เดบิต');
    });
  }

  it("re-words a known card code with core's message after a locale switch, and keeps the companion's for others", async () => {
    const failures: Record<string, string> = { '51': 'Insufficient funds on the card.', constructor: 'Declined by the gateway.' };
    for (const [code, thai] of [
      ['51', 'การชำระเงินไม่สำเร็จ วงเงินหรือยอดเงินในบัตรไม่เพียงพอ กรุณาชำระด้วยบัตรอื่น'],
      // A code that happens to name an object property is not a code core knows.
      ['constructor', 'การชำระเงินไม่สำเร็จ Declined by the gateway.'],
    ]) {
      serve({ payment: () => ({ body: paymentView({ method: 'card', status: 'failed', failureCode: code, failureMessage: failures[code] }) }) });
      const el = await mountPayment();
      await until(() => statusText(el).startsWith('Payment failed'), 'failure shown');
      expect(statusText(el)).to.equal(`Payment failed ${failures[code]} Error code: ${code}`);
      el.locale = 'th';
      await el.updateComplete;
      expect(statusText(el)).to.equal(`${thai} รหัสข้อผิดพลาด: ${code}`);
      stopServing();
    }
  });

  it('waits for the 3-D Secure result while the card payment is pending, then shows it paid', async () => {
    let n = 0;
    serve({ payment: () => ({ body: paymentView({ method: 'card', status: n++ < 2 ? 'pending' : 'succeeded' }) }) });
    const el = await mountPayment({ pollDelays: [5] });
    await until(() => statusText(el) === 'Waiting for confirmation…', 'waiting shown');
    await until(() => statusText(el) === 'Payment successful', 'paid shown');
    expect(clean(root(el).querySelector('[part~="summary"]')?.textContent)).to.equal('฿1,500.00 with Credit / debit card');
  });
});
