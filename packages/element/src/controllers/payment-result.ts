import type { PaymentView } from '@payment-checkout/core/api';
import { isFinal, isPaid } from '@payment-checkout/core/status';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type CompanionClient, CompanionError } from '../companion-client.ts';
import { CheckoutFailureEvent, CheckoutSuccessEvent } from '../events.ts';
import type { Locale } from '../texts.ts';
import type { PollController } from './poller.ts';
import type { ProblemController } from './problems.ts';

/**
 * What the result view shows (the controller itself is one): the payment (null until read), the first read under way,
 * polls given up. What was paid (`summary`) and a failure's text (`failureMessage`) are the companion's words in the
 * locale it was asked for (card declines such as `05` or `51` included); after a switch to another locale they stay
 * until the payment is read again in the new one (`hostUpdate`).
 */
export interface ResultView {
  payment: PaymentView | null;
  loading: boolean;
  exhausted: boolean;
}

export interface PaymentResultOptions {
  client(): CompanionClient;
  /** The shopper's locale: the companion words `summary` and `failureMessage` in the one asked for. */
  locale(): Locale;
  pollLimit(): number;
  problems: ProblemController;
}

/**
 * The result view's job: reads the payment, polls it with backoff (through the host's poller) while it is not final,
 * then fires `checkout-success` or `checkout-failure`, once per payment. A network blip or a 5xx while waiting does
 * not interrupt the wait; any other error is the host's problem to show.
 */
export class PaymentResultController implements ReactiveController, ResultView {
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
  /** The locale a final payment was last read again in, for the companion's words in it (once per locale). */
  #rewordedIn: Locale | undefined;
  #rewording: AbortController | undefined;
  readonly #reported = new Set<string>();
  #watching = false;

  constructor(host: ReactiveControllerHost & EventTarget, poller: PollController, options: PaymentResultOptions) {
    this.#host = host;
    this.#poller = poller;
    this.#options = options;
    host.addController(this);
  }

  hostUpdate(): void {
    // The shopper's language changed while a result is shown: the companion words it (what was paid, a failure), so ask it again.
    const payment = this.payment;
    if (!payment || this.#watching) return;
    const locale = this.#options.locale(); // asked only when there is a result to word (not on each render)
    if (this.#readIn === locale || this.#rewordedIn === locale) return;
    this.#rewordedIn = locale;
    void this.#reword(payment.id, locale);
  }

  hostDisconnected(): void {
    // The polls stop with the host's poller; the payment stays, to be read again on reconnection.
    this.#stopRewording();
  }

  /** Still reading: a read due or under way (not after a final status, an error or the limit). */
  get watching(): boolean {
    return this.#watching;
  }

  /** Reads `paymentId` at once, then polls it with backoff while it is not final. */
  watch(paymentId: string): void {
    this.#stopRewording();
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
    this.#stopRewording();
    this.#readIn = locale;
    this.#watching = false;
    this.#set({ payment, loading: false, exhausted: false });
    this.#report(payment);
  }

  clear(): void {
    this.#stopRewording();
    this.#watching = false;
    this.#set({ payment: null, loading: false, exhausted: false });
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
      this.#report(payment);
      return !isFinal(payment.status);
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

  /** Reads a final payment again in `locale`; on failure its words stay as they are (a wording is no news). */
  async #reword(paymentId: string, locale: Locale): Promise<void> {
    this.#rewording?.abort();
    const rewording = (this.#rewording = new AbortController());
    try {
      const payment = await this.#options.client().getPayment(paymentId, { signal: rewording.signal, locale });
      if (rewording.signal.aborted || this.payment?.id !== paymentId) return;
      this.#readIn = locale;
      this.#set({ payment });
      this.#report(payment);
    } catch {
      // The failure stays in the words of the locale it was read in.
    } finally {
      if (this.#rewording === rewording) this.#rewording = undefined;
    }
  }

  #stopRewording(): void {
    this.#rewording?.abort();
    this.#rewording = undefined;
    this.#rewordedIn = undefined;
  }

  /** A final payment's outcome, once per payment; a payment still live (read again for its words) is no outcome. */
  #report(payment: PaymentView): void {
    if (!isFinal(payment.status) || this.#reported.has(payment.id)) return;
    this.#reported.add(payment.id);
    this.#host.dispatchEvent(isPaid(payment.status) ? new CheckoutSuccessEvent(payment) : new CheckoutFailureEvent(payment));
  }

  #set(changes: Partial<Pick<PaymentResultController, 'payment' | 'loading' | 'exhausted'>>): void {
    Object.assign(this, changes);
    this.#host.requestUpdate();
  }
}
