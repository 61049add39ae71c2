import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { cardForm, clean, focusedMethod, methodButton, methodButtons, root, statusText, payWith } from '../../../test/support/checkout-dom.ts';
import { mountCheckout, serve, stopServing } from '../../../test/support/checkout-fixture.ts';
import { until } from '../../../test/support/fake-companion.ts';
import { cardAttributes, kpaymentNext, okConfig, paymentView, qrAttributes, qrNext, withKPayment } from '../../../test/support/fixtures.ts';
import '../../define.ts';
import type { PaymentCheckout } from '../../payment-checkout/payment-checkout.ts';

/**
 * The element with the REAL sandbox's kpayment.min.js (packages/sandbox, started by web-test-runner on another
 * origin, see test/support/wtr-kpayment-sandbox.mjs), exactly as a storefront uses the gateway's script: the card
 * form opens in the sandbox's iframe, closes back to the choices, opens again with new attributes, and posts a
 * real token to the form action; the QR popup shows a sandbox order's Thai QR, closes, shows the same QR again,
 * and posts the real `chargeId` once the order is paid.
 */

const realFetch = window.fetch.bind(window);
const MID = '401000000000001';

afterEach(() => {
  stopServing();
});

interface CardFormCommand {
  fill?: [string, string][];
  click?: string;
  /** A button that closes the frame it is in (see wtr-kpayment-sandbox.mjs). */
  close?: string;
  text?: string;
}
/** Acts in the sandbox's card form iframe through Playwright (the page cannot reach into another origin). */
const inCardForm = (payload: CardFormCommand) => executeServerCommand<string | true, CardFormCommand>('kpayment-card-form', payload);
/** The same in the sandbox's QR popup. */
const inQrPopup = (payload: CardFormCommand) => executeServerCommand<string | true, CardFormCommand>('kpayment-frame', payload);

