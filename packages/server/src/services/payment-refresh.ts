import { isLive, isPaid } from '@payment-checkout/core';
import type { GatewayStatus } from '../gateways/gateway.ts';
import type { EventSource, PaymentRecord } from '../store/store.ts';
import type { ServiceContext } from './context.ts';
import type { StatusWriter } from './status-writer.ts';

/**
 * Asking a payment's gateway about it (rate-limited for polls), ending live payments early where the gateway
 * allows, and recording the charge id once it is known. What the gateway answers goes to the status writer.
 */
export class PaymentRefresh {
  /** When each pending payment was last asked about at the gateway, so polling cannot flood it. */
  readonly #lastFetch = new Map<string, number>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly writer: StatusWriter,
  ) {}

  /** The gateway was just asked about this payment (a poll within the interval will not ask again). */
  fetched(paymentId: string): void {
    this.#lastFetch.set(paymentId, this.ctx.o.now());
  }

  async refreshQuietly(payment: PaymentRecord, source: EventSource, force = false): Promise<PaymentRecord> {
    try {
      return await this.refresh(payment, source, { force });
    } catch (err) {
      this.ctx.logger.warn('could not refresh a payment from its gateway', { paymentId: payment.id, error: err });
      return payment;
    }
  }

  async refresh(payment: PaymentRecord, source: EventSource, options: { force: boolean; detail?: Record<string, unknown>; signal?: AbortSignal }): Promise<PaymentRecord> {
    const { o } = this.ctx;
    const byReference = !payment.chargeId && payment.sourceId !== null && o.gateways[payment.gateway]?.findsChargeByReference === true;
    if (!payment.chargeId && !byReference) return payment;
    if (!options.force) {
      if (!isLive(payment.status)) return payment;
      const last = this.#lastFetch.get(payment.id);
      if (last !== undefined && o.now() - last < o.refreshIntervalMs) return payment;
    }
    this.fetched(payment.id);
    const state = await this.ctx.gateway(payment.gateway).fetchStatus(payment, { signal: options.signal });
    if (state.chargeId && !payment.chargeId) await this.recordCharge(payment.id, state.chargeId, state.authorizeUri ?? null, { foundByReference: true });
    // A charge that was paid and then voided or refunded before we heard of it: paid first, so the hook fires.
    if (isPaid(state.status) && state.status !== 'succeeded' && isLive(payment.status)) {
      await this.writer.apply(payment.id, { ...state, status: 'succeeded' }, source, options.detail);
    }
    const after = await this.writer.apply(payment.id, state, source, options.detail);
    if (!isLive(after.status)) this.#lastFetch.delete(payment.id);
    return after;
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

  /** Ends a live payment at its gateway where the gateway allows; a failure teaches the charge's real state instead. */
  async cancelQuietly(payment: PaymentRecord, detail: Record<string, unknown>): Promise<void> {
    const gateway = this.ctx.o.gateways[payment.gateway];
    if (!gateway || !gateway.canCancel(payment) || !isLive(payment.status)) return;
    try {
      const state = await gateway.cancel(payment);
      await this.writer.apply(payment.id, state, 'create', detail);
    } catch (err) {
      // Typically the charge completed meanwhile (Opn: failed_expire): learn its real state instead.
      this.ctx.logger.warn('could not end a pending payment early', { paymentId: payment.id, error: err });
      await this.refreshQuietly(payment, 'poll', true);
    }
  }

  /** Once an order is paid, its other live payments are ended where the gateway allows. */
  async endSiblings(paid: PaymentRecord): Promise<void> {
    const siblings = await this.ctx.store.listPaymentsForOrder(paid.orderId);
    for (const sibling of siblings.filter((p) => p.id !== paid.id && isLive(p.status))) {
      await this.cancelQuietly(sibling, { reason: 'order paid by another payment', by: paid.id });
    }
  }
}
