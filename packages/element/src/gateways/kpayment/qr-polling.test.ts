import { expect, oneEvent } from '@open-wc/testing';
import type { PaymentView } from '@payment-checkout/core/api';
import { action, cardForm, clean, focusedMethod, methodButtons, partText, qrView, root, shownCode, statusText, tag } from '../../../test/support/checkout-dom.ts';
import { advance, kpaymentTestHooks, mountOnClock, openKPayment, serve, servePolling } from '../../../test/support/checkout-fixture.ts';
import { deferred, type Reply, settle, until } from '../../../test/support/fake-companion.ts';
import { setVisibility } from '../../../test/support/fake-clock.ts';
import { fakeKPayment } from '../../../test/support/fake-scripts.ts';
import { ALL_METHODS, okConfig, paymentView, qrNext, withKPayment } from '../../../test/support/fixtures.ts';
import '../../define.ts';
import type { CheckoutSuccessEvent } from '../../events.ts';
import { REQUEST_TIMEOUT_MS } from '../../companion-client.ts';

/**
 * A QR code's payment polled by the element (K-Payment's Thai QR and WeChat Pay): the backoff, a result without the
 * script's post, "Choose another payment method" after an unpaid one, the poll limit without an expiry, network
 * blips, a hidden tab, the expiry and its last poll.
 */

/** Forms the script submitted, in this test. */
const submitted = kpaymentTestHooks();

afterEach(() => {
  if (document.visibilityState !== 'visible') setVisibility('visible');
});

