import { expect, fixture, html } from '@open-wc/testing';
import { action, clean, partText, root, shownCode, statusText, switchLocale, tag } from '../../test/support/checkout-dom.ts';
import { mountPayment, type PaymentOptions, serve, stopServing } from '../../test/support/checkout-fixture.ts';
import { deferred, ENDPOINT, type Reply, settle, until } from '../../test/support/fake-companion.ts';
import { paymentView } from '../../test/support/fixtures.ts';
import { FakeClock } from '../../test/support/fake-clock.ts';
import { REQUEST_TIMEOUT_MS } from '../companion-client.ts';
import '../define.ts';
import type { CheckoutFailureEvent } from '../events.ts';
import type { PaymentCheckout } from './payment-checkout.ts';

/** Result mode (`payment-id`, the return page): the result, the wait while it is not final, and its errors. */

afterEach(() => {
  stopServing();
});

/** The result of `pay_1`, polled every 5 ms unless told. */
const mountResult = (options: PaymentOptions = {}) => mountPayment({ pollDelays: [5], pollLimit: 50, ...options });

describe('<payment-checkout> result of a payment', () => {
  const finals: [string, Parameters<typeof paymentView>[0], string][] = [
    ['paid', { status: 'succeeded' }, 'Payment successful'],
    ['expired', { status: 'expired' }, 'Payment expired The payment was not completed in time. No money was taken.'],
    ['canceled', { status: 'canceled' }, 'Payment canceled The payment was canceled. No money was taken.'],
    // After payment, what the shop gave back: all of it, part of it, or the payment voided (each says which).
    ['refunded', { status: 'refunded' }, 'Payment refunded'],
    ['partly refunded', { status: 'partially_refunded' }, 'Payment partly refunded'],
    ['voided', { status: 'voided' }, 'Payment voided: you were not charged'],
  ];
  for (const [name, overrides, shown] of finals) {
    it(`shows a ${name} payment`, async () => {
      const fake = serve({ payment: () => ({ body: paymentView(overrides) }) });
      const el = await mountResult();
      await until(() => !/Checking|Loading/.test(statusText(el)), 'payment loaded');
      expect(statusText(el)).to.equal(shown);
      expect(clean(root(el).querySelector('[part~="summary"]')?.textContent)).to.equal('฿1,500.00 with KBank K PLUS');
      expect(fake.requests.map((r) => r.url.href)).to.deep.equal([`${ENDPOINT}/checkout/payments/pay_1?locale=en`]);
      // A return page: what comes next is the shop's to offer, not the element's.
      expect(tag(action(el, 'choose-again'))).to.equal(null);
      await expect(el).to.be.accessible();
    });
  }

  it('shows an authorised payment (the shop captures it) as held, not as waiting, and shows it paid once captured', async () => {
    let captured = false;
    const fake = serve({ payment: () => ({ body: paymentView({ status: captured ? 'succeeded' : 'authorized' }) }) });
    const el = await mountResult();
    await until(() => statusText(el).startsWith('Payment authorised'), 'authorised shown');
    expect(statusText(el)).to.equal('Payment authorised The amount is held on your account until the shop confirms your order.');
    expect(root(el).querySelector('[part~="status"] .result')?.getAttribute('data-status')).to.equal('authorized');
    await expect(el).to.be.accessible();
    captured = true;
    await until(() => statusText(el) === 'Payment successful', 'paid once captured');
    expect(fake.requests.length).to.be.greaterThan(1);
  });

  it('shows a failed payment with the companion message and the failure code, and fires failure once', async () => {
    const payment = paymentView({
      status: 'failed',
      failureCode: 'payment_rejected',
      failureMessage: 'Your bank rejected the payment. Please try another method or contact your bank.',
    });
    const thai = { ...payment, failureMessage: 'ธนาคารปฏิเสธการชำระเงิน กรุณาเลือกวิธีอื่นหรือติดต่อธนาคารของคุณ' };
    const fake = serve({ payment: () => ({ body: fake.requests.at(-1)!.url.searchParams.get('locale') === 'th' ? thai : payment }) });
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
        'Payment failed Your bank rejected the payment. Please try another method or contact your bank.',
      );
      expect(shownCode(el)).to.equal('payment_rejected');
      expect(tag(action(el, 'choose-again'))).to.equal(null);
      await expect(el).to.be.accessible();

      // Moving the element around or re-rendering it in Thai does not report the same payment again. In Thai, the
      // failure is the companion's words in Thai: the element asks for them.
      el.remove();
      document.body.append(el);
      el.locale = 'th';
      await until(() => fake.count('payment') === 2, 'payment read in Thai');
      await settle(50);
      expect(failures).to.equal(1);
      expect(statusText(el)).to.equal(
        'การชำระเงินไม่สำเร็จ ธนาคารปฏิเสธการชำระเงิน กรุณาเลือกวิธีอื่นหรือติดต่อธนาคารของคุณ',
      );
      expect(shownCode(el)).to.equal('payment_rejected');
      expect(fake.requests.map((r) => r.url.searchParams.get('locale'))).to.deep.equal(['en', 'th']);

      // Reloading it (here through a different spelling of the same endpoint) shows it again but reports nothing new.
      el.endpoint = `${ENDPOINT}/`;
      await until(() => fake.count('payment') === 3, 'payment read again');
      await settle(50);
      expect(failures).to.equal(1);
      el.remove();
    } finally {
      document.removeEventListener('checkout-failure', listener);
    }
  });

  it('says when a payment paid an order already paid, and what happens to the money, in the shopper\'s language', async () => {
    const notices = {
      en: { kind: 'paid_twice_to_refund', headline: 'This order was already paid', message: 'The shop will refund this second payment to you. You do not need to do anything.' },
      th: { kind: 'paid_twice_to_refund', headline: 'คำสั่งซื้อนี้ชำระเงินไปแล้ว', message: 'ร้านค้าจะคืนเงินการชำระเงินครั้งที่สองนี้ให้คุณ คุณไม่ต้องดำเนินการใดๆ' },
    };
    const fake = serve({
      payment: () => ({ body: paymentView({ status: 'succeeded', notice: notices[fake.requests.at(-1)!.url.searchParams.get('locale') === 'th' ? 'th' : 'en'] }) }),
    });
    const el = await mountResult();
    await until(() => partText(el, 'headline') === 'This order was already paid', 'the notice');
    expect(statusText(el)).to.equal(`${notices.en.headline} ${notices.en.message}`);
    expect(statusText(el)).to.not.contain('Payment successful');
    await expect(el).to.be.accessible();
    // In Thai, asked again in Thai.
    await switchLocale(el, 'th');
    await until(() => partText(el, 'headline') === notices.th.headline, 'the notice in Thai');
    expect(statusText(el)).to.equal(`${notices.th.headline} ${notices.th.message}`);
    expect(fake.requests.filter((r) => r.url.pathname.includes('/payments/')).map((r) => r.url.searchParams.get('locale'))).to.deep.equal(['en', 'th']);
  });

  it("shows the companion's own message for a failure code it alone knows, asking for it in the shopper's language", async () => {
    const fake = serve({ payment: () => ({ body: paymentView({ status: 'failed', failureCode: 'stolen_or_lost_card', failureMessage: 'The card was reported lost.' }) }) });
    const el = await mountResult({ locale: 'th' });
    await until(() => statusText(el).includes('lost'), 'failure shown');
    expect(statusText(el)).to.equal('การชำระเงินไม่สำเร็จ The card was reported lost.');
    expect(shownCode(el)).to.equal('stolen_or_lost_card');
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

  it('keeps waiting through a poll that never answers: given up after its time limit, the next one gets the result', async () => {
    const answers: (Reply | Promise<never>)[] = [{ body: paymentView() }, new Promise<never>(() => {}), { body: paymentView({ status: 'succeeded' }) }];
    let n = 0;
    const fake = serve({ payment: () => answers[Math.min(n++, answers.length - 1)] });
    const clock = new FakeClock();
    const el = await mountResult({ clock, pollDelays: [1000] });
    await until(() => statusText(el) === 'Waiting for confirmation…', 'pending shown');
    clock.advance(1000);
    await until(() => fake.count('payment') === 2, 'second poll asked');

    // The poll under way holds the next one back until its time limit; then the wait goes on, without an error.
    clock.advance(REQUEST_TIMEOUT_MS - 1);
    await settle();
    expect([fake.count('payment'), statusText(el)]).to.deep.equal([2, 'Waiting for confirmation…']);
    clock.advance(1);
    await settle();
    clock.advance(1000);
    await until(() => statusText(el) === 'Payment successful', 'paid shown');
    expect([fake.count('payment'), shownCode(el)]).to.deep.equal([3, null]);
  });

  it('backs off 1 s, 2 s, 3 s, then every 5 s, and stops with a Check again button at the limit', async () => {
    let status: 'pending' | 'succeeded' = 'pending';
    const fake = serve({ payment: () => ({ body: paymentView({ status }) }) });
    const realSetTimeout = window.setTimeout;
    const delays: number[] = [];
    // Drive the clock: the element's poll timers (1 s and more) fire at once, and their delays are recorded.
    window.setTimeout = ((handler: TimerHandler, timeout?: number, ...args: unknown[]) => {
      // Short waits, and the requests' time limit, as they are.
      if ((timeout ?? 0) < 1000 || timeout === REQUEST_TIMEOUT_MS) return realSetTimeout(handler, timeout, ...args);
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
      // The button went away: focus is on the result's headline, a heading, not lost to the page.
      expect(root(el).activeElement?.outerHTML).to.match(/^<h2 part="headline"/);
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
    await until(() => shownCode(el) === 'not_found', 'error shown');
    expect(statusText(el)).to.equal('No such payment.');
    expect(shownCode(el)).to.equal('not_found');
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
    expect(statusText(el)).to.equal('Something went wrong on our side.');
    expect(shownCode(el)).to.equal('internal_error');
    action(el, 'retry')!.click();
    await until(() => statusText(el) === 'Payment successful', 'paid after retry');
    expect(root(el).activeElement?.getAttribute('part')).to.equal('headline');
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
      expect(statusText(el)).to.equal(`Payment failed ${en}`);
      expect(shownCode(el)).to.equal(code);
      expect(clean(root(el).querySelector('[part~="summary"]')?.textContent)).to.equal('฿1,500.00 with Credit / debit card');
      await expect(el).to.be.accessible();

      const thai = await mountPayment({ locale: 'th' });
      await until(() => statusText(thai).startsWith('การชำระเงินไม่สำเร็จ'), 'failure shown in Thai');
      expect(statusText(thai)).to.equal(`การชำระเงินไม่สำเร็จ ${th}`);
      expect(shownCode(thai)).to.equal(code);
      expect(clean(root(thai).querySelector('[part~="summary"]')?.textContent)).to.equal('฿1,500.00 ผ่าน บัตรเครดิต / เดบิต');
    });
  }

  it('re-words a card decline after a locale switch by asking the companion again, once, in the new language', async () => {
    const words: Record<string, string> = { en: 'Insufficient funds on the card.', th: 'วงเงินหรือยอดเงินในบัตรไม่เพียงพอ กรุณาชำระด้วยบัตรอื่น' };
    let reachable = true;
    const fake = serve({
      payment: () => {
        if (!reachable) return 'network-error';
        const locale = fake.requests.at(-1)!.url.searchParams.get('locale') ?? 'en';
        return { body: paymentView({ method: 'card', status: 'failed', failureCode: '51', failureMessage: words[locale] }) };
      },
    });
    const el = await mountPayment();
    await until(() => statusText(el).startsWith('Payment failed'), 'failure shown');
    expect(statusText(el)).to.equal(`Payment failed ${words.en}`);
    expect(shownCode(el)).to.equal('51');
    el.locale = 'th';
    await until(() => statusText(el).includes(words.th), 'failure in Thai');
    expect(statusText(el)).to.equal(`การชำระเงินไม่สำเร็จ ${words.th}`);
    expect(shownCode(el)).to.equal('51');
    expect(tag(action(el, 'retry'))).to.equal(null);

    // Back in English while the companion cannot be reached: the Thai words stay, and no error is shown for them.
    reachable = false;
    el.locale = 'en';
    await until(() => fake.requests.length === 3, 'asked in English');
    await settle(30);
    expect(statusText(el)).to.equal(`Payment failed ${words.th}`);
    expect(shownCode(el)).to.equal('51');
    // Asked once per switch, not on every render.
    el.requestUpdate();
    await settle(30);
    expect(fake.requests.map((r) => r.url.searchParams.get('locale'))).to.deep.equal(['en', 'th', 'en']);
  });

  it('waits for the 3-D Secure result while the card payment is pending, then shows it paid', async () => {
    let n = 0;
    serve({ payment: () => ({ body: paymentView({ method: 'card', status: n++ < 2 ? 'pending' : 'succeeded' }) }) });
    const el = await mountPayment({ pollDelays: [5] });
    await until(() => statusText(el) === 'Waiting for confirmation…', 'waiting shown');
    await until(() => statusText(el) === 'Payment successful', 'paid shown');
    expect(clean(root(el).querySelector('[part~="summary"]')?.textContent)).to.equal('฿1,500.00 with Credit / debit card');
  });

  it('says what was paid as the companion words it: the converted amount (DCC), the instalments, in the locale asked', async () => {
    const words: Record<string, string> = {
      en: '฿1,500.00 with KBank credit card in instalments: 6 monthly payments of ฿250.00',
      th: '฿1,500.00 ผ่าน บัตรเครดิตกสิกรไทยแบบผ่อนชำระ: 6 เดือน เดือนละ ฿250.00',
    };
    const fake = serve({
      payment: () => ({ body: paymentView({ method: 'card', status: 'succeeded', summary: words[fake.requests.at(-1)!.url.searchParams.get('locale') ?? 'en'] }) }),
    });
    const el = await mountPayment();
    await until(() => statusText(el) === 'Payment successful', 'paid shown');
    expect(partText(el, 'summary')).to.equal(words.en);
    await expect(el).to.be.accessible();
    el.locale = 'th';
    await until(() => partText(el, 'summary') === words.th, 'summary in Thai');

    stopServing();
    serve({ payment: () => ({ body: paymentView({ method: 'card', status: 'failed', failureCode: '51', failureMessage: 'Insufficient funds.', summary: 'US$44.70 (฿1,500.00) with Credit / debit card' }) }) });
    const dcc = await mountPayment();
    await until(() => statusText(dcc).startsWith('Payment failed'), 'failure shown');
    expect(partText(dcc, 'summary')).to.equal('US$44.70 (฿1,500.00) with Credit / debit card');
  });
});
