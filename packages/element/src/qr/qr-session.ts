import type { PaymentView } from '@payment-checkout/core/api';
import type { PaymentMethodId } from '@payment-checkout/core/catalog';
import type { ReactiveController, ReactiveControllerHost, TemplateResult } from 'lit';
import type { CompanionClient } from '../companion-client.ts';
import type { PollController, PollRun } from '../controllers/poller.ts';
import type { ViewKit } from '../payment-checkout/view-kit.ts';
import type { CheckoutTexts, Locale } from '../texts.ts';
import { qrStatus, qrView } from './qr-views.ts';

/** The QR code on screen (Thai QR, WeChat Pay): the payment it pays, its expiry and where the countdown is. */
export interface QrView {
  paymentId: string;
  method: PaymentMethodId;
  /** When the gateway's order expires (ms, on the element's clock); null when the companion sent no expiry. */
  expiresAt: number | null;
  /** Whole seconds left, as the countdown shows them; null before the first tick or without an expiry. */
  secondsLeft: number | null;
  expired: boolean;
  /** The script posted its result to the companion: the page is about to leave. */
  submitted: boolean;
}

/** What the element draws of the QR code on screen. */
export interface QrDrawing {
  readonly view: QrView;
  /** The QR view, in place of the choices; `onPhone`: with how to pay with the code on the phone itself. */
  draw(onPhone: boolean, t: CheckoutTexts): TemplateResult;
  /** What the live region says: what to do, the time left at a few milestones, or that the code expired. */
  status(t: CheckoutTexts): TemplateResult;
}

export interface QrSessionOptions {
  /** How many polls without an expiry (with one, the countdown bounds them). */
  pollLimit(): number;
  client(): CompanionClient;
  /** The shopper's locale: the companion words `failureMessage` in the one asked for. */
  locale(): Locale;
  /**
   * The payment as a poll read it (in `locale`): the host shows the result if it is final, without waiting for the
   * script's post, and answers whether it did (the polls then end).
   */
  onPayment(payment: PaymentView, locale: Locale): boolean;
}

/**
 * A QR code's session (loaded with the first QR code, in its own chunk: see qr-views.ts): the countdown to the gateway order's expiry (one tick per shown second, on the poller's clock)
 * and the polls of its payment (through the host's poller, paused while the tab is hidden), so that the page
 * completes even if the gateway's script never posts. On expiry: one last poll, then none.
 */
export class QrSessionController implements ReactiveController {
  /** The session on screen, or null. */
  view: QrView | null = null;
  readonly #host: ReactiveControllerHost;
  readonly #poller: PollController;
  readonly #options: QrSessionOptions;
  #run: PollRun | null = null;
  #tick: unknown;

  readonly #kit: ViewKit;

  constructor(host: ReactiveControllerHost, poller: PollController, options: QrSessionOptions, kit: ViewKit) {
    this.#host = host;
    this.#poller = poller;
    this.#options = options;
    this.#kit = kit;
    host.addController(this);
  }

  /** What to draw of the QR code on screen, or null. */
  get drawing(): QrDrawing | null {
    const { view } = this;
    const kit = this.#kit;
    return view && { view, draw: (onPhone, t) => qrView(kit, view, onPhone, t), status: (t) => qrStatus(kit, view, t) };
  }

  hostDisconnected(): void {
    this.close();
  }

  /**
   * Shows the QR code of `paymentId` and starts its countdown and polls. `expiresIn`: the seconds left by the
   * companion's clock, counted from now (the device's clock may be wrong: its date is never compared with the gateway's).
   */
  open(paymentId: string, method: PaymentMethodId, expiresIn: number | undefined): void {
    this.close();
    const expiresAt = expiresIn === undefined ? null : this.#poller.clock.now() + expiresIn * 1000;
    const view: QrView = { paymentId, method, expiresAt, secondsLeft: null, expired: false, submitted: false };
    this.#set(view);
    this.#tickNow();
    this.#run = {
      poll: (signal) => this.#poll(view.paymentId, signal),
      limit: view.expiresAt === null ? this.#options.pollLimit() : null,
      pauseWhileHidden: true,
      onResume: () => this.#tickNow(),
    };
    // Already expired at the first tick: the one last poll, at once.
    this.#poller.start(this.#run, { now: this.view?.expired ?? false });
  }

  /**
   * The script posted its result (into a hidden frame: the page stays): say the payment is being checked, and ask
   * at once and soon again rather than at the backoff's pace.
   */
  markSubmitted(): void {
    if (!this.view) return;
    this.#set({ ...this.view, submitted: true });
    this.#poller.restart();
  }

  /** Back in view or from the back/forward cache: catch up with the clock, ask at once, back off again. */
  resume(): void {
    if (this.view) this.#poller.restart();
  }

  close(): void {
    if (this.#run) this.#poller.stop(this.#run);
    this.#run = null;
    this.#poller.clock.clearTimeout(this.#tick);
    this.#tick = undefined;
    if (this.view) this.#set(null);
  }

  async #poll(paymentId: string, signal: AbortSignal): Promise<boolean> {
    try {
      const locale = this.#options.locale();
      const payment = await this.#options.client().getPayment(paymentId, { signal, locale });
      if (signal.aborted || this.#options.onPayment(payment, locale)) return false;
    } catch {
      // A network blip or an unexpected answer: the QR code is still valid and the script can still complete it.
    }
    return !signal.aborted && this.view !== null && !this.view.expired;
  }

  /** Updates the countdown, and wakes up again when the shown second changes (not on a beat that drifts). */
  #tickNow(): void {
    const clock = this.#poller.clock;
    clock.clearTimeout(this.#tick);
    this.#tick = undefined;
    const view = this.view;
    if (!view || view.expiresAt === null || view.expired) return;
    const msLeft = view.expiresAt - clock.now();
    const secondsLeft = Math.max(0, Math.ceil(msLeft / 1000));
    if (secondsLeft !== view.secondsLeft) this.#set({ ...view, secondsLeft });
    if (secondsLeft === 0) {
      // Time is up: say so, and ask once more (a payment made in the last seconds still counts).
      this.#set({ ...view, secondsLeft: 0, expired: true });
      if (this.#run) this.#poller.pollNow(this.#run);
      return;
    }
    this.#tick = clock.setTimeout(() => {
      this.#tick = undefined;
      this.#tickNow();
    }, msLeft - (secondsLeft - 1) * 1000);
  }

  #set(view: QrView | null): void {
    this.view = view;
    this.#host.requestUpdate();
  }
}
