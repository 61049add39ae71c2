import { isLive } from '@payment-checkout/core';
import type { Logger } from '../common/logger.ts';
import type { PaymentGateway } from '../gateways/gateway.ts';
import type { PaymentRecord, ReconcileClaim } from '../store/store.ts';
import { type ServiceContext, methodExpiresAt } from './context.ts';
import { IN_PROGRESS_MS } from './payment-creation.ts';
import { isNoCharge, NO_CHARGE, type PaymentRefresh } from './payment-refresh.ts';
import { PAYMENT_ABANDONED } from './payment-machine.ts';
import type { StatusWriter } from './status-writer.ts';

export interface ReconcileReport {
  checked: number;
  updated: number;
  errors: number;
  payments: { id: string; from: string; to: string; error?: string }[];
}

/** The age after which a live payment is asked about, unless the host says otherwise. */
export const RECONCILE_OLDER_THAN_MS = 10 * 60_000;
/** How long a claimed payment is held by the process that claimed it; a process that died frees it after this. */
export const RECONCILE_LEASE_MS = 5 * 60_000;
/** Payments are claimed this many at a time, so that a lease covers a few gateway calls, not a whole run's. */
const CLAIM_BATCH = 20;
/** A payment put off by a run is not due again before this (the same run's next claims must not take it back). */
const SECOND = 1_000;
/** A payment waiting for its card form is looked at again this often, until the form's grace ends. */
const FORM_WAIT_RECHECK_MS = 10 * 60_000;

/** The wait before asking again about a payment still live after `attempts` checks: 1, 2, 4 … minutes, at most an hour. */
export const recheckDelayMs = (attempts: number): number => Math.min(60_000 * 2 ** Math.max(attempts - 1, 0), 60 * 60_000);

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Asks the gateways about payments still live after a while: webhooks lost, shoppers who never came back.
 * Payments are claimed in the store (a lease), so several processes on one database never ask about one payment
 * at once; a payment still live after a check is asked again with backoff, so payments that cannot be settled
 * now do not hold back newer ones.
 */
export class Reconciler {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly writer: StatusWriter,
    private readonly refresh: PaymentRefresh,
  ) {}

  /** The merchant's `reconcileOlderThanMs` (10 minutes by default): every run's threshold unless it asks for another. */
  get #configuredOlderThanMs(): number {
    return this.ctx.o.reconcileOlderThanMs ?? RECONCILE_OLDER_THAN_MS;
  }

  /**
   * Asks the gateway about up to `limit` (default 100) live payments older than `olderThanMs` (default the
   * configured `reconcileOlderThanMs`) whose next check is due, and about payments still `created` after the in-progress window: their
   * creation was abandoned (a crash), whatever the method. Payments never checked come first, then the earliest due.
   */
  async reconcile(options: { olderThanMs?: number; limit?: number } = {}): Promise<ReconcileReport> {
    const { ctx } = this;
    const olderThanMs = options.olderThanMs ?? this.#configuredOlderThanMs;
    const limit = options.limit ?? 100;
    const report: ReconcileReport = { checked: 0, updated: 0, errors: 0, payments: [] };
    for (let claimed = 0; claimed < limit; ) {
      const now = ctx.o.now();
      const size = Math.min(CLAIM_BATCH, limit - claimed);
      const batch = await ctx.store.claimPaymentsToReconcile({
        createdBefore: iso(now - Math.min(olderThanMs, IN_PROGRESS_MS)),
        dueBy: iso(now),
        leaseUntil: iso(now + RECONCILE_LEASE_MS),
        limit: size,
      });
      claimed += batch.length;
      for (const claim of batch) await this.#reconcileOne(claim, olderThanMs, report);
      if (batch.length < size) break;
    }
    if (report.checked > 0) ctx.logger.info('reconciled pending payments', { checked: report.checked, updated: report.updated, errors: report.errors });
    return report;
  }

  async #reconcileOne({ payment, attempts }: ReconcileClaim, olderThanMs: number, report: ReconcileReport): Promise<void> {
    const { ctx } = this;
    const now = ctx.o.now();
    const gateway = ctx.o.gateways[payment.gateway];
    const notBefore = checkableFrom(payment, gateway, olderThanMs, now);
    // Not yet (too young, maybe still being created elsewhere, or waiting for a card form): back when it may be — by
    // this run's threshold, or the configured one when that comes first (a run asked for a longer threshold must not
    // put a payment off past the background runs), not before the next run.
    if (notBefore > now) {
      const configured = olderThanMs === this.#configuredOlderThanMs ? notBefore : checkableFrom(payment, gateway, this.#configuredOlderThanMs, now);
      return this.#schedule(payment.id, Math.min(notBefore, Math.max(configured, now + SECOND)), attempts);
    }
    report.checked++;
    let stillLive = true;
    let abandonAt: number | null = null;
    try {
      let after = await this.#check(payment, gateway);
      const abandonedAfterMs = isLive(after.status) ? (gateway?.abandonedAfterMs?.(after) ?? null) : null;
      if (abandonedAfterMs !== null) {
        abandonAt = Date.parse(after.createdAt) + abandonedAfterMs;
        if (ctx.o.now() >= abandonAt) after = await this.#abandon(after, gateway!, abandonedAfterMs);
      }
      stillLive = isLive(after.status);
      if (after.status !== payment.status) {
        report.updated++;
        report.payments.push({ id: payment.id, from: payment.status, to: after.status });
      }
    } catch (err) {
      report.errors++;
      report.payments.push({ id: payment.id, from: payment.status, to: payment.status, error: err instanceof Error ? err.message : String(err) });
      ctx.logger.warn('reconciler could not check a payment', { paymentId: payment.id, error: err });
    }
    // Asked again with backoff, and at the latest when it counts as abandoned.
    const next = ctx.o.now() + recheckDelayMs(attempts + 1);
    if (stillLive) await this.#schedule(payment.id, abandonAt !== null && abandonAt > ctx.o.now() ? Math.min(next, abandonAt) : next, attempts + 1);
  }

  /**
   * A payment left on a hosted page the gateway never ends (3-D Secure, Alipay, UnionPay): ended at the gateway
   * where it can be (`cancel`), else in the record, `expired` with `payment_abandoned`; a success the gateway
   * reports later still pays it (payment-machine.ts).
   */
  async #abandon(payment: PaymentRecord, gateway: PaymentGateway, abandonedAfterMs: number): Promise<PaymentRecord> {
    const detail = { reason: 'abandoned on the payment page', abandonedAfterMs };
    if (gateway.canCancel(payment)) {
      await this.refresh.cancelQuietly(payment, detail);
      return (await this.ctx.store.getPayment(payment.id))!;
    }
    const minutes = Math.round(abandonedAfterMs / 60_000);
    const ended = { status: 'expired', failureCode: PAYMENT_ABANDONED, failureMessage: `The shopper did not finish on the payment page within ${minutes} minutes.` } as const;
    return this.writer.apply(payment.id, ended, 'reconciler', { detail });
  }

  /** Sets the payment's next check; if that fails, the lease still keeps it until the lease ends. */
  async #schedule(paymentId: string, at: number, attempts: number): Promise<void> {
    try {
      await this.ctx.store.scheduleReconcile(paymentId, { nextCheckAt: iso(at), attempts });
    } catch (err) {
      this.ctx.logger.warn('reconciler could not schedule a payment\'s next check', { paymentId, error: err });
    }
  }

  async #check(payment: PaymentRecord, gateway: PaymentGateway | undefined): Promise<PaymentRecord> {
    // Creation stopped before the gateway answered (a crash): its charge may exist all the same, under the
    // payment's own reference, where the gateway can look it up.
    const crashed = payment.status === 'created';
    // Or its charge request got no answer (an Opn create whose answer was lost): the charge may exist too.
    const lostAnswer = await this.refresh.chargeMayExist(payment);
    const byReference = gateway?.findsChargeByReference === true && (payment.sourceId !== null || crashed || lostAnswer);
    if (!payment.chargeId && !byReference) {
      // A crash the gateway cannot look up, or a card form the shopper never sent.
      return this.writer.apply(payment.id, NO_CHARGE, 'reconciler');
    }
    try {
      const after = await this.refresh.refresh(payment, 'reconciler', { force: true, byReference: crashed || lostAnswer });
      // Nothing found by reference (a QR order is found only by its id, which never reached the store).
      if (after.status === 'created' && !after.chargeId) return this.writer.apply(payment.id, NO_CHARGE, 'reconciler');
      return after;
    } catch (err) {
      // A creation that stopped (a crash) and left no charge at the gateway (a lost answer's is ended by refresh).
      if (payment.chargeId || !isNoCharge(err)) throw err;
      return this.writer.apply(payment.id, NO_CHARGE, 'reconciler');
    }
  }
}

