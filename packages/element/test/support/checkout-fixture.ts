import { fixture, html } from '@open-wc/testing';
import { type Clock, systemClock } from '../../src/clock.ts';
import { POLL_DELAYS, POLL_LIMIT } from '../../src/controllers/poller.ts';
import '../../src/define.ts';
import type { CreatePaymentResponse, PaymentView } from '@payment-checkout/core/api';
import type { PaymentCheckout } from '../../src/payment-checkout/payment-checkout.ts';
import { methodButton, statusText, payWith } from './checkout-dom.ts';
import { FakeClock } from './fake-clock.ts';
import { type CompanionRoutes, ENDPOINT, type FakeCompanion, fakeCompanion, settle, until } from './fake-companion.ts';
import { kpaymentShows, resetFakeKPayment } from './fake-scripts.ts';
import { okConfig, paymentView, qrNext, withKPayment } from './fixtures.ts';

/**
 * A <payment-checkout> on the test page, against the fake companion: serving its routes, mounting the element for
 * an order or a payment, catching the forms the gateway's script submits, opening the K-Payment form or QR code.
 */

export const DESKTOP = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
export const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
export const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';

let served: FakeCompanion | undefined;

/** Answers the companion's API with `routes` until `stopServing()` (each test file calls it in `afterEach`). */
export function serve(routes: CompanionRoutes): FakeCompanion {
  served = fakeCompanion(routes);
  return served;
}

/** Puts the page's own `fetch` back (a test serving other routes next calls it first). */
export function stopServing(): void {
  served?.restore();
  served = undefined;
}

export interface SubmittedForm {
  action: string | null;
  method: string;
  fields: Record<string, FormDataEntryValue>;
}

/**
 * The hooks of a file of K-Payment tests: in each test, the forms the script submits are recorded in the array
 * returned instead of being sent (a real submission would navigate the test page away); after it, forms submit
 * again, the companion stops answering and the fake script shows its form again.
 */
export function kpaymentTestHooks(): SubmittedForm[] {
  const submitted: SubmittedForm[] = [];
  const realSubmit = HTMLFormElement.prototype.submit;
  beforeEach(() => {
    submitted.length = 0;
    HTMLFormElement.prototype.submit = function (this: HTMLFormElement) {
      submitted.push({ action: this.getAttribute('action'), method: this.method, fields: Object.fromEntries(new FormData(this)) });
    };
  });
  afterEach(() => {
    HTMLFormElement.prototype.submit = realSubmit;
    stopServing();
    resetFakeKPayment();
  });
  return submitted;
}

/** What a test may set on the element; anything left out is the element's own default, but a desktop's user agent. */
export interface CheckoutOptions {
  locale?: string;
  userAgent?: string;
  clock?: Clock;
  pollDelays?: readonly number[];
  pollLimit?: number;
}

export interface MountedCheckout {
  el: PaymentCheckout;
  /** The URLs the element sent the browser to: it never leaves the test page. */
  navigations: string[];
}

/** Mounts a checkout for `order_1` and waits until its methods (or a message) are drawn. */
export async function mountCheckout(options: CheckoutOptions = {}): Promise<MountedCheckout> {
  const mounted = await placeCheckout(options);
  await until(() => mounted.el.shadowRoot && !/Loading|กำลังโหลด|読み込み中/.test(statusText(mounted.el)), 'config loaded');
  return mounted;
}

/** Mounts a checkout for `order_1` without waiting for its config (for a test of what it shows meanwhile). */
export async function placeCheckout(options: CheckoutOptions = {}): Promise<MountedCheckout> {
  const navigations: string[] = [];
  const el = await fixture<PaymentCheckout>(html`
    <payment-checkout
      endpoint=${ENDPOINT}
      order-id="order_1"
      locale=${options.locale ?? 'en'}
      .userAgent=${options.userAgent ?? DESKTOP}
      .navigate=${(url: string) => navigations.push(url)}
      .clock=${options.clock ?? systemClock}
      .pollDelays=${options.pollDelays ?? POLL_DELAYS}
      .pollLimit=${options.pollLimit ?? POLL_LIMIT}
    ></payment-checkout>
  `);
  return { el, navigations };
}

/** What a test may set on the element showing a payment's result. */
export type PaymentOptions = Omit<CheckoutOptions, 'userAgent'>;

/** Mounts the result of payment `pay_1`, as on the return page (the test waits for what it expects to see). */
export function mountPayment(options: PaymentOptions = {}): Promise<PaymentCheckout> {
  return fixture<PaymentCheckout>(html`
    <payment-checkout
      endpoint=${ENDPOINT}
      payment-id="pay_1"
      locale=${options.locale ?? 'en'}
      .clock=${options.clock ?? systemClock}
      .pollDelays=${options.pollDelays ?? POLL_DELAYS}
      .pollLimit=${options.pollLimit ?? POLL_LIMIT}
    ></payment-checkout>
  `);
}

/** Chooses `method` (the card, or a QR method) and waits until the script was asked to show its form or QR code. */
export async function openKPayment(el: PaymentCheckout, method: string): Promise<void> {
  const before = kpaymentShows();
  await payWith(el, method);
  await until(() => kpaymentShows() > before, 'KPayment.show() called');
  await el.updateComplete;
}

/** Mounts the checkout on a clock the test drives (QR countdowns and polls run on it). */
export async function mountOnClock(options: Omit<CheckoutOptions, 'clock'> = {}): Promise<MountedCheckout & { clock: FakeClock }> {
  const clock = new FakeClock();
  return { ...(await mountCheckout({ ...options, clock })), clock };
}

/** Moves the element's clock and lets the poll it fired (if any) come back and render. */
export async function advance(el: PaymentCheckout, clock: FakeClock, ms: number): Promise<void> {
  clock.advance(ms);
  await settle(10);
  await el.updateComplete;
}

/** Serves a QR payment (`create`) whose status answers come from `statuses`, one per poll (the last one repeats). */
export function servePolling(statuses: PaymentView['status'][], create: CreatePaymentResponse | (() => CreatePaymentResponse) = qrNext('thai_qr')): FakeCompanion {
  let n = 0;
  return serve({
    config: okConfig(withKPayment()),
    createPayment: () => ({ status: 201, body: typeof create === 'function' ? create() : create }),
    payment: (id) => ({ body: paymentView({ id, method: 'thai_qr', status: statuses[Math.min(n++, statuses.length - 1)] }) }),
  });
}
