import { expect } from '@open-wc/testing';
import { action, statusText, switchLocale } from '../../test/support/checkout-dom.ts';
import { mountPayment, serve, stopServing } from '../../test/support/checkout-fixture.ts';
import { settle, until } from '../../test/support/fake-companion.ts';
import { paymentView } from '../../test/support/fixtures.ts';
import '../define.ts';
import type { CheckoutSuccessEvent } from '../events.ts';

/** The outcome events (`checkout-success`, `checkout-failure`): once per payment, for a final payment only. */

afterEach(() => {
  stopServing();
});

describe('<payment-checkout> outcome events', () => {
  it('reports nothing for a payment still pending when the language changes after the polls stopped, and its success once paid', async () => {
    let status: 'pending' | 'succeeded' = 'pending';
    const fake = serve({ payment: () => ({ body: paymentView({ status }) }) });
    const events: string[] = [];
    const el = await mountPayment({ pollDelays: [5], pollLimit: 2 });
    for (const type of ['checkout-success', 'checkout-failure']) el.addEventListener(type, (e) => events.push(`${type}:${(e as CheckoutSuccessEvent).payment.status}`));
    await until(() => action(el, 'check-again'), 'polling stopped');
    // The wording is read again in Thai: still pending, which is no outcome.
    await switchLocale(el, 'th');
    await until(() => fake.requests.at(-1)!.url.searchParams.get('locale') === 'th', 'read in Thai');
    await settle(30);
    expect(events).to.deep.equal([]);
    status = 'succeeded';
    action(el, 'check-again')!.click();
    await until(() => statusText(el) === 'ชำระเงินสำเร็จ', 'paid after checking again');
    expect(events).to.deep.equal(['checkout-success:succeeded']);
  });
});
