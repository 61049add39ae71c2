import { expect, oneEvent } from '@open-wc/testing';
import {
  action,
  cardForm,
  clean,
  dataAttributes,
  focusedMethod,
  methodButton,
  methodButtons,
  methodsBusy,
  partText,
  qrView,
  root,
  statusText,
  switchLocale,
  tag,
  shownCode,
  payWith,
} from '../../../test/support/checkout-dom.ts';
import {
  advance,
  ANDROID,
  DESKTOP,
  IPHONE,
  kpaymentTestHooks,
  mountOnClock,
  openKPayment,
  serve,
  servePolling,
  stopServing,
} from '../../../test/support/checkout-fixture.ts';
import { deferred, type Reply, settle, until } from '../../../test/support/fake-companion.ts';
import { setVisibility } from '../../../test/support/fake-clock.ts';
import { FAKE_KPAYMENT_URL, fakeKPayment, kpaymentShows } from '../../../test/support/fake-scripts.ts';
import { okConfig, QR_FORM_ACTION, qrAttributes, qrNext, withKPayment } from '../../../test/support/fixtures.ts';
import { formatCountdown } from '../../qr/countdown.ts';
import '../../define.ts';
import type { CheckoutErrorEvent } from '../../events.ts';

/**
 * Thai QR and WeChat Pay (K-Payment, `next: {type: 'qr'}`) in the element: the script's form, the QR view and its
 * countdown, closing, the script's post, the back/forward cache, phones, a refused QR code, leaving the page. The
 * QR code's polls are in qr-polling.test.ts.
 */

/** Forms the script submitted, in this test. */
const submitted = kpaymentTestHooks();

afterEach(() => {
  if (document.visibilityState !== 'visible') setVisibility('visible');
});

describe('<payment-checkout> QR view', () => {
  it('mounts the script with the Thai QR order and shows the amount, the method, the countdown and what to do', async () => {
    const held = deferred<Reply>();
    const fake = serve({ config: okConfig(withKPayment()), createPayment: () => held.promise });
    const { el } = await mountOnClock();
    const before = kpaymentShows();

    await payWith(el, 'thai_qr');
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
    // Focus is left to the gateway's window (modal): not taken to the view beside it, under the window's backdrop.
    expect(root(el).activeElement?.getAttribute('part')).not.to.equal('qr-title');
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

  it('counts down from expiresIn each second and announces only a few milestones', async () => {
    servePolling(['pending']);
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
    serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body: qrNext('thai_qr', { expiresIn: 91 }) }) });
    const { el, clock } = await mountOnClock();
    await openKPayment(el, 'thai_qr');
    expect(partText(el, 'countdown')).to.equal('Expires in 01:31');
    expect(statusText(el)).to.match(/expires in 2 minutes\.$/);
    clock.advance(1000);
    await el.updateComplete;
    expect(partText(el, 'countdown')).to.equal('Expires in 01:30');
  });

  it("counts down the companion's time left, whatever the device's clock says, with hours past the first", async () => {
    // The gateway's date for the expiry is two hours after the device's clock, but the companion says one hour is left.
    const body = qrNext('wechat_pay', { expiresIn: 3600, expiresAt: '2025-01-01T05:00:00.000Z' });
    serve({ config: okConfig(withKPayment()), createPayment: () => ({ status: 201, body }) });
    const { el, clock } = await mountOnClock();
    await openKPayment(el, 'wechat_pay');
    expect(partText(el, 'countdown')).to.equal('Expires in 1:00:00');
    await advance(el, clock, 1000);
    expect(partText(el, 'countdown')).to.equal('Expires in 59:59');
  });

  it('shows a long expiry in hours, minutes and seconds (never 124:59)', () => {
    expect([formatCountdown(7499), formatCountdown(3600), formatCountdown(3599), formatCountdown(65), formatCountdown(-3)]).to.deep.equal([
      '2:04:59',
      '1:00:00',
      '59:59',
      '01:05',
      '00:00',
    ]);
  });


  it('returns to the choices when the shopper closes the QR window, and stops polling', async () => {
    // The companion answers the same order again, ten minutes on: five minutes left.
    let creates = 0;
    const fake = servePolling(['pending'], () => qrNext('thai_qr', { expiresIn: creates++ === 0 ? 900 : 300 }));
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
    const fake = servePolling(['pending']);
    const { el, clock } = await mountOnClock();
    await openKPayment(el, 'thai_qr');

    // The post goes into the form's own hidden, sandboxed frame: the page stays, and shows the result itself.
    const form = cardForm(el)!;
    const frame = form.querySelector('iframe');
    expect([frame?.name, frame?.hidden, frame?.getAttribute('sandbox')]).to.deep.equal([form.target, true, '']);
    fakeKPayment().pay({ chargeId: 'chrg_test_qr1' });
    expect(submitted).to.deep.equal([{ action: QR_FORM_ACTION, method: 'post', fields: { chargeId: 'chrg_test_qr1' } }]);
    await until(() => statusText(el) === 'Checking your payment…', 'checking shown');
    // Told the script posted, the element asks at once, then goes on polling.
    await until(() => fake.count('payment') === 1, 'asked at once');
    await advance(el, clock, 1000);
    await until(() => fake.count('payment') === 2, 'still polling');

    // Back through the back/forward cache (a page that did leave): the posted charge goes with the form, the order is read again.
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await until(() => cardForm(el) === null && methodButtons(el).length > 0 && methodButtons(el).every((b) => !b.disabled), 'choices back');
    expect(statusText(el)).to.equal('');
  });

  it('catches up when the page comes back from the back/forward cache with the QR code still open', async () => {
    const fake = servePolling(['pending', 'succeeded']);
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

    await payWith(el, 'thai_qr');
    const error = await failed;
    await el.updateComplete;
    // The event carries the script's own words, for the page's developers; the shopper reads ours.
    expect([error.code, error.stage, error.message]).to.deep.equal(['qr_unavailable', 'payment', 'KPayment.show() refused to open the card form']);
    expect(statusText(el)).to.equal('The QR code could not be shown. Please try again.');
    expect(shownCode(el)).to.equal('qr_unavailable');
    expect(tag(cardForm(el))).to.equal(null);

    await switchLocale(el, 'th');
    expect(statusText(el)).to.equal('ไม่สามารถแสดงคิวอาร์โค้ดได้ กรุณาลองอีกครั้ง');
    expect(shownCode(el)).to.equal('qr_unavailable');

    fakeKPayment().showResult = true;
    const before = kpaymentShows();
    action(el, 'retry')!.click();
    await until(() => kpaymentShows() > before, 'shown on retry');
    await el.updateComplete;
    expect(partText(el, 'qr-title')).to.equal('ชำระด้วย Thai QR (พร้อมเพย์)');
  });

  it('takes the form away and stops polling when it leaves the page', async () => {
    const fake = servePolling(['pending']);
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
