import { GatewayError } from '../gateways/gateway.ts';
import type { PaymentRecord } from '../store/store.ts';
import type { ServiceContext } from './context.ts';
import type { PaymentRefresh } from './payment-refresh.ts';
import type { StatusWriter } from './status-writer.ts';

export interface ReconcileReport {
  checked: number;
  updated: number;
  errors: number;
  payments: { id: string; from: string; to: string; error?: string }[];
}

/** Asks the gateways about payments still live after a while: webhooks lost, shoppers who never came back. */
export class Reconciler {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly writer: StatusWriter,
    private readonly refresh: PaymentRefresh,
  ) {}

  /** Asks the gateway about payments still live after `olderThanMs` (default 10 minutes). */
  async reconcile(options: { olderThanMs?: number; limit?: number } = {}): Promise<ReconcileReport> {
    const { ctx } = this;
    const olderThanMs = options.olderThanMs ?? 10 * 60_000;
    const createdBefore = new Date(ctx.o.now() - olderThanMs).toISOString();
    const live = await ctx.store.listLivePayments({ createdBefore, limit: options.limit ?? 100 });
    const report: ReconcileReport = { checked: 0, updated: 0, errors: 0, payments: [] };
    for (const payment of live) {
      const gateway = ctx.o.gateways[payment.gateway];
      // A payment whose charge the browser starts (K-Payment's card form) may wait for it a while.
      if (!payment.chargeId && !payment.sourceId && ctx.o.now() - Date.parse(payment.createdAt) < (gateway?.chargelessGraceMs ?? 0)) continue;
      report.checked++;
      try {
        const after = await this.#check(payment, gateway?.findsChargeByReference === true);
        if (after.status !== payment.status) {
          report.updated++;
          report.payments.push({ id: payment.id, from: payment.status, to: after.status });
        }
      } catch (err) {
        report.errors++;
        report.payments.push({ id: payment.id, from: payment.status, to: payment.status, error: err instanceof Error ? err.message : String(err) });
        ctx.logger.warn('reconciler could not check a payment', { paymentId: payment.id, error: err });
      }
    }
    if (report.checked > 0) ctx.logger.info('reconciled pending payments', { checked: report.checked, updated: report.updated, errors: report.errors });
    return report;
  }

  async #check(payment: PaymentRecord, findsChargeByReference: boolean): Promise<PaymentRecord> {
    const noCharge = { status: 'canceled', failureCode: 'gateway_error', failureMessage: 'no charge was created' } as const;
    if (!payment.chargeId && !(payment.sourceId && findsChargeByReference)) {
      // Creation stopped before the gateway answered (a crash), or the shopper never sent the card form.
      return this.writer.apply(payment.id, noCharge, 'reconciler');
    }
    try {
      return await this.refresh.refresh(payment, 'reconciler', { force: true });
    } catch (err) {
      // A charge request that got no answer and left no charge at the gateway.
      if (payment.chargeId || !(err instanceof GatewayError && err.code === 'charge_not_found')) throw err;
      return this.writer.apply(payment.id, noCharge, 'reconciler');
    }
  }
}
