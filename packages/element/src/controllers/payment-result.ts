import type { PaymentView } from '@payment-checkout/core/api';
import { customerMessage, FAILURE_MESSAGES } from '@payment-checkout/core/errors';
import { isFinal, isPaid } from '@payment-checkout/core/status';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type CompanionClient, CompanionError } from '../companion-client.ts';
import { CheckoutFailureEvent, CheckoutSuccessEvent } from '../events.ts';
import type { Locale } from '../i18n.ts';
import type { PollController } from './poller.ts';
import type { ProblemController } from './problems.ts';

/** What the result view shows: the payment (null until read), the first read under way, polls given up, the failure's text. */
export interface ResultView {
  payment: PaymentView | null;
  loading: boolean;
  exhausted: boolean;
  failureMessage: string;
}

export interface PaymentResultOptions {
  client(): CompanionClient;
  /** The shopper's locale: the companion words `failureMessage` in the one asked for. */
  locale(): Locale;
  pollLimit(): number;
  problems: ProblemController;
}

/**
 * The result view's job: reads the payment, polls it with backoff (through the host's poller) while it is not final,
 * then fires `checkout-success` or `checkout-failure`, once per payment. A network blip or a 5xx while waiting does
 * not interrupt the wait; any other error is the host's problem to show.
 */
export class PaymentResultController implements ReactiveController {
  /** The payment on screen, or null. */
  payment: PaymentView | null = null;
  /** The first read is under way: nothing to show yet. */
  loading = false;
  /** The polls reached the limit before a final status: the host offers "Check again". */
  exhausted = false;
  readonly #host: ReactiveControllerHost & EventTarget;
  readonly #poller: PollController;
  readonly #options: PaymentResultOptions;
  /** The locale the payment was read in. */
  #readIn: Locale | undefined;
  readonly #reported = new Set<string>();
  #watching = false;

  constructor(host: ReactiveControllerHost & EventTarget, poller: PollController, options: PaymentResultOptions) {
    this.#host = host;
    this.#poller = poller;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    // The polls stop with the host's poller; the payment stays, to be read again on reconnection.
  }

  /** Still reading: a read due or under way (not after a final status, an error or the limit). */
  get watching(): boolean {
    return this.#watching;
  }

  /** Reads `paymentId` at once, then polls it with backoff while it is not final. */
  watch(paymentId: string): void {
    this.#watching = true;
    this.#set({ exhausted: false });
    this.#poller.start(
      {
        poll: async (signal) => {
          const again = await this.#read(paymentId, signal);
          if (!signal.aborted) this.#watching = again;
          return again;
        },
        limit: this.#options.pollLimit(),
        onExhausted: () => {
          this.#watching = false;
          this.#set({ exhausted: true });
        },
      },
      { now: true },
    );
  }

  /** Shows a payment read elsewhere in `locale` (a QR code's, found final), and reports it. */
  show(payment: PaymentView, locale: Locale): void {
    this.#readIn = locale;
    this.#watching = false;
    this.#set({ payment, loading: false, exhausted: false });
    this.#report(payment);
  }

  clear(): void {
    this.#watching = false;
    this.#set({ payment: null, loading: false, exhausted: false });
  }

  /** What the result view shows, in `locale`. */
  view(locale: Locale): ResultView {
    const { payment, loading, exhausted } = this;
    return { payment, loading, exhausted, failureMessage: payment ? this.failureMessage(payment, locale) : '' };
  }

  /**
   * The failure message in the shopper's language: the companion's, which it worded in the locale we asked for (card
   * declines such as `05` or `51` included); after a switch to another locale, core's message for a code it knows.
   */
  failureMessage(payment: PaymentView, locale: Locale): string {
    if (payment.failureMessage && this.#readIn === locale) return payment.failureMessage;
    if (payment.failureCode && Object.hasOwn(FAILURE_MESSAGES, payment.failureCode)) {
      return customerMessage(payment.failureCode, locale);
    }
    return payment.failureMessage ?? customerMessage(payment.failureCode, locale);
  }

  /** One read; resolves whether to poll again. */
  async #read(paymentId: string, signal: AbortSignal): Promise<boolean> {
    if (!this.payment) this.#set({ loading: true });
    try {
      const locale = this.#options.locale();
      const payment = await this.#options.client().getPayment(paymentId, { signal, locale });
      if (signal.aborted) return false;
      this.#options.problems.clear();
      this.#readIn = locale;
      this.#set({ payment, loading: false });
      if (!isFinal(payment.status)) return true;
      this.#report(payment);
      return false;
    } catch (error) {
      if (signal.aborted) return false;
      this.#set({ loading: false });
      // While already waiting, a network blip or a 5xx is not news for the shopper: keep polling.
      const transient = error instanceof CompanionError && (error.status === 0 || error.status >= 500);
      if (this.payment && transient) return true;
      this.#options.problems.report(error, { stage: 'status' });
      return false;
    }
  }

  #report(payment: PaymentView): void {
    if (this.#reported.has(payment.id)) return;
    this.#reported.add(payment.id);
    this.#host.dispatchEvent(isPaid(payment.status) ? new CheckoutSuccessEvent(payment) : new CheckoutFailureEvent(payment));
  }

  #set(changes: Partial<Pick<PaymentResultController, 'payment' | 'loading' | 'exhausted'>>): void {
    Object.assign(this, changes);
    this.#host.requestUpdate();
  }
}
