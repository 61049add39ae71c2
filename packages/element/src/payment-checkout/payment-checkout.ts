import type { CheckoutConfig, MethodOffer, PaymentView } from '@payment-checkout/core/api';
import { detectPlatform, type PaymentMethodId, platformFor } from '@payment-checkout/core/catalog';
import { isEndedUnpaid, isFinal } from '@payment-checkout/core/status';
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { CompanionClient } from '../companion-client.ts';
import { PaymentResultController } from '../controllers/payment-result.ts';
import { FocusController } from '../controllers/focus.ts';
import { PayingParts } from '../controllers/paying-parts.ts';
import type { StartOutcome } from '../controllers/payment-start.ts';
import { PollController } from '../controllers/poller.ts';
import { ProblemController } from '../controllers/problems.ts';
import { CheckoutMethodSelectEvent, CheckoutRedirectEvent } from '../events.ts';
import { startableOffers } from '../gateways/index.ts';
import { TextsController } from '../controllers/texts.ts';
import { fillText, type Locale, resolveLocale } from '../texts.ts';
import { CheckoutAttributes } from './checkout-attributes.ts';
import { styles } from './payment-checkout.styles.ts';
import * as views from './payment-checkout.views.ts';

/**
 * A drop-in checkout: draws the payment methods that fit an order, starts the payment through the companion and the
 * gateway's script, and on the return page shows the result the companion verified with the gateway.
 *
 * Checkout mode (`order-id`): draws the methods of `GET {endpoint}/checkout/config` as one radio group, with one
 * pay action; paying loads its gateway's starter and asks `POST {endpoint}/checkout/payments`, whose `next` says what
 * follows (a redirect, the gateway's card form or QR code in the light DOM, or the result). Result mode (`payment-id`, wins): reads and
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
 * @attr {'light' | 'dark'} theme - The colour scheme; without it the element takes the page's (its `color-scheme`).
 *
 * @csspart base - The wrapper of everything.
 * @csspart amount - The "Amount to pay" line.
 * @csspart amount-value - The formatted amount in it.
 * @csspart notice - Above the choices: a payment of this order is still open elsewhere and cannot be cancelled.
 * @csspart prompt - The "Choose how to pay" line.
 * @csspart methods - The container of the method groups.
 * @csspart group - A group of methods (a fieldset).
 * @csspart group-label - A group's name (its legend).
 * @csspart method - A choice's tile (a method, or its "in instalments" choice): its radio button, badge and name.
 * @csspart badge - A method's badge: the brand's colour and initials.
 * @csspart hint - On a desktop, that a bank app's payment continues on the phone; on a phone, how to pay a QR code shown on it.
 * @csspart pay - The one pay action, "Pay ฿1,500.00", for the selected choice.
 * @csspart status - The polite live region with the current status, result or error, under the pay action.
 * @csspart spinner - The busy indicator.
 * @csspart headline - The result's headline (paid, failed, expired…), with its icon.
 * @csspart message - The explanation under a headline or an error, or "Complete the payment in the card form".
 * @csspart note - "Choose the number of months in the card form" while a card form with instalment terms is open.
 * @csspart summary - What was paid, on the result view: the amount and currency charged, the method, the instalments.
 * @csspart reference - The payment's reference, on the result view.
 * @csspart retry - The "Try again" button after an error that a second try may get past.
 * @csspart check-again - The "Check again" button when polling stopped before a final status.
 * @csspart choose-again - The "Choose another payment method" button after a payment started here ended unpaid.
 * @csspart back - The "Back to the shop" link of a final result (with `shop-url`).
 * @csspart qr - The QR view (in place of the choices while a QR code is shown).
 * @csspart qr-title - "Pay with Thai QR (PromptPay)" in the QR view.
 * @csspart countdown - The time left before the QR code expires (`mm:ss`).
 *
 * @cssprop [--pc-accent=#0b57d0] - Focus rings, the selected choice, the pay action and other buttons, the spinner.
 * @cssprop [--pc-accent-text=#ffffff] - Text on the pay action and other buttons.
 * @cssprop [--pc-text=#1f1f1f] - Text.
 * @cssprop [--pc-muted=#5f6368] - Secondary text.
 * @cssprop [--pc-background=#ffffff] - Background of the element.
 * @cssprop [--pc-surface=#f8fafd] - Background of the choices' tiles.
 * @cssprop [--pc-border=#c4c7c5] - Borders of the tiles.
 * @cssprop [--pc-error=#b3261e] - Errors and failed results.
 * @cssprop [--pc-success=#146c2e] - Paid results.
 * @cssprop [--pc-radius=8px] - Corners of tiles and buttons.
 * @cssprop [--pc-gap=0.75rem] - Space between blocks.
 * @cssprop --pc-font - Font family.
 */
