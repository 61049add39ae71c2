import type { CheckoutConfig, CheckoutTexts, CreatePaymentRequest, CreatePaymentResponse, Gateway, Locale, PaymentView } from '@payment-checkout/core';
import { KeyedLock } from '../common/keyed-lock.ts';
import type { WebhookInput } from '../gateways/gateway.ts';
import type { PaymentInbox, WebhookOutcome } from '../gateways/module.ts';
import type { PaymentStore } from '../store/store.ts';
import { AFTER_PAID, afterPaidFromOutbox } from './after-paid.ts';
import { type CheckoutServiceOptions, ServiceContext } from './context.ts';
import type { HookDeliveryReport, HookOutbox } from './hook-outbox.ts';
import { InboundResults } from './inbound-results.ts';
import { Offers } from './offers.ts';
import { MoneyOperations, OPERATION_CUT } from './money-operations.ts';
import { Operations } from './operations.ts';
import { PaymentCreation } from './payment-creation.ts';
import { PaymentRefresh } from './payment-refresh.ts';
import { needsOrderForView, toView } from './payment-view.ts';
import { type ReconcileReport, Reconciler } from './reconciler.ts';
import { StatusWriter } from './status-writer.ts';

export type { CheckoutServiceOptions } from './context.ts';
export type { ReconcileReport } from './reconciler.ts';
export type { HookDeliveryReport } from './hook-outbox.ts';

/**
 * The companion's use cases, each in a file of its own around the one status writer: offers (offers.ts),
 * payment creation with one live charge per order (payment-creation.ts), inbound results — return, form post,
 * callback, QR completion, webhook (inbound-results.ts) — and the reconciler (reconciler.ts). Routes stay
 * thin around it; gateway modules' routes reach it as their `PaymentInbox`.
 */
export class CheckoutService implements PaymentInbox {
  readonly #ctx: ServiceContext;
  readonly #offers: Offers;
  readonly #creation: PaymentCreation;
  readonly #refresh: PaymentRefresh;
  readonly #inbound: InboundResults;
  readonly #reconciler: Reconciler;
  /** The merchant's operations (the operations API's use cases). */
  readonly operations: Operations;

  constructor(options: CheckoutServiceOptions) {
    const ctx = new ServiceContext(options);
    // One lock per order in this process; the store's transactions and unique indexes guard across processes.
    const orderLocks = new KeyedLock();
    const writer = new StatusWriter(ctx, (paid) => refresh.endSiblings(paid), (payment, reportTo) => money.reverseDuplicate(payment, reportTo));
    const refresh = new PaymentRefresh(ctx, writer);
    const money = new MoneyOperations(ctx, writer, refresh, orderLocks);
    this.#ctx = ctx;
    this.#refresh = refresh;
    this.#offers = new Offers(ctx);
    this.#creation = new PaymentCreation(ctx, this.#offers, writer, refresh, orderLocks);
    this.#inbound = new InboundResults(ctx, writer, refresh, orderLocks);
    this.#reconciler = new Reconciler(ctx, writer, refresh);
    this.operations = new Operations(ctx, refresh, money, this.#reconciler);
    ctx.hookOutbox.addStep(AFTER_PAID, (entry) => afterPaidFromOutbox(ctx, entry));
    ctx.hookOutbox.addStep(OPERATION_CUT, (entry) => money.readBackCut(entry));
  }

  get store(): PaymentStore {
    return this.#ctx.store;
  }

  /** The methods this order can be paid with, what the browser needs to start them, and the texts in `locale`. */
  config(orderId: string, locale: Locale = 'en'): Promise<CheckoutConfig> {
    return this.#offers.config(orderId, locale);
  }

  /** What the element shows a shopper in `locale` (also part of the config). */
  texts(locale: Locale = 'en'): CheckoutTexts {
    return this.#offers.texts(locale);
  }

  /** Starts a payment for an order, or answers the order's live payment of the same method (payment-creation.ts). */
  createPayment(input: CreatePaymentRequest, context: { userAgent?: string } = {}): Promise<CreatePaymentResponse> {
    return this.#creation.createPayment(input, context);
  }

  /** The payment as the shopper may see it; a pending payment is refreshed from the gateway (rate-limited). */
  async viewPayment(id: string, locale: Locale = 'en'): Promise<PaymentView> {
    const payment = await this.#refresh.refreshQuietly(await this.#ctx.find(id), 'poll');
    return toView(payment, this.#offers.texts(locale), locale, needsOrderForView(payment) ? await this.#ctx.store.listPaymentsForOrder(payment.orderId) : []);
  }

  completeReturn(id: string, token: unknown, otherParams: string[] = []): Promise<string> {
    return this.#inbound.completeReturn(id, token, otherParams);
  }

  submitChargeForm(id: string, token: unknown, form: Record<string, string>): Promise<string> {
    return this.#inbound.submitChargeForm(id, token, form);
  }

  completeCallback(gatewayId: Gateway, chargeId: string, detail: Record<string, unknown> = {}): Promise<string | null> {
    return this.#inbound.completeCallback(gatewayId, chargeId, detail);
  }

  completeCharge(id: string, token: unknown, chargeId: string): Promise<string> {
    return this.#inbound.completeCharge(id, token, chargeId);
  }

  handleWebhook(gatewayId: Gateway, input: WebhookInput, unknownCharge?: (chargeId: string) => Promise<WebhookOutcome | null>): Promise<WebhookOutcome> {
    return this.#inbound.handleWebhook(gatewayId, input, unknownCharge);
  }

  reconcile(options: { olderThanMs?: number; limit?: number } = {}): Promise<ReconcileReport> {
    return this.#reconciler.reconcile(options);
  }

  /** Delivers up to `limit` (default 100) due hook calls from the outbox: retries, and those a stopped process left. */
  deliverHooks(options: { limit?: number } = {}): Promise<HookDeliveryReport> {
    return this.#ctx.hookOutbox.deliverDue(options.limit);
  }

  /** The hooks' background delivery (hook-outbox.ts): `start()` unless `pollEveryMs` is false, `stop()` waits for a run. */
  get hookDelivery(): Pick<HookOutbox, 'start' | 'stop' | 'settings'> {
    return this.#ctx.hookOutbox;
  }
}
