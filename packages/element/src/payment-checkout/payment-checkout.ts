import type { CheckoutConfig, MethodOffer, PaymentView } from '@payment-checkout/core/api';
import { detectPlatform, type PaymentMethodId } from '@payment-checkout/core/catalog';
import { isEndedUnpaid } from '@payment-checkout/core/status';
import { LitElement, type PropertyDeclarations, type TemplateResult } from 'lit';
import { type Clock, systemClock } from '../clock.ts';
import { CompanionClient } from '../companion-client.ts';
import { PaymentResultController } from '../controllers/payment-result.ts';
import { PaymentStartController, type StartOutcome, startableOffers } from '../controllers/payment-start.ts';
import { POLL_DELAYS, POLL_LIMIT, PollController } from '../controllers/poller.ts';
import { ProblemController } from '../controllers/problems.ts';
import { QrSessionController } from '../controllers/qr-session.ts';
import { CheckoutMethodSelectEvent, CheckoutRedirectEvent } from '../events.ts';
import { TextsController } from '../controllers/texts.ts';
import { type Locale, resolveLocale } from '../texts.ts';
import { styles } from './payment-checkout.styles.ts';
import * as views from './payment-checkout.views.ts';

/**
 * A drop-in checkout: draws the payment methods that fit an order, starts the payment through the companion and the
 * gateway's script, and on the return page shows the result the companion verified with the gateway.
 *
 * Checkout mode (`order-id`): draws the methods of `GET {endpoint}/checkout/config` in one grouped list; a choice
 * loads its gateway's starter and asks `POST {endpoint}/checkout/payments`, whose `next` says what follows (a redirect,
 * the gateway's card form or QR code in the light DOM, or the result). Result mode (`payment-id`, wins): reads and
 * polls `GET {endpoint}/checkout/payments/:id` until final. What it says comes from the companion, in `locale`.
 *
 * @summary Pay an order with Thai mobile banking, wallets, cards or QR codes, and show the verified result.
 *
 * @slot card-form - Where the element puts the gateway script's own `<form>` while a card form or QR code is open.
 *
 * @fires {CheckoutMethodSelectEvent} checkout-method-select - The shopper picked a method; cancelable.
 * @fires {CheckoutRedirectEvent} checkout-redirect - About to send the browser to the gateway (`url`); cancel to navigate yourself.
 * @fires {CheckoutSuccessEvent} checkout-success - The payment is verified as paid; once per payment.
 * @fires {CheckoutFailureEvent} checkout-failure - The payment failed, expired or was canceled; once per payment.
 * @fires {CheckoutErrorEvent} checkout-error - Loading, starting or reading a payment went wrong (shown with a retry when one may help).
 *
 * @csspart base - The wrapper of everything.
 * @csspart amount - The "Amount to pay" line.
 * @csspart amount-value - The formatted amount in it.
 * @csspart prompt - The "Choose how to pay" line.
 * @csspart methods - The container of the method groups.
 * @csspart group - A group of methods (a fieldset).
 * @csspart group-label - A group's name (its legend).
 * @csspart method - A method's button (and the "in instalments" button next to a method that may be paid so).
 * @csspart status - The polite live region with the current status, result or error.
 * @csspart spinner - The busy indicator.
 * @csspart headline - The result's headline (paid, failed, expired…).
 * @csspart message - The explanation under a headline or an error, or "Complete the payment in the card form".
 * @csspart note - "Choose the number of months in the card form" while a card form with instalment terms is open.
 * @csspart summary - The paid amount and method on the result view.
 * @csspart retry - The "Try again" button after an error that a second try may get past.
 * @csspart check-again - The "Check again" button when polling stopped before a final status.
 * @csspart choose-again - The "Choose another payment method" button after a payment started here ended unpaid.
 * @csspart qr - The QR view (in place of the choices while a QR code is shown).
 * @csspart qr-title - "Pay with Thai QR (PromptPay)" in the QR view.
 * @csspart countdown - The time left before the QR code expires (`mm:ss`).
 * @csspart hint - On a phone, how to pay with a QR code shown on the phone itself.
 *
 * @cssprop [--checkout-accent=#0b57d0] - Focus rings, selected method, action buttons and spinner.
 * @cssprop [--checkout-accent-text=#ffffff] - Text on action buttons.
 * @cssprop [--checkout-text=#1f1f1f] - Text.
 * @cssprop [--checkout-muted=#5f6368] - Secondary text.
 * @cssprop [--checkout-background=#ffffff] - Background of the element and its method buttons.
 * @cssprop [--checkout-border=#c4c7c5] - Borders of method buttons.
 * @cssprop [--checkout-error=#b3261e] - Errors and failed results.
 * @cssprop [--checkout-success=#146c2e] - Paid results.
 * @cssprop [--checkout-radius=8px] - Button corners.
 * @cssprop [--checkout-gap=0.75rem] - Space between blocks.
 * @cssprop --checkout-font - Font family.
 */
