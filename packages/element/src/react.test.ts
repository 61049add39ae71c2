import { expect } from '@open-wc/testing';
import { createElement, createRef } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { ENDPOINT, type FakeCompanion, fakeCompanion, until } from '../test/support/fake-companion.ts';
import { okConfig, paymentView, thb } from '../test/support/fixtures.ts';
import { CheckoutErrorEvent, CheckoutRedirectEvent, CheckoutSuccessEvent } from './events.ts';
import { PaymentCheckout as PaymentCheckoutClass } from './index.ts';
import { PaymentCheckout, type PaymentCheckoutElement, type PaymentCheckoutProps } from './react.ts';

/** The React wrapper (react.ts) in React 19, and `<payment-checkout>` used directly as React 19 renders it (jsx.ts). */

let container: HTMLElement;
let root: Root;
let companion: FakeCompanion;

beforeEach(() => {
  companion = fakeCompanion({ config: okConfig(thb()), payment: () => ({ body: paymentView({ status: 'succeeded' }) }) });
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  flushSync(() => root.unmount());
  container.remove();
  companion.restore();
});

/** Renders synchronously (layout effects included, where the wrapper sets properties) and answers the element. */
function render(props: PaymentCheckoutProps): PaymentCheckoutElement {
  flushSync(() => root.render(createElement(PaymentCheckout, props)));
  const el = container.querySelector('payment-checkout');
  if (!el) throw new Error('no <payment-checkout> rendered');
  return el;
}

describe('PaymentCheckout (React)', () => {
  it('registers the tag: importing the wrapper is enough', () => {
    expect(customElements.get('payment-checkout')).to.equal(PaymentCheckoutClass);
    expect(render({})).to.be.instanceOf(PaymentCheckoutClass);
  });

  it('sets its props as the element properties, and the element works with them', async () => {
    const navigate = (_url: string) => {};
    const ref = createRef<PaymentCheckoutElement>();
    const props: PaymentCheckoutProps = { ref, endpoint: ENDPOINT, orderId: 'ord_1', locale: 'th', pollLimit: 7, pollDelays: [5], navigate, id: 'pay', className: 'checkout' };
    const el = render(props);
    expect(ref.current).to.equal(el);
    expect([el.endpoint, el.orderId, el.locale, el.pollLimit, el.pollDelays, el.navigate]).to.deep.equal([ENDPOINT, 'ord_1', 'th', 7, [5], navigate]);
    expect([el.id, el.getAttribute('class')]).to.deep.equal(['pay', 'checkout']);
    await until(() => companion.count('config') === 1, 'config asked for');
    expect(companion.requests[0]?.url.origin + companion.requests[0]?.url.pathname).to.equal(`${ENDPOINT}/checkout/config`);
    expect(companion.requests[0]?.url.searchParams.get('orderId')).to.equal('ord_1');

    // A new prop is a new property: the element loads the other order.
    expect(render({ ...props, orderId: 'ord_2' })).to.equal(el);
    expect(el.orderId).to.equal('ord_2');
    await until(() => companion.count('config') === 2, 'config of the new order asked for');
    expect(companion.requests[1]?.url.searchParams.get('orderId')).to.equal('ord_2');
  });

  it('calls onCheckoutSuccess with the element’s event when the companion says the payment is paid', async () => {
    const successes: CheckoutSuccessEvent[] = [];
    const el = render({ endpoint: ENDPOINT, paymentId: 'pay_1', pollDelays: [5], onCheckoutSuccess: (event) => successes.push(event) });
    await until(() => successes.length === 1, 'onCheckoutSuccess called');
    expect(successes[0]).to.be.instanceOf(CheckoutSuccessEvent);
    expect(successes[0]?.target).to.equal(el);
    expect(successes[0]?.payment.status).to.equal('succeeded');
  });

  it('listens with the latest callback, and stops when it is removed', () => {
    const calls: string[] = [];
    const error = () => new CheckoutErrorEvent('network_error', 'Offline', 'config');
    const el = render({ onCheckoutError: () => calls.push('first') });
    el.dispatchEvent(error());
    render({ onCheckoutError: (event) => calls.push(`second ${event.code}`) });
    el.dispatchEvent(error());
    render({});
    el.dispatchEvent(error());
    expect(calls).to.deep.equal(['first', 'second network_error']);
  });

  it('lets a cancelable event be canceled from its callback', () => {
    const el = render({ onCheckoutRedirect: (event) => event.preventDefault() });
    expect(el.dispatchEvent(new CheckoutRedirectEvent('https://gateway.test/pay', 'pay_1', 'mobile_banking_kbank'))).to.equal(false);
  });
});

describe('<payment-checkout> in React 19 without the wrapper', () => {
  it('takes kebab-case attributes and `on<event>` listeners, as typed in jsx.ts', async () => {
    const successes: CheckoutSuccessEvent[] = [];
    const props = { endpoint: ENDPOINT, 'payment-id': 'pay_1', 'oncheckout-success': (event: CheckoutSuccessEvent) => successes.push(event) };
    flushSync(() => root.render(createElement('payment-checkout', props)));
    const el = container.querySelector('payment-checkout');
    expect(el?.paymentId).to.equal('pay_1');
    expect(el?.endpoint).to.equal(ENDPOINT);
    await until(() => successes.length === 1, 'oncheckout-success called');
    expect(successes[0]?.payment.id).to.equal(paymentView().id);
  });
});
