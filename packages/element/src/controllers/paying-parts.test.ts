import { expect, oneEvent } from '@open-wc/testing';
import { action, methodButtons, payWith, shownCode, statusText, tag } from '../../test/support/checkout-dom.ts';
import { mountCheckout, serve, stopServing } from '../../test/support/checkout-fixture.ts';
import { KPLUS_STARTER_URL, okConfig, thb, withEveryGateway } from '../../test/support/fixtures.ts';
import '../define.ts';
import type { CheckoutErrorEvent } from '../events.ts';

/**
 * A chunk that does not load (a page that serves payment-checkout.js without its chunks/ folder): the `checkout-error`
 * names the URL that failed, for the developer; the shopper reads the element's usual words, with "Try again". The
 * chunks are made to fail with an import map, which sends their URLs to files that do not exist (this page only: each
 * test file has a page of its own, and no chunk is imported before the map is in place).
 */

const missingStarter = new URL('./no-such-starter-chunk.js', import.meta.url).href;
const missingQr = new URL('./no-such-qr-chunk.js', import.meta.url).href;

before(() => {
  const map = document.createElement('script');
  map.type = 'importmap';
  map.textContent = JSON.stringify({
    imports: {
      [KPLUS_STARTER_URL]: missingStarter,
      [new URL('../qr/index.ts', import.meta.url).href]: missingQr,
    },
  });
  document.head.append(map);
});

afterEach(() => stopServing());

describe('<payment-checkout> with a chunk missing', () => {
  it("names the URL of a gateway's starter that did not load, and offers Try again", async () => {
    const fake = serve({ config: okConfig(thb()) });
    const { el } = await mountCheckout();
    const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;

    await payWith(el, 'mobile_banking_kbank');
    const error = await failed;
    await el.updateComplete;

    expect([error.code, error.stage]).to.deep.equal(['script_load_failed', 'payment']);
    expect(error.message).to.include(missingStarter);
    // The shopper reads no URL: the element's sentence, with its code for support, and Try again.
    expect(statusText(el)).to.equal('The payment provider could not be loaded. Please try again.');
    expect(shownCode(el)).to.equal('script_load_failed');
    expect(tag(action(el, 'retry'))).to.not.equal(null);
    expect(methodButtons(el).every((b) => !b.disabled)).to.equal(true);
    expect(fake.count('create')).to.equal(0);
  });

  it("names the URL of the element's own chunk (the QR code's) that did not load", async () => {
    const fake = serve({ config: okConfig(withEveryGateway()) });
    const { el } = await mountCheckout();
    const failed = oneEvent(el, 'checkout-error') as Promise<CheckoutErrorEvent>;

    await payWith(el, 'thai_qr');
    const error = await failed;
    await el.updateComplete;

    expect([error.code, error.stage]).to.deep.equal(['script_load_failed', 'payment']);
    expect(error.message).to.include(missingQr);
    expect(statusText(el)).to.equal('The payment provider could not be loaded. Please try again.');
    expect(fake.count('create')).to.equal(0);
  });
});
