import { isLive, isPaid } from '@payment-checkout/core';
import { GatewayError, type GatewayStatus, type PaymentGateway } from '../gateways/gateway.ts';
import type { EventSource, NewPaymentEvent, PaymentRecord } from '../store/store.ts';
import type { ServiceContext } from './context.ts';
import type { Learnt, StatusWriter } from './status-writer.ts';

export interface RefreshOptions {
  /**
   * Ask the gateway now, whatever the payment's budget: only for callers that are authenticated or internal
   * (webhooks, the reconciler, the companion's own follow-ups). Browser-triggered refreshes never force.
   */
  force?: boolean;
  /**
   * Ask by the payment's reference even though no gateway reference is stored (a payment left `created`: its
   * charge may exist). Without it, a payment with no charge id is asked about only once it has a reference.
   */
  byReference?: boolean;
  /** With `byReference`: a charge id heard of (a webhook's), which the gateway may try first (`GatewayReadOptions`). */
  chargeHint?: string;
  detail?: Record<string, unknown>;
  signal?: AbortSignal;
  /**
   * Logged with the gateway's answer, in the transaction that applies it (a webhook's arrival); logged on their
   * own when the gateway could not be asked or the answer could not be applied.
   */
  events?: NewPaymentEvent[];
}

/** How long a failed read of a payment is remembered: longer than any method's expiry (creation waits on those). */
const UNREAD_KEPT_MS = 60 * 60_000;

/** How a payment ends when its gateway shows that no charge was ever made for it. */
export const NO_CHARGE: GatewayStatus = { status: 'canceled', failureCode: 'gateway_error', failureMessage: 'no charge was created' };

/** The gateway's answer that no charge exists for a payment's reference, and none can still appear. */
export const isNoCharge = (err: unknown): boolean => err instanceof GatewayError && err.code === 'charge_not_found';

/** A charge as its gateway first described it: its id, its page (3-D Secure, if it waits for one), when it was made. */
export type LearntCharge = Pick<GatewayStatus, 'chargeCreatedAt'> & { chargeId: string; authorizeUri?: string | null };

/**
 * A charge's id (its page, its creation time) learnt for a payment that has none yet: recorded once, with its
 * `charge_created` event from `source` (the create; or whoever found it by the payment's reference: a poll, the
 * reconciler, Check now).
 */
export const chargeLearnt =
  ({ chargeId, authorizeUri = null, chargeCreatedAt }: LearntCharge, detail: Record<string, unknown>, source: EventSource = 'create'): Learnt =>
  (p) =>
    p.chargeId
      ? null
      : {
          patch: { chargeId, authorizeUri, ...(chargeCreatedAt ? { chargeCreatedAt } : {}) },
          events: [{ source, type: 'charge_created', detail: { chargeId, ...detail } }],
        };

/**
 * Asking a payment's gateway about it, ending live payments early where the gateway allows, and recording the
 * charge id once it is known. What the gateway answers goes to the status writer.
 *
 * Whatever browsers send (return visits, callbacks, QR completion posts, polls), each payment has one budget of
 * gateway calls in this process: at most one call in flight (concurrent askers share its answer) and at most one
 * started per `refreshIntervalMs`. Webhooks and the reconciler may force a call; browsers never can.
 */