/** What the form action at `/__kpayment-sandbox/form-action/:id` received, waiting until something arrives. */
async function postedTo(actionId: string, timeoutMs: number): Promise<Record<string, string>[]> {
  for (const start = performance.now(); ; ) {
    const posted = (await (await realFetch(`/__kpayment-sandbox/form-action/${actionId}`)).json()) as Record<string, string>[];
    if (posted.length > 0) return posted;
    if (performance.now() - start > timeoutMs) throw new Error('the form action received nothing');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const frame = () => document.querySelector<HTMLIFrameElement>('iframe.kpayment-frame');

/** Sends the element's form into a new frame named `name`, so that the test page stays when the script posts it. */
function postIntoFrame(el: PaymentCheckout, name: string): HTMLIFrameElement {
  const sink = document.createElement('iframe');
  sink.name = name;
  sink.title = 'form action';
  document.body.append(sink);
  cardForm(el)!.target = sink.name;
  return sink;
}

/** Mounts the checkout for an Opn and K-Payment merchant and waits for its eight methods. */
async function mountAllMethods(): Promise<PaymentCheckout> {
  const { el } = await mountCheckout();
  await until(() => methodButtons(el).length === 8, 'methods drawn');
  return el;
}

describe('<payment-checkout> with the sandbox kpayment.min.js', () => {
  it('opens the sandbox card form, returns on close, opens it again with the new amount, and posts a real token', async function () {
    (this as unknown as { timeout(ms: number): void }).timeout(30_000);
    const { url: sandbox } = (await (await realFetch('/__kpayment-sandbox')).json()) as { url: string };
    const scriptUrl = `${sandbox}/ui/v2/kpayment.min.js`;
    const actionId = `run-${Date.now()}`;
    const formAction = new URL(`/__kpayment-sandbox/form-action/${actionId}`, location.href).href;
    const attributes = (amount: string) => cardAttributes({ apikey: 'pkey_test_element', amount, mid: MID, name: 'Element Shop' });
    const answers = [
      kpaymentNext({ scriptUrl, formAction, attributes: attributes('1500.00') }),
      kpaymentNext({ scriptUrl, formAction, attributes: attributes('1234.50'), paymentId: 'pay_card_2' }),
    ];
    let n = 0;
    serve({
      config: okConfig(withKPayment()),
      createPayment: () => ({ status: 201, body: answers[Math.min(n++, answers.length - 1)] }),
    });
    const el = await mountAllMethods();

    // 1. Choose the card: the sandbox's script opens its card form in an iframe served by the sandbox.
    await payWith(el, 'card');
    await until(() => frame(), 'the sandbox card form iframe', 5000);
    const src = new URL(frame()!.src);
    expect(`${src.origin}${src.pathname}`).to.equal(`${sandbox}/ui/v2/card-form`);
    expect(src.searchParams.get('amount')).to.equal('1500.00');
    expect(src.searchParams.get('parent')).to.equal(location.origin);
    expect(await inCardForm({ text: '#amount' })).to.equal('฿1,500.00');
    expect(await inCardForm({ text: 'h1' })).to.equal('Element Shop');
    await el.updateComplete;
    expect(statusText(el)).to.equal('Complete the payment in the card form.');
    // No "Pay Now" of the script's own: data-show-button="false".
    expect(document.querySelectorAll('.kpayment-button')).to.have.length(0);

    // 2. Close it: KPayment.onClose brings the choices back, with focus on the card button.
    await inCardForm({ close: '#close' });
    await until(() => !frame() && !cardForm(el) && methodButtons(el).every((b) => !b.disabled), 'choices back', 3000);
    expect(focusedMethod(el)).to.equal('card');
    expect(statusText(el)).to.equal('');

    // 3. Again, for another amount: the same script tag, re-read through KPayment.create(), shows the new amount.
    await payWith(el, 'card');
    await until(() => frame(), 'the card form again', 5000);
    expect(await inCardForm({ text: '#amount' })).to.equal('฿1,234.50');
    expect(document.querySelectorAll(`script[src="${scriptUrl}"]`)).to.have.length(1);

    // 4. Pay: the script posts the token and its fields to the form action (into a frame, so the test page stays).
    const sink = postIntoFrame(el, 'card-form-sink');
    await inCardForm({
      fill: [
        ['#name', 'Somchai Jaidee'],
        ['#number', '4024 0071 3478 6226'],
        ['#expiry', '12/30'],
        ['#cvv', '123'],
      ],
      click: '#pay',
    });
    const posted = await postedTo(actionId, 5000);
    expect(posted).to.have.length(1);
    expect(posted[0].token).to.match(/^tokn_test_/);
    const { token: _token, ...fields } = posted[0];
    expect(fields).to.deep.equal({ paymentMethods: 'card', mid: MID, '(content-type)': 'application/x-www-form-urlencoded' });
    await until(() => statusText(el) === 'Processing your card payment…', 'processing shown');
    sink.remove();
  });

  it('shows the sandbox QR popup for a Thai QR order, returns on close, shows the same QR again, and posts chargeId when paid', async function () {
    (this as unknown as { timeout(ms: number): void }).timeout(30_000);
    const { url: sandbox } = (await (await realFetch('/__kpayment-sandbox')).json()) as { url: string };
    // The companion's part, done in Node with the sandbox's secret key: a ฿1,500.00 Thai QR order for 10 minutes.
    const order = await executeServerCommand<{ publicKey: string; orderId: string; expiresAt: string }, unknown>('kpayment-qr-order', {
      sourceType: 'qr',
      amount: 1500,
      expireSeconds: 600,
    });
    const actionId = `qr-${Date.now()}`;
    const formAction = new URL(`/__kpayment-sandbox/form-action/${actionId}`, location.href).href;
    const attributes = qrAttributes('qr', { apikey: order.publicKey, 'order-id': order.orderId, name: 'Element Shop' });
    const scriptUrl = `${sandbox}/ui/v2/kpayment.min.js`;
    serve({
      config: okConfig(withKPayment()),
      // Asked again, the companion answers with the same order (a refresh shows the same QR).
      createPayment: () => ({ status: 201, body: qrNext('thai_qr', { scriptUrl, formAction, attributes, expiresAt: order.expiresAt, expiresIn: 600 }) }),
      payment: (id) => ({ body: paymentView({ id, method: 'thai_qr', status: 'pending' }) }),
    });
    const el = await mountAllMethods();

    // 1. Thai QR: the sandbox's script opens its QR popup for the order, served by the sandbox.
    await payWith(el, 'thai_qr');
    await until(() => frame(), 'the sandbox QR popup', 5000);
    const src = new URL(frame()!.src);
    expect(`${src.origin}${src.pathname}`).to.equal(`${sandbox}/ui/v2/qr-popup`);
    expect([src.searchParams.get('order-id'), src.searchParams.get('payment-methods'), src.searchParams.get('amount')]).to.deep.equal([
      order.orderId,
      'qr',
      '1500.00',
    ]);
    expect(await inQrPopup({ text: '#amount' })).to.equal('฿1,500.00');
    const qrId = await inQrPopup({ text: '#qr-id' });
    expect(qrId).to.match(/^qr_test_/);
    expect(await inQrPopup({ text: 'h1' })).to.equal('Element Shop');
    await el.updateComplete;
    const part = (name: string) => clean(root(el).querySelector(`[part~="${name}"]`)?.textContent);
    expect(part('qr-title')).to.equal('Pay with Thai QR (PromptPay)');
    expect(part('countdown')).to.match(/^Expires in (09:[0-5]\d|10:00)$/);
    expect(statusText(el)).to.equal('Scan the QR code with a Thai banking app or e-wallet to pay. The QR code expires in 10 minutes.');
    expect(document.querySelectorAll('.kpayment-button')).to.have.length(0);

    // 2. Close the popup: the choices come back, with focus on Thai QR.
    await inQrPopup({ close: '#close' });
    await until(() => !frame() && !cardForm(el) && methodButtons(el).length === 8, 'choices back', 3000);
    await el.updateComplete;
    expect(focusedMethod(el)).to.equal('thai_qr');

    // 3. Again: the same order shows the same QR code.
    await payWith(el, 'thai_qr');
    await until(() => frame(), 'the QR popup again', 5000);
    expect(await inQrPopup({ text: '#qr-id' })).to.equal(qrId);

    // 4. The shopper pays (the QR Simulator's Pay): the popup sees it and the script posts chargeId to the form
    //    action (into a frame, so that the test page stays).
    const sink = postIntoFrame(el, 'qr-form-sink');
    expect(await executeServerCommand('kpayment-qr-pay', { orderId: order.orderId })).to.deep.equal({ state: 'paid' });
    const posted = await postedTo(actionId, 8000);
    expect(posted).to.have.length(1);
    expect(posted[0].chargeId).to.match(/^chrg_test_/);
    expect(Object.keys(posted[0]).sort()).to.deep.equal(['(content-type)', 'chargeId']);
    await until(() => statusText(el) === 'Checking your payment…', 'checking shown');
    await until(() => !frame(), 'the popup closed');
    sink.remove();
  });
});
