import { expect, oneEvent } from '@open-wc/testing';
import {
  action,
  buttonsIn,
  cardForm,
  dataAttributes,
  focusedMethod,
  legends,
  methodButton,
  methodButtons,
  methodsBusy,
  root,
  statusText,
  switchLocale,
  tag,
  shownCode,
  payWith,
} from '../../../test/support/checkout-dom.ts';
import { kpaymentTestHooks, mountCheckout, openKPayment, serve, stopServing } from '../../../test/support/checkout-fixture.ts';
import { deferred, ENDPOINT, type Reply, settle, until } from '../../../test/support/fake-companion.ts';
import { FAKE_KPAYMENT_URL, fakeKPayment, kpaymentShows } from '../../../test/support/fake-scripts.ts';
import {
  ALL_METHODS,
  CARD_FORM_ACTION,
  cardAttributes,
  configFor,
  kpaymentNext,
  okConfig,
  withKPayment,
  withoutBlock,
} from '../../../test/support/fixtures.ts';
import '../../define.ts';
import type { CheckoutErrorEvent } from '../../events.ts';

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
    expect([...lists[0].querySelectorAll('input')].map((b) => b.dataset.method)).to.deep.equal(ALL_METHODS);
    await expect(el).to.be.accessible();

    await switchLocale(el, 'th');
    expect(legends(el)).to.deep.equal(['โมบายแบงก์กิ้ง', 'วอลเล็ต', 'บัตร', 'คิวอาร์โค้ด']);
    expect(buttonsIn(el, 'card')).to.deep.equal(['บัตรเครดิต / เดบิต']);
  });

  it('offers only the K-Payment methods for a merchant with K-Payment only, and for amounts too small for Opn', async () => {
    // A config without an Opn key that still lists Opn methods: those cannot start, the card (and K-Payment's
    // wallets and QR) can.
    const everything = withKPayment();
    const kpaymentOnly = ['wechat_pay', 'alipay', 'unionpay', 'card', 'thai_qr'];
    serve({ config: okConfig(withoutBlock(everything, 'opn')) });
    const { el } = await mountCheckout();
    expect(legends(el)).to.deep.equal(['Wallets', 'Cards', 'QR payment']);
    expect(methodButtons(el).map((b) => b.dataset.method)).to.deep.equal(kpaymentOnly);

    stopServing();
    // ฿15.00 is below every Opn minimum, not K-Payment's.
    serve({ config: okConfig({ ...withKPayment(1500), methods: everything.methods }) });
    const { el: small } = await mountCheckout();
    expect(methodButtons(small).map((b) => b.dataset.method)).to.deep.equal(kpaymentOnly);
  });

  it('does not draw the card when the config does not offer it', async () => {
    serve({ config: okConfig(configFor(150000, 'THB')) });
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

    await payWith(el, 'card');
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

    await payWith(el, 'card');
    await payWith(el, 'card');
    await until(() => kpaymentShows() > showsBefore, 'card form opened');
    await payWith(el, 'card');
    await payWith(el, 'kakaopay');
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

    // Back from the companion's page through the back/forward cache: the used token goes with the form, the order
    // is read again.
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await until(() => methodButtons(el).length > 0 && methodButtons(el).every((b) => !b.disabled), 'choices back');
    expect(statusText(el)).to.equal('');
    expect(tag(cardForm(el))).to.equal(null);
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

    await payWith(el, 'card');
    const error = await failed;
    await el.updateComplete;
    expect([error.code, error.stage]).to.deep.equal(['script_load_failed', 'payment']);
    expect(statusText(el)).to.equal('The payment provider could not be loaded. Please try again.');
    expect(shownCode(el)).to.equal('script_load_failed');
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

    await payWith(el, 'card');
    expect((await failed).code).to.equal('card_form_unavailable');
    await el.updateComplete;
    expect(statusText(el)).to.equal('The card form could not be opened. Please try again.');
    expect(shownCode(el)).to.equal('card_form_unavailable');
    expect(tag(cardForm(el))).to.equal(null);
    expect(tag(action(el, 'retry'))).to.not.equal(null);

    await switchLocale(el, 'th');
    expect(statusText(el)).to.equal('ไม่สามารถเปิดแบบฟอร์มบัตรได้ กรุณาลองอีกครั้ง');
    expect(shownCode(el)).to.equal('card_form_unavailable');
  });

  it("shows the companion's refusal of a card payment and opens nothing", async () => {
    const showsBefore = kpaymentShows();
    serve({
      config: okConfig(withKPayment()),
      createPayment: () => ({ status: 409, body: { error: { code: 'payment_final', message: 'This order is already paid.' } } }),
    });
    const { el } = await mountCheckout();
    await payWith(el, 'card');
    await until(() => shownCode(el) === 'payment_final', 'error shown');
    expect(statusText(el)).to.equal('This order is already paid.');
    expect(shownCode(el)).to.equal('payment_final');
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
    await payWith(el, 'card');
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
