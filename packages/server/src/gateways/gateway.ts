import type { Currency, Gateway, NextAction, PaymentMethod, PaymentStatus, Platform } from '@payment-checkout/core';
import type { PaymentEvent, PaymentRecord } from '../store/store.ts';
import type { OperationContext, OperationRequest, OperationRules } from './operations.ts';

/**
 * What the companion needs from a payment gateway. Each gateway is one adapter behind this interface (built
 * by its module, module.ts); its own vocabulary (charges, sources, orders, events) stays inside the adapter.
 */
export interface PaymentGateway {
  readonly id: Gateway;
  /** The catalog entries of the methods this adapter takes payments with (core's, from the gateway's folder). */
  readonly methods: readonly PaymentMethod[];
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
  fetchStatus(payment: PaymentRecord, options?: GatewayReadOptions): Promise<GatewayStatus>;
  /** Whether `cancel` can end this pending payment early (Opn: only KMA charges can be expired). */
  canCancel(payment: PaymentRecord): boolean;
  /** Ends a pending payment at the gateway where allowed; answers the state the gateway reports afterwards. */
  cancel(payment: PaymentRecord): Promise<GatewayStatus>;
  /** Authenticates and reads a webhook; says which gateway payment it concerns, if any. Never trusts its status. */
  readWebhook(input: WebhookInput): Promise<WebhookNotice>;

  // ── Gateways whose charge the browser starts by posting a form back (K-Payment's token form) ──

  /** Whether this order may be paid in instalments (asked before anything is stored). */
  offersInstallments?(order: { amount: number; currency: Currency }): boolean;
  /** What the browser needs before choosing (this gateway's block of `CheckoutConfig.gateways`); never a secret. */
  browserConfig?(order: { orderId: string; amount: number; currency: Currency }): Promise<object | null>;
  /** Validates the form the browser posted for a payment, before anything is stored or charged (CheckoutError 4xx). */
  readChargeForm?(payment: PaymentRecord, form: Record<string, string>): Promise<ChargeForm>;
  /** Creates the charge from a form `readChargeForm` accepted. */
  chargeFromForm?(payment: PaymentRecord, form: ChargeForm): Promise<StartedPayment>;
  /** Whether an error of `chargeFromForm` may hide a charge that was created after all (then only an inquiry settles it). */
  outcomeUnknown?(err: unknown): boolean;
  /**
   * `fetchStatus` also works before the charge id is known (a charge request that got no answer), by the
   * payment's own reference; it then answers the charge id, or throws GatewayError `charge_not_found` (none, and
   * none can still appear: the payment then ends chargeless) or `charge_not_found_yet` (a create may still land).
   */
  readonly findsChargeByReference?: boolean;
  /**
   * How long (ms from its creation) this live payment may wait on a page of the gateway's that the gateway never
   * ends by itself (3-D Secure, Alipay, UnionPay) before the reconciler ends it; null: it ends at the gateway.
   */
  abandonedAfterMs?(payment: PaymentRecord): number | null;
  /** How long a payment may wait for the browser to start its charge before the reconciler cancels it (ms). */
  readonly chargelessGraceMs?: number;
  /**
   * The next action again for a live payment the shopper asks for again (K-Payment QR: the same order, so the
   * same QR), or null when it cannot be shown again. Without it only payments with an `authorizeUri` are reused.
   */
  resumePayment?(payment: PaymentRecord): Promise<NextAction | null>;
  /**
   * A charge id the browser brought back (K-Payment QR's `chargeId`): the gateway's inquiry must show that the
   * charge belongs to this payment. Throws CheckoutError `not_found` (unknown charge) or `source_mismatch`
   * (another payment's) before anything is stored; answers the charge's status otherwise.
   */
  verifyCharge?(payment: PaymentRecord, chargeId: string): Promise<GatewayStatus & { chargeId: string }>;
  // ── The merchant's money operations (operations.ts) ──

  /** What the merchant may do with this payment now, by the gateway's rules; absent: the method never has it. */
  operationRules?(payment: PaymentRecord, context: OperationContext): OperationRules;
  /**
   * Performs an operation `operationRules` allowed; answers the payment's state afterwards (status, refunded and
   * settled amounts). A refusal is the gateway's GatewayError (its code); no answer: see `outcomeUnknown`.
   */
  operate?(payment: PaymentRecord, request: OperationRequest, context: OperationContext): Promise<GatewayStatus>;