export class PaymentCheckout extends LitElement {
  static override styles = styles;

  // No decorators: Vite's Oxc does not lower them and browsers cannot run them yet (see README).
  static override properties: PropertyDeclarations = {
    endpoint: { type: String },
    orderId: { type: String, attribute: 'order-id' },
    paymentId: { type: String, attribute: 'payment-id' },
    locale: { type: String },
    userAgent: { attribute: false },
    navigate: { attribute: false },
    clock: { attribute: false },
    pollDelays: { attribute: false },
    pollLimit: { type: Number, attribute: 'poll-limit' },
    config: { state: true, attribute: false },
    busy: { state: true, attribute: false },
    method: { state: true, attribute: false },
  };

  /** Status polls with backoff: of the shown payment, or of the QR code's payment. */
  readonly #poller = new PollController(this, () => ({ clock: this.clock, delays: this.pollDelays }));
  /** The error on screen, what it says and whether "Try again" may help. */
  readonly #problems = new ProblemController(this);
  /** Starting a payment with the chosen method's gateway, and its form in the page. */
  readonly #starts = new PaymentStartController(this, {
    client: () => this.#client,
    locale: () => this.#locale,
    userAgent: () => this.#userAgent,
    onClose: () => void this.#backToChoices(),
    onSubmit: (qr) => (qr ? this.#qr.markSubmitted() : (this.busy = 'card-submit')),
  });
  /** The QR code on screen: its countdown, expiry and polls. */
  readonly #qr = new QrSessionController(this, this.#poller, {
    pollLimit: () => this.pollLimit,
    client: () => this.#client,
    locale: () => this.#locale,
    onFinal: (payment, locale) => this.#showInPlace(payment, locale),
  });
  /** The shopper's texts, from the companion. */
  readonly #texts = new TextsController(this, {
    client: () => this.#client,
    locale: () => this.#locale,
    coming: () => this.busy === 'config',
    stage: () => (this.paymentId ? 'status' : 'config'),
    problems: this.#problems,
  });
  /** The payment on the result view, read and polled until final. */
  readonly #result = new PaymentResultController(this, this.#poller, {
    client: () => this.#client,
    locale: () => this.#locale,
    pollLimit: () => this.pollLimit,
    problems: this.#problems,
  });

  /** The companion's base URL, e.g. `https://shop.example/api`; "" (default) is this page's origin. */
  declare endpoint: string;
  /** The merchant's order to pay (checkout mode). */
  declare orderId: string | undefined;
  /** The payment to show (result mode, e.g. on the return page); takes precedence over `order-id`. */
  declare paymentId: string | undefined;
  /** `en`, `th` or `ja`; without it the page's `<html lang>` decides, then the browser's languages, else English. */
  declare locale: string | undefined;
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

  private declare config: CheckoutConfig | null;
  private declare busy: views.Busy | null;
  private declare method: PaymentMethodId | null;

  /** The inputs (endpoint, order, payment) the current work was started for. */
  #startedFor: string | undefined;
  /** Bumped whenever work is abandoned, so that late answers of abandoned work are ignored. */
  #run = 0;
  /** The current request's signal: aborted when its work is abandoned. */
  #abort: AbortController | undefined;
  /** Set synchronously on a click, before any await: a second click while paying does nothing. */
  #paying = false;
  /** Whether the shopper's last choice was a method in instalments (for "Try again" and the focus after a close). */
  #chosenInstalments = false;
  /** The payment this element started and then showed in place of the choices (not one the page asked for). */
  #paymentInPlace: string | undefined;
  /** The shopper asked for the choices again: focus the first method once they are drawn. */
  #focusFirstMethod = false;

  constructor() {
    super();
    this.endpoint = '';
    this.navigate = (url) => window.location.assign(url);
    this.clock = systemClock;
    this.pollDelays = POLL_DELAYS;
    this.pollLimit = POLL_LIMIT;
    this.config = null;
    this.busy = null;
    this.method = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pageshow', this.#onPageShow);
    // Work interrupted by a disconnection starts again on reconnection.
    if (this.#startedFor === undefined) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    // Unfinished: busy, or waiting for a payment to be final; asked before the controllers stop their timers.
    const unfinished = this.busy !== null || this.#result.watching;
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.#onPageShow);
    this.#stop();
    if (unfinished) this.#startedFor = undefined;
  }

  protected override willUpdate(): void {
    const inputs = this.#inputs;
    if (this.isConnected && inputs !== this.#startedFor) {
      this.#startedFor = inputs;
      this.#start();
    }
  }

  /** What the element's work depends on: a change of endpoint, order or payment starts it again. */
  get #inputs(): string {
    return JSON.stringify([this.endpoint, this.orderId ?? null, this.paymentId ?? null]);
  }

  get #locale(): Locale {
    return resolveLocale(this.locale, globalThis.document?.documentElement.lang, globalThis.navigator?.languages);
  }

  get #userAgent(): string {
    return this.userAgent ?? navigator.userAgent;
  }

  get #client(): CompanionClient {
    return new CompanionClient(this.endpoint);
  }

  #start(): void {
    this.#stop();
    this.config = null;
    this.#result.clear();
    this.#problems.clear();
    this.method = null;
    this.#chosenInstalments = false;
    if (this.paymentId) this.#result.watch(this.paymentId);
    else if (this.orderId) void this.#loadConfig();
  }

  #stop(): void {
    this.#run += 1;
    this.#abort?.abort();
    this.#poller.stop();
    this.#closeForm();
    this.#idle();
  }

  /** Nothing under way: the choices are live again. */
  #idle(): void {
    this.busy = null;
    this.#paying = false;
  }

  /** Takes the gateway's form (card form or QR code) out of the page, and ends the QR code's countdown and polls. */
  #closeForm(): void {
    this.#starts.close();
    this.#qr.close();
  }

  async #loadConfig(): Promise<void> {
    const run = this.#run;
    const focusFirstMethod = this.#focusFirstMethod;
    this.#focusFirstMethod = false;
    this.busy = 'config';
    this.#problems.clear();
    const locale = this.#locale;
    try {
      const config = await this.#client.getConfig(this.orderId ?? '', { signal: (this.#abort = new AbortController()).signal, locale });
      this.#texts.set(locale, config.texts);
      if (run !== this.#run) return;
      if (config.paid) return this.#showInPlace(config.paid, locale); // paid already: its receipt, not an error
      this.config = config;
      this.busy = null;
      if (focusFirstMethod) {
        await this.updateComplete;
        if (run === this.#run) this.shadowRoot?.querySelector<HTMLButtonElement>('button[part~="method"]')?.focus();
      }
    } catch (error) {
      if (run !== this.#run) return;
      this.busy = null;
      this.#problems.report(error, { stage: 'config' });
    }
  }

  /** Starts paying with `offer`; `installments`: the shopper chose to pay it in instalments. */
  async #pay(offer: MethodOffer, installments = false): Promise<void> {
    const config = this.config;
    if (this.#paying || this.busy !== null || !config) return;
    this.#paying = true;
    if (!this.dispatchEvent(new CheckoutMethodSelectEvent(offer.id, installments))) return this.#idle();
    const run = this.#run;
    this.method = offer.id;
    this.#chosenInstalments = installments;
    this.busy = 'pay';
    this.#problems.clear();
    try {
      const started = await this.#starts.start(config, offer, installments, (this.#abort = new AbortController()).signal, () => run === this.#run);
      if (started) this.#follow(started, offer);
    } catch (error) {
      if (run !== this.#run) return;
      this.#closeForm();
      this.#idle();
      this.#problems.report(error, { stage: 'payment', qr: offer.flow === 'embedded_qr' });
    }
  }

  /** Does what the companion says comes next: go to the gateway, wait in its form or QR code, or show the result. */
  #follow(started: StartOutcome, offer: MethodOffer): void {
    switch (started.type) {
      case 'redirect': {
        if (!this.dispatchEvent(new CheckoutRedirectEvent(started.url, started.paymentId, offer.id))) return this.#idle();
        this.busy = 'redirect';
        this.navigate(started.url);
        return;
      }
      case 'card-form':
        this.busy = 'card-form';
        return;
      case 'qr':
        this.#qr.open(started.paymentId, offer.id, started.expiresIn);
        this.busy = 'qr';
        return;
      case 'done':
        // Nothing left for the browser to do: show the result the companion verified.
        this.#idle();
        this.#paymentInPlace = started.paymentId;
        this.paymentId = started.paymentId;
        return;
    }
  }

  /** The shopper closed the gateway's form: the choices come back, with focus on the button they had chosen. */
  async #backToChoices(): Promise<void> {
    const method = this.method;
    const which = this.#chosenInstalments ? '[data-installments]' : ':not([data-installments])';
    this.#closeForm();
    this.#idle();
    await this.updateComplete;
    this.shadowRoot?.querySelector<HTMLButtonElement>(`button[data-method="${method}"]${which}`)?.focus();
  }

  /** The QR code's payment is final: shown at once (as the return page would), without waiting for the script's post. */
  #showInPlace(payment: PaymentView, locale: Locale): void {
    this.#stop();
    this.#paymentInPlace = this.paymentId = payment.id;
    this.#startedFor = this.#inputs; // already read: #start() need not read it again
    this.#result.show(payment, locale);
  }

  readonly #onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    // Back from the gateway through the back/forward cache: the page is live again, let the shopper choose.
    if (this.busy === 'redirect' || this.busy === 'card-submit' || (this.busy === 'qr' && this.#qr.view?.submitted)) {
      // The form's fields hold a used, single-use token or an already posted charge: drop them with the form.
      this.#closeForm();
      this.#idle();
    } else {
      this.#qr.resume();
    }
  };

  readonly #onRetry = (): void => {
    const stage = this.#problems.current?.stage;
    this.#texts.retry();
    if (stage === 'config') void this.#loadConfig();
    else if (stage === 'status') this.#result.watch(this.paymentId ?? '');
    else if (stage === 'payment') {
      const offer = startableOffers(this.config).find((o) => o.id === this.method);
      if (offer) void this.#pay(offer, this.#chosenInstalments);
    }
  };

  /** Back from an unpaid result to the choices: without the payment id, the element reads the order's config afresh. */
  readonly #onChooseAgain = (): void => {
    this.#paymentInPlace = undefined;
    this.#focusFirstMethod = true;
    this.paymentId = undefined;
  };

  /** The result ends, unpaid, a payment started here: the shopper may choose again (not on a return page). */
  get #mayChooseAgain(): boolean {
    const payment = this.#result.payment;
    if (!this.orderId || !payment || this.paymentId === undefined || this.paymentId !== this.#paymentInPlace) return false;
    return isEndedUnpaid(payment.status) && !payment.notice; // not once the order is paid by another payment
  }

  override render(): TemplateResult {
    const current = this.#texts.current(this.#locale);
    return views.checkoutView({
      locale: current?.locale ?? this.#locale,
      t: current?.texts ?? null,
      config: this.config,
      offers: startableOffers(this.config),
      busy: this.busy,
      method: this.method,
      instalments: this.#starts.installments,
      qr: this.#qr.view,
      onPhone: this.#qr.view !== null && detectPlatform(this.#userAgent) !== null, // the QR view's hint only
      problem: this.#problems.current,
      result: this.paymentId ? this.#result.view() : null,
      mayChooseAgain: this.#mayChooseAgain,
      choices: {
        selected: (offer, installments) => this.method === offer.id && this.#chosenInstalments === installments,
        pay: (offer, installments) => void this.#pay(offer, installments),
      },
      retry: this.#onRetry,
      checkAgain: () => this.#result.watch(this.paymentId ?? ''),
      chooseAgain: this.#onChooseAgain,
    });
  }
}
