import { LitElement, type PropertyDeclarations } from 'lit';
import { type Clock, systemClock } from '../clock.ts';
import { POLL_DELAYS, POLL_LIMIT } from '../controllers/poller.ts';

/**
 * <payment-checkout>'s attributes and properties, with their defaults: what a page sets (PaymentCheckout does the
 * work). No decorators: Vite's Oxc does not lower them and browsers cannot run them yet (see README).
 */
export class CheckoutAttributes extends LitElement {
  static override properties: PropertyDeclarations = {
    // Strings, Lit's default type.
    endpoint: {},
    orderId: { attribute: 'order-id' },
    paymentId: { attribute: 'payment-id' },
    locale: {},
    shopUrl: { attribute: 'shop-url' },
    userAgent: { attribute: false },
    navigate: { attribute: false },
    clock: { attribute: false },
    pollDelays: { attribute: false },
    pollLimit: { type: Number, attribute: 'poll-limit' },
  };

  /** The companion's base URL, e.g. `https://shop.example/api`; "" (default) is this page's origin. */
  declare endpoint: string;
  /** The merchant's order to pay (checkout mode). */
  declare orderId: string | undefined;
  /** The payment to show (result mode, e.g. on the return page); takes precedence over `order-id`. */
  declare paymentId: string | undefined;
  /** `en`, `th` or `ja`; without it the page's `<html lang>` decides, then the browser's languages, else English. */
  declare locale: string | undefined;
  /** The shop's page to go back to: a final result offers "Back to the shop" when set. */
  declare shopUrl: string | undefined;
  /** The user agent that decides `platform_type` (IOS / ANDROID / desktop); defaults to `navigator.userAgent`. */
  declare userAgent: string | undefined;
  /** Sends the browser to the gateway; defaults to `location.assign`. Replace it in single-page apps or tests. */
  declare navigate: (url: string) => void;
  /** The time source and timers of status polls and the QR countdown; defaults to the browser's. */
  declare clock: Clock;
  /** Delays between status polls in milliseconds; the last one repeats. */
  declare pollDelays: readonly number[];
  /** How many polls before the element stops and offers a "Check again" button. */
  declare pollLimit: number;

  constructor() {
    super();
    this.endpoint = '';
    this.navigate = (url) => location.assign(url);
    this.clock = systemClock;
    this.pollDelays = POLL_DELAYS;
    this.pollLimit = POLL_LIMIT;
  }
}
