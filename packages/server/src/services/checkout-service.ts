import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  CheckoutConfig,
  CheckoutError,
  type CreatePaymentRequest,
  type CreatePaymentResponse,
  type Gateway,
  type Locale,
  type NextAction,
  type PaymentMethod,
  type PaymentView,
  amountProblem,
  customerMessage,
  detectPlatform,
  getMethod,
  isPaid,
  methodsForOrder,
  platformFor,
} from '@payment-checkout/core';
import { type ChargeForm, GatewayError, type GatewayStatus, type PaymentGateway, type StartedPayment, type WebhookInput } from '../gateways/gateway.ts';
import type { Logger } from '../logger.ts';
import { type CheckoutHooks, OrderAmount, type Payment, type ResolveOrder } from '../options.ts';
import { type EventSource, type PaymentRecord, type PaymentStore, PaymentId, StoreConflictError, isLive } from '../store/store.ts';
import { KeyedLock } from './keyed-lock.ts';
import { type HookName, type Observation, decideTransition } from './payment-machine.ts';

export interface CheckoutServiceOptions {
  store: PaymentStore;
  gateways: Partial<Record<Gateway, PaymentGateway>>;
  resolveOrder: ResolveOrder;
  hooks: CheckoutHooks;
  logger: Logger;
  now: () => number;
  publicBaseUrl: string;
  resultUrl: (payment: Payment) => string;
  /** The enabled subset of the catalog (undefined: all). */
  methods?: readonly string[];
  /** What the browser needs to create Opn sources; never the secret key. */
  opnBrowser: { publicKey: string; scriptUrl: string } | null;
  /** A gateway runs against the sandbox (the config says so to the browser). */
  sandbox?: boolean;
  refreshIntervalMs: number;
  returnWaitMs: number;
  returnRetryMs: number;
  /** Awaited before a webhook is authenticated (the sandbox registration that yields the secret). */
  beforeWebhook?: () => Promise<void>;
}

export interface ReconcileReport {
  checked: number;
  updated: number;
  errors: number;
  payments: { id: string; from: string; to: string; error?: string }[];
}

export interface WebhookOutcome {
  received: true;
  paymentId?: string;
  status?: string;
  ignored?: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/** A payment still `created` after this long was abandoned mid-creation (a crash) and may be superseded. */
const IN_PROGRESS_MS = 30_000;
/** A webhook waits at most this long for the charge to be re-fetched (Opn gives up on a webhook after 10 s). */
const WEBHOOK_REFETCH_MS = 5_000;

/**
 * The companion's logic: offers, payment creation with one live charge per order, status refreshes through
 * the one status machine, the return URL, webhooks and the reconciler. Routes stay thin around it.
 */
export class CheckoutService {
  readonly #o: CheckoutServiceOptions;
  readonly #orderLocks = new KeyedLock();
  /** When each pending payment was last asked about at the gateway, so polling cannot flood it. */
  readonly #lastFetch = new Map<string, number>();
  readonly #httpsReturn: boolean;

  constructor(options: CheckoutServiceOptions) {
    this.#o = options;
    const base = new URL(options.publicBaseUrl);
    this.#httpsReturn = base.protocol === 'https:' || LOOPBACK_HOSTS.has(base.hostname);
  }

  get store(): PaymentStore {
    return this.#o.store;
  }

