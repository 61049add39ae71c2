import { GatewayError, type PaymentGateway } from '../gateways/gateway.ts';
import type { PaymentRecord } from '../store/store.ts';
import type { ServiceContext } from './context.ts';
import { IN_PROGRESS_MS } from './payment-creation.ts';
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

  /**
   * Asks the gateway about payments still live after `olderThanMs` (default 10 minutes), and about payments
   * still `created` after the in-progress window: their creation was abandoned (a crash), whatever the method.
   */
  async reconcile(options: { olderThanMs?: number; limit?: number } = {}): Promise<ReconcileReport> {
    const { ctx } = this;
    const now = ctx.o.now();
    const olderThanMs = options.olderThanMs ?? 10 * 60_000;
    const createdBefore = new Date(now - Math.min(olderThanMs, IN_PROGRESS_MS)).toISOString();
    const live = await ctx.store.listLivePayments({ createdBefore, limit: options.limit ?? 100 });
    const report: ReconcileReport = { checked: 0, updated: 0, errors: 0, payments: [] };
    for (const payment of live) {
      const age = now - Date.parse(payment.createdAt);
      // A `created` payment younger than the window may still be being created by another process.
      if (age < (payment.status === 'created' ? IN_PROGRESS_MS : olderThanMs)) continue;
      const gateway = ctx.o.gateways[payment.gateway];
      if (waitsForForm(payment, gateway, age)) continue;
      report.checked++;
      try {
        const after = await this.#check(payment, gateway);
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

  async #check(payment: PaymentRecord, gateway: PaymentGateway | undefined): Promise<PaymentRecord> {
    const noCharge = { status: 'canceled', failureCode: 'gateway_error', failureMessage: 'no charge was created' } as const;
    // Creation stopped before the gateway answered (a crash): its charge may exist all the same, under the
    // payment's own reference, where the gateway can look it up.
    const crashed = payment.status === 'created';
    // Or its charge request got no answer (an Opn create whose answer was lost): the charge may exist too.
    const lostAnswer = await this.refresh.chargeMayExist(payment);
    const byReference = gateway?.findsChargeByReference === true && (payment.sourceId !== null || crashed || lostAnswer);
    if (!payment.chargeId && !byReference) {
      // A crash the gateway cannot look up, or a card form the shopper never sent.
      return this.writer.apply(payment.id, noCharge, 'reconciler');
    }
    try {
      const after = await this.refresh.refresh(payment, 'reconciler', { force: true, byReference: crashed || lostAnswer });
      // Nothing found by reference (a QR order is found only by its id, which never reached the store).
      if (after.status === 'created' && !after.chargeId) return this.writer.apply(payment.id, noCharge, 'reconciler');
      return after;
    } catch (err) {
      // A charge request that got no answer and left no charge at the gateway.
      if (payment.chargeId || !(err instanceof GatewayError && err.code === 'charge_not_found')) throw err;
      return this.writer.apply(payment.id, noCharge, 'reconciler');
    }
  }
}

/**
 * Whether a payment may still wait for the shopper's browser to start its charge (the gateway's
 * `chargelessGraceMs`): only a method that waits for a form in the browser (`embedded_form`: a card form), while
 * the payment is `pending` with no charge and no reference yet. A QR or a redirect never waits for a form, and a
 * payment still `created` was abandoned by a crash.
 */
function waitsForForm(payment: PaymentRecord, gateway: PaymentGateway | undefined, age: number): boolean {
  if (!gateway?.chargelessGraceMs || payment.status !== 'pending' || payment.chargeId || payment.sourceId) return false;
  const method = gateway.methods.find((m) => m.id === payment.method);
  return method?.flow === 'embedded_form' && age < gateway.chargelessGraceMs;
}
