import { CheckoutError, type Gateway, type PaymentMethod, isPaid } from '@payment-checkout/core';
import { type CheckoutHooks, OrderAmount, type Payment, type ResolveOrder, toPayment } from '../common/host.ts';
import { LATE, within } from '../common/deadline.ts';
import type { Logger } from '../common/logger.ts';
import { sameSecret } from '../common/secrets.ts';
import { GatewayError, type PaymentGateway } from '../gateways/gateway.ts';
import { type PaymentRecord, type PaymentStore, PaymentId } from '../store/store.ts';
import { HOOK_DELIVERY_DEFAULTS, type HookDeliverySettings, HookOutbox } from './hook-outbox.ts';

/** How long the merchant's lookups (`resolveOrder`, `resolveCustomer`) may take by default, in ms. */
export const ORDER_LOOKUP_TIMEOUT_MS = 5_000;

export interface CheckoutServiceOptions {
  store: PaymentStore;
  /** The configured gateways' adapters, by gateway id. */
  gateways: Readonly<Record<Gateway, PaymentGateway>>;
  resolveOrder: ResolveOrder;
  hooks: CheckoutHooks;
  logger: Logger;
  now: () => number;
  publicBaseUrl: string;
  resultUrl: (payment: Payment) => string;
  /** The enabled subset of the methods (undefined: all the configured gateways' methods). */
  methods?: readonly string[];
  /** A gateway runs against the sandbox (the config says so to the browser). */
  sandbox?: boolean;
  refreshIntervalMs: number;
  returnWaitMs: number;
  returnRetryMs: number;
  /** Awaited before a webhook is authenticated (the sandbox registration that yields the secret). */
  beforeWebhook?: () => Promise<void>;
  /** Retries, polling and lease of the hooks' delivery (hook-outbox.ts); default HOOK_DELIVERY_DEFAULTS. */
  hookDelivery?: HookDeliverySettings;
  /** Void or refund a payment that paid an order already paid (default true; options.ts). */
  reverseDuplicatePayments?: boolean;
  /** How long `resolveOrder` may take, in ms (default ORDER_LOOKUP_TIMEOUT_MS; options.ts). */
  orderLookupTimeoutMs?: number;
  /** The age at which the reconciler asks about a live payment, in ms (default RECONCILE_OLDER_THAN_MS; options.ts). */
  reconcileOlderThanMs?: number;
}

/**
 * What every use case of the companion shares: its options, and the few lookups each of them starts with
 * (the order from the merchant, a payment by id, its gateway, its token).
 */
/** Whether this payment is the one that paid its order (paid, and not a second payment to give back). */
export const paidTheOrder = (payment: PaymentRecord): boolean => isPaid(payment.status) && !payment.needsRefund;

export class ServiceContext {
  /** Every configured gateway's methods, in the order the gateways were listed. */
  readonly catalog: readonly PaymentMethod[];
  /** The merchant's hooks, delivered from the outbox that status changes write to (hook-outbox.ts). */
  readonly hookOutbox: HookOutbox;

  constructor(readonly o: CheckoutServiceOptions) {
    this.catalog = Object.values(o.gateways).flatMap((g) => g.methods);
    this.hookOutbox = new HookOutbox(this, o.hookDelivery ?? HOOK_DELIVERY_DEFAULTS);
  }

  get store(): PaymentStore {
    return this.o.store;
  }

  get logger(): Logger {
    return this.o.logger;
  }

  iso(): string {
    return new Date(this.o.now()).toISOString();
  }

  /** The catalog entry of a method id the configured gateways take, or null. */
  method(id: string): PaymentMethod | null {
    return this.catalog.find((m) => m.id === id) ?? null;
  }

  gateway(id: Gateway): PaymentGateway {
    const gateway = this.o.gateways[id];
    if (!gateway) throw new CheckoutError('method_unavailable', `The ${id} gateway is not configured.`);
    return gateway;
  }

