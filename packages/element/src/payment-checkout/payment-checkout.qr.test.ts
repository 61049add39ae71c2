import { expect, oneEvent } from '@open-wc/testing';
import type { PaymentView } from '@payment-checkout/core/api';
import '../define.ts';
import type { CheckoutErrorEvent, CheckoutRedirectEvent, CheckoutSuccessEvent } from '../events.ts';
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
  ANDROID,
  type CheckoutOptions,
  DESKTOP,
  IPHONE,
  type MountedCheckout,
  kpaymentTestHooks,
  mountCheckout,
  openKPayment,
  serve,
  stopServing,
} from '../test-support/checkout-fixture.ts';
import {
  ALL_METHODS,
  configFor,
  deferred,
  FAKE_KPAYMENT_URL,
  type FakeCompanion,
  fakeKPayment,
  kpaymentShows,
  okConfig,
  paymentView,
  QR_FORM_ACTION,
  qrAttributes,
  qrNext,
  redirectTo,
  type Reply,
  settle,
  until,
  withKPayment,
} from '../test-support/fake-companion.ts';
import { FakeClock, setVisibility } from '../test-support/fake-clock.ts';
import type { PaymentCheckout } from './payment-checkout.ts';

/**
 * K-Payment's Thai QR and WeChat Pay (the QR view) and Alipay and UnionPay (redirects) in the element, against a
 * fake companion, a fake kpayment.min.js and a clock the tests drive.
 */

const ALIPAY_PAGE = 'https://kpayment.sandbox.test/kpgw/alipay/redr_test_1';
const UNIONPAY_PAGE = 'https://kpayment.sandbox.test/kpgw/unionpay/redr_test_2';

/** Forms the script submitted, in this test. */
const submitted = kpaymentTestHooks();

afterEach(() => {
  if (document.visibilityState !== 'visible') setVisibility('visible');
});

/** Mounts the checkout on a clock the test drives (the QR code's countdown and polls run on it). */
async function mountOnClock(options: Omit<CheckoutOptions, 'clock'> = {}): Promise<MountedCheckout & { clock: FakeClock }> {
  const clock = new FakeClock();
  return { ...(await mountCheckout({ ...options, clock })), clock };
}

const qrView = (el: PaymentCheckout) => root(el).querySelector('[part~="qr"]');
const partText = (el: PaymentCheckout, part: string) => clean(root(el).querySelector(`[part~="${part}"]`)?.textContent);

/** Moves the element's clock and lets the poll it fired (if any) come back and render. */
async function advance(el: PaymentCheckout, clock: FakeClock, ms: number): Promise<void> {
  clock.advance(ms);
  await settle(10);
  await el.updateComplete;
}

/** A companion whose payment answers come from `statuses`, one per poll (the last one repeats). */
function pollingCompanion(statuses: PaymentView['status'][], create = qrNext('thai_qr')): FakeCompanion {
  let n = 0;
  return serve({
    config: okConfig(withKPayment()),
    createPayment: () => ({ status: 201, body: create }),
    payment: (id) => ({ body: paymentView({ id, method: 'thai_qr', status: statuses[Math.min(n++, statuses.length - 1)] }) }),
  });
}

describe('<payment-checkout> K-Payment wallets and QR in the choices', () => {
  it('draws WeChat Pay, Alipay and UnionPay with the wallets and Thai QR in its own group, in one list', async () => {
    serve({ config: okConfig(withKPayment()) });
    const { el } = await mountOnClock();

    expect(legends(el)).to.deep.equal(['Mobile banking', 'Wallets', 'Cards', 'QR payment']);
    expect(buttonsIn(el, 'wallet')).to.deep.equal(['KakaoPay', 'WeChat Pay', 'Alipay', 'UnionPay']);
    expect(buttonsIn(el, 'qr')).to.deep.equal(['Thai QR (PromptPay)']);
    const lists = root(el).querySelectorAll('[part~="methods"]');
    expect(lists).to.have.length(1);
    expect([...lists[0].querySelectorAll('button')].map((b) => b.dataset.method)).to.deep.equal(ALL_METHODS);
    await expect(el).to.be.accessible();

    el.locale = 'th';
    await el.updateComplete;
    expect(legends(el)).to.deep.equal(['โมบายแบงก์กิ้ง', 'วอลเล็ต', 'บัตร', 'คิวอาร์โค้ด']);
    expect(buttonsIn(el, 'qr')).to.deep.equal(['Thai QR (พร้อมเพย์)']);
    await expect(el).to.be.accessible();
  });

  it('offers the K-Payment wallets without an Opn key, and none of them for an SGD order even if the config lists them', async () => {
    serve({ config: okConfig({ ...withKPayment(), opn: null }) });
    const { el } = await mountOnClock();
    expect(legends(el)).to.deep.equal(['Wallets', 'Cards', 'QR payment']);
    expect(buttonsIn(el, 'wallet')).to.deep.equal(['WeChat Pay', 'Alipay', 'UnionPay']);

    stopServing();
    // K-Payment's QR and redirect methods take THB only.
    serve({ config: okConfig({ ...configFor(1500, 'SGD', {}, ['opn', 'kpayment']), methods: withKPayment().methods }) });
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

      methodButton(el, method).click();
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

      // Back from the gateway's page through the back/forward cache: the shopper can choose again.
      window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
      await el.updateComplete;
      expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
      expect(statusText(el)).to.equal('');
    });
  }
});

