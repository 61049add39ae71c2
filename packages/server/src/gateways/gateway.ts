import type { Currency, Gateway, NextAction, PaymentMethod, PaymentStatus, Platform } from '@payment-checkout/core';
import type { PaymentRecord } from '../store/store.ts';

/**
 * What the companion needs from a payment gateway. Each gateway (Opn now, K-Payment later) is one adapter
 * behind this interface; its own vocabulary (charges, sources, orders, events) stays inside the adapter.
 */
export interface PaymentGateway {
  readonly id: Gateway;
  /** Whether a browser-side reference (an Opn source) may be given to `startPayment`. */
  readonly acceptsClientSource: boolean;
  /**
   * Checks a reference the browser created (an Opn source) against the order before anything is stored.
   * Throws `CheckoutError('source_mismatch')` when its amount, currency or method differ.
   */
  verifyClientSource(input: ClientSourceCheck): Promise<void>;
  /** Starts the payment at the gateway (creates the charge) for a payment row already stored as `created`. */
  startPayment(input: StartPaymentInput): Promise<StartedPayment>;
  /** Asks the gateway for the payment's current state. Never trusts anything the browser said. */
  fetchStatus(payment: PaymentRecord, options?: { signal?: AbortSignal }): Promise<GatewayStatus>;
  /** Whether `cancel` can end this pending payment early (Opn: only KMA charges can be expired). */
  canCancel(payment: PaymentRecord): boolean;
  /** Ends a pending payment at the gateway where allowed; answers the state the gateway reports afterwards. */
  cancel(payment: PaymentRecord): Promise<GatewayStatus>;
  /** Authenticates and reads a webhook; says which gateway payment it concerns, if any. Never trusts its status. */
  readWebhook(input: WebhookInput): Promise<WebhookNotice>;
}

export interface ClientSourceCheck {
  sourceId: string;
  method: PaymentMethod;
  amount: number;
  currency: Currency;
}

export interface StartPaymentInput {
  payment: PaymentRecord;
  method: PaymentMethod;
  /** Where the gateway sends the shopper back after authorization. */
  returnUri: string;
  /** The gateway-side platform to use (null: none, e.g. mobile banking on a desktop). */
  platform: Platform | null;
  /** A source the browser created and `verifyClientSource` accepted; without it the adapter creates one. */
  clientSourceId?: string;
}

export interface GatewayStatus {
  status: PaymentStatus;
  failureCode: string | null;
  failureMessage: string | null;
}

export interface StartedPayment extends GatewayStatus {
  /** The gateway's own ids, stored on the payment row. */
  gatewayIds: { chargeId: string; sourceId: string | null };
  /** Where to send the shopper (Opn: `authorize_uri`), or null when nothing is left to do. */
  authorizeUri: string | null;
  next: NextAction;
}

export interface WebhookInput {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export type WebhookNotice =
  | { kind: 'payment'; chargeId: string; eventId: string; eventKey: string }
  | { kind: 'ignored'; reason: string; eventId?: string; eventKey?: string };

/**
 * The root of every gateway client error: a stable `code`, an explicit `name` (minifiers rename classes),
 * and the gateway it came from.
 */
export class GatewayError extends Error {
  override name = 'GatewayError';
  constructor(
    readonly gateway: Gateway,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
