import { CheckoutError, type KpaymentCharge, type KpaymentOrder, type NextAction, type PaymentMethodId, kpaymentTimeToEpochMs, minorToDecimal } from '@payment-checkout/core';
import type { PaymentRecord } from '../../store/store.ts';
import { GatewayError, type GatewayStatus, type StartedPayment } from '../gateway.ts';
import { amountMismatch, chargeOutcome } from './kpayment-charge-status.ts';
import type { KpaymentClient } from './kpayment-client.ts';
import { KpaymentApiError, type KpaymentClientError, outcomeUnknown } from './kpayment-errors.ts';

/** Our QR methods and the Order API's `source_type` for each (guide §4.3). */
export const QR_SOURCE_TYPES = { thai_qr: 'qr', wechat_pay: 'wechat' } as const satisfies Partial<Record<PaymentMethodId, string>>;
export type QrMethodId = keyof typeof QR_SOURCE_TYPES;

export function isQrMethod(method: PaymentMethodId): method is QrMethodId {
  return Object.hasOwn(QR_SOURCE_TYPES, method);
}

export interface KpaymentQrOptions {
  client: KpaymentClient;
  publicKey: string;
  scriptUrl: string;
  merchantName: string | null;
  /** Sent as `expire_time_seconds` when set; otherwise the gateway's own expiry (its answer says which). */
  expireSeconds: number | null;
  publicBaseUrl: string;
  now: () => number;
}

/** Our clock may run ahead of the gateway's: an order is only called expired by our own count this long after. */
const EXPIRY_GRACE_MS = 2 * 60_000;
/** A QR about to expire is not shown again: the shopper gets a new one instead. */
const RESUME_MARGIN_MS = 30_000;
/** Expiries remembered at most (oldest forgotten first; a forgotten one is asked again). */
const EXPIRY_CACHE_SIZE = 10_000;
/** Inquiry QR's answers for an order nobody has paid (yet). */
const NOT_PAID_YET = new Set(['no_transaction_found', 'charge_id_not_exist']);

/**
 * Thai QR and WeChat Pay (guide §4.3): the companion creates the K-Payment order from the merchant's order
 * (Create Order, `reference_order` = the payment id) and stores its id as the payment's `sourceId`; the
 * element shows it with `kpayment.min.js` (`data-order-id`), whose popup posts `chargeId` back once paid.
 * Only Inquiry QR decides, and a charge counts only when it belongs to the stored order.
 */
export class KpaymentQrPayments {
  readonly #o: KpaymentQrOptions;
  /**
   * K-Payment order id → when it expires (epoch ms, our clock): from our own count for an order created here, else
   * from its `created` + `expire_time_seconds`.
   */
  readonly #expiry = new Map<string, number | null>();

  constructor(options: KpaymentQrOptions) {
    this.#o = options;
  }