describe('<payment-checkout> QR view', () => {
  it('mounts the script with the Thai QR order and shows the amount, the method, the countdown and what to do', async () => {
    const held = deferred<Reply>();
    const fake = serve({ config: okConfig(withKPayment()), createPayment: () => held.promise });
    const { el } = await mountOnClock();
    const before = kpaymentShows();

    methodButton(el, 'thai_qr').click();
    await el.updateComplete;
    expect(statusText(el)).to.equal('Preparing the QR code…');
    held.resolve({ status: 201, body: qrNext('thai_qr') });
    await until(() => kpaymentShows() > before, 'QR shown');
    await el.updateComplete;

    expect(fake.requests.filter((r) => r.method === 'POST').map((r) => r.body)).to.deep.equal([{ orderId: 'order_1', method: 'thai_qr' }]);
    const form = cardForm(el)!;
    expect(form.parentElement).to.equal(el);
    expect(form.getAttribute('action')).to.equal(QR_FORM_ACTION);
    const script = form.querySelector('script')!;
    expect(script.src).to.equal(FAKE_KPAYMENT_URL);
    expect(dataAttributes(script)).to.deep.equal(qrAttributes('qr'));
    expect(fakeKPayment().shows.at(-1)).to.deep.include({ action: QR_FORM_ACTION, method: 'post' });
    expect(fakeKPayment().shows.at(-1)!.attributes).to.include({ 'payment-methods': 'qr', 'order-id': 'order_test_thaiqr1' });
    expect(kpaymentShows() - before).to.equal(1);

    expect(partText(el, 'amount')).to.equal('Amount to pay ฿1,500.00');
    expect(partText(el, 'qr-title')).to.equal('Pay with Thai QR (PromptPay)');
    expect(partText(el, 'countdown')).to.equal('Expires in 15:00');
    expect(root(el).querySelector('[part~="countdown"]')!.getAttribute('role')).to.equal('timer');
    expect(statusText(el)).to.equal('Scan the QR code with a Thai banking app or e-wallet to pay. The QR code expires in 15 minutes.');
    // The QR view takes the place of the choices, and says nothing about phones on a desktop.
    expect(methodButtons(el)).to.have.length(0);
    expect(tag(root(el).querySelector('[part~="hint"]'))).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('mounts the script with the WeChat Pay order, in Thai', async () => {
    serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: qrNext('wechat_pay') }) });
    const { el } = await mountOnClock({ locale: 'th' });
    await openKPayment(el, 'wechat_pay');

    expect(dataAttributes(cardForm(el)!.querySelector('script')!)).to.deep.equal(qrAttributes('wechat'));
    expect(fakeKPayment().shows.at(-1)!.attributes).to.include({ 'payment-methods': 'wechat', 'order-id': 'order_test_wechat1' });
    expect(partText(el, 'qr-title')).to.equal('ชำระด้วย WeChat Pay');
    expect(partText(el, 'countdown')).to.equal('หมดอายุใน 15:00');
    expect(statusText(el)).to.equal('สแกนคิวอาร์โค้ดด้วย WeChat เพื่อชำระเงิน คิวอาร์โค้ดจะหมดอายุใน 15 นาที');
    await expect(el).to.be.accessible();
  });

  it('counts down from expiresAt each second and announces only a few milestones', async () => {
    pollingCompanion(['pending']);
    const { el, clock } = await mountOnClock({ pollDelays: [60_000] });
    await openKPayment(el, 'thai_qr');

    const countdowns: string[] = [partText(el, 'countdown')];
    const announcements: string[] = [statusText(el)];
    for (let second = 1; second <= 900; second++) {
      clock.advance(1000);
      await el.updateComplete;
      countdowns.push(partText(el, 'countdown'));
      if (statusText(el) !== announcements.at(-1)) announcements.push(statusText(el));
    }
    expect(countdowns.slice(0, 3)).to.deep.equal(['Expires in 15:00', 'Expires in 14:59', 'Expires in 14:58']);
    expect(countdowns[300]).to.equal('Expires in 10:00');
    expect(countdowns[841]).to.equal('Expires in 00:59');
    expect(countdowns[899]).to.equal('Expires in 00:01');
    expect(countdowns[900]).to.equal('Expired');
    // Every second shows a new time; the live region changed seven times in fifteen minutes.
    expect(new Set(countdowns).size).to.equal(901);
    const scan = 'Scan the QR code with a Thai banking app or e-wallet to pay.';
    expect(announcements).to.deep.equal([
      `${scan} The QR code expires in 15 minutes.`,
      `${scan} The QR code expires in 10 minutes.`,
      `${scan} The QR code expires in 5 minutes.`,
      `${scan} The QR code expires in 2 minutes.`,
      `${scan} The QR code expires in 1 minute.`,
      `${scan} The QR code expires in 30 seconds.`,
      'The QR code has expired. Close the QR code window and choose how to pay again.',
    ]);
  });

  it('counts from the time left when the order is already partly used (a refresh shows the same QR)', async () => {
    serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: qrNext('thai_qr', { expiresAt: '2025-01-01T03:01:30.400+00:00' }) }) });
    const { el, clock } = await mountOnClock();
    await openKPayment(el, 'thai_qr');
    expect(partText(el, 'countdown')).to.equal('Expires in 01:31');
    expect(statusText(el)).to.match(/expires in 2 minutes\.$/);
    clock.advance(400);
    await el.updateComplete;
    expect(partText(el, 'countdown')).to.equal('Expires in 01:30');
  });

  it('polls the payment with backoff and shows it paid without the script ever posting', async () => {
    const fake = pollingCompanion(['pending', 'pending', 'pending', 'succeeded']);
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
    expect(statusText(el)).to.equal('Payment failed Your bank could not take the payment from this account. Error code: invalid_account');
  });

  const unpaid: ['thai_qr' | 'wechat_pay', PaymentView['status'], string][] = [
    ['thai_qr', 'failed', 'Payment failed Your bank could not take the payment from this account. Error code: invalid_account'],
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

  it('says "Choose another payment method" in Thai', async () => {
    pollingCompanion(['failed']);
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
    await until(() => statusText(el).includes('payment_final'), 'order paid shown');
    expect(statusText(el)).to.equal('This order is already paid. Error code: payment_final');
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(tag(action(el, 'choose-again'))).to.equal(null);
    expect(methodButtons(el)).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('derives a poll limit from pollLimit when the companion sends no expiry, and shows no countdown', async () => {
    const fake = pollingCompanion(['pending'], qrNext('thai_qr', { expiresAt: null }));
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
    // Without a countdown, the clock saw only the poll delays: 1 s, 2 s, 3 s, then every 5 s.
    expect(clock.delays).to.deep.equal([1000, 2000, 3000, 5000, 5000]);
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
    const fake = pollingCompanion(['pending'], qrNext('thai_qr', { expiresAt: '2025-01-01T03:01:00.000Z' }));
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
    const fake = pollingCompanion(['succeeded'], qrNext('thai_qr', { expiresAt: '2025-01-01T03:00:30.000Z' }));
    const { el, clock } = await mountOnClock({ pollDelays: [60_000] });
    await openKPayment(el, 'thai_qr');
    await advance(el, clock, 30_000);
    await until(() => statusText(el) === 'Payment successful', 'paid');
    expect(fake.count('payment')).to.equal(1);
  });

  it('returns to the choices when the shopper closes the QR window, and stops polling', async () => {
    const fake = pollingCompanion(['pending']);
    const { el, clock } = await mountOnClock();
    await openKPayment(el, 'thai_qr');
    expect(fakeKPayment().isOpen()).to.equal(true);

    fakeKPayment().close();
    await until(() => methodButtons(el).length > 0, 'choices back');
    await el.updateComplete;
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    expect(methodsBusy(el)).to.equal('false');
    expect(tag(cardForm(el))).to.equal(null);
    expect(tag(qrView(el))).to.equal(null);
    expect(statusText(el)).to.equal('');
    expect(focusedMethod(el)).to.equal('thai_qr');
    await advance(el, clock, 10 * 60_000);
    expect(fake.count('payment')).to.equal(0);
    expect(clock.pending).to.equal(0);
    await expect(el).to.be.accessible();

    // And the shopper can open it again (the companion answers with the same order).
    await openKPayment(el, 'thai_qr');
    expect(partText(el, 'countdown')).to.equal('Expires in 05:00');
  });

  it("lets the script post chargeId to the companion's form action, and says the payment is being checked", async () => {
    const fake = pollingCompanion(['pending']);
    const { el, clock } = await mountOnClock();
    await openKPayment(el, 'thai_qr');

    fakeKPayment().pay({ chargeId: 'chrg_test_qr1' });
    expect(submitted).to.deep.equal([{ action: QR_FORM_ACTION, method: 'post', fields: { chargeId: 'chrg_test_qr1' } }]);
    await until(() => statusText(el) === 'Checking your payment…', 'checking shown');
    // Polling goes on until the page leaves.
    await advance(el, clock, 1000);
    await until(() => fake.count('payment') === 1, 'still polling');

    // Back from the companion's page through the back/forward cache: the posted charge goes with the form.
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await el.updateComplete;
    expect(cardForm(el) === null, 'form removed').to.equal(true);
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    expect(statusText(el)).to.equal('');
  });

  it('catches up when the page comes back from the back/forward cache with the QR code still open', async () => {
    const fake = pollingCompanion(['pending', 'succeeded']);
    const { el, clock } = await mountOnClock();
    await openKPayment(el, 'thai_qr');
    // Frozen in the cache for two minutes and a half: no timer ran meanwhile.
    clock.skip(150_000);
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await until(() => fake.count('payment') === 1, 'poll on return');
    await settle(10);
    await el.updateComplete;
    expect(tag(cardForm(el))).to.not.equal(null);
    expect(partText(el, 'countdown')).to.equal('Expires in 12:30');
    await advance(el, clock, 1000);
    await until(() => statusText(el) === 'Payment successful', 'paid');
  });

  it('tells a shopper on a phone how to pay with the QR code on the phone itself', async () => {
    const cases: [string, string, 'thai_qr' | 'wechat_pay', string, string | null][] = [
      [
        'an iPhone',
        IPHONE,
        'thai_qr',
        'en',
        'Paying with this phone? Save the QR code image, or take a screenshot of it, then open your banking app, choose Scan and pick the image from your photos.',
      ],
      [
        'an Android phone',
        ANDROID,
        'wechat_pay',
        'en',
        'Paying with this phone? Save the QR code image, or take a screenshot of it, then open WeChat, choose Scan and pick the image from your album.',
      ],
      [
        'an iPhone, in Thai',
        IPHONE,
        'thai_qr',
        'th',
        'ชำระด้วยโทรศัพท์เครื่องนี้? บันทึกภาพคิวอาร์โค้ดหรือแคปหน้าจอไว้ แล้วเปิดแอปธนาคาร เลือกสแกน และเลือกภาพจากอัลบั้ม',
      ],
      ['a desktop', DESKTOP, 'thai_qr', 'en', null],
    ];
    for (const [device, userAgent, method, locale, hint] of cases) {
      serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: qrNext(method) }) });
      const { el, clock } = await mountOnClock({ userAgent, locale });
      await openKPayment(el, method);
      const shown = root(el).querySelector('[part~="hint"]');
      expect(shown ? clean(shown.textContent) : null, device).to.equal(hint);
      if (hint) {
        await expect(el).to.be.accessible();
        // Once the QR code expired, there is nothing left to save.
        await advance(el, clock, 15 * 60_000);
        expect(tag(root(el).querySelector('[part~="hint"]')), `${device}, expired`).to.equal(null);
      }
      fakeKPayment().close();
      await until(() => !cardForm(el), 'closed');
      stopServing();
    }
  });

  it('shows an error with a retry when the script refuses to show the QR code', async () => {
    serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: qrNext('thai_qr') }) });
    const { el } = await mountOnClock();
    await openKPayment(el, 'thai_qr'); // the script ran once: now make it refuse
    fakeKPayment().close();
    await until(() => !cardForm(el), 'closed');
    fakeKPayment().showResult = false;
    const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;

    methodButton(el, 'thai_qr').click();
    const error = await failed;
    await el.updateComplete;
    expect([error.code, error.stage, error.message]).to.deep.equal(['qr_unavailable', 'payment', 'The QR code could not be shown. Please try again.']);
    expect(statusText(el)).to.equal('The QR code could not be shown. Please try again. Error code: qr_unavailable');
    expect(tag(cardForm(el))).to.equal(null);

    el.locale = 'th';
    await el.updateComplete;
    expect(statusText(el)).to.equal('ไม่สามารถแสดงคิวอาร์โค้ดได้ กรุณาลองอีกครั้ง รหัสข้อผิดพลาด: qr_unavailable');

    fakeKPayment().showResult = true;
    const before = kpaymentShows();
    action(el, 'retry')!.click();
    await until(() => kpaymentShows() > before, 'shown on retry');
    await el.updateComplete;
    expect(partText(el, 'qr-title')).to.equal('ชำระด้วย Thai QR (พร้อมเพย์)');
  });

  it('takes the form away and stops polling when it leaves the page', async () => {
    const fake = pollingCompanion(['pending']);
    const { el, clock } = await mountOnClock();
    await openKPayment(el, 'thai_qr');
    el.remove();
    expect(tag(el.querySelector('form'))).to.equal(null);
    expect(clock.pending).to.equal(0);
    clock.advance(10 * 60_000);
    await settle(20);
    expect(fake.count('payment')).to.equal(0);
  });
});
