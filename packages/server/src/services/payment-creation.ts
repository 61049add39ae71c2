import {
  CheckoutError,
  type CreatePaymentRequest,
  type CreatePaymentResponse,
  type NextAction,
  type PaymentMethod,
  detectPlatform,
  isLive,
  platformFor,
} from '@payment-checkout/core';
import type { OrderAmount } from '../common/host.ts';
import type { KeyedLock } from '../common/keyed-lock.ts';
import { newRandomId, newUrlToken } from '../common/secrets.ts';
import { GatewayError, type PaymentGateway, type StartedPayment } from '../gateways/gateway.ts';
import { type PaymentRecord, StoreConflictError } from '../store/store.ts';
import { type ServiceContext, methodExpiresAt } from './context.ts';
import type { Offers } from './offers.ts';
import { type PaymentRefresh, chargeLearnt } from './payment-refresh.ts';
import type { StatusWriter } from './status-writer.ts';

/**
 * A payment still `created` after this long was abandoned mid-creation (a crash): it may be superseded, and the
 * reconciler ends it. Before then another process may still be creating it.
 */
export const IN_PROGRESS_MS = 30_000;
/** After a method's expiry, how long its payment may still turn out paid (the gateway's clock, a late approval). */
const EXPIRY_MARGIN_MS = 2 * 60_000;

export function newPaymentId(): string {
  return newRandomId('pay_');
}

/**
 * Starting a payment: one live charge per order. The order's live payment of the same method is answered
 * again where it can be shown again; otherwise the others are superseded and a new one starts at the gateway.
 */