  async find(id: string): Promise<PaymentRecord> {
    if (!PaymentId.safeParse(id).success) throw new CheckoutError('not_found', 'No such payment.');
    const payment = await this.o.store.getPayment(id);
    if (!payment) throw new CheckoutError('not_found', 'No such payment.');
    return payment;
  }

  /** A payment by id whose per-payment token the browser brought (compared in constant time). */
  async findWithToken(id: string, token: unknown, refusal: string): Promise<PaymentRecord> {
    const payment = await this.find(id);
    if (typeof token !== 'string' || !sameSecret(token, payment.returnToken)) throw new CheckoutError('invalid_token', refusal);
    return payment;
  }

  /**
   * The order's amount and currency from the merchant; never from the browser. A `resolveOrder` that throws or
   * answers something else than `{ amount, currency }` is the shop's fault, not the shopper's: a 502 that names
   * it (the log has the details), and nothing is stored or charged.
   */
  async resolveOrder(orderId: string): Promise<OrderAmount> {
    let answer: unknown;
    const waitMs = this.o.orderLookupTimeoutMs ?? ORDER_LOOKUP_TIMEOUT_MS;
    try {
      answer = await within(Promise.resolve(this.o.resolveOrder(orderId)), waitMs);
    } catch (err) {
      this.o.logger.error('resolveOrder threw', { orderId, error: err });
      throw new CheckoutError('order_lookup_failed', "The shop's order lookup (resolveOrder) failed; nothing was charged.");
    }
    if (answer === LATE) {
      this.o.logger.error(`resolveOrder did not answer within ${waitMs} ms (orderLookupTimeoutMs)`, { orderId });
      throw new CheckoutError('order_lookup_failed', `The shop's order lookup (resolveOrder) did not answer within ${waitMs} ms; nothing was charged.`);
    }
    if (answer === null || answer === undefined) throw new CheckoutError('order_not_found', 'No such order.');
    const order = OrderAmount.safeParse(answer);
    if (!order.success) {
      const problems = order.error.issues.map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`);
      this.o.logger.error('resolveOrder answered something that is not { amount (positive whole minor units), currency }', { orderId, problems });
      throw new CheckoutError(
        'order_lookup_failed',
        `The shop's order lookup (resolveOrder) answered no valid amount and currency (${problems.join('; ')}); nothing was charged.`,
      );
    }
    return order.data;
  }

  /**
   * A gateway refused or did not answer a charge request: the event log keeps why, and whether the charge may
   * exist all the same (`outcomeUnknown`: no answer, a timeout, a 5xx), in which case only a lookup may settle it.
   */
  async recordGatewayError(payment: PaymentRecord, gateway: PaymentGateway, err: unknown): Promise<{ code: string; message: string; unknown: boolean }> {
    const code = err instanceof GatewayError || err instanceof CheckoutError ? err.code : 'internal_error';
    const message = err instanceof Error ? err.message : String(err);
    const unknown = gateway.outcomeUnknown?.(err) ?? false;
    await this.o.store.appendEvent(payment.id, { source: 'create', type: 'gateway_error', detail: { code, message, outcomeUnknown: unknown } }, this.iso());
    if (unknown) this.o.logger.warn('the charge request got no answer; a lookup by its reference will settle it', { paymentId: payment.id, error: err });
    return { code, message, unknown };
  }

  refuseIfPaid(payments: PaymentRecord[]): void {
    if (payments.some(paidTheOrder)) {
      throw new CheckoutError('payment_final', 'This order is already paid.');
    }
  }

  /** Where the shopper goes for this payment (the merchant's result page). */
  resultUrl(payment: PaymentRecord): string {
    return this.o.resultUrl(toPayment(payment));
  }
}

/** When a payment expires by its method's rule (`expiryMinutes` after it was created; ms), or never (Infinity). */
export function methodExpiresAt(payment: PaymentRecord, gateway: PaymentGateway | undefined): number {
  const minutes = gateway?.methods.find((m) => m.id === payment.method)?.expiryMinutes;
  return minutes ? Date.parse(payment.createdAt) + minutes * 60_000 : Number.POSITIVE_INFINITY;
}