export class PaymentRefresh {
  /** When each payment's gateway was last asked; entries older than the interval are swept, not kept for ever. */
  readonly #lastFetch = new Map<string, number>();
  /** The gateway call in flight per payment, which browser-triggered askers join instead of asking again. */
  readonly #flights = new Map<string, Promise<PaymentRecord>>();
  /** Payments whose last gateway call here failed, and when; swept after UNREAD_KEPT_MS (only recent ones matter). */
  readonly #unread = new Map<string, number>();
  #nextSweep = 0;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly writer: StatusWriter,
  ) {}

  /** The gateway was just asked about this payment (a browser within the interval will not ask again). */
  fetched(paymentId: string): void {
    const now = this.ctx.o.now();
    this.#lastFetch.set(paymentId, now);
    if (now >= this.#nextSweep) {
      this.#nextSweep = now + Math.max(this.ctx.o.refreshIntervalMs, 1_000);
      for (const [id, at] of this.#lastFetch) if (now - at >= this.ctx.o.refreshIntervalMs) this.#lastFetch.delete(id);
      for (const [id, at] of this.#unread) if (now - at >= UNREAD_KEPT_MS) this.#unread.delete(id);
    }
  }

  async refreshQuietly(payment: PaymentRecord, source: EventSource, force = false): Promise<PaymentRecord> {
    try {
      return await this.refresh(payment, source, { force });
    } catch (err) {
      this.ctx.logger.warn('could not refresh a payment from its gateway', { paymentId: payment.id, error: err });
      return payment;
    }
  }

  /**
   * The payment as its gateway now reports it. Not forced (a browser asked): joins the call in flight, or asks
   * only when the payment is live and its budget allows; otherwise answers `payment` as it is.
   */
  async refresh(payment: PaymentRecord, source: EventSource, options: RefreshOptions = {}): Promise<PaymentRecord> {
    const gateway = this.ctx.o.gateways[payment.gateway];
    const byReference = !payment.chargeId && gateway?.findsChargeByReference === true && (payment.sourceId !== null || options.byReference === true);
    const asks = Boolean(payment.chargeId) || byReference;
    // Only a forced refresh that asks carries its events to the answer's transaction: the others log them now.
    if (options.events && !(asks && options.force)) {
      await this.#logEvents(payment, options.events);
      options = { ...options, events: undefined };
    }
    if (!asks) return payment;
    const ask = () => this.#fetch(payment, source, options);
    if (options.force) return this.#fly(payment.id, ask);
    const flight = this.#flights.get(payment.id);
    if (flight) return flight;
    if (!isLive(payment.status)) return payment;
    return this.tryBrowserCall(payment.id, ask) ?? payment;
  }

  /**
   * Runs `call` as this payment's browser-triggered gateway call when its budget allows (nothing in flight,
   * nothing started within the interval); null when it does not, and nothing is called.
   */
  tryBrowserCall(paymentId: string, call: () => Promise<PaymentRecord>): Promise<PaymentRecord> | null {
    if (this.#flights.has(paymentId)) return null;
    const last = this.#lastFetch.get(paymentId);
    if (last !== undefined && this.ctx.o.now() - last < this.ctx.o.refreshIntervalMs) return null;
    return this.#fly(paymentId, call);
  }

  /** Settles once the payment's gateway call in flight (if any) has, whatever its outcome. */
  async landed(paymentId: string): Promise<void> {
    await this.#flights.get(paymentId)?.catch(() => undefined);
  }

  /** Whether this process's last call to the payment's gateway about it failed (it could not be read since). */
  readFailed(paymentId: string): boolean {
    return this.#unread.has(paymentId);
  }

  /** Books the budget and runs `call` as the payment's flight until it settles. */
  #fly(paymentId: string, call: () => Promise<PaymentRecord>): Promise<PaymentRecord> {
    this.fetched(paymentId);
    const flight = call().then(
      (after) => {
        this.#unread.delete(paymentId);
        return after;
      },
      (err: unknown) => {
        this.#unread.set(paymentId, this.ctx.o.now());
        throw err;
      },
    ).finally(() => {
      if (this.#flights.get(paymentId) === flight) this.#flights.delete(paymentId);
    });
    this.#flights.set(paymentId, flight);
    return flight;
  }

  async #fetch(payment: PaymentRecord, source: EventSource, options: RefreshOptions): Promise<PaymentRecord> {
    const events = options.events ?? [];
    let logged = events.length === 0;
    try {
      const state = await this.ctx.gateway(payment.gateway).fetchStatus(payment, { signal: options.signal, ...(options.chargeHint ? { chargeHint: options.chargeHint } : {}) });
      const charge = state.chargeId && !payment.chargeId ? chargeLearnt({ ...state, chargeId: state.chargeId }, { foundByReference: true }, source) : null;
      // Written with the first status change below: the events, the charge found by the payment's reference, and when
      // the charge was made if the payment does not say yet (one recorded before the companion kept it).
      let learnt: Learnt | undefined = (p) => {
        const found = charge?.(p);
        const dated = !found && p.chargeCreatedAt === null && state.chargeCreatedAt ? { chargeCreatedAt: state.chargeCreatedAt } : null;
        if (!found && !dated && events.length === 0) return null;
        return { patch: { ...found?.patch, ...dated }, events: [...events, ...(found?.events ?? [])] };
      };
      let known = payment;
      // A charge that was paid and then voided or refunded before we heard of it: paid first, so the hook fires.
      if (isPaid(state.status) && state.status !== 'succeeded' && isLive(payment.status)) {
        known = await this.writer.apply(payment.id, { ...state, status: 'succeeded' }, source, { detail: options.detail, known, learnt });
        [logged, learnt] = [true, undefined];
      }
      const after = await this.writer.apply(payment.id, state, source, { detail: options.detail, known, learnt });
      logged = true;
      return after;
    } catch (err) {
      if (!logged) await this.#logEvents(payment, events);
      // Its charge request got no answer, and the gateway now says no such charge exists or can still appear: the
      // payment ends chargeless, whoever asked (a poll, Check now, the next create, the reconciler).
      if (isNoCharge(err) && !payment.chargeId && (await this.chargeMayExist(payment))) return this.writer.apply(payment.id, NO_CHARGE, source, { detail: options.detail });
      throw err;
    }
  }

  async #logEvents(payment: PaymentRecord, events: NewPaymentEvent[] = []): Promise<void> {
    for (const event of events) await this.ctx.store.appendEvent(payment.id, event, this.ctx.iso());
  }

  /**
   * Whether this payment's charge request got no answer (its `gateway_error` event says `outcomeUnknown`) and its
   * gateway can look the charge up by the payment: the charge may exist, so only that lookup may settle it.
   */
  async chargeMayExist(payment: PaymentRecord): Promise<boolean> {
    if (payment.chargeId !== null || this.ctx.o.gateways[payment.gateway]?.findsChargeByReference !== true) return false;
    const events = await this.ctx.store.listEvents(payment.id);
    return events.some((e) => e.type === 'gateway_error' && (e.detail as { outcomeUnknown?: unknown } | null)?.outcomeUnknown === true);
  }

  /**
   * The gateway's answer to a start or a charge the companion made: its status, and what else the answer taught
   * (the charge's ids), in one transaction.
   */
  async applyStarted(payment: PaymentRecord, state: GatewayStatus, source: EventSource, learnt?: Learnt): Promise<PaymentRecord> {
    this.fetched(payment.id);
    return this.writer.apply(payment.id, state, source, { known: payment, learnt });
  }

  async recordCharge(id: string, charge: LearntCharge, detail: Record<string, unknown>): Promise<void> {
    const learnt = chargeLearnt(charge, detail);
    await this.ctx.store.updatePayment(id, (p) => { const change = learnt(p); return change && { ...change, result: null }; }, this.ctx.iso());
  }

  /**
   * Ends a live payment at its gateway where the gateway allows: a pending one cancelled (KMA expired), an
   * authorised, uncaptured one released (reversed or voided). A failure teaches the charge's real state instead.
   */
  async cancelQuietly(payment: PaymentRecord, detail: Record<string, unknown>): Promise<void> {
    const gateway = this.ctx.o.gateways[payment.gateway];
    if (!gateway || !isLive(payment.status)) return;
    const release = payment.status === 'authorized' ? this.#release(gateway, payment) : null;
    if (!gateway.canCancel(payment) && !release) return;
    try {
      const state = release ? await gateway.operate!(payment, { operation: release, amount: payment.amount, reason: String(detail.reason ?? 'ended by the companion') }, { now: this.ctx.o.now(), events: [] }) : await gateway.cancel(payment);
      await this.writer.apply(payment.id, state, 'create', { detail: release ? { ...detail, operation: release } : detail });
    } catch (err) {
      // Typically the charge completed meanwhile (Opn: failed_expire): learn its real state instead.
      this.ctx.logger.warn('could not end a pending payment early', { paymentId: payment.id, error: err });
      await this.refreshQuietly(payment, 'poll', true);
    }
  }

  /** The operation that releases an authorised payment's hold at its gateway (reverse, else void), if it has one. */
  #release(gateway: PaymentGateway, payment: PaymentRecord): 'reverse' | 'void' | null {
    if (!gateway.operate || !gateway.operationRules) return null;
    const rules = gateway.operationRules(payment, { now: this.ctx.o.now(), events: [] });
    return rules.reverse?.allowed ? 'reverse' : rules.void?.allowed ? 'void' : null;
  }

  /** Once an order is paid, its other live payments are ended where the gateway allows. */
  async endSiblings(paid: PaymentRecord): Promise<void> {
    const siblings = await this.ctx.store.listPaymentsForOrder(paid.orderId);
    for (const sibling of siblings.filter((p) => p.id !== paid.id && isLive(p.status))) {
      await this.cancelQuietly(sibling, { reason: 'order paid by another payment', by: paid.id });
    }
  }
}