export class PaymentCheckout extends CheckoutAttributes {
  static override styles = styles;

  // Its attributes and properties are CheckoutAttributes'; these are its own state.
  static override properties: PropertyDeclarations = {
    config: { state: true },
    busy: { state: true },
    method: { state: true },
  };

  /** Status polls with backoff: of the shown payment, or of the QR code's payment. */
  readonly #poller = new PollController(this, () => ({ clock: this.clock, delays: this.pollDelays }));
  /** The error on screen, what it says and whether "Try again" may help. */
  readonly #problems = new ProblemController(this);
  /** Where focus goes when the view changes under the shopper. */
  readonly #focus = new FocusController(this);
  /** Starting payments and the QR code's session: chunks of their own, loaded as the shopper selects a method. */
  readonly #parts = new PayingParts(this, this.#poller, {
    start: {
      client: () => this.#client,
      locale: () => this.#locale,
      platform: (offer) => platformFor(offer, detectPlatform(this.#userAgent)),
      onClose: () => this.#backToChoices(),
      onSubmit: (qr) => (qr ? this.#parts.qr?.markSubmitted() : (this.busy = 'card-submit')),
    },
    qr: {
      pollLimit: () => this.pollLimit,
      client: () => this.#client,
      locale: () => this.#locale,
      // A final payment is shown at once, in place, with the focus on its headline; the polls then end.
      onPayment: (payment, locale) => {
        if (!isFinal(payment.status)) return false;
        this.#showInPlace(payment, locale);
        this.#focus.next('h2');
        return true;
      },
    },
    kit: { html, nothing, fillText, methodLabel: views.methodLabel, busyLine: views.busyLine },
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

  constructor() {
    super();
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
    // Unfinished: busy, waiting for a payment to be final, or for an id; asked before the controllers stop their timers.
    const unfinished = this.busy !== null || this.#result.watching || !(this.orderId || this.paymentId);
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
    return JSON.stringify([this.endpoint, this.orderId, this.paymentId]); // undefined as null
  }

  get #locale(): Locale {
    return resolveLocale(this.locale, globalThis.document?.documentElement.lang, globalThis.navigator?.languages);
  }

  get #userAgent(): string {
    return this.userAgent ?? navigator.userAgent;
  }

  get #client(): CompanionClient {
    return new CompanionClient(this.endpoint, undefined, this.clock);
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
    // Neither: a framework may set one just after the first update, so the page is told a task later (unless restarted).
    else setTimeout((run: number) => run === this.#run && this.#problems.missingIds(), 0, this.#run);
  }

  #stop(): void {
    this.#run += 1;
    this.#abort?.abort();
    this.#poller.stop();
    this.#parts.close(); // the gateway's form out of the page, the QR code's countdown and polls ended
    this.#idle();
  }

