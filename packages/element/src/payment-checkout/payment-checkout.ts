import type { CheckoutConfig, CreatePaymentResponse, MethodOffer, PaymentView } from '@payment-checkout/core/api';
import {
  amountProblem,
  CATALOG,
  detectPlatform,
  type MethodGroup,
  type PaymentMethod,
  type PaymentMethodId,
  platformFor,
} from '@payment-checkout/core/catalog';
import { type CheckoutErrorCode, customerMessage, FAILURE_MESSAGES } from '@payment-checkout/core/errors';
import { isFinal, isPaid } from '@payment-checkout/core/status';
import { html, LitElement, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { type Clock, countdownMilestone, formatCountdown, systemClock } from '../clock.ts';
import { CompanionClient, CompanionError } from '../companion-client.ts';
import {
  CheckoutErrorEvent,
  type CheckoutErrorStage,
  CheckoutFailureEvent,
  CheckoutMethodSelectEvent,
  CheckoutRedirectEvent,
  CheckoutSuccessEvent,
} from '../events.ts';
import { formatAmount, type Locale, resolveLocale, STRINGS, type Strings } from '../i18n.ts';
import { CardFormError, type CardForm, type KPaymentFormParams, mountCardForm } from '../kpayment-form.ts';
import { loadScript, ScriptLoadError } from '../load-script.ts';
import { createOpnSource, type OmiseJs, OpnSourceError } from '../opn-source.ts';
import { styles } from './payment-checkout.styles.ts';

/** Delays between status polls on the return page, in milliseconds; the last one repeats. */
export const POLL_DELAYS: readonly number[] = [1000, 2000, 3000, 5000];
/** Polls before the element stops and offers a "Check again" button (about three minutes with POLL_DELAYS). */
export const POLL_LIMIT = 36;

/** The payment flows this element can start; a method of another flow is not drawn even if the config offers it. */
const STARTABLE_FLOWS: readonly PaymentMethod['flow'][] = ['app_redirect', 'embedded_form', 'embedded_qr', 'redirect'];

/** The order in which method groups are drawn. */
const GROUP_ORDER: readonly MethodGroup[] = ['mobile_banking', 'wallet', 'card', 'qr'];

/**
 * What the element is busy with: loading the config, starting a payment, leaving for the gateway, reading a payment,
 * waiting for the shopper in the K-Payment card form, leaving with the card token, or showing a QR code.
 */
type Busy = 'config' | 'pay' | 'redirect' | 'payment' | 'card-form' | 'card-submit' | 'qr';

/** The QR code on screen (Thai QR, WeChat Pay): the payment it pays, its expiry and where the countdown is. */
interface QrView {
  paymentId: string;
  method: PaymentMethodId;
  /** When the gateway's order expires (ms since the epoch); null when the companion sent no expiry. */
  expiresAt: number | null;
  /** Whole seconds left, as the countdown shows them; null before the first tick or without an expiry. */
  secondsLeft: number | null;
  expired: boolean;
  /** The script posted `chargeId` to the companion: the page is about to leave. */
  submitted: boolean;
}

const documentHidden = (): boolean => globalThis.document?.visibilityState === 'hidden';

/**
 * The companion's refusals that the same request meets again (the order is paid, the method refused, no such order or
 * payment…): shown without "Try again". Anything else may pass on a second try: no answer, a 5xx, `gateway_error`,
 * `internal_error`, `payment_in_progress`, a script or form that did not load, an answer we could not read.
 */
export const FINAL_ERRORS: ReadonlySet<string> = new Set<CheckoutErrorCode>([
  'bad_request',
  'invalid_json',
  'not_found',
  'order_not_found',
  'method_unavailable',
  'amount_out_of_limits',
  'source_mismatch',
  'payment_final',
  'invalid_token',
  'invalid_signature',
  'unauthorized',
]);

/** What went wrong, kept apart from its wording so that a locale change re-words it. */
interface Problem {
  stage: CheckoutErrorStage;
  kind: 'server' | 'network' | 'script' | 'source' | 'card-form' | 'qr' | 'unexpected';
  code: string;
  /** The companion's own message (kind `server`) or Opn's (kind `source`). */
  detail: string | null;
}

/**
 * A drop-in checkout: draws the payment methods that fit an order, starts the payment through the companion and the
 * gateway's script, and on the return page shows the result the companion verified with the gateway.
 *
 * Checkout mode (`order-id`): fetches `GET {endpoint}/checkout/config`, shows the amount and the methods grouped
 * (mobile banking, wallets, cards, QR payment) in one list, whatever the gateway behind each. An Opn method loads
 * Omise.js once, creates a source for the config's amount and currency with the shopper's `platform_type`, asks
 * `POST {endpoint}/checkout/payments` for the charge, and sends the browser to the gateway. The card (K-Payment) asks `POST {endpoint}/checkout/payments` first; on
 * `next.type === "kpayment"` it puts `<form method="POST" action=formAction>` with kpayment.min.js and the
 * companion's data-* attributes in its own light DOM (slot `card-form`), hides the script's button and calls
 * `KPayment.show()`; the script posts the token to the companion, and closing the card form returns to the choices.
 * When the config says the order may be paid in SmartPay instalments (`kpayment.installments`), the Cards group has a
 * second button, "KBank credit card in instalments", which asks the companion with `installments: true`: the
 * companion adds the SmartPay attributes and the card form offers the terms.
 * Thai QR and WeChat Pay (K-Payment) mount the same form with the companion's `order-id`; the script shows the QR
 * code, the element shows the amount, a countdown to the order's expiry and, on a phone, how to pay with a QR code
 * on the phone itself, and polls `GET {endpoint}/checkout/payments/:id` (backing off, paused while the tab is
 * hidden) so that the page completes even if the script's own post never comes. Alipay and UnionPay (K-Payment)
 * send the browser to the companion's `redirect` URL, as Opn methods do.
 * When a payment started here ends without being paid while the shopper is still on the page (a QR code polled to
 * failed, expired or canceled), the result view offers "Choose another payment method": the order's config is read
 * again and the choices come back, with the focus on the first method.
 * Result mode (`payment-id`, wins over `order-id`): reads `GET {endpoint}/checkout/payments/:id` and polls it with
 * backoff while the payment is not final.
 * Errors show the message and its code, with "Try again" unless the companion refused for good (`payment_final`,
 * `method_unavailable`, `order_not_found`, `not_found`…); where the choices are shown, they stay usable.
 *
 * @summary Pay an order with Thai mobile banking, wallets, cards or QR codes, and show the verified result.
 *
 * @slot card-form - Where the element puts its own K-Payment `<form>` (with kpayment.min.js) while a card or QR payment is open.
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
 * @csspart method - A method's button.
 * @csspart status - The polite live region with the current status, result or error.
 * @csspart spinner - The busy indicator.
 * @csspart headline - The result's headline (paid, failed, expired…).
 * @csspart message - The explanation under a headline or an error, or "Complete the payment in the card form".
 * @csspart note - "Choose the number of months in the card form" while a card form in SmartPay instalments is open.
 * @csspart code - The error or failure code.
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

  // Declared without decorators: Vite's transformer (Oxc) does not lower standard decorators and browsers do not
  // run them yet, so decorated fields would break the element when a storefront serves it with Vite.
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
    payment: { state: true, attribute: false },
    busy: { state: true, attribute: false },
    problem: { state: true, attribute: false },
    method: { state: true, attribute: false },
    pollExhausted: { state: true, attribute: false },
    qr: { state: true, attribute: false },
  };

  /** The companion's base URL, e.g. `https://shop.example/api`; "" (default) is this page's origin. */
  declare endpoint: string;
  /** The merchant's order to pay (checkout mode). */
  declare orderId: string | undefined;
  /** The payment to show (result mode, e.g. on the return page); takes precedence over `order-id`. */
  declare paymentId: string | undefined;
  /** `en` or `th`; without it the page's `<html lang>` decides, else English. */
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
  private declare payment: PaymentView | null;
  private declare busy: Busy | null;
  private declare problem: Problem | null;
  private declare method: PaymentMethodId | null;
  private declare pollExhausted: boolean;
  private declare qr: QrView | null;

  /** The inputs (endpoint, order, payment) the current work was started for. */
  #startedFor: string | undefined;
  /** Bumped whenever work is abandoned, so that late answers of abandoned work are ignored. */
  #run = 0;
  #abort: AbortController | undefined;
  #pollTimer: unknown;
  #pollCount = 0;
  /** Set synchronously on a click, before any await: a second click while paying does nothing. */
  #paying = false;
  /** The K-Payment form in the light DOM while a card payment is open. */
  #cardForm: CardForm | undefined;
  /** Whether the open card form offers instalments (the companion sent SmartPay attributes). */
  #instalments = false;
  /** Whether the shopper's last choice was the card in instalments (for "Try again" and the focus after a close). */
  #chosenInstalments = false;
  /** The QR countdown's next tick, the QR status poll's timer, polls so far, and the current poll. */
  #qrTick: unknown;
  #qrPollTimer: unknown;
  #qrPolls = 0;
  #qrPoll = 0;
  #qrAbort: AbortController | undefined;
  /** The locale the shown payment was read in (the companion words `failureMessage` in it). */
  #paymentLocale: Locale | undefined;
  /** The payment this element started and then showed in place of the choices (not one the page asked for). */
  #paymentInPlace: string | undefined;
  /** The shopper asked for the choices again: focus the first method once they are drawn. */
  #focusFirstMethod = false;
  readonly #reported = new Set<string>();

  constructor() {
    super();
    this.endpoint = '';
    this.navigate = (url) => window.location.assign(url);
    this.clock = systemClock;
    this.pollDelays = POLL_DELAYS;
    this.pollLimit = POLL_LIMIT;
    this.config = null;
    this.payment = null;
    this.busy = null;
    this.problem = null;
    this.method = null;
    this.pollExhausted = false;
    this.qr = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pageshow', this.#onPageShow);
    document.addEventListener('visibilitychange', this.#onVisibilityChange);
    // Work interrupted by a disconnection starts again on reconnection.
    if (this.#startedFor === undefined) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.#onPageShow);
    document.removeEventListener('visibilitychange', this.#onVisibilityChange);
    // Unfinished: busy, or waiting on a payment that is not final (a poll due, or one under way right now).
    const waiting = this.payment !== null && !isFinal(this.payment.status) && !this.pollExhausted && !this.problem;
    const unfinished = this.busy !== null || this.#pollTimer !== undefined || waiting;
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
    return resolveLocale(this.locale, globalThis.document?.documentElement.lang);
  }

  get #client(): CompanionClient {
    return new CompanionClient(this.endpoint);
  }

  /**
   * The config's methods that this element can start, defended again against the catalog's limits. Opn methods need
   * the config's Opn key; the card needs nothing more, its script and key come with the payment.
   */
  get #offers(): MethodOffer[] {
    const config = this.config;
    if (!config) return [];
    return config.methods.filter((offer) => {
      const method = CATALOG.find((m) => m.id === offer.id);
      if (!method || method.gateway !== offer.gateway || !STARTABLE_FLOWS.includes(method.flow)) return false;
      if (method.gateway === 'opn' && !config.opn) return false;
      return amountProblem(method, config.amount, config.currency) === null;
    });
  }

  #start(): void {
    this.#stop();
    this.config = null;
    this.payment = null;
    this.problem = null;
    this.method = null;
    this.#chosenInstalments = false;
    this.pollExhausted = false;
    this.#pollCount = 0;
    if (this.paymentId) void this.#loadPayment();
    else if (this.orderId) void this.#loadConfig();
  }

  #stop(): void {
    this.#run += 1;
    this.#abort?.abort();
    this.#abort = undefined;
    this.clock.clearTimeout(this.#pollTimer);
    this.#pollTimer = undefined;
    this.#removeCardForm();
    this.#paying = false;
    this.busy = null;
  }

  /** Takes the K-Payment form (card or QR) out of the page, and stops the QR view's countdown and polls. */
  #removeCardForm(): void {
    this.#cardForm?.remove();
    this.#cardForm = undefined;
    this.#instalments = false;
    this.#stopQr();
  }

  #signal(): AbortSignal {
    this.#abort = new AbortController();
    return this.#abort.signal;
  }

  async #loadConfig(): Promise<void> {
    const run = this.#run;
    const orderId = this.orderId ?? '';
    const focusFirstMethod = this.#focusFirstMethod;
    this.#focusFirstMethod = false;
    this.busy = 'config';
    this.problem = null;
    try {
      const config = await this.#client.getConfig(orderId, { signal: this.#signal() });
      if (run !== this.#run) return;
      this.config = config;
      this.busy = null;
      if (focusFirstMethod) {
        await this.updateComplete;
        if (run === this.#run) this.shadowRoot?.querySelector<HTMLButtonElement>('button[part~="method"]')?.focus();
      }
    } catch (error) {
      if (run !== this.#run) return;
      this.busy = null;
      this.#fail(error, 'config');
    }
  }

  /** Starts paying with `offer`; `installments` (the card only) asks the companion for SmartPay instalments. */
  async #pay(offer: MethodOffer, installments = false): Promise<void> {
    const config = this.config;
    if (this.#paying || this.busy !== null || !config) return;
    this.#paying = true;
    const select = new CheckoutMethodSelectEvent(offer.id, installments);
    if (!this.dispatchEvent(select)) {
      this.#paying = false;
      return;
    }
    const run = this.#run;
    this.method = offer.id;
    this.#chosenInstalments = installments;
    this.busy = 'pay';
    this.problem = null;
    try {
      const signal = this.#signal();
      let created: CreatePaymentResponse;
      if (offer.gateway === 'opn') {
        const sourced = await this.#createOpnSource(config, offer);
        if (run !== this.#run) return;
        created = await this.#client.createPayment(
          { orderId: config.orderId, method: offer.id, sourceId: sourced.sourceId, platform: sourced.platform },
          { signal },
        );
      } else {
        // K-Payment: the companion computes the script's attributes (amount, key, mid, SmartPay) from the order;
        // the page only says whether the shopper asked for instalments, which the companion checks against the order.
        created = await this.#client.createPayment(
          { orderId: config.orderId, method: offer.id, ...(installments ? { installments: true } : {}) },
          { signal },
        );
      }
      if (run !== this.#run) return;
      await this.#follow(created, offer, run);
    } catch (error) {
      if (run !== this.#run) return;
      this.#removeCardForm();
      this.busy = null;
      this.#paying = false;
      this.#fail(error, 'payment');
    }
  }

  /** Loads Omise.js and creates the source for the config's amount and currency. */
  async #createOpnSource(config: CheckoutConfig, offer: MethodOffer) {
    const opn = config.opn;
    // Unreachable: #offers drops Opn methods from a config without an Opn key.
    if (!opn) throw new Error('the config has no Opn public key');
    await loadScript(opn.scriptUrl);
    const omise: OmiseJs | undefined = window.Omise;
    if (!omise) throw new ScriptLoadError(opn.scriptUrl);
    omise.setPublicKey(opn.publicKey);
    const platform = platformFor(offer, detectPlatform(this.userAgent ?? navigator.userAgent));
    // Amount and currency come from the companion's config (the merchant's order), never from the page.
    const sourceId = await createOpnSource(omise, offer.id, {
      amount: config.amount,
      currency: config.currency,
      ...(platform ? { platform_type: platform } : {}),
    });
    return { sourceId, platform };
  }

  /** Does what the companion says comes next: go to the gateway, open the card form, or show the result. */
  async #follow(created: CreatePaymentResponse, offer: MethodOffer, run: number): Promise<void> {
    const next = created.next;
    switch (next.type) {
      case 'redirect': {
        const redirect = new CheckoutRedirectEvent(next.url, created.paymentId, offer.id);
        if (!this.dispatchEvent(redirect)) {
          this.busy = null;
          this.#paying = false;
          return;
        }
        this.busy = 'redirect';
        this.navigate(next.url);
        return;
      }
      case 'kpayment':
        if (this.#flowOf(offer.id) === 'embedded_qr') await this.#openQr(next, created.paymentId, offer.id, run);
        else await this.#openCardForm(next, run);
        return;
      case 'done':
        // Nothing left for the browser to do: show the result the companion verified.
        this.busy = null;
        this.#paying = false;
        this.#paymentInPlace = created.paymentId;
        this.paymentId = created.paymentId;
        return;
    }
  }

  /**
   * Mounts the K-Payment form as this element's own light child: kpayment.min.js walks up from its script tag to
   * its form, which cannot be inside a shadow root it does not know about, and as our child the form goes away with
   * the element. The slot keeps whatever the script draws next to its tag visible.
   */
  async #openCardForm(params: KPaymentFormParams, run: number): Promise<void> {
    const cardForm = await mountCardForm(params, {
      mount: (form) => {
        form.slot = 'card-form';
        form.dataset.paymentCheckout = 'kpayment';
        this.append(form);
      },
      onClose: () => {
        if (this.#cardForm !== cardForm) return;
        this.#cardForm = undefined;
        void this.#backToChoices();
      },
      onSubmit: () => {
        if (this.#cardForm === cardForm) this.busy = 'card-submit';
      },
    });
    if (run !== this.#run) {
      cardForm.remove();
      return;
    }
    this.#cardForm = cardForm;
    cardForm.show();
    this.#instalments = Boolean(params.attributes['smartpay-id'] || params.attributes['plan-id']);
    this.busy = 'card-form';
  }

  /** The shopper closed the card form: the choices come back, with focus on the button they had chosen. */
  async #backToChoices(): Promise<void> {
    const method = this.method;
    const which = this.#chosenInstalments ? '[data-installments]' : ':not([data-installments])';
    this.#removeCardForm();
    this.busy = null;
    this.#paying = false;
    await this.updateComplete;
    this.shadowRoot?.querySelector<HTMLButtonElement>(`button[data-method="${method}"]${which}`)?.focus();
  }

  /**
   * Thai QR / WeChat Pay: the same K-Payment form as the card, with the companion's `order-id`; `KPayment.show()`
   * shows the QR code. The element counts down to the order's expiry and polls the payment meanwhile.
   */
  async #openQr(
    params: KPaymentFormParams & { expiresAt?: string },
    paymentId: string,
    method: PaymentMethodId,
    run: number,
  ): Promise<void> {
    const qrForm = await mountCardForm(params, {
      mount: (form) => {
        form.slot = 'card-form';
        form.dataset.paymentCheckout = 'kpayment-qr';
        this.append(form);
      },
      onClose: () => {
        if (this.#cardForm !== qrForm) return;
        this.#cardForm = undefined;
        void this.#backToChoices();
      },
      onSubmit: () => {
        // The script posts `chargeId` to the companion, which verifies it by QR inquiry; we keep polling meanwhile.
        if (this.#cardForm === qrForm && this.qr) this.qr = { ...this.qr, submitted: true };
      },
    });
    if (run !== this.#run) {
      qrForm.remove();
      return;
    }
    this.#cardForm = qrForm;
    qrForm.show();
    const expiresAt = params.expiresAt ? Date.parse(params.expiresAt) : Number.NaN;
    this.qr = {
      paymentId,
      method,
      expiresAt: Number.isFinite(expiresAt) ? expiresAt : null,
      secondsLeft: null,
      expired: false,
      submitted: false,
    };
    this.busy = 'qr';
    this.#qrPolls = 0;
    this.#tickQr();
    this.#scheduleQrPoll();
  }

  /** Updates the countdown, and wakes up again when the shown second changes (not on a beat that drifts). */
  #tickQr(): void {
    this.clock.clearTimeout(this.#qrTick);
    this.#qrTick = undefined;
    const qr = this.qr;
    if (!qr || qr.expiresAt === null || qr.expired) return;
    const msLeft = qr.expiresAt - this.clock.now();
    const secondsLeft = Math.max(0, Math.ceil(msLeft / 1000));
    if (secondsLeft !== qr.secondsLeft) this.qr = { ...qr, secondsLeft };
    if (secondsLeft === 0) {
      this.#expireQr();
      return;
    }
    this.#qrTick = this.clock.setTimeout(() => {
      this.#qrTick = undefined;
      this.#tickQr();
    }, msLeft - (secondsLeft - 1) * 1000);
  }

  /** Time is up: say so, and ask the companion once more (a payment made in the last seconds still counts). */
  #expireQr(): void {
    if (!this.qr) return;
    this.qr = { ...this.qr, secondsLeft: 0, expired: true };
    this.clock.clearTimeout(this.#qrPollTimer);
    this.#qrPollTimer = undefined;
    // In a hidden tab, the poll waits until the shopper comes back (see #onVisibilityChange).
    if (!documentHidden()) void this.#pollQr();
  }

  /** The next status poll, backing off like the result page; none while the tab is hidden or after expiry. */
  #scheduleQrPoll(): void {
    this.clock.clearTimeout(this.#qrPollTimer);
    this.#qrPollTimer = undefined;
    const qr = this.qr;
    if (!qr || qr.expired || !this.isConnected || documentHidden()) return;
    // The countdown bounds the wait; without an expiry, the poll limit does.
    if (qr.expiresAt === null && this.#qrPolls >= this.pollLimit) return;
    const delays = this.pollDelays.length > 0 ? this.pollDelays : POLL_DELAYS;
    const delay = delays[Math.min(this.#qrPolls, delays.length - 1)];
    this.#qrPolls += 1;
    this.#qrPollTimer = this.clock.setTimeout(() => {
      this.#qrPollTimer = undefined;
      void this.#pollQr();
    }, delay);
  }

  /** Asks the companion about the QR payment; a final status shows the result without the script's post. */
  async #pollQr(): Promise<void> {
    const qr = this.qr;
    if (!qr) return;
    this.clock.clearTimeout(this.#qrPollTimer);
    this.#qrPollTimer = undefined;
    const poll = ++this.#qrPoll;
    this.#qrAbort?.abort();
    const abort = new AbortController();
    this.#qrAbort = abort;
    const locale = this.#locale;
    try {
      const payment = await this.#client.getPayment(qr.paymentId, { signal: abort.signal, locale });
      if (poll !== this.#qrPoll) return;
      if (isFinal(payment.status)) {
        this.#showQrResult(payment, locale);
        return;
      }
    } catch {
      if (poll !== this.#qrPoll) return;
      // A network blip or an unexpected answer: the QR code is still valid and the script can still complete it.
    }
    this.#scheduleQrPoll();
  }

  /** The companion says the QR payment is final: show its result (paid, failed…) as the return page would. */
  #showQrResult(payment: PaymentView, locale: Locale): void {
    this.#stop();
    this.#paymentInPlace = payment.id;
    this.paymentId = payment.id;
    // The payment is already read: no need for #start() to read it again.
    this.#startedFor = this.#inputs;
    this.#paymentLocale = locale;
    this.payment = payment;
    this.#report(payment);
  }

  #stopQr(): void {
    this.#qrPoll += 1;
    this.#qrAbort?.abort();
    this.#qrAbort = undefined;
    this.clock.clearTimeout(this.#qrPollTimer);
    this.#qrPollTimer = undefined;
    this.clock.clearTimeout(this.#qrTick);
    this.#qrTick = undefined;
    this.qr = null;
  }

  async #loadPayment(): Promise<void> {
    this.clock.clearTimeout(this.#pollTimer);
    this.#pollTimer = undefined;
    const run = this.#run;
    const paymentId = this.paymentId ?? '';
    if (!this.payment) this.busy = 'payment';
    try {
      const locale = this.#locale;
      const payment = await this.#client.getPayment(paymentId, { signal: this.#signal(), locale });
      if (run !== this.#run) return;
      this.busy = null;
      this.problem = null;
      this.#paymentLocale = locale;
      this.payment = payment;
      if (isFinal(payment.status)) this.#report(payment);
      else this.#schedulePoll();
    } catch (error) {
      if (run !== this.#run) return;
      this.busy = null;
      // While already waiting, a network blip or a 5xx is not news for the shopper: keep polling.
      const transient = error instanceof CompanionError && (error.status === 0 || error.status >= 500);
      if (this.payment && transient) this.#schedulePoll();
      else this.#fail(error, 'status');
    }
  }

  #schedulePoll(): void {
    if (!this.isConnected) return;
    if (this.#pollCount >= this.pollLimit) {
      this.pollExhausted = true;
      return;
    }
    const delays = this.pollDelays.length > 0 ? this.pollDelays : POLL_DELAYS;
    const delay = delays[Math.min(this.#pollCount, delays.length - 1)];
    this.#pollCount += 1;
    this.#pollTimer = this.clock.setTimeout(() => {
      this.#pollTimer = undefined;
      void this.#loadPayment();
    }, delay);
  }

  #report(payment: PaymentView): void {
    if (this.#reported.has(payment.id)) return;
    this.#reported.add(payment.id);
    const event = isPaid(payment.status) ? new CheckoutSuccessEvent(payment) : new CheckoutFailureEvent(payment);
    this.dispatchEvent(event);
  }

  #fail(error: unknown, stage: CheckoutErrorStage): void {
    let problem: Problem;
    if (error instanceof CompanionError) {
      if (error.fromServer) problem = { stage, kind: 'server', code: error.code, detail: error.message };
      else if (error.code === 'network_error') problem = { stage, kind: 'network', code: error.code, detail: null };
      else problem = { stage, kind: 'unexpected', code: error.code, detail: null };
    } else if (error instanceof ScriptLoadError) {
      problem = { stage, kind: 'script', code: error.code, detail: null };
    } else if (error instanceof CardFormError) {
      problem =
        this.#flowOf(this.method) === 'embedded_qr'
          ? { stage, kind: 'qr', code: 'qr_unavailable', detail: null }
          : { stage, kind: 'card-form', code: error.code, detail: null };
    } else if (error instanceof OpnSourceError) {
      problem =
        error.statusCode === 0
          ? { stage, kind: 'network', code: error.code, detail: null }
          : { stage, kind: 'source', code: error.code, detail: error.message };
    } else {
      console.error('<payment-checkout>', error);
      problem = { stage, kind: 'unexpected', code: 'unexpected_error', detail: null };
    }
    this.problem = problem;
    const event = new CheckoutErrorEvent(problem.code, this.#problemMessage(problem, STRINGS.en), stage);
    this.dispatchEvent(event);
  }

  #problemMessage(problem: Problem, t: Strings): string {
    switch (problem.kind) {
      case 'server':
        return t.companionErrors[problem.code as CheckoutErrorCode] ?? problem.detail ?? t.unexpectedError;
      case 'network':
        return t.networkError;
      case 'script':
        return t.scriptError;
      case 'source':
        return problem.detail ? `${t.sourceError} ${problem.detail}` : t.sourceError;
      case 'card-form':
        return t.cardFormError;
      case 'qr':
        return t.qrError;
      case 'unexpected':
        return t.unexpectedError;
    }
  }

  /** The failure message in the shopper's language: ours for a known code in Thai, else the companion's. */
  /**
   * The failure message in the shopper's language: the companion's, which it worded in the locale we asked for (card
   * declines such as `05` or `51` included); after a switch to another locale, core's message for a code it knows.
   */
  #failureMessage(payment: PaymentView, locale: Locale): string {
    if (payment.failureMessage && this.#paymentLocale === locale) return payment.failureMessage;
    if (payment.failureCode && Object.hasOwn(FAILURE_MESSAGES, payment.failureCode)) {
      return customerMessage(payment.failureCode, locale);
    }
    return payment.failureMessage ?? customerMessage(payment.failureCode, locale);
  }

  /** How a method is paid: a redirect to an app or page, the embedded card form, or an embedded QR code. */
  #flowOf(id: PaymentMethodId | null): PaymentMethod['flow'] | undefined {
    return CATALOG.find((m) => m.id === id)?.flow;
  }

  /** Whether the shopper is on a phone (the QR code is then on the device that should scan it). */
  get #onPhone(): boolean {
    return detectPlatform(this.userAgent ?? navigator.userAgent) !== null;
  }

  #methodLabel(id: PaymentMethodId | null, locale: Locale): string {
    const method = CATALOG.find((m) => m.id === id);
    return method ? method.label[locale] : (id ?? '');
  }

  readonly #onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted) return;
    // Back from the gateway through the back/forward cache: the page is live again, let the shopper choose.
    if (this.busy === 'redirect' || this.busy === 'card-submit' || (this.busy === 'qr' && this.qr?.submitted)) {
      // The form's fields hold a used, single-use token or an already posted charge: drop them with the form.
      this.#removeCardForm();
      this.busy = null;
      this.#paying = false;
    } else if (this.qr) {
      this.#resumeQr();
    }
  };

  /** The tab is hidden: QR polls pause. Visible again (maybe back from a banking app): ask at once, then back off. */
  readonly #onVisibilityChange = (): void => {
    if (!this.qr) return;
    if (documentHidden()) {
      this.clock.clearTimeout(this.#qrPollTimer);
      this.#qrPollTimer = undefined;
    } else {
      this.#resumeQr();
    }
  };

  #resumeQr(): void {
    this.#qrPolls = 0;
    this.#tickQr();
    void this.#pollQr();
  }

  readonly #onRetry = (): void => {
    const problem = this.problem;
    if (!problem) return;
    if (problem.stage === 'config') {
      void this.#loadConfig();
      return;
    }
    if (problem.stage === 'status') {
      void this.#loadPayment();
      return;
    }
    const offer = this.#offers.find((o) => o.id === this.method);
    if (offer) void this.#pay(offer, this.#chosenInstalments);
  };

  readonly #onCheckAgain = (): void => {
    this.pollExhausted = false;
    this.#pollCount = 0;
    void this.#loadPayment();
  };

  /** Back from an unpaid result to the choices: without the payment id, the element reads the order's config afresh. */
  readonly #onChooseAgain = (): void => {
    this.#paymentInPlace = undefined;
    this.#focusFirstMethod = true;
    this.paymentId = undefined;
  };

  /** Whether a second try of what failed may succeed (not after a refusal the companion would repeat). */
  #retryable(problem: Problem): boolean {
    return !(problem.kind === 'server' && FINAL_ERRORS.has(problem.code));
  }

  /**
   * Whether the shown result ends, unpaid, a payment the shopper started here (checkout mode): they may choose again.
   * Not on a return page (`payment-id` set by the page), where the shop decides what comes next.
   */
  get #mayChooseAgain(): boolean {
    const payment = this.payment;
    if (!this.orderId || !payment || this.paymentId === undefined || this.paymentId !== this.#paymentInPlace) return false;
    return isFinal(payment.status) && !isPaid(payment.status);
  }

  #renderChoices(t: Strings, locale: Locale): TemplateResult | typeof nothing {
    const config = this.config;
    if (!config) return nothing;
    const offers = this.#offers;
    if (offers.length === 0) return nothing;
    const disabled = this.busy !== null;
    const amount = html`<p part="amount" class="amount">
      <span class="amount-label">${t.amountToPay}</span>
      <strong part="amount-value" class="amount-value">${formatAmount(config.amount, config.currency, locale)}</strong>
    </p>`;
    if (this.qr) return html`${amount}${this.#renderQr(this.qr, t, locale)}`;
    return html`
      ${amount}
      <p part="prompt" class="prompt">${t.chooseMethod}</p>
      <div part="methods" class="methods" aria-busy=${disabled ? 'true' : 'false'}>
        ${GROUP_ORDER.map((group) => {
          const inGroup = offers.filter((offer) => offer.group === group);
          if (inGroup.length === 0) return nothing;
          return html`
            <fieldset part="group" class="group" data-group=${group}>
              <legend part="group-label">${t.groups[group]}</legend>
              ${inGroup.map(
                (offer) => html`
                  ${this.#renderMethod(offer, offer.label[locale], false, disabled)}
                  ${offer.id === 'card' && config.kpayment?.installments
                    ? this.#renderMethod(offer, t.cardInstalments, true, disabled)
                    : nothing}
                `,
              )}
            </fieldset>
          `;
        })}
      </div>
    `;
  }

  /**
   * A method's button. The card has a second one, "in instalments", when the companion's config says the order may
   * be paid with SmartPay (a baht order on a SmartPay merchant); the companion decides the terms.
   */
  #renderMethod(offer: MethodOffer, label: string, installments: boolean, disabled: boolean): TemplateResult {
    const selected = disabled && this.method === offer.id && this.#chosenInstalments === installments;
    return html`<button
      type="button"
      part="method"
      class="method ${selected ? 'selected' : ''}"
      data-method=${offer.id}
      data-installments=${installments ? 'true' : nothing}
      ?disabled=${disabled}
      @click=${() => void this.#pay(offer, installments)}
    >
      ${label}
    </button>`;
  }

  /**
   * The QR view: the code itself is in the script's window; here are the method, the countdown (a timer, silent:
   * the live region announces only milestones) and, on a phone, how to pay with the code on the phone itself.
   * The script draws its QR code in its own (cross-origin) window, so the element cannot offer the image for
   * download: the hint points at the window's own save option or a screenshot.
   */
  #renderQr(qr: QrView, t: Strings, locale: Locale): TemplateResult {
    const wechat = qr.method === 'wechat_pay';
    return html`<div part="qr" class="qr" data-method=${qr.method}>
      <p part="qr-title" class="qr-title">${t.qrTitle(this.#methodLabel(qr.method, locale))}</p>
      ${qr.secondsLeft === null
        ? nothing
        : html`<p part="countdown" class="countdown ${qr.expired ? 'expired' : ''}" role="timer">
            ${qr.expired ? t.qrExpiredShort : t.expiresIn(formatCountdown(qr.secondsLeft))}
          </p>`}
      ${this.#onPhone && !qr.expired && !qr.submitted
        ? html`<p part="hint" class="note hint">${wechat ? t.phoneHintWechat : t.phoneHintThaiQr}</p>`
        : nothing}
    </div>`;
  }

  /** What the live region says while a QR code is shown: what to do, and the time left at a few milestones. */
  #renderQrStatus(qr: QrView, t: Strings): TemplateResult {
    if (qr.submitted) return this.#renderBusy(t.checkingPayment);
    if (qr.expired) {
      return html`<p part="message" class="message error">${t.qrExpired}</p>
        <p part="message" class="message">${t.qrExpiredDetail}</p>`;
    }
    const milestone = qr.secondsLeft === null ? null : countdownMilestone(qr.secondsLeft);
    return html`<p part="message" class="message">${qr.method === 'wechat_pay' ? t.scanWechat : t.scanThaiQr}</p>
      ${milestone
        ? html`<p part="note" class="note">
            ${milestone.unit === 'minutes' ? t.expiresInMinutes(milestone.value) : t.expiresInSeconds(milestone.value)}
          </p>`
        : nothing}`;
  }

  #renderSummary(t: Strings, locale: Locale): TemplateResult | typeof nothing {
    const payment = this.payment;
    if (!payment) return nothing;
    const amount = formatAmount(payment.amount, payment.currency, locale);
    return html`<p part="summary" class="summary">${t.paymentOf(amount, this.#methodLabel(payment.method, locale))}</p>`;
  }

  #renderBusy(text: string): TemplateResult {
    return html`<p class="busy"><span part="spinner" class="spinner" aria-hidden="true"></span>${text}</p>`;
  }

  #renderResult(payment: PaymentView, t: Strings, locale: Locale): TemplateResult {
    const headline = (kind: string, text: string, message?: TemplateResult) =>
      html`<div class="result result-${kind}" data-status=${payment.status}>
        <p part="headline" class="headline">${text}</p>
        ${message ?? nothing}
      </div>`;
    switch (payment.status) {
      case 'succeeded':
        return headline('paid', t.paid);
      case 'refunded':
      case 'partially_refunded':
      case 'voided':
        return headline('refunded', t.refunded);
      case 'failed':
        return headline(
          'failed',
          t.failed,
          html`<p part="message" class="message">${this.#failureMessage(payment, locale)}</p>
            ${payment.failureCode ? html`<p part="code" class="code">${t.errorCode(payment.failureCode)}</p>` : nothing}`,
        );
      case 'expired':
        return headline('expired', t.expired, html`<p part="message" class="message">${t.expiredDetail}</p>`);
      case 'canceled':
        return headline('canceled', t.canceled, html`<p part="message" class="message">${t.canceledDetail}</p>`);
      case 'created':
      case 'pending':
      case 'authorized':
        return this.pollExhausted
          ? html`<div class="result result-waiting" data-status=${payment.status}>
              <p part="message" class="message">${t.stillWaiting}</p>
            </div>`
          : html`<div class="result result-waiting" data-status=${payment.status}>${this.#renderBusy(t.waiting)}</div>`;
    }
  }

  #renderStatus(t: Strings, locale: Locale): TemplateResult | typeof nothing {
    const label = this.#methodLabel(this.method, locale);
    switch (this.busy) {
      case 'config':
        return this.#renderBusy(t.loading);
      case 'pay': {
        const flow = this.#flowOf(this.method);
        if (flow === 'embedded_form') return this.#renderBusy(t.openingCardForm);
        return this.#renderBusy(flow === 'embedded_qr' ? t.openingQr : t.connecting(label));
      }
      case 'card-form':
        return html`<p part="message" class="message">${t.completeInCardForm}</p>
          ${this.#instalments ? html`<p part="note" class="note">${t.chooseInstalmentTerm}</p>` : nothing}`;
      case 'card-submit':
        return this.#renderBusy(t.processingCard);
      case 'qr':
        return this.qr ? this.#renderQrStatus(this.qr, t) : nothing;
      case 'redirect':
        return this.#renderBusy(t.redirecting(label));
      case 'payment':
        return this.#renderBusy(t.checkingPayment);
      case null:
        break;
    }
    if (this.problem) {
      const { code, kind } = this.problem;
      return html`<p part="message" class="message error">${this.#problemMessage(this.problem, t)}</p>
        ${kind === 'network' ? nothing : html`<p part="code" class="code">${t.errorCode(code)}</p>`}`;
    }
    if (this.paymentId) return this.payment ? this.#renderResult(this.payment, t, locale) : nothing;
    if (this.config && this.#offers.length === 0) return html`<p part="message" class="message">${t.noMethods}</p>`;
    return nothing;
  }

  #renderActions(t: Strings): TemplateResult | typeof nothing {
    if (this.busy !== null) return nothing;
    if (this.problem) {
      if (!this.#retryable(this.problem)) return nothing;
      return html`<button type="button" part="retry" class="action retry" @click=${this.#onRetry}>${t.retry}</button>`;
    }
    if (this.paymentId && this.pollExhausted) {
      return html`<button type="button" part="check-again" class="action check-again" @click=${this.#onCheckAgain}>
        ${t.checkAgain}
      </button>`;
    }
    if (this.#mayChooseAgain) {
      return html`<button type="button" part="choose-again" class="action choose-again" @click=${this.#onChooseAgain}>
        ${t.chooseAgain}
      </button>`;
    }
    return nothing;
  }

  override render(): TemplateResult {
    const locale = this.#locale;
    const t = STRINGS[locale];
    // The live region stays in place across states so that assistive technology announces each change.
    return html`
      <div part="base" class="base" lang=${locale}>
        ${this.paymentId ? this.#renderSummary(t, locale) : this.#renderChoices(t, locale)}
        <div part="status" class="status" role="status" aria-live="polite">${this.#renderStatus(t, locale)}</div>
        ${this.#renderActions(t)}
        <slot name="card-form"></slot>
      </div>
    `;
  }
}