  /** The methods this order can be paid with, and what the browser needs to start them. */
  async config(orderId: string): Promise<CheckoutConfig> {
    const order = await this.#resolveOrder(orderId);
    // A paid order offers nothing: the page says so at once instead of after the shopper's click.
    this.#refuseIfPaid(await this.#o.store.listPaymentsForOrder(orderId));
    const methods = methodsForOrder(order.amount, order.currency, this.#enabled()).filter((m) => this.#usable(m) === null);
    const kpayment = this.#o.gateways.kpayment;
    const kpaymentConfig =
      kpayment?.browserConfig && methods.some((m) => m.gateway === 'kpayment') ? await kpayment.browserConfig({ orderId, ...order }) : null;
    return CheckoutConfig.parse({
      orderId,
      amount: order.amount,
      currency: order.currency,
      methods: methods.map((m) => ({ id: m.id, gateway: m.gateway, group: m.group, label: m.label, platforms: m.platforms, desktopPlatform: m.desktopPlatform })),
      opn: this.#o.opnBrowser ? { publicKey: this.#o.opnBrowser.publicKey, scriptUrl: this.#o.opnBrowser.scriptUrl } : null,
      kpayment: kpaymentConfig,
      sandbox: this.#o.sandbox ?? false,
    });
  }

  /**
   * Starts a payment for an order, or answers the order's live payment of the same method. The amount is the
   * order's, from `resolveOrder`; a browser-made source must match it. Serialised per order.
   */
  async createPayment(input: CreatePaymentRequest, context: { userAgent?: string } = {}): Promise<CreatePaymentResponse> {
    const order = await this.#resolveOrder(input.orderId);
    const method = getMethod(input.method);
    const refusal = this.#offerProblem(method, order);
    if (refusal) throw refusal;
    const gateway = this.#gateway(method.gateway);
    if (input.sourceId) {
      if (!gateway.acceptsClientSource) throw new CheckoutError('bad_request', `${method.id} does not take a sourceId.`);
      await gateway.verifyClientSource({ sourceId: input.sourceId, method, amount: order.amount, currency: order.currency });
    }
    if (input.installments && (method.group !== 'card' || !gateway.offersInstallments?.(order))) {
      throw new CheckoutError('method_unavailable', `${method.label.en} cannot be paid in instalments for this order.`);
    }
    const device = input.platform === undefined ? detectPlatform(context.userAgent ?? '') : input.platform === 'WEB' ? null : input.platform;
    const platform = platformFor(method, device);

    return this.#orderLocks.run(input.orderId, async () => {
      let payments = await this.#o.store.listPaymentsForOrder(input.orderId);
      // Ask the gateway about live payments first: a reused link must still work, and a paid order is final.
      for (const p of payments.filter((p) => isLive(p.status))) {
        await this.#refreshQuietly(p, 'poll');
      }
      payments = await this.#o.store.listPaymentsForOrder(input.orderId);
      this.#refuseIfPaid(payments);

      const live = payments.filter((p) => isLive(p.status));
      // Another process is creating this order's charge right now (the in-process lock cannot see it).
      if (live.some((p) => p.status === 'created' && p.supersededBy === null && this.#o.now() - Date.parse(p.createdAt) < IN_PROGRESS_MS)) {
        throw new CheckoutError('payment_in_progress', 'Another payment for this order is being created; try again.');
      }
      const reused = await this.#reusable(gateway, live, method, order);
      if (reused) {
        const { payment: reusable, next } = reused;
        await this.#supersede(live.filter((p) => p.id !== reusable.id && p.supersededBy === null), reusable.id);
        this.#refuseIfPaid(await this.#o.store.listPaymentsForOrder(input.orderId));
        if (reusable.supersededBy !== null) await this.#resume(reusable);
        return { paymentId: reusable.id, status: reusable.status, next, reused: true };
      }

      const id = newPaymentId();
      await this.#supersede(live.filter((p) => p.supersededBy === null), id);
      this.#refuseIfPaid(await this.#o.store.listPaymentsForOrder(input.orderId));

      const returnToken = randomBytes(32).toString('base64url');
      let payment: PaymentRecord;
      try {
        payment = await this.#o.store.createPayment({
          id,
          orderId: input.orderId,
          method: method.id,
          gateway: method.gateway,
          amount: order.amount,
          currency: order.currency,
          platform,
          chargeId: null,
          sourceId: input.sourceId ?? null,
          status: 'created',
          failureCode: null,
          failureMessage: null,
          returnToken,
          authorizeUri: null,
          createdAt: this.#iso(),
        });
      } catch (err) {
        // Another process created the order's live payment between our read and our insert.
        if (err instanceof StoreConflictError && err.code === 'live_payment_exists') {
          throw new CheckoutError('payment_in_progress', 'Another payment for this order is being created; try again.');
        }
        throw err;
      }

      const returnUri = `${this.#o.publicBaseUrl}/checkout/return/${payment.id}?token=${encodeURIComponent(returnToken)}`;
      let started;
      try {
        started = await gateway.startPayment({ payment, method, returnUri, platform, clientSourceId: input.sourceId, installments: input.installments });
      } catch (err) {
        const code = err instanceof GatewayError || err instanceof CheckoutError ? err.code : 'internal_error';
        const message = err instanceof Error ? err.message : String(err);
        await this.#o.store.appendEvent(payment.id, { source: 'create', type: 'gateway_error', detail: { code, message } }, this.#iso());
        await this.#apply(payment.id, { status: 'failed', failureCode: code, failureMessage: message }, 'create');
        throw err;
      }
      await this.#o.store.updatePayment(
        payment.id,
        () => ({
          patch: { chargeId: started.gatewayIds.chargeId, sourceId: started.gatewayIds.sourceId, authorizeUri: started.authorizeUri },
          events: started.gatewayIds.chargeId ? [{ source: 'create', type: 'charge_created', detail: { chargeId: started.gatewayIds.chargeId } }] : [],
          result: null,
        }),
        this.#iso(),
      );
      this.#lastFetch.set(payment.id, this.#o.now());
      const after = await this.#apply(payment.id, started, 'create');
      return {
        paymentId: after.id,
        status: after.status,
        next: after.status === 'pending' ? started.next : { type: 'done', status: after.status },
        reused: false,
      };
    });
  }

  /** The payment as the shopper may see it; a pending payment is refreshed from the gateway (rate-limited). */
  async viewPayment(id: string, locale: Locale = 'en'): Promise<PaymentView> {
    let payment = await this.#find(id);
    payment = await this.#refreshQuietly(payment, 'poll');
    return toView(payment, locale);
  }

  /**
   * The gateway's return URL: checks the per-payment token in constant time, retrieves the charge (waiting
   * briefly while it is pending), updates through the status machine, and answers where to send the shopper.
   * Nothing the URL says besides the token is read.
   */
  async completeReturn(id: string, token: unknown, otherParams: string[] = []): Promise<string> {
    const payment = await this.#find(id);
    if (typeof token !== 'string' || !sameSecret(token, payment.returnToken)) {
      throw new CheckoutError('invalid_token', 'This return link is not valid.');
    }
    await this.#o.store.appendEvent(payment.id, { source: 'return', type: 'shopper_returned', detail: otherParams.length ? { ignoredParams: otherParams } : null }, this.#iso());
    let current = payment;
    const deadline = performance.now() + this.#o.returnWaitMs;
    while (isLive(current.status) && current.chargeId) {
      try {
        current = await this.#refresh(current, 'return', { force: true });
      } catch (err) {
        this.#o.logger.warn('could not retrieve the charge on return', { paymentId: id, error: err });
        break;
      }
      if (!isLive(current.status) || performance.now() + this.#o.returnRetryMs > deadline) break;
      await sleep(this.#o.returnRetryMs);
    }
    return this.#o.resultUrl(toPayment(current));
  }

  /**
   * The form a gateway's script posts back for a payment (K-Payment's token): checks the per-payment token in
   * constant time, validates the form (nothing is stored for a bad one), refuses a final or superseded payment
   * and a paid order, then claims the form's reference on the payment in one transaction — so a replayed or
   * double-submitted form never creates a second charge — and creates the charge. The amount is the
   * payment's, from `resolveOrder`. Answers where to send the browser (3-D Secure, or the result URL).
   */
  async submitChargeForm(id: string, token: unknown, form: Record<string, string>): Promise<string> {
    const payment = await this.#find(id);
    if (typeof token !== 'string' || !sameSecret(token, payment.returnToken)) {
      throw new CheckoutError('invalid_token', 'This payment form is not valid.');
    }
    const gateway = this.#gateway(payment.gateway);
    if (!gateway.readChargeForm || !gateway.chargeFromForm) throw new CheckoutError('not_found', 'No such payment form.');
    const chargeForm = await gateway.readChargeForm(payment, form);

    return this.#orderLocks.run(payment.orderId, async () => {
      const current = await this.#find(id);
      if (current.sourceId !== null || current.chargeId !== null) return this.#replayed(current);
      if (!isLive(current.status) || current.supersededBy !== null) {
        throw new CheckoutError('payment_final', 'This payment is over; start a new one.');
      }
      this.#refuseIfPaid(await this.#o.store.listPaymentsForOrder(current.orderId));
      const order = await this.#resolveOrder(current.orderId);
      if (order.amount !== current.amount || order.currency !== current.currency) {
        throw new CheckoutError('source_mismatch', 'The order changed since this payment started; start a new payment.');
      }
      // Claimed in the store's transaction: another process posting the same form sees the reference and stops.
      const claim = await this.#o.store.updatePayment(
        id,
        (p) =>
          p.sourceId !== null || p.chargeId !== null
            ? null
            : { patch: { sourceId: chargeForm.reference }, events: [{ source: 'create', type: 'token_received', detail: chargeForm.detail }], result: true },
        this.#iso(),
      );
      if (!claim) return this.#replayed((await this.#o.store.getPayment(id))!);
      return this.#chargeFromForm(gateway, claim.after, chargeForm);
    });
  }

  /**
   * A gateway callback (3-D Secure): the browser brings only a charge id. The payment that stored it is
   * refreshed from the gateway (its inquiry alone decides) and the browser goes to its result URL. Null when
   * no payment has this charge (nothing changes).
   */
  async completeCallback(gatewayId: Gateway, chargeId: string, detail: Record<string, unknown> = {}): Promise<string | null> {
    const payment = await this.#o.store.findPaymentByChargeId(chargeId);
    if (!payment || payment.gateway !== gatewayId) return null;
    await this.#o.store.appendEvent(payment.id, { source: 'return', type: 'callback_received', detail }, this.#iso());
    let current = payment;
    try {
      current = await this.#refresh(payment, 'return', { force: true });
    } catch (err) {
      this.#o.logger.warn('could not inquire the charge on callback', { paymentId: payment.id, error: err });
    }
    return this.#o.resultUrl(toPayment(current));
  }

  /**
   * A QR payment's completion (K-Payment's `chargeId`, posted by the script once the QR is paid): checks the
   * per-payment token in constant time, then the gateway's inquiry must show that the charge belongs to this
   * payment's order — a charge of another order, or one the gateway does not know, is refused (4xx) and changes
   * nothing. Only the inquiry's state counts (Authorized + success pays). Answers the result URL.
   */
  async completeCharge(id: string, token: unknown, chargeId: string): Promise<string> {
    const payment = await this.#find(id);
    if (typeof token !== 'string' || !sameSecret(token, payment.returnToken)) {
      throw new CheckoutError('invalid_token', 'This payment link is not valid.');
    }
    const gateway = this.#gateway(payment.gateway);
    if (!gateway.verifyCharge) throw new CheckoutError('not_found', 'No such payment.');
    if (payment.chargeId !== null && payment.chargeId !== chargeId) {
      throw new CheckoutError('source_mismatch', 'This charge is not this payment\'s.');
    }
    let state: GatewayStatus & { chargeId: string };
    try {
      state = await gateway.verifyCharge(payment, chargeId);
    } catch (err) {
      if (err instanceof CheckoutError && err.status < 500) throw err;
      // The gateway could not be asked: nothing is recorded; the notify, polling or the reconciler will tell.
      this.#o.logger.warn('could not verify the charge the browser brought back', { paymentId: payment.id, chargeId, error: err });
      return this.#o.resultUrl(toPayment(payment));
    }
    await this.#o.store.appendEvent(payment.id, { source: 'return', type: 'callback_received', detail: { chargeId } }, this.#iso());
    await this.#recordCharge(payment.id, state.chargeId, null, { fromBrowser: true });
    this.#lastFetch.set(payment.id, this.#o.now());
    const after = await this.#apply(payment.id, state, 'return');
    return this.#o.resultUrl(toPayment(after));
  }

  /**
   * A gateway webhook: authenticated by the adapter, then the payment is re-fetched from the gateway and only
   * that answer counts. Unknown charges are acknowledged and ignored; repeats change nothing.
   */
  async handleWebhook(
    gatewayId: Gateway,
    input: WebhookInput,
    /** Asked about a charge no payment has (K-Payment: a card registration's); null: ignored. */
    unknownCharge?: (chargeId: string) => Promise<WebhookOutcome | null>,
  ): Promise<WebhookOutcome> {
    // A webhook for a gateway this companion does not use: nothing here to notify.
    if (!this.#o.gateways[gatewayId]) throw new CheckoutError('not_found', `The ${gatewayId} gateway is not configured here.`);
    const gateway = this.#gateway(gatewayId);
    await this.#o.beforeWebhook?.();
    const notice = await gateway.readWebhook(input);
    if (notice.kind === 'ignored') return { received: true, ignored: notice.reason };
    const payment = (await this.#o.store.findPaymentByChargeId(notice.chargeId)) ?? (await this.#paymentByReference(gatewayId, notice.paymentRef, notice.chargeId));
    if (!payment || payment.gateway !== gatewayId) return (await unknownCharge?.(notice.chargeId)) ?? { received: true, ignored: 'unknown charge' };
    await this.#o.store.appendEvent(payment.id, { source: 'webhook', type: 'webhook_received', detail: { eventId: notice.eventId, key: notice.eventKey } }, this.#iso());
    // Bounded well below the gateway's own webhook timeout; a failure answers 5xx so the gateway retries.
    const signal = AbortSignal.timeout(WEBHOOK_REFETCH_MS);
    try {
      const after = await this.#refresh(payment, 'webhook', { force: true, detail: { eventId: notice.eventId }, signal });
      return { received: true, paymentId: after.id, status: after.status };
    } catch (err) {
      if (signal.aborted) throw new CheckoutError('gateway_error', 'The charge could not be re-fetched in time.');
      throw err;
    }
  }

  /** Asks the gateway about payments still live after `olderThanMs` (webhooks lost, shoppers who never came back). */
  async reconcile(options: { olderThanMs?: number; limit?: number } = {}): Promise<ReconcileReport> {
    const olderThanMs = options.olderThanMs ?? 10 * 60_000;
    const createdBefore = new Date(this.#o.now() - olderThanMs).toISOString();
    const live = await this.#o.store.listLivePayments({ createdBefore, limit: options.limit ?? 100 });
    const report: ReconcileReport = { checked: 0, updated: 0, errors: 0, payments: [] };
    for (const payment of live) {
      const gateway = this.#o.gateways[payment.gateway];
      // A payment whose charge the browser starts (K-Payment's card form) may wait for it a while.
      if (!payment.chargeId && !payment.sourceId && this.#o.now() - Date.parse(payment.createdAt) < (gateway?.chargelessGraceMs ?? 0)) continue;
      report.checked++;
      try {
        const noCharge = { status: 'canceled', failureCode: 'gateway_error', failureMessage: 'no charge was created' } as const;
        let after: PaymentRecord;
        if (payment.chargeId || (payment.sourceId && gateway?.findsChargeByReference)) {
          try {
            after = await this.#refresh(payment, 'reconciler', { force: true });
          } catch (err) {
            // A charge request that got no answer and left no charge at the gateway.
            if (payment.chargeId || !(err instanceof GatewayError && err.code === 'charge_not_found')) throw err;
            after = await this.#apply(payment.id, noCharge, 'reconciler');
          }
        } else {
          // Creation stopped before the gateway answered (a crash), or the shopper never sent the card form.
          after = await this.#apply(payment.id, noCharge, 'reconciler');
        }
        if (after.status !== payment.status) {
          report.updated++;
          report.payments.push({ id: payment.id, from: payment.status, to: after.status });
        }
      } catch (err) {
        report.errors++;
        report.payments.push({ id: payment.id, from: payment.status, to: payment.status, error: err instanceof Error ? err.message : String(err) });
        this.#o.logger.warn('reconciler could not check a payment', { paymentId: payment.id, error: err });
      }
    }
    if (report.checked > 0) this.#o.logger.info('reconciled pending payments', { checked: report.checked, updated: report.updated, errors: report.errors });
    return report;
  }

  // ---------------------------------------------------------------------------------------------------

  /**
   * The order's live payment of this method the shopper can be sent back to: one with a gateway page to return
   * to (authorizeUri), or one its gateway can show again (a QR); the current one first.
   */
  async #reusable(gateway: PaymentGateway, live: PaymentRecord[], method: PaymentMethod, order: OrderAmount): Promise<{ payment: PaymentRecord; next: NextAction } | null> {
    // A card is chosen in the card form (which card, in full or in instalments, in which currency): asking for
    // the card again opens a new form, and the payment still waiting at 3-D Secure is superseded, as when the
    // shopper switches method. Reusing it would tie the order to the card first entered, for good.
    if (method.flow === 'embedded_form') return null;
    const candidates = live
      .filter((p) => p.status === 'pending' && p.method === method.id && p.amount === order.amount && p.currency === order.currency)
      .sort((a, b) => Number(a.supersededBy !== null) - Number(b.supersededBy !== null));
    for (const payment of candidates) {
      if (payment.authorizeUri) return { payment, next: { type: 'redirect', url: payment.authorizeUri } };
      if (!gateway.resumePayment) continue;
      try {
        const next = await gateway.resumePayment(payment);
        if (next) return { payment, next };
      } catch (err) {
        this.#o.logger.warn('could not show a live payment again; starting a new one', { paymentId: payment.id, error: err });
      }
    }
    return null;
  }

  /**
   * A webhook's payment whose charge id is not stored yet (a QR paid before the browser said so), by the payment
   * id the gateway echoes. Only a payment that has no charge yet, or this one, qualifies; it is then re-fetched
   * by its own stored ids, never by what the webhook says.
   */
  async #paymentByReference(gatewayId: Gateway, paymentRef: string | undefined, chargeId: string): Promise<PaymentRecord | null> {
    if (!paymentRef || !PaymentId.safeParse(paymentRef).success) return null;
    const payment = await this.#o.store.getPayment(paymentRef);
    if (!payment || payment.gateway !== gatewayId) return null;
    return payment.chargeId === null || payment.chargeId === chargeId ? payment : null;
  }

  async #resolveOrder(orderId: string): Promise<OrderAmount> {
    let answer: unknown;
    try {
      answer = await this.#o.resolveOrder(orderId);
    } catch (err) {
      this.#o.logger.error('resolveOrder threw', { orderId, error: err });
      throw new CheckoutError('internal_error', 'The order could not be looked up.');
    }
    if (answer === null || answer === undefined) throw new CheckoutError('order_not_found', 'No such order.');
    const order = OrderAmount.safeParse(answer);
    if (!order.success) {
      this.#o.logger.error('resolveOrder answered something that is not { amount (minor units), currency }', { orderId, issues: order.error.issues });
      throw new CheckoutError('internal_error', 'The order could not be looked up.');
    }
    return order.data;
  }

  #enabled(): PaymentMethod['id'][] | undefined {
    return this.#o.methods as PaymentMethod['id'][] | undefined;
  }

  /** Why a method cannot be used at all here (disabled, no gateway configured, return URL not https). */
  #usable(method: PaymentMethod): CheckoutError | null {
    const enabled = this.#enabled();
    if (enabled && !enabled.includes(method.id)) return new CheckoutError('method_unavailable', `${method.label.en} is not offered.`);
    const gateway = this.#o.gateways[method.gateway];
    if (!gateway?.methods.includes(method.id)) return new CheckoutError('method_unavailable', `${method.label.en} is not configured.`);
    if (method.requiresHttpsReturn && !this.#httpsReturn) {
      return new CheckoutError('method_unavailable', `${method.label.en} needs the companion on https (publicBaseUrl).`);
    }
    return null;
  }

  #offerProblem(method: PaymentMethod, order: OrderAmount): CheckoutError | null {
    const unusable = this.#usable(method);
    if (unusable) return unusable;
    if (!method.limits[order.currency]) return new CheckoutError('method_unavailable', `${method.label.en} does not accept ${order.currency}.`);
    const problem = amountProblem(method, order.amount, order.currency);
    return problem ? new CheckoutError('amount_out_of_limits', `${method.label.en} cannot take this amount: ${problem}.`) : null;
  }

  #gateway(id: Gateway): PaymentGateway {
    const gateway = this.#o.gateways[id];
    if (!gateway) throw new CheckoutError('method_unavailable', `The ${id} gateway is not configured.`);
    return gateway;
  }

  #refuseIfPaid(payments: PaymentRecord[]): void {
    if (payments.some((p) => isPaid(p.status) && !p.needsRefund)) {
      throw new CheckoutError('payment_final', 'This order is already paid.');
    }
  }

  async #find(id: string): Promise<PaymentRecord> {
    if (!PaymentId.safeParse(id).success) throw new CheckoutError('not_found', 'No such payment.');
    const payment = await this.#o.store.getPayment(id);
    if (!payment) throw new CheckoutError('not_found', 'No such payment.');
    return payment;
  }

  /** The shopper moved on: mark the order's other live payments superseded, and end them where the gateway allows. */
  async #supersede(payments: PaymentRecord[], by: string): Promise<void> {
    for (const payment of payments) {
      await this.#o.store.updatePayment(
        payment.id,
        (current) => (current.supersededBy === by || !isLive(current.status) ? null : { patch: { supersededBy: by }, events: [{ source: 'create', type: 'superseded', detail: { by } }], result: null }),
        this.#iso(),
      );
      await this.#cancelQuietly({ ...payment, supersededBy: by }, { reason: 'shopper chose another payment', by });
    }
  }

  /** A superseded payment becomes the order's current one again (the shopper came back to that method). */
  async #resume(payment: PaymentRecord): Promise<void> {
    await this.#o.store.updatePayment(
      payment.id,
      () => ({ patch: { supersededBy: null }, events: [{ source: 'create', type: 'resumed' }], result: null }),
      this.#iso(),
    );
  }

  async #cancelQuietly(payment: PaymentRecord, detail: Record<string, unknown>): Promise<void> {
    const gateway = this.#o.gateways[payment.gateway];
    if (!gateway || !gateway.canCancel(payment) || !isLive(payment.status)) return;
    try {
      const state = await gateway.cancel(payment);
      await this.#apply(payment.id, state, 'create', detail);
    } catch (err) {
      // Typically the charge completed meanwhile (Opn: failed_expire): learn its real state instead.
      this.#o.logger.warn('could not end a pending payment early', { paymentId: payment.id, error: err });
      await this.#refreshQuietly(payment, 'poll', true);
    }
  }

  /** Once an order is paid, its other live payments are ended where the gateway allows. */
  async #endSiblings(paid: PaymentRecord): Promise<void> {
    const siblings = await this.#o.store.listPaymentsForOrder(paid.orderId);
    for (const sibling of siblings.filter((p) => p.id !== paid.id && isLive(p.status))) {
      await this.#cancelQuietly(sibling, { reason: 'order paid by another payment', by: paid.id });
    }
  }

  async #refreshQuietly(payment: PaymentRecord, source: EventSource, force = false): Promise<PaymentRecord> {
    try {
      return await this.#refresh(payment, source, { force });
    } catch (err) {
      this.#o.logger.warn('could not refresh a payment from its gateway', { paymentId: payment.id, error: err });
      return payment;
    }
  }

  async #refresh(
    payment: PaymentRecord,
    source: EventSource,
    options: { force: boolean; detail?: Record<string, unknown>; signal?: AbortSignal },
  ): Promise<PaymentRecord> {
    const byReference = !payment.chargeId && payment.sourceId !== null && this.#o.gateways[payment.gateway]?.findsChargeByReference === true;
    if (!payment.chargeId && !byReference) return payment;
    if (!options.force) {
      if (!isLive(payment.status)) return payment;
      const last = this.#lastFetch.get(payment.id);
      if (last !== undefined && this.#o.now() - last < this.#o.refreshIntervalMs) return payment;
    }
    this.#lastFetch.set(payment.id, this.#o.now());
    const state = await this.#gateway(payment.gateway).fetchStatus(payment, { signal: options.signal });
    if (state.chargeId && !payment.chargeId) await this.#recordCharge(payment.id, state.chargeId, state.authorizeUri ?? null, { foundByReference: true });
    // A charge that was paid and then voided or refunded before we heard of it: paid first, so the hook fires.
    if (isPaid(state.status) && state.status !== 'succeeded' && isLive(payment.status)) {
      await this.#apply(payment.id, { ...state, status: 'succeeded' }, source, options.detail);
    }
    const after = await this.#apply(payment.id, state, source, options.detail);
    if (!isLive(after.status)) this.#lastFetch.delete(payment.id);
    return after;
  }

  /** Every status update goes through here: the machine decides inside the store's transaction; hooks run after. */
  async #apply(id: string, observation: Observation | GatewayStatus, source: EventSource, detail?: Record<string, unknown>): Promise<PaymentRecord> {
    const update = await this.#o.store.updatePayment(id, (current, context) => decideTransition(current, observation, context, { source, detail }), this.#iso());
    if (!update) return (await this.#o.store.getPayment(id))!;
    if (update.result.hook) await this.#callHook(update.result.hook, update.after, source);
    if (update.result.hook === 'onPaid' || update.result.hook === 'onNeedsRefund') await this.#endSiblings(update.after);
    if (isPaid(update.after.status) && !isPaid(update.before.status)) await this.#afterPaid(update.after, source);
    return update.after;
  }

  /** The gateway's own step once a payment is paid (remember the card); logged, never breaking the request. */
  async #afterPaid(payment: PaymentRecord, source: EventSource): Promise<void> {
    const gateway = this.#o.gateways[payment.gateway];
    if (!gateway?.afterPaid) return;
    try {
      const event = await gateway.afterPaid(payment, await this.#o.store.listEvents(payment.id));
      if (event) await this.#o.store.appendEvent(payment.id, { source, type: event.type, detail: event.detail }, this.#iso());
    } catch (err) {
      this.#o.logger.warn('the gateway step after payment failed', { paymentId: payment.id, error: err });
      await this.#o.store.appendEvent(payment.id, { source, type: 'card_not_saved', detail: { error: err instanceof Error ? err.message : String(err) } }, this.#iso());
    }
  }

  /** Where a repeated form post goes: the same 3-D Secure page while it waits, the result page otherwise. No charge. */
  async #replayed(payment: PaymentRecord): Promise<string> {
    await this.#o.store.appendEvent(payment.id, { source: 'create', type: 'token_replayed', detail: { chargeId: payment.chargeId } }, this.#iso());
    if (isLive(payment.status) && payment.authorizeUri) return payment.authorizeUri;
    return this.#o.resultUrl(toPayment(payment));
  }

  async #chargeFromForm(gateway: PaymentGateway, payment: PaymentRecord, form: ChargeForm): Promise<string> {
    let started: StartedPayment;
    try {
      started = await gateway.chargeFromForm!(payment, form);
    } catch (err) {
      const code = err instanceof GatewayError || err instanceof CheckoutError ? err.code : 'internal_error';
      const message = err instanceof Error ? err.message : String(err);
      const unknown = gateway.outcomeUnknown?.(err) ?? false;
      await this.#o.store.appendEvent(payment.id, { source: 'create', type: 'gateway_error', detail: { code, message, outcomeUnknown: unknown } }, this.#iso());
      if (unknown) {
        // The charge may exist: the payment stays pending until an inquiry by its reference settles it.
        this.#o.logger.warn('the charge request got no answer; an inquiry will settle it', { paymentId: payment.id, error: err });
        return this.#o.resultUrl(toPayment(payment));
      }
      if (!(err instanceof GatewayError)) this.#o.logger.error('creating the charge failed', { paymentId: payment.id, error: err });
      const after = await this.#apply(payment.id, { status: 'failed', failureCode: code, failureMessage: message }, 'create');
      return this.#o.resultUrl(toPayment(after));
    }
    if (started.gatewayIds.chargeId) await this.#recordCharge(payment.id, started.gatewayIds.chargeId, started.authorizeUri, {});
    this.#lastFetch.set(payment.id, this.#o.now());
    const after = await this.#apply(payment.id, started, 'create');
    if (isLive(after.status) && started.authorizeUri) return started.authorizeUri;
    return this.#o.resultUrl(toPayment(after));
  }

  async #recordCharge(id: string, chargeId: string, authorizeUri: string | null, detail: Record<string, unknown>): Promise<void> {
    await this.#o.store.updatePayment(
      id,
      (p) => (p.chargeId ? null : { patch: { chargeId, authorizeUri }, events: [{ source: 'create', type: 'charge_created', detail: { chargeId, ...detail } }], result: null }),
      this.#iso(),
    );
  }

  async #callHook(name: HookName, payment: PaymentRecord, source: EventSource): Promise<void> {
    const hook = this.#o.hooks[name];
    if (!hook) return;
    try {
      await hook(toPayment(payment));
      await this.#o.store.appendEvent(payment.id, { source, type: 'hook_called', detail: { hook: name } }, this.#iso());
    } catch (err) {
      this.#o.logger.error(`the ${name} hook threw`, { paymentId: payment.id, orderId: payment.orderId, error: err });
      await this.#o.store.appendEvent(payment.id, { source, type: 'hook_failed', detail: { hook: name, message: err instanceof Error ? err.message : String(err) } }, this.#iso());
    }
  }

  #iso(): string {
    return new Date(this.#o.now()).toISOString();
  }
}

export function newPaymentId(): string {
  return `pay_${randomBytes(16).toString('hex')}`;
}

/** Constant-time comparison of two secrets of any length (both hashed first, so lengths do not leak). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

export function toPayment(record: PaymentRecord): Payment {
  const { returnToken: _token, ...payment } = record;
  return payment;
}

export function toView(payment: PaymentRecord, locale: Locale): PaymentView {
  const ended = payment.status === 'failed' || payment.status === 'expired' || payment.status === 'canceled';
  return {
    id: payment.id,
    orderId: payment.orderId,
    method: payment.method,
    amount: payment.amount,
    currency: payment.currency,
    status: payment.status,
    failureCode: ended ? payment.failureCode : null,
    failureMessage: ended ? customerMessage(payment.failureCode ?? (payment.status === 'expired' ? 'payment_expired' : null), locale) : null,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
