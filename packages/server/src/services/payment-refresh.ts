import { isLive, isPaid } from '@payment-checkout/core';
import type { GatewayStatus, PaymentGateway } from '../gateways/gateway.ts';
import type { EventSource, PaymentRecord } from '../store/store.ts';
import type { ServiceContext } from './context.ts';
import type { StatusWriter } from './status-writer.ts';

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
  detail?: Record<string, unknown>;
  signal?: AbortSignal;
}

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
    if (!payment.chargeId && !byReference) return payment;
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

  /** Books the budget and runs `call` as the payment's flight until it settles. */
  #fly(paymentId: string, call: () => Promise<PaymentRecord>): Promise<PaymentRecord> {
    this.fetched(paymentId);
    const flight = call().finally(() => {
      if (this.#flights.get(paymentId) === flight) this.#flights.delete(paymentId);
    });
    this.#flights.set(paymentId, flight);
    return flight;
  }

  async #fetch(payment: PaymentRecord, source: EventSource, options: RefreshOptions): Promise<PaymentRecord> {
    const state = await this.ctx.gateway(payment.gateway).fetchStatus(payment, { signal: options.signal });
    if (state.chargeId && !payment.chargeId) await this.recordCharge(payment.id, state.chargeId, state.authorizeUri ?? null, { foundByReference: true });
    // A charge that was paid and then voided or refunded before we heard of it: paid first, so the hook fires.
    if (isPaid(state.status) && state.status !== 'succeeded' && isLive(payment.status)) {
      await this.writer.apply(payment.id, { ...state, status: 'succeeded' }, source, options.detail);
    }
    return this.writer.apply(payment.id, state, source, options.detail);
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

  /** The gateway's answer to a start or a charge the companion made: its ids are stored, then its status. */
  async applyStarted(payment: PaymentRecord, state: GatewayStatus, source: EventSource): Promise<PaymentRecord> {
    this.fetched(payment.id);
    return this.writer.apply(payment.id, state, source);
  }

  async recordCharge(id: string, chargeId: string, authorizeUri: string | null, detail: Record<string, unknown>): Promise<void> {
    await this.ctx.store.updatePayment(
      id,
      (p) => (p.chargeId ? null : { patch: { chargeId, authorizeUri }, events: [{ source: 'create', type: 'charge_created', detail: { chargeId, ...detail } }], result: null }),
      this.ctx.iso(),
    );
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
      await this.writer.apply(payment.id, state, 'create', release ? { ...detail, operation: release } : detail);
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
