import { expect, fixture, html } from '@open-wc/testing';
import { action, amountText, shownCode, statusText, tag } from '../../test/support/checkout-dom.ts';
import { serve, stopServing } from '../../test/support/checkout-fixture.ts';
import { ENDPOINT, settle, until } from '../../test/support/fake-companion.ts';
import { okConfig, thb } from '../../test/support/fixtures.ts';
import '../define.ts';
import type { CheckoutErrorEvent } from '../events.ts';
import type { PaymentCheckout } from './payment-checkout.ts';

/**
 * A page that gives the element neither `order-id` nor `payment-id` (a typo in the attribute, a page opened without
 * its `?orderId=`): the developer is told, the shopper reads the generic error. An id set a moment after the element
 * is connected (as frameworks set properties) is no error.
 */

let warnings: unknown[][] = [];
const realWarn = console.warn;
let errors: CheckoutErrorEvent[] = [];
const record = (event: CheckoutErrorEvent) => errors.push(event);

beforeEach(() => {
  warnings = [];
  errors = [];
  console.warn = (...args: unknown[]) => warnings.push(args);
  document.addEventListener('checkout-error', record);
});

afterEach(() => {
  console.warn = realWarn;
  document.removeEventListener('checkout-error', record);
  stopServing();
});

describe('<payment-checkout> without an order or a payment', () => {
  it('tells the page (checkout-error, console) and shows the shopper the generic error, without Try again', async () => {
    const fake = serve({ config: okConfig(thb()) });
    // `orderId` as an attribute is `orderid`, not `order-id`.
    const el = await fixture<PaymentCheckout>(html`<payment-checkout endpoint=${ENDPOINT} orderId="order_1"></payment-checkout>`);
    await until(() => errors.length > 0, 'checkout-error');
    await until(() => statusText(el) === 'Something went wrong. Please try again.', 'the companion\'s words');

    expect(errors.map((e) => [e.code, e.stage])).to.deep.equal([['missing_order_id', 'config']]);
    expect(errors[0].message).to.equal('no order-id or payment-id');
    expect(warnings).to.deep.equal([['<payment-checkout>', 'no order-id or payment-id']]);
    expect(shownCode(el)).to.equal('missing_order_id');
    expect(tag(action(el, 'retry'))).to.equal(null);
    expect(fake.count('config')).to.equal(0);
    await expect(el).to.be.accessible();

    // Set at last: the error goes and the order is drawn.
    el.orderId = 'order_1';
    await until(() => amountText(el) === '฿1,500.00', 'the order drawn');
    expect(shownCode(el)).to.equal(null);
    expect(errors).to.have.length(1);
  });

  it('says it in Thai, in its own words before the companion\'s arrive', async () => {
    serve({ texts: () => new Promise(() => {}) }); // the texts never come
    const el = await fixture<PaymentCheckout>(html`<payment-checkout endpoint=${ENDPOINT} locale="th"></payment-checkout>`);
    await until(() => errors.length > 0, 'checkout-error');
    await el.updateComplete;
    expect(shownCode(el)).to.equal('missing_order_id');
    expect(statusText(el)).to.equal('ไม่สามารถเชื่อมต่อบริการชำระเงินได้');
    expect(tag(action(el, 'retry'))).to.equal(null);
  });

  it('waits for an id set just after the first update, as a framework sets its properties', async () => {
    const fake = serve({ config: okConfig(thb()) });
    const el = await fixture<PaymentCheckout>(html`<payment-checkout endpoint=${ENDPOINT}></payment-checkout>`);
    el.orderId = 'order_1';
    await until(() => amountText(el) === '฿1,500.00', 'the order drawn');
    await settle();
    expect(errors).to.deep.equal([]);
    expect(warnings).to.deep.equal([]);
    expect(fake.count('config')).to.equal(1);
  });

  it('is not told while out of the page, and is told once back in it without an id', async () => {
    serve({});
    const el = document.createElement('payment-checkout');
    el.endpoint = ENDPOINT;
    document.body.append(el);
    await el.updateComplete;
    el.remove();
    await settle();
    expect(errors).to.deep.equal([]);

    document.body.append(el);
    try {
      await until(() => errors.length === 1, 'checkout-error once back in the page');
      expect(errors[0].code).to.equal('missing_order_id');
    } finally {
      el.remove();
    }
  });
});