/**
 * When the reconciler may ask about a payment (ms): once it is `olderThanMs` old or past its method's expiry, or for a payment still
 * `created`, once the in-progress window is over (another process may still be creating it). A payment may also
 * wait for the shopper's browser to start its charge (the gateway's `chargelessGraceMs`): only a method that
 * waits for a form in the browser (`embedded_form`: a card form), while the payment is `pending` with no charge
 * and no reference yet; it is looked at again every few minutes meanwhile, as the form may come. A QR or a
 * redirect never waits for a form, and a payment still `created` was abandoned by a crash.
 */
function checkableFrom(payment: PaymentRecord, gateway: PaymentGateway | undefined, olderThanMs: number, now: number): number {
  const createdAt = Date.parse(payment.createdAt);
  const method = gateway?.methods.find((m) => m.id === payment.method);
  // A payment past its method's expiry is asked about then, even when the age to wait is longer.
  const byAge = payment.status === 'created' ? createdAt + IN_PROGRESS_MS : Math.min(createdAt + olderThanMs, methodExpiresAt(payment, gateway));
  if (!gateway?.chargelessGraceMs || payment.status !== 'pending' || payment.chargeId || payment.sourceId) return byAge;
  const formGraceEnds = createdAt + gateway.chargelessGraceMs;
  if (method?.flow !== 'embedded_form' || formGraceEnds <= now) return byAge;
  return Math.max(byAge, Math.min(formGraceEnds, now + FORM_WAIT_RECHECK_MS));
}

/** The reconciler running in the background; `stop()` ends it. */
export interface ReconcileTimer {
  /** Clears the timer and waits for a run in progress (never throws). */
  stop(): Promise<void>;
}

/**
 * Runs `run` every `everyMs`, the first time one interval after the start; the timer does not keep the process
 * alive. Runs never overlap in this process: a tick while a run is still going is skipped. A failed run is
 * logged, and the next tick runs again.
 */
export function startReconcileTimer(run: () => Promise<unknown>, everyMs: number, logger: Logger): ReconcileTimer {
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (running) {
      logger.warn('a reconciler run is still going: this one is skipped', { everyMs });
      return;
    }
    let started: Promise<unknown>;
    try {
      started = run();
    } catch (err) {
      started = Promise.reject(err);
    }
    running = started
      .then(
        () => undefined,
        (err: unknown) => logger.error('reconciler failed', { error: err }),
      )
      .finally(() => {
        running = null;
      });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
