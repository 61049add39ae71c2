import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import '../define.ts';
import { cardForm, methodButton, methodButtons, root, statusText } from '../test-support/checkout-dom.ts';
import { cardAttributes, configFor, ENDPOINT, type FakeCompanion, fakeCompanion, kpaymentNext, until } from '../test-support/fake-companion.ts';
import type { PaymentCheckout } from './payment-checkout.ts';

/**
 * The element with the REAL sandbox's kpayment.min.js (packages/sandbox, started by web-test-runner on another
 * origin, see test-support/wtr-kpayment-sandbox.mjs), exactly as a storefront uses the gateway's script: the card
 * form opens in the sandbox's iframe, closes back to the choices, opens again with new attributes, and posts a
 * real token to the form action.
 */

const realFetch = window.fetch.bind(window);
const MID = '401000000000001';
let companion: FakeCompanion | undefined;

afterEach(() => {
  companion?.restore();
  companion = undefined;
});

interface CardFormCommand {
  fill?: [string, string][];
  click?: string;
  text?: string;
}
/** Acts in the sandbox's card form iframe through Playwright (the page cannot reach into another origin). */
const inCardForm = (payload: CardFormCommand) => executeServerCommand<string | true, CardFormCommand>('kpayment-card-form', payload);
const frame = () => document.querySelector<HTMLIFrameElement>('iframe.kpayment-frame');

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
    companion = fakeCompanion({
      config: () => ({ body: configFor(150000, 'THB', {}, ['opn', 'kpayment']) }),
      createPayment: () => ({ status: 201, body: answers[Math.min(n++, answers.length - 1)] }),
    });
    const el = await fixture<PaymentCheckout>(
      html`<payment-checkout endpoint=${ENDPOINT} order-id="order_1" locale="en" .navigate=${() => undefined}></payment-checkout>`,
    );
    await until(() => methodButtons(el).length === 4, 'methods drawn');

    // 1. Choose the card: the sandbox's script opens its card form in an iframe served by the sandbox.
    methodButton(el, 'card').click();
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
    await inCardForm({ click: '#close' });
    await until(() => !frame() && !cardForm(el) && methodButtons(el).every((b) => !b.disabled), 'choices back', 3000);
    expect(root(el).activeElement).to.equal(methodButton(el, 'card'));
    expect(statusText(el)).to.equal('');

    // 3. Again, for another amount: the same script tag, re-read through KPayment.create(), shows the new amount.
    methodButton(el, 'card').click();
    await until(() => frame(), 'the card form again', 5000);
    expect(await inCardForm({ text: '#amount' })).to.equal('฿1,234.50');
    expect(document.querySelectorAll(`script[src="${scriptUrl}"]`)).to.have.length(1);

    // 4. Pay: the script posts the token and its fields to the form action (into a frame, so the test page stays).
    const sink = document.createElement('iframe');
    sink.name = 'card-form-sink';
    sink.title = 'form action';
    document.body.append(sink);
    cardForm(el)!.target = sink.name;
    await inCardForm({
      fill: [
        ['#name', 'Somchai Jaidee'],
        ['#number', '4024 0071 3478 6226'],
        ['#expiry', '12/30'],
        ['#cvv', '123'],
      ],
      click: '#pay',
    });
    let posted: Record<string, string>[] = [];
    for (const start = performance.now(); posted.length === 0; ) {
      if (performance.now() - start > 5000) throw new Error('the form action received nothing');
      await new Promise((resolve) => setTimeout(resolve, 50));
      posted = (await (await realFetch(`/__kpayment-sandbox/form-action/${actionId}`)).json()) as Record<string, string>[];
    }
    expect(posted).to.have.length(1);
    expect(posted[0].token).to.match(/^tokn_test_/);
    const { token: _token, ...fields } = posted[0];
    expect(fields).to.deep.equal({ paymentMethods: 'card', mid: MID, '(content-type)': 'application/x-www-form-urlencoded' });
    await until(() => statusText(el) === 'Processing your card payment…', 'processing shown');
    sink.remove();
  });
});