  /** Nothing under way: the choices are live again. */
  #idle(): void {
    this.busy = null;
    this.#paying = false;
  }

  async #loadConfig(): Promise<void> {
    const run = this.#run;
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
    } catch (error) {
      if (run !== this.#run) return;
      this.busy = null;
      this.#problems.report(error, { stage: 'config' });
    }
  }

  /** The selected choice, if the config still offers it. */
  get #selected(): MethodOffer | undefined {
    return startableOffers(this.config).find((o) => o.id === this.method);
  }

  /** The shopper selected a choice: the pay action now pays it (an error about the previous one goes). Refused while busy. */
  #select(offer: MethodOffer, installments: boolean): boolean {
    if (this.#paying || this.busy !== null) return false;
    this.method = offer.id;
    this.#chosenInstalments = installments;
    this.#problems.clear();
    void this.#parts.prepare(offer);
    return true;
  }

  /** Starts paying with the selected choice; the state is drawn under the pay action, in view, where focus stays. */
  async #pay(): Promise<void> {
    const config = this.config;
    const offer = this.#selected;
    const installments = this.#chosenInstalments;
    if (this.#paying || this.busy !== null || !config || !offer) return;
    this.#paying = true;
    if (!this.dispatchEvent(new CheckoutMethodSelectEvent(offer.id, installments))) return this.#idle();
    const run = this.#run;
    this.busy = 'pay';
    this.#problems.clear();
    void this.#focus.statusInView();
    try {
      await this.#parts.prepare(offer);
      const started = await this.#parts.starts!.start(config, offer, installments, (this.#abort = new AbortController()).signal, () => run === this.#run);
      if (started) this.#follow(started, offer);
    } catch (error) {
      if (run !== this.#run) return;
      this.#parts.close();
      this.#idle();
      this.#problems.report(error, { stage: 'payment', qr: offer.flow === 'embedded_qr' });
      void this.#focus.statusInView();
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
        this.#parts.qr!.open(started.paymentId, offer.id, started.expiresIn);
        // Focus stays with the gateway's window (modal): the QR view beside it is for the eye.
        this.busy = 'qr';
        return;
      case 'done':
        // Nothing left for the browser to do: show the result the companion verified.
        this.#idle();
        this.#focus.next('h2');
        this.#paymentInPlace = started.paymentId;
        this.paymentId = started.paymentId;
        return;
    }
  }

  /** The shopper closed the gateway's form: the choices come back, with focus on the choice they had selected. */
  #backToChoices(): void {
    this.#parts.close();
    this.#idle();
    this.#focus.next('input:checked');
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
    // Back from the gateway or its app through the back/forward cache: the page is live again. The order is read
    // again at once: paid meanwhile, it shows its receipt; else the choices, and what is still open at the gateway.
    if (this.busy === 'redirect' || this.busy === 'card-submit' || (this.busy === 'qr' && this.#parts.qr?.view?.submitted)) {
      // The form's fields hold a used, single-use token or an already posted charge: drop them with the form.
      this.#parts.close();
      this.#idle();
      if (!this.paymentId) void this.#loadConfig();
    } else {
      this.#parts.qr?.resume();
    }
  };

  /** "Try again" after an error, and "Check again" (no error: the payment is read again). */
  readonly #onRetry = (): void => {
    const stage = this.#problems.current?.stage;
    // The button goes away: focus goes to what replaces it (the pay action being retried, a result, the choices).
    this.#focus.next(stage === 'payment' ? '.pay' : 'h2,input,button');
    this.#texts.retry();
    if (stage === 'config') void this.#loadConfig();
    else if (stage === 'payment') void this.#pay();
    else this.#result.watch(this.paymentId ?? '');
  };

  /** Back from an unpaid result to the choices: without the payment id, the element reads the order's config afresh. */
  readonly #onChooseAgain = (): void => {
    this.#paymentInPlace = undefined;
    this.#focus.next('input');
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
    const selected = this.#selected;
    return views.checkoutView({
      locale: current?.locale ?? this.#locale,
      t: current?.texts ?? null,
      config: this.config,
      offers: startableOffers(this.config),
      busy: this.busy,
      method: this.method,
      instalments: this.#parts.starts?.installments ?? false,
      qr: this.#parts.qr?.drawing ?? null,
      // Read for the hints only (the QR view's, a bank app's on a desktop), not on every start.
      onPhone: (this.#parts.qr?.view != null || selected?.flow === 'app_redirect') && detectPlatform(this.#userAgent) !== null,
      problem: this.#problems.current,
      result: this.paymentId ? this.#result : null,
      mayChooseAgain: this.#mayChooseAgain,
      shopUrl: this.shopUrl,
      choices: {
        selected: (offer, installments) => this.method === offer.id && this.#chosenInstalments === installments,
        select: (offer, installments) => this.#select(offer, installments),
      },
      selected,
      pay: () => void this.#pay(),
      retry: this.#onRetry,
      chooseAgain: this.#onChooseAgain,
    });
  }
}
