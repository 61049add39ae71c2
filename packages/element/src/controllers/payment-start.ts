import type { CheckoutConfig, MethodOffer } from '@payment-checkout/core/api';
import type { Platform } from '@payment-checkout/core/catalog';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CompanionClient } from '../companion-client.ts';
import type { Locale } from '../texts.ts';
import type { GatewayStarter, ScriptFormAction, StartedForm, StarterContext } from '../gateways/starter.ts';

/*
 * Loaded as the shopper selects a method (a chunk of its own, not in the element's first file): it imports nothing
 * at run time, so that it shares no module with the first file; what it needs of it comes in its options.
 */

/** What a started payment needs next from the element. */
export type StartOutcome =
  | { type: 'redirect'; paymentId: string; url: string }
  | { type: 'done'; paymentId: string }
  | { type: 'card-form' }
  | { type: 'qr'; paymentId: string; expiresIn: number | undefined };

export interface PaymentStartOptions {
  client(): CompanionClient;
  /** The shopper's locale: the companion words its refusals in it. */
  locale(): Locale;
  /** The `platform_type` to send for the method (from the shopper's device), or null. */
  platform(offer: MethodOffer): Platform | null;
  /** Loads the gateway's starter; null for a gateway the element has none for (its methods are plain redirects). */
  starter(gateway: string): Promise<GatewayStarter> | null;
  /** The shopper closed the gateway's form or QR window without paying (the form is already out of the page). */
  onClose(): void;
  /** The gateway's script is submitting its result (`qr`: a QR code's): the page is about to leave. */
  onSubmit(qr: boolean): void;
}

/**
 * Starting a payment with the chosen method: loads its gateway's starter (its own chunk, on first use), lets it
 * prepare what the browser adds to `POST /checkout/payments`, creates the payment and, for a `script_form` or `qr`
 * next action, lets the starter put the gateway's form in the host's own light DOM and opens it. A gateway's script
 * walks up from its tag to its form, which cannot be inside a shadow root it does not know about; as the host's
 * child (slot `card-form`) the form goes away with the element.
 */
export class PaymentStartController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #options: PaymentStartOptions;
  /** The gateway's form in the page while its card form or QR code is open. */
  #form: StartedForm | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, options: PaymentStartOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    this.close();
  }

  /**
   * Starts paying with `offer` (in instalments: the companion checks that against the order). `current()` says
   * whether the start is still wanted after each step; resolves null when it is not.
   */
  async start(config: CheckoutConfig, offer: MethodOffer, installments: boolean, signal: AbortSignal, current: () => boolean): Promise<StartOutcome | null> {
    const starter = await this.#starterOf(offer.gateway);
    if (!current()) return null;
    const context: StarterContext = { config, platform: this.#options.platform(offer) };
    const prepared = starter?.prepare ? await starter.prepare(offer, config.gateways[offer.gateway], context) : {};
    if (!current()) return null;
    // The page says only what the shopper chose: the companion computes the rest from the order.
    const client = this.#options.client();
    const options = { signal, locale: this.#options.locale() };
    let created;
    try {
      created = await client.createPayment({ orderId: config.orderId, method: offer.id, ...prepared, ...(installments ? { installments: true } : {}) }, options);
    } catch (error) {
      // The order was paid meanwhile (a QR code paid in the bank's app after its window closed, another tab): the
      // receipt of the payment that paid it, not an error. Read by its code: CompanionError lives in the first file.
      const paid = (error as { code?: unknown }).code === 'payment_final' ? (await client.getConfig(config.orderId, options).catch(() => null))?.paid : null;
      if (!paid) throw error;
      return current() ? { type: 'done', paymentId: paid.id } : null;
    }
    if (!current()) return null;
    const next = created.next;
    switch (next.type) {
      case 'redirect':
        return { type: 'redirect', paymentId: created.paymentId, url: next.url };
      case 'done':
        return { type: 'done', paymentId: created.paymentId };
      case 'script_form':
      case 'qr': {
        if (!starter?.start) throw new Error(`no starter of ${offer.gateway} opens a ${next.type}`);
        const form = await this.#mount(starter, next, offer.gateway, context);
        if (!current()) {
          form.remove();
          return null;
        }
        this.#form = form;
        form.show();
        if (next.type === 'script_form') return { type: 'card-form' };
        return { type: 'qr', paymentId: created.paymentId, expiresIn: next.expiresIn };
      }
    }
  }

  /** The open card form offers instalment terms. */
  get installments(): boolean {
    return this.#form?.installments ?? false;
  }

  /** Takes the gateway's form out of the page, if one is open. */
  close(): void {
    this.#form?.remove();
    this.#form = undefined;
  }

  /** The gateway's starter, loaded on first use; null for a gateway without one (its methods are plain redirects). */
  async #starterOf(gateway: string): Promise<GatewayStarter | null> {
    try {
      return await this.#options.starter(gateway);
    } catch {
      // Read by its code as a script that did not load (load-script.ts's error lives in the starters' chunks).
      throw Object.assign(new Error(`could not load the ${gateway} starter`), { code: 'script_load_failed' });
    }
  }

  async #mount(starter: GatewayStarter, next: ScriptFormAction, gateway: string, context: StarterContext): Promise<StartedForm> {
    const qr = next.type === 'qr';
    let form: StartedForm | undefined;
    const ours = () => form !== undefined && this.#form === form;
    form = await starter.start!(
      next,
      {
        mount: (element) => {
          element.slot = 'card-form';
          element.dataset.paymentCheckout = qr ? `${gateway}-qr` : gateway;
          this.#host.append(element);
        },
        onClose: () => {
          if (!ours()) return;
          this.#form = undefined;
          this.#options.onClose();
        },
        onSubmit: () => {
          if (ours()) this.#options.onSubmit(qr);
        },
      },
      context,
    );
    return form;
  }
}
