import type { CheckoutConfig, CreatePaymentRequest, MethodOffer, NextAction } from '@payment-checkout/core/api';
import type { Platform } from '@payment-checkout/core/catalog';

/**
 * What one gateway does in the browser to start its payments. The element does the generic part itself (the
 * create-payment request, `redirect`, `done`, polling, every view); a starter does only what needs the gateway's
 * own script. Both steps are optional, and a gateway without a starter still works for plain redirects.
 */
export interface GatewayStarter {
  /**
   * Runs before the create-payment request and answers what the browser adds to it (Opn: the source Omise.js
   * created, and the shopper's platform). `block` is the gateway's block of the checkout config
   * (`config.gateways[gateway]`), as the companion sent it: check the fields you use.
   */
  prepare?(offer: MethodOffer, block: Readonly<Record<string, unknown>> | undefined, context: StarterContext): Promise<PreparedFields>;
  /**
   * Acts on a `script_form` or `qr` next action: puts the gateway's form in the page with `host.mount` and resolves
   * once it is ready to show. Rejects with a ScriptLoadError or a StarterError.
   */
  start?(next: ScriptFormAction, host: StarterHost, context: StarterContext): Promise<StartedForm>;
}

/** A next action drawn by the gateway's script in a form of the page: a card form, or a QR code. */
export type ScriptFormAction = Extract<NextAction, { type: 'script_form' | 'qr' }>;

/** What a starter adds to the create-payment request. */
export type PreparedFields = Pick<CreatePaymentRequest, 'sourceId' | 'platform'>;

export interface StarterContext {
  /** The order's config: amounts and currencies come from here, never from the page. */
  readonly config: CheckoutConfig;
  /** The shopper's platform for the chosen method (`platform_type`: from the user agent and the offer), or null. */
  readonly platform: Platform | null;
}

/** The element's side of a started form. */
export interface StarterHost {
  /** Puts the form in the element's light DOM (a gateway script cannot find its form through a shadow root). */
  mount(form: HTMLFormElement): void;
  /** The shopper closed the gateway's form or window without paying (the form is already removed). */
  onClose(): void;
  /** The script put its result in the form and is submitting it: the page is about to leave. */
  onSubmit(): void;
}

/** A form a starter put in the page. */
export interface StartedForm {
  /** Opens it (the card form, or the QR code's window); throws a StarterError when the script refuses. */
  show(): void;
  /** Takes it out of the page. */
  remove(): void;
  /** The form offers instalment terms: the element asks the shopper to choose the months there. */
  readonly installments: boolean;
}

/**
 * A gateway's script could not start the payment. `reason` decides what the shopper reads: `refused` (the gateway
 * said no, in its own words: the message is shown), `unreachable` (the script could not reach the gateway),
 * `unavailable` (its form or QR code could not be opened). `code` is the gateway's, or ours.
 * The element reads an error by its `code` and `reason`, not its class (a starter is its own chunk, or bundle, with its
 * own copy of this class): any error a starter throws with those two fields is read the same way.
 */
export class StarterError extends Error {
  override readonly name: string = 'StarterError';
  readonly code: string;
  readonly reason: 'refused' | 'unreachable' | 'unavailable';
  constructor(code: string, reason: StarterError['reason'], message: string) {
    super(message);
    this.code = code;
    this.reason = reason;
  }
}