  /** The gateway's step once a payment is paid (K-Payment: remember the card); services/after-paid.ts runs it. */
  afterPaid?: AfterPaidStep;
}

/**
 * A gateway's step after payment. `owed` tells from the payment's events, read before the move that pays it,
 * whether it owes the step: that move's transaction then writes the step's outbox row, so the step is run (now, or
 * from the outbox) even if the process dies right after the commit. `run` answers the event to log (the step's
 * outcome, for good: done, or refused), or null when there was nothing to do; it throws when it may succeed later (no
 * answer, a 5xx, a second card of the shopper being saved): the outbox tries it again. It may run again after it did
 * its work (a process that died before recording it): it must see that in `events`.
 */
export interface AfterPaidStep {
  /** Whether the payment may owe the step at all, before its log is read (its method, this process's set-up). */
  mayOwe(payment: PaymentRecord): boolean;
  /** Whether a payment that may owe it does, by its log (asked only after `mayOwe`). */
  owed(events: PaymentEvent[]): boolean;
  run(payment: PaymentRecord, events: PaymentEvent[]): Promise<AfterPaidEvent | null>;
}

/** What a gateway's step after payment did: the payment's event. */
export interface AfterPaidEvent {
  type: 'card_saved' | 'card_not_saved';
  detail: Record<string, unknown>;
}

/** A browser's post-back, validated: `reference` (the card token) is stored on the payment and makes replays harmless. */
export interface ChargeForm {
  reference: string;
  /** The number of monthly instalments the shopper chose in the form, if any (recorded whatever the charge's outcome). */
  installmentTerm?: number;
  /** What the event log keeps about the form (never card data). */
  detail: Record<string, unknown>;
  /** The adapter's own reading of the form. */
  data: unknown;
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
  /** Cards: the shopper asked to pay in instalments (`offersInstallments` said yes). */
  installments?: boolean;
}

/** How a payment is read from its gateway. */
export interface GatewayReadOptions {
  signal?: AbortSignal;
  /**
   * For a payment whose charge id is not stored yet: a charge id heard of (a webhook's), which the gateway may read
   * first rather than searching, and take only if its own answer names this payment.
   */
  chargeHint?: string;
}

export interface GatewayStatus {
  status: PaymentStatus;
  failureCode: string | null;
  failureMessage: string | null;
  /** The charge id, when a status found by reference (`findsChargeByReference`) tells it for the first time. */
  chargeId?: string;
  /** Where the shopper must go next (3-D Secure), when the charge found by reference still waits for it. */
  authorizeUri?: string | null;
  /** When the gateway created the charge (ISO), when its answer says: recorded with the charge's id (`chargeCreatedAt`). */
  chargeCreatedAt?: string;
  /** Minor units refunded so far, when the gateway says. */
  refundedAmount?: number;
  /** Minor units settled (captured), or null when not settled; absent when the gateway does not say. */
  settledAmount?: number | null;
  /**
   * What the shopper's card was charged, when not the payment's amount and currency (K-Payment Full DCC: the
   * converted amount, minor units of `chargedCurrency`); absent when the gateway does not say.
   */
  chargedAmount?: number;
  chargedCurrency?: Currency;
  /** The number of monthly instalments the shopper chose (K-Payment SmartPay); absent when paid in full or not known. */
  installmentTerm?: number;
}

export interface StartedPayment extends GatewayStatus {
  /** The gateway's own ids, stored on the payment row; no charge yet when the browser starts it (K-Payment). */
  gatewayIds: { chargeId: string | null; sourceId: string | null };
  /** Where to send the shopper (Opn: `authorize_uri`), or null when nothing is left to do. */
  authorizeUri: string | null;
  next: NextAction;
}

export interface WebhookInput {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export type WebhookNotice =
  | {
      kind: 'payment';
      chargeId: string;
      eventId: string;
      eventKey: string;
      /**
       * The payment id the gateway echoes (K-Payment's `reference_order`), to find a payment whose charge id is
       * not stored yet (a QR paid before the browser said so). A hint only: the payment is then re-fetched by
       * its own stored ids.
       */
      paymentRef?: string;
      /**
       * The event only says the charge was made (Opn's `charge.create`): for a payment that has this charge already
       * it tells nothing, and the gateway is not asked again; it still finds a payment whose charge id is not stored.
       */
      madeOnly?: boolean;
    }
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