export class PaymentCreation {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly offers: Offers,
    private readonly writer: StatusWriter,
    private readonly refresh: PaymentRefresh,
    private readonly orderLocks: KeyedLock,
  ) {}

  /**
   * Starts a payment for an order, or answers the order's live payment of the same method. The amount is the
   * order's, from `resolveOrder`; a browser-made source must match it. Serialised per order.
   */
  async createPayment(input: CreatePaymentRequest, context: { userAgent?: string } = {}): Promise<CreatePaymentResponse> {
    const { ctx } = this;
    const order = await ctx.resolveOrder(input.orderId);
    const method = this.offers.check(input.method, order);
    const gateway = ctx.gateway(method.gateway);
    if (input.sourceId) {
      if (!gateway.acceptsClientSource) throw new CheckoutError('bad_request', `${method.id} does not take a sourceId.`);
      await gateway.verifyClientSource({ sourceId: input.sourceId, method, amount: order.amount, currency: order.currency });
    }
    if (input.installments && !this.offers.installments(method, order)) {
      throw new CheckoutError('method_unavailable', `${method.label.en} cannot be paid in instalments for this order.`);
    }
    const device = input.platform === undefined ? detectPlatform(context.userAgent ?? '') : input.platform === 'WEB' ? null : input.platform;
    const platform = platformFor(method, device);

    return this.orderLocks.run(input.orderId, async () => {
      // The order's payments are read once, and again only after something may have changed them.
      let payments = await ctx.store.listPaymentsForOrder(input.orderId);
      // Ask the gateway about live payments first: a reused link must still work, and a paid order is final.
      const asked = payments.filter((p) => isLive(p.status));
      for (const p of asked) {
        if (await this.refresh.chargeMayExist(p)) await this.#settleUnknown(p);
        else await this.refresh.refreshQuietly(p, 'poll');
      }
      if (asked.length > 0) payments = await ctx.store.listPaymentsForOrder(input.orderId);
      ctx.refuseIfPaid(payments);

      const live = payments.filter((p) => isLive(p.status));
      // Another process is creating this order's charge right now (the in-process lock cannot see it).
      if (live.some((p) => p.status === 'created' && p.supersededBy === null && ctx.o.now() - Date.parse(p.createdAt) < IN_PROGRESS_MS)) {
        throw new CheckoutError('payment_in_progress', 'Another payment for this order is being created; try again.');
      }
      const reused = await this.#reusable(gateway, live, method, order);
      if (reused) {
        const { payment: reusable, next } = reused;
        const current = live.filter((p) => p.id !== reusable.id && p.supersededBy === null);
        if (reusable.supersededBy === null) await this.#supersede(current, reusable.id);
        else await this.#switchBack(reusable, current);
        ctx.refuseIfPaid(await ctx.store.listPaymentsForOrder(input.orderId));
        return { paymentId: reusable.id, status: reusable.status, next, reused: true };
      }

      const id = newPaymentId();
      const current = live.filter((p) => p.supersededBy === null);
      await this.#supersede(current, id);
      // Ending them may have shown that one of them paid the order meanwhile.
      if (current.length > 0) ctx.refuseIfPaid(await ctx.store.listPaymentsForOrder(input.orderId));
      const payment = await this.#insert(id, input, method, order, platform);
      return this.#start(gateway, payment, method, input);
    });
  }

  async #insert(id: string, input: CreatePaymentRequest, method: PaymentMethod, order: OrderAmount, platform: PaymentRecord['platform']): Promise<PaymentRecord> {
    try {
      return await this.ctx.store.createPayment({
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
        returnToken: newUrlToken(),
        authorizeUri: null,
        createdAt: this.ctx.iso(),
      });
    } catch (err) {
      // Another process created the order's live payment between our read and our insert.
      if (err instanceof StoreConflictError && err.code === 'live_payment_exists') {
        throw new CheckoutError('payment_in_progress', 'Another payment for this order is being created; try again.');
      }
      throw err;
    }
  }

  async #start(gateway: PaymentGateway, payment: PaymentRecord, method: PaymentMethod, input: CreatePaymentRequest): Promise<CreatePaymentResponse> {
    const { ctx } = this;
    const returnUri = `${ctx.o.publicBaseUrl}/checkout/return/${payment.id}?token=${encodeURIComponent(payment.returnToken)}`;
    let started: StartedPayment;
    try {
      started = await gateway.startPayment({ payment, method, returnUri, platform: payment.platform, clientSourceId: input.sourceId, installments: input.installments });
    } catch (err) {
      const { code, message, unknown } = await ctx.recordGatewayError(payment, gateway, err);
      if (unknown) {
        // The charge may exist (its answer was lost): the payment waits until a lookup by its reference settles it.
        await this.writer.apply(payment.id, { status: 'pending', failureCode: null, failureMessage: null }, 'create');
        throw err;
      }
      await this.writer.apply(payment.id, { status: 'failed', failureCode: code, failureMessage: message }, 'create');
      throw err;
    }
    // The charge's ids and its status, in one transaction. Its webhook (Opn's charge.create) may have come first and
    // recorded the charge already: then only what the webhook did not say (the source).
    const { chargeId, sourceId } = started.gatewayIds;
    const charge = chargeId ? chargeLearnt({ ...started, chargeId }, {}) : null;
    const after = await this.refresh.applyStarted(payment, started, 'create', (p) => {
      const learnt = charge?.(p);
      if (learnt) return { patch: { ...learnt.patch, sourceId }, events: learnt.events };
      return { patch: p.chargeId ? { sourceId } : { sourceId, authorizeUri: started.authorizeUri }, events: [] };
    });
    return {
      paymentId: after.id,
      status: after.status,
      next: after.status === 'pending' ? started.next : { type: 'done', status: after.status },
      reused: false,
    };
  }

  /**
   * A payment whose charge request got no answer: nothing new starts for its order until the gateway says whether
   * that charge exists. Found: it is recorded, and reused below like any live charge. `charge_not_found`: the
   * payment ends chargeless (in refresh). Anything else (the gateway down, a create that may still land, no budget left for a
   * call): the shopper is asked to try again, and nothing is charged.
   */
  async #settleUnknown(p: PaymentRecord): Promise<void> {
    let after: PaymentRecord;
    try {
      after = await this.refresh.refresh(p, 'poll', { byReference: true });
    } catch (err) {
      this.ctx.logger.warn('could not find out whether a charge whose answer was lost exists', { paymentId: p.id, error: err });
      throw new CheckoutError('payment_in_progress', 'The previous attempt for this order is still being checked with the payment provider; try again in a moment.');
    }
    if (after.chargeId === null && isLive(after.status)) {
      throw new CheckoutError('payment_in_progress', 'The previous attempt for this order is still being checked with the payment provider; try again in a moment.');
    }
  }

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
        this.ctx.logger.warn('could not show a live payment again; starting a new one', { paymentId: payment.id, error: err });
      }
    }
    return null;
  }

  /**
   * A payment the shopper may have approved (at the gateway's page or in the bank app: it has a charge, still
   * pending) whose gateway could not be read just now is not superseded while it can still be approved (its method's
   * expiry, and a margin): it may be paid, and a second payment made meanwhile could pay the order twice — for K PLUS
   * or KMA, which Opn can neither void nor refund, for good. The shopper is asked to try again in a moment.
   */
  #refuseUnread(payments: PaymentRecord[]): void {
    const now = this.ctx.o.now();
    const approvable = (p: PaymentRecord) => {
      const expiresAt = methodExpiresAt(p, this.ctx.o.gateways[p.gateway]);
      return Number.isFinite(expiresAt) && now < expiresAt + EXPIRY_MARGIN_MS;
    };
    if (payments.some((p) => p.status === 'pending' && p.chargeId !== null && this.refresh.readFailed(p.id) && approvable(p))) {
      throw new CheckoutError('payment_in_progress', 'Your previous payment could not be checked with the payment provider yet; try again in a moment.');
    }
  }

  /** The shopper moved on: mark the order's other live payments superseded, and end them where the gateway allows. */
  async #supersede(payments: PaymentRecord[], by: string): Promise<void> {
    this.#refuseUnread(payments);
    for (const payment of await this.#markSuperseded(payments, by)) {
      await this.refresh.cancelQuietly(payment, { reason: 'shopper chose another payment', by });
    }
  }

  /**
   * The shopper came back to a superseded payment: the order's current payment is marked superseded, the
   * reusable one becomes current again, and only then is the other ended at its gateway. When another process
   * made a payment of the order current meanwhile, the store refuses the resume: the marks are undone and the
   * shopper is asked to try again (409, never a 500), with nothing ended at the gateway.
   */
  async #switchBack(reusable: PaymentRecord, current: PaymentRecord[]): Promise<void> {
    this.#refuseUnread(current);
    const marked = await this.#markSuperseded(current, reusable.id);
    try {
      await this.ctx.store.updatePayment(reusable.id, () => ({ patch: { supersededBy: null }, events: [{ source: 'create', type: 'resumed' }], result: null }), this.ctx.iso());
    } catch (err) {
      if (!(err instanceof StoreConflictError && err.code === 'live_payment_exists')) throw err;
      await this.#unmark(marked, reusable.id);
      throw new CheckoutError('payment_in_progress', 'Another payment for this order is being created; try again.');
    }
    for (const payment of marked) await this.refresh.cancelQuietly(payment, { reason: 'shopper chose another payment', by: reusable.id });
  }

  /**
   * Marks the payments superseded by `by`, each only while it is live and still current (one another process
   * superseded meanwhile is its to end); answers those marked, as stored.
   */
  async #markSuperseded(payments: PaymentRecord[], by: string): Promise<PaymentRecord[]> {
    const marked: PaymentRecord[] = [];
    for (const payment of payments) {
      const update = await this.ctx.store.updatePayment(
        payment.id,
        (p) => (p.supersededBy !== null || !isLive(p.status) ? null : { patch: { supersededBy: by }, events: [{ source: 'create', type: 'superseded', detail: { by } }], result: null }),
        this.ctx.iso(),
      );
      if (update) marked.push(update.after);
    }
    return marked;
  }

  /** Undoes `#markSuperseded` after a switch that did not go through; one that cannot be current again stays superseded. */
  async #unmark(marked: PaymentRecord[], by: string): Promise<void> {
    for (const payment of marked) {
      try {
        await this.ctx.store.updatePayment(
          payment.id,
          (p) =>
            p.supersededBy !== by || !isLive(p.status)
              ? null
              : { patch: { supersededBy: null }, events: [{ source: 'create', type: 'resumed', detail: { reason: 'the switch to another payment did not go through', by } }], result: null },
          this.ctx.iso(),
        );
      } catch (err) {
        // Another process's payment is the order's current one now: this one stays superseded.
        if (!(err instanceof StoreConflictError && err.code === 'live_payment_exists')) throw err;
      }
    }
  }
}