  /** Create Order for the payment; the answer is the script's configuration for that order. */
  async start(payment: PaymentRecord, method: QrMethodId): Promise<StartedPayment> {
    const asked = this.#o.now();
    let order: KpaymentOrder;
    try {
      order = await this.#o.client.createOrder({
        amount: Number(minorToDecimal(payment.amount, payment.currency)),
        currency: payment.currency,
        description: `Order ${payment.orderId}`,
        source_type: QR_SOURCE_TYPES[method],
        reference_order: payment.id,
        ...(this.#o.expireSeconds ? { expire_time_seconds: this.#o.expireSeconds } : {}),
      });
    } catch (err) {
      // An order whose answer was lost (5xx, reset, timeout) hides no payment: only the element shows its QR, and it
      // never got the order's id. The payment fails at once and the shopper may try again, rather than wait for a
      // lookup that could never find it (no API finds an order by our reference).
      if (outcomeUnknown(err)) throw new GatewayError('kpayment', (err as KpaymentClientError).code, `Create Order got no answer; no QR was shown: ${(err as Error).message}`, { cause: err });
      throw err;
    }
    const mismatch = this.#orderMismatch(payment, order);
    if (mismatch) throw new CheckoutError('gateway_error', `K-Payment created an order that is not this payment's: ${mismatch}.`);
    if (order.status !== 'success') {
      return {
        status: 'failed',
        failureCode: order.failure_code || 'gateway_error',
        failureMessage: order.failure_message || `Create Order answered status ${order.status}`,
        gatewayIds: { chargeId: null, sourceId: order.id },
        authorizeUri: null,
        next: { type: 'done', status: 'failed' },
      };
    }
    // Its expiry by our clock (counted from before we asked: never late). The gateway's `created` is by its own clock,
    // which may not be ours (a sandbox whose clock was moved; a skewed server): the shopper's countdown must be right.
    const seconds = order.expire_time_seconds;
    if (seconds !== null && seconds !== undefined) this.#remember(order.id, asked + seconds * 1000);
    return {
      status: 'pending',
      failureCode: null,
      failureMessage: null,
      gatewayIds: { chargeId: null, sourceId: order.id },
      authorizeUri: null,
      next: this.#next(payment, order),
    };
  }

  /**
   * The same order again for a shopper who asks again (a refresh): the same QR, not a new order. Null when it
   * cannot be shown again (paid or failed already, or about to expire).
   */
  async resume(payment: PaymentRecord): Promise<NextAction | null> {
    if (!payment.sourceId || payment.chargeId) return null;
    const order = await this.#o.client.retrieveOrder(payment.sourceId);
    const mismatch = this.#orderMismatch(payment, order);
    if (mismatch) throw new CheckoutError('gateway_error', `K-Payment answered an order that is not this payment's: ${mismatch}.`);
    const expiresAt = this.#expiresAt(order);
    if (order.status !== 'success' || (expiresAt !== null && this.#o.now() >= expiresAt - RESUME_MARGIN_MS)) return null;
    return this.#next(payment, order);
  }

  /**
   * Inquiry QR: by the charge id once known, else by the stored order id, which answers the order's charge
   * (paid or failed), `qr_expired`, `qr_cancelled`, or "no transaction" while it waits.
   */
  async fetchStatus(payment: PaymentRecord, options: { signal?: AbortSignal } = {}): Promise<GatewayStatus> {
    if (payment.chargeId) return this.#outcome(payment, await this.#o.client.retrieveQrCharge(payment.chargeId, options), 'gateway_error');
    if (!payment.sourceId) {
      // Still being created; or pending with no order, which only a Create Order whose answer was lost left (before
      // `start` failed such a payment at once): nobody was shown its QR, so nothing can be paid.
      if (payment.status !== 'pending') return { status: payment.status, failureCode: null, failureMessage: null };
      return { status: 'canceled', failureCode: 'gateway_error', failureMessage: 'no QR order was created' };
    }
    let charge: KpaymentCharge;
    try {
      charge = await this.#o.client.retrieveQrCharge(payment.sourceId, options);
    } catch (err) {
      if (!(err instanceof KpaymentApiError)) throw err;
      if (err.code === 'qr_expired') return { status: 'expired', failureCode: 'qr_expired', failureMessage: err.message };
      if (err.code === 'qr_cancelled') return { status: 'canceled', failureCode: 'qr_cancelled', failureMessage: err.message };
      if (NOT_PAID_YET.has(err.code)) return this.#waiting(payment, options);
      throw err;
    }
    return { ...this.#outcome(payment, charge, 'gateway_error'), chargeId: charge.id };
  }

  /**
   * The `chargeId` the browser posted: Inquiry QR must show a charge of this payment's order (its `order_id`
   * and `reference_order`, amount and currency). Throws CheckoutError `not_found` for a charge K-Payment does
   * not know, `source_mismatch` for another order's — before anything is stored.
   */
  async verifyCharge(payment: PaymentRecord, chargeId: string): Promise<GatewayStatus & { chargeId: string }> {
    let charge: KpaymentCharge;
    try {
      charge = await this.#o.client.retrieveQrCharge(chargeId);
    } catch (err) {
      if (err instanceof KpaymentApiError && (NOT_PAID_YET.has(err.code) || err.code === 'invalid_order_id')) {
        throw new CheckoutError('not_found', 'K-Payment has no such QR payment.');
      }
      throw err;
    }
    return { ...this.#outcome(payment, charge, 'source_mismatch'), chargeId: charge.id };
  }

  /** The script's configuration for the order (§2.2 e); the amount is the payment's, which is the order's. */
  #next(payment: PaymentRecord, order: KpaymentOrder): NextAction {
    const expiresAt = this.#expiresAt(order);
    const attributes: Record<string, string> = {
      apikey: this.#o.publicKey,
      amount: minorToDecimal(payment.amount, payment.currency),
      currency: payment.currency,
      'payment-methods': QR_SOURCE_TYPES[payment.method as QrMethodId],
      'order-id': order.id,
      ...(this.#o.merchantName ? { name: this.#o.merchantName } : {}),
      // The element draws its own button and calls KPayment.show() (decisions.md 5).
      'show-button': 'false',
    };
    return {
      type: 'qr',
      scriptUrl: this.#o.scriptUrl,
      formAction: `${this.#o.publicBaseUrl}/checkout/kpayment/qr/${payment.id}?token=${encodeURIComponent(payment.returnToken)}`,
      attributes,
      ...(expiresAt === null
        ? {}
        : { expiresAt: new Date(expiresAt).toISOString(), expiresIn: Math.max(0, Math.ceil((expiresAt - this.#o.now()) / 1000)) }),
    };
  }

  /** No charge yet: pending, unless the order's own expiry (by our clock, with a grace) has passed. */
  async #waiting(payment: PaymentRecord, options: { signal?: AbortSignal }): Promise<GatewayStatus> {
    const orderId = payment.sourceId!;
    let expiresAt = this.#expiry.get(orderId);
    if (expiresAt === undefined) {
      const order = await this.#o.client.retrieveOrder(orderId, options);
      const mismatch = this.#orderMismatch(payment, order);
      if (mismatch) throw new CheckoutError('gateway_error', `K-Payment answered an order that is not this payment's: ${mismatch}.`);
      expiresAt = this.#expiresAt(order);
    }
    if (expiresAt !== null && this.#o.now() >= expiresAt + EXPIRY_GRACE_MS) {
      return { status: 'expired', failureCode: 'qr_expired', failureMessage: 'The order expired with no payment (expire_time_seconds).' };
    }
    return { status: 'pending', failureCode: null, failureMessage: null };
  }

  /** The charge's outcome, once it is shown to be this payment's; otherwise a CheckoutError with `refusal`. */
  #outcome(payment: PaymentRecord, charge: KpaymentCharge, refusal: 'gateway_error' | 'source_mismatch'): GatewayStatus {
    const why = this.#chargeMismatch(payment, charge);
    if (why) throw new CheckoutError(refusal, `K-Payment charge ${charge.id} is not this payment's: ${why}.`);
    return chargeOutcome(charge);
  }

  #chargeMismatch(payment: PaymentRecord, charge: KpaymentCharge): string | null {
    if (payment.chargeId && charge.id !== payment.chargeId) return `the payment's charge is ${payment.chargeId}`;
    // A QR charge names its order (Inquiry QR's order_id is mandatory) and our reference; both must be ours.
    if (!charge.order_id && !charge.reference_order) return 'it names no order';
    if (charge.order_id && charge.order_id !== payment.sourceId) return `it belongs to order ${charge.order_id}`;
    if (charge.reference_order && charge.reference_order !== payment.id) return `its reference is ${charge.reference_order}`;
    return amountMismatch(payment, charge);
  }

  #orderMismatch(payment: PaymentRecord, order: KpaymentOrder): string | null {
    if (payment.sourceId && order.id !== payment.sourceId) return `asked for ${payment.sourceId}, got ${order.id}`;
    if (order.reference_order && order.reference_order !== payment.id) return `its reference is ${order.reference_order}`;
    return amountMismatch(payment, order);
  }

  #expiresAt(order: KpaymentOrder): number | null {
    if (this.#expiry.has(order.id)) return this.#expiry.get(order.id)!;
    const created = kpaymentTimeToEpochMs(order.created);
    const seconds = order.expire_time_seconds;
    return this.#remember(order.id, created === null || seconds === null || seconds === undefined ? null : created + seconds * 1000);
  }

  #remember(orderId: string, expiresAt: number | null): number | null {
    this.#expiry.set(orderId, expiresAt);
    if (this.#expiry.size > EXPIRY_CACHE_SIZE) this.#expiry.delete(this.#expiry.keys().next().value!);
    return expiresAt;
  }
}
