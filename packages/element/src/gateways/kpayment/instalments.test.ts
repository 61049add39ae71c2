import { expect } from '@open-wc/testing';
import { action, buttonsIn, cardForm, focusedMethod, methodButton, methodButtons, root, shownCode, statusText, switchLocale, tag, payWith } from '../../../test/support/checkout-dom.ts';
import { kpaymentTestHooks, mountCheckout, openKPayment, serve, stopServing } from '../../../test/support/checkout-fixture.ts';
import { type FakeCompanion, type Reply, settle, until } from '../../../test/support/fake-companion.ts';
import { fakeKPayment, kpaymentShows } from '../../../test/support/fake-scripts.ts';
import { cardAttributes, kpaymentNext, okConfig, withInstalments, withKPayment } from '../../../test/support/fixtures.ts';
import '../../define.ts';
import type { CheckoutMethodSelectEvent } from '../../events.ts';
import type { PaymentCheckout } from '../../payment-checkout/payment-checkout.ts';

/**
 * The card in SmartPay instalments (K-Payment): the choice drawn from the card's offer, the request, the card
 * form's SmartPay attributes, the companion's refusal, the page's veto.
 */

kpaymentTestHooks();
const shows = () => fakeKPayment().shows;

describe('<payment-checkout> card in SmartPay instalments', () => {
  const instalmentButton = (el: PaymentCheckout) => root(el).querySelector<HTMLInputElement>('input[data-method="card"][data-installments]');
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
    expect(instalmentButton(el)!.closest('label')!.getAttribute('part')).to.equal('method');
    await expect(el).to.be.accessible();
    await switchLocale(el, 'th');
    expect(buttonsIn(el, 'card')).to.deep.equal(['บัตรเครดิต / เดบิต', 'บัตรเครดิตกสิกรไทยแบบผ่อนชำระ']);

    for (const [name, config] of [
      ['installments false', withInstalments(false)],
      ['no installments on the offer', withKPayment()],
      ['only the gateway block says installments', withInstalments(true, { offer: false })],
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

    await payWith(el, 'card', true);
    await until(() => kpaymentShows() > before, 'card form opened');
    await el.updateComplete;
    expect(posted(fake)).to.deep.equal([{ orderId: 'order_1', method: 'card', installments: true }]);
    expect(selected).to.deep.equal([{ method: 'card', installments: true }]);
    expect(shows().at(-1)!.attributes).to.deep.equal(cardAttributes(SMARTPAY));
    expect(statusText(el)).to.equal('Complete the payment in the card form. Choose the number of months in the card form.');
    expect(instalmentButton(el)!.checked).to.equal(true);
    expect(methodButton(el, 'card').checked).to.equal(false);

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
    await payWith(el, 'card', true);
    await until(() => shownCode(el) === 'method_unavailable', 'error shown');
    expect(statusText(el)).to.equal('Credit / debit card cannot be paid in instalments for this order.');
    expect(shownCode(el)).to.equal('method_unavailable');
    expect(tag(cardForm(el))).to.equal(null);
    // Asking again would be refused again: no "Try again"; the choices stay usable.
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    await expect(el).to.be.accessible();

    const before = kpaymentShows();
    await payWith(el, 'card');
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
    await payWith(el, 'card', true);
    await until(() => action(el, 'retry'), 'error shown');
    expect(statusText(el)).to.equal('The bank did not answer. Please try again.');
    expect(shownCode(el)).to.equal('gateway_error');
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
    await payWith(el, 'card', true);
    await settle(50);
    expect(fake.count('create')).to.equal(0);
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    await openKPayment(el, 'card');
    expect(fake.count('create')).to.equal(1);
  });
});