describe('<payment-checkout> QR code polls', () => {
  it('polls the payment with backoff and shows it paid without the script ever posting', async () => {
    const fake = servePolling(['pending', 'pending', 'pending', 'succeeded']);
    const { el, clock } = await mountOnClock();
    let successes = 0;
    el.addEventListener('checkout-success', () => successes++);
    const success = oneEvent(el, 'checkout-success') as Promise<CheckoutSuccessEvent>;
    await openKPayment(el, 'thai_qr');

    await advance(el, clock, 999);
    expect(fake.count('payment')).to.equal(0);
    for (const [delay, polls] of [
      [1, 1],
      [2000, 2],
      [3000, 3],
    ] as const) {
      await advance(el, clock, delay - 1);
      expect(fake.count('payment'), `not yet ${polls}`).to.equal(polls - 1);
      await advance(el, clock, 1);
      await until(() => fake.count('payment') === polls, `poll ${polls}`);
      await settle(10);
    }
    expect(statusText(el)).to.match(/^Scan the QR code/);
    await advance(el, clock, 5000);
    expect((await success).payment).to.include({ id: 'pay_qr_1', status: 'succeeded' });
    await el.updateComplete;

    expect(fake.requests.filter((r) => r.method === 'GET' && r.url.pathname.endsWith('/pay_qr_1')).map((r) => r.url.search)).to.deep.equal(
      Array(4).fill('?locale=en'),
    );
    expect(statusText(el)).to.equal('Payment successful');
    expect(partText(el, 'summary')).to.equal('฿1,500.00 with Thai QR (PromptPay)');
    expect(el.paymentId).to.equal('pay_qr_1');
    expect(tag(cardForm(el))).to.equal(null);
    expect(tag(qrView(el))).to.equal(null);
    expect(submitted).to.deep.equal([]);
    // Nothing more to ask: no poll after the result, no second read of it, one success.
    await advance(el, clock, 60_000);
    expect(fake.count('payment')).to.equal(4);
    expect(successes).to.equal(1);
    // Paid: nothing else to choose.
    expect(tag(action(el, 'choose-again'))).to.equal(null);
    expect(tag(action(el, 'retry'))).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows a failed QR payment the companion reports, with its message', async () => {
    let n = 0;
    serve({
      config: okConfig(withKPayment()),
      createPayment: () => ({ status: 201, body: qrNext('thai_qr') }),
      payment: (id) => ({
        body: paymentView({
          id,
          method: 'thai_qr',
          status: n++ === 0 ? 'pending' : 'failed',
          failureCode: n > 1 ? 'invalid_account' : null,
          failureMessage: n > 1 ? 'Your bank could not take the payment from this account.' : null,
        }),
      }),
    });
    const { el, clock } = await mountOnClock();
    const failure = oneEvent(el, 'checkout-failure');
    await openKPayment(el, 'thai_qr');
    await advance(el, clock, 1000);
    await advance(el, clock, 2000);
    await failure;
    await el.updateComplete;
    expect(statusText(el)).to.equal('Payment failed Your bank could not take the payment from this account.');
    expect(shownCode(el)).to.equal('invalid_account');
  });

  const unpaid: ['thai_qr' | 'wechat_pay', PaymentView['status'], string][] = [
    ['thai_qr', 'failed', 'Payment failed Your bank could not take the payment from this account.'],
    ['wechat_pay', 'expired', 'Payment expired The payment was not completed in time. No money was taken.'],
    ['thai_qr', 'canceled', 'Payment canceled The payment was canceled. No money was taken.'],
  ];
  for (const [method, status, shown] of unpaid) {
    it(`offers another choice after a ${method} payment polled to ${status}: the order read again, focus on the first method`, async () => {
      let configs = 0;
      let creates = 0;
      const fake = serve({
        // The second read of the order is a fresh one: here its amount changed meanwhile.
        config: () => ({ body: withKPayment(++configs === 1 ? 150000 : 200000) }),
        createPayment: () => ({ status: 201, body: qrNext(method, { paymentId: `pay_qr_${++creates}` }) }),
        payment: (id) => ({
          body: paymentView({
            id,
            method,
            status: id === 'pay_qr_1' ? status : 'pending',
            ...(id === 'pay_qr_1' && status === 'failed'
              ? { failureCode: 'invalid_account', failureMessage: 'Your bank could not take the payment from this account.' }
              : {}),
          }),
        }),
      });
      const { el, clock } = await mountOnClock();
      let failures = 0;
      el.addEventListener('checkout-failure', () => failures++);
      await openKPayment(el, method);
      // Nothing to choose again while the QR code is open.
      expect(tag(action(el, 'choose-again'))).to.equal(null);
      await advance(el, clock, 1000);
      await until(() => action(el, 'choose-again'), 'choose again offered');

      expect(statusText(el)).to.equal(shown);
      expect(tag(qrView(el))).to.equal(null);
      expect(tag(action(el, 'retry'))).to.equal(null);
      expect(clean(action(el, 'choose-again')!.textContent)).to.equal('Choose another payment method');
      expect(failures).to.equal(1);
      await expect(el).to.be.accessible();

      action(el, 'choose-again')!.click();
      await until(() => methodButtons(el).length === ALL_METHODS.length, 'choices back');
      await el.updateComplete;
      expect(fake.count('config')).to.equal(2);
      expect(partText(el, 'amount-value')).to.equal('฿2,000.00');
      expect(el.paymentId).to.equal(undefined);
      expect(statusText(el)).to.equal('');
      expect(tag(action(el, 'choose-again'))).to.equal(null);
      expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
      expect(focusedMethod(el)).to.equal(ALL_METHODS[0]);
      await expect(el).to.be.accessible();

      // A new payment starts: a new QR code, polled under its own id; the old result is not reported again.
      await openKPayment(el, method);
      expect(fake.count('create')).to.equal(2);
      expect(tag(qrView(el))).to.not.equal(null);
      await advance(el, clock, 1000);
      await until(() => fake.requests.some((r) => r.url.pathname.endsWith('/pay_qr_2')), 'new payment polled');
      expect(failures).to.equal(1);
    });
  }

  it('tells a shopper whose QR code was ended because the order was paid with another method, and offers no other choice', async () => {
    const notice = { kind: 'paid_by_other', headline: 'This order is already paid', message: 'It was paid with another payment method. Nothing was taken with this one.' };
    // The companion's answer for this QR code's payment once another tab paid the order.
    const fake = serve({
      config: okConfig(withKPayment()),
      createPayment: () => ({ status: 201, body: qrNext('thai_qr') }),
      payment: (id) => ({ body: paymentView({ id, method: 'thai_qr', status: 'canceled', failureMessage: 'The payment was canceled.', notice }) }),
    });
    const { el, clock } = await mountOnClock();
    await openKPayment(el, 'thai_qr');
    await advance(el, clock, 1000);
    await until(() => partText(el, 'headline') === notice.headline, 'the notice shown');
    expect(statusText(el)).to.equal(`${notice.headline} ${notice.message}`);
    expect(tag(action(el, 'choose-again'))).to.equal(null);
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(methodButtons(el)).to.have.length(0);
    expect(fake.count('create')).to.equal(1);
    await expect(el).to.be.accessible();
  });

  it('says "Choose another payment method" in Thai', async () => {
    servePolling(['failed']);
    const { el, clock } = await mountOnClock({ locale: 'th' });
    await openKPayment(el, 'thai_qr');
    await advance(el, clock, 1000);
    await until(() => action(el, 'choose-again'), 'choose again offered');
    expect(clean(action(el, 'choose-again')!.textContent)).to.equal('เลือกวิธีชำระเงินอื่น');
    expect(partText(el, 'headline')).to.equal('การชำระเงินไม่สำเร็จ');
    await expect(el).to.be.accessible();
  });

  it('shows an order paid meanwhile when the shopper chooses again, with no retry and no choices', async () => {
    let configs = 0;
    serve({
      config: () =>
        ++configs === 1 ? { body: withKPayment() } : { status: 409, body: { error: { code: 'payment_final', message: 'This order is already paid.' } } },
      createPayment: () => ({ status: 201, body: qrNext('thai_qr') }),
      payment: (id) => ({ body: paymentView({ id, method: 'thai_qr', status: 'expired' }) }),
    });
    const { el, clock } = await mountOnClock();
    await openKPayment(el, 'thai_qr');
    await advance(el, clock, 1000);
    await until(() => action(el, 'choose-again'), 'choose again offered');

    action(el, 'choose-again')!.click();
    await until(() => shownCode(el) === 'payment_final', 'order paid shown');
    expect(statusText(el)).to.equal('This order is already paid.');
    expect(shownCode(el)).to.equal('payment_final');
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(tag(action(el, 'choose-again'))).to.equal(null);
    expect(methodButtons(el)).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('derives a poll limit from pollLimit when the companion sends no expiry, and shows no countdown', async () => {
    const fake = servePolling(['pending'], qrNext('thai_qr', { expiresIn: null }));
    const { el, clock } = await mountOnClock({ pollLimit: 5 });
    await openKPayment(el, 'thai_qr');
    expect(tag(root(el).querySelector('[part~="countdown"]'))).to.equal(null);
    expect(statusText(el)).to.equal('Scan the QR code with a Thai banking app or e-wallet to pay.');

    for (let poll = 1; poll <= 5; poll++) {
      await advance(el, clock, 5000);
      await until(() => fake.count('payment') === poll, `poll ${poll}`);
      await settle(10);
    }
    await advance(el, clock, 600_000);
    expect(fake.count('payment')).to.equal(5);
    // Without a countdown, the clock saw only the poll delays, 1 s, 2 s, 3 s, then every 5 s (and each request's limit).
    expect(clock.delays.filter((ms) => ms !== REQUEST_TIMEOUT_MS)).to.deep.equal([1000, 2000, 3000, 5000, 5000]);
    expect(statusText(el)).to.equal('Scan the QR code with a Thai banking app or e-wallet to pay.');
  });

  it('keeps polling through network blips', async () => {
    const answers: Reply[] = ['network-error', { status: 502, body: { error: { code: 'gateway_error', message: 'x' } } }];
    let n = 0;
    const fake = serve({
      config: okConfig(withKPayment()),
      createPayment: () => ({ status: 201, body: qrNext('thai_qr') }),
      payment: (id) => answers[n++] ?? { body: paymentView({ id, method: 'thai_qr', status: 'succeeded' }) },
    });
    const { el, clock } = await mountOnClock({ pollDelays: [1000] });
    await openKPayment(el, 'thai_qr');
    for (let poll = 1; poll <= 3; poll++) {
      await advance(el, clock, 1000);
      await until(() => fake.count('payment') === poll, `poll ${poll}`);
      await settle(10);
    }
    await until(() => statusText(el) === 'Payment successful', 'paid after the blips');
    expect(tag(action(el, 'retry'))).to.equal(null);
  });

  it('pauses polling while the tab is hidden, and asks at once when the shopper comes back', async () => {
    const statuses: PaymentView['status'][] = ['pending', 'pending', 'pending', 'pending', 'succeeded'];
    const held = deferred<void>();
    let n = 0;
    const fake = serve({
      config: okConfig(withKPayment()),
      createPayment: () => ({ status: 201, body: qrNext('thai_qr') }),
      payment: async (id) => {
        const status = statuses[Math.min(n++, statuses.length - 1)];
        if (n === 2) await held.promise;
        return { body: paymentView({ id, method: 'thai_qr', status }) };
      },
    });
    const { el, clock } = await mountOnClock();
    await openKPayment(el, 'thai_qr');
    await advance(el, clock, 1000);
    await until(() => fake.count('payment') === 1, 'first poll');
    await settle(10);

    // Hidden with no poll under way: the one due is put off.
    setVisibility('hidden');
    await advance(el, clock, 5 * 60_000);
    expect(fake.count('payment')).to.equal(1);
    // The countdown keeps the real time left.
    expect(partText(el, 'countdown')).to.equal('Expires in 09:59');

    // Back from the banking app: one poll at once, then the backoff starts over.
    setVisibility('visible');
    await until(() => fake.count('payment') === 2, 'poll on return');
    // Hidden again while that poll is under way: its answer schedules nothing.
    setVisibility('hidden');
    held.resolve();
    await settle(20);
    await advance(el, clock, 60_000);
    expect(fake.count('payment')).to.equal(2);

    setVisibility('visible');
    await until(() => fake.count('payment') === 3, 'poll on second return');
    await settle(10);
    await advance(el, clock, 999);
    expect(fake.count('payment')).to.equal(3);
    await advance(el, clock, 1);
    await until(() => fake.count('payment') === 4, 'poll after return');
    await settle(10);
    await advance(el, clock, 2000);
    await until(() => statusText(el) === 'Payment successful', 'paid');
  });

  it('shows the QR expired when the countdown ends, polls once more, then stops', async () => {
    const fake = servePolling(['pending'], qrNext('thai_qr', { expiresIn: 60 }));
    const { el, clock } = await mountOnClock({ pollDelays: [25_000] });
    await openKPayment(el, 'thai_qr');
    await advance(el, clock, 25_000);
    await until(() => fake.count('payment') === 1, 'poll at 25 s');
    await settle(10);
    await advance(el, clock, 25_000);
    await until(() => fake.count('payment') === 2, 'poll at 50 s');
    await settle(10);

    // 60 s: expired, and one more poll although the next one was due at 75 s.
    await advance(el, clock, 10_000);
    await until(() => fake.count('payment') === 3, 'poll at expiry');
    await el.updateComplete;
    expect(partText(el, 'countdown')).to.equal('Expired');
    expect(statusText(el)).to.equal('The QR code has expired. Close the QR code window and choose how to pay again.');
    await expect(el).to.be.accessible();
    await advance(el, clock, 10 * 60_000);
    expect(fake.count('payment')).to.equal(3);

    // The shopper closes the script's window: the choices come back.
    fakeKPayment().close();
    await until(() => methodButtons(el).length > 0, 'choices back');
    await el.updateComplete;
    expect(tag(cardForm(el))).to.equal(null);
    expect(statusText(el)).to.equal('');
    expect(focusedMethod(el)).to.equal('thai_qr');
  });

  it('completes a payment made in the last seconds, seen by the poll at expiry', async () => {
    const fake = servePolling(['succeeded'], qrNext('thai_qr', { expiresIn: 30 }));
    const { el, clock } = await mountOnClock({ pollDelays: [60_000] });
    await openKPayment(el, 'thai_qr');
    await advance(el, clock, 30_000);
    await until(() => statusText(el) === 'Payment successful', 'paid');
    expect(fake.count('payment')).to.equal(1);
  });

});
