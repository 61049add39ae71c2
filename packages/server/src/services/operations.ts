import { z } from 'zod';
import { CheckoutError, Gateway, OrderId, PaymentMethodId, PaymentStatus } from '@payment-checkout/core';
import { type PaymentEvent, PaymentRecord, type PaymentSearch } from '../store/store.ts';
import type { ServiceContext } from './context.ts';
import type { MoneyOperation } from '../gateways/operations.ts';
import { GatewayError } from '../gateways/gateway.ts';
import { type MoneyOperations, type OperationOffer, OperationBody } from './money-operations.ts';
import { type PaymentRefresh, isNoCharge } from './payment-refresh.ts';
import { IdempotencyKey } from './operation-replay.ts';
import type { ReconcileReport, Reconciler } from './reconciler.ts';

/** A payment as the merchant's operations API shows it: the record without its return token (a shopper's secret). */
export const PaymentSummary = PaymentRecord.omit({ returnToken: true });
export type PaymentSummary = z.infer<typeof PaymentSummary>;

export const toSummary = (payment: PaymentRecord): PaymentSummary => {
  const { returnToken: _secret, ...summary } = payment;
  return summary;
};

/** The page cursor: base64url of `createdAt id`, the last payment of the page before. Opaque to clients. */
const encodeCursor = (p: { createdAt: string; id: string }) => Buffer.from(`${p.createdAt} ${p.id}`, 'utf8').toString('base64url');
const Cursor = z.string().max(200).transform((value, ctx) => {
  const [createdAt, id, extra] = Buffer.from(value, 'base64url').toString('utf8').split(' ');
  const after = { createdAt, id };
  if (extra !== undefined || !z.iso.datetime().safeParse(createdAt).success || !PaymentRecord.shape.id.safeParse(id).success) {
    ctx.issues.push({ code: 'custom', message: 'not a cursor this API gave', input: value });
    return z.NEVER;
  }
  return after;
});

/** A time filter: any ISO date-time (with an offset or Z), compared as the stored UTC form. */
const Instant = z.iso.datetime({ offset: true }).transform((v) => new Date(v).toISOString());

/**
 * The list's query string. Strict: an unknown or misspelt filter is a 400, not a silently wider list. Repeated
 * parameters (arrays) are refused by the string schemas.
 */
export const PaymentListQuery = z.strictObject({
  // As the create reads it (core's OrderId trims): " order-1 " finds the payments of "order-1".
  orderId: z.string().pipe(z.custom<string>((v) => OrderId.safeParse(v).success, { error: 'must be an order id' })).transform((v) => OrderId.parse(v)).optional(),
  status: z.enum(PaymentStatus.options).optional(),
  method: z.enum(PaymentMethodId.options).optional(),
  gateway: z.string().pipe(z.custom<string>((v) => Gateway.safeParse(v).success, { error: 'must be a gateway id' })).optional(),
  createdFrom: Instant.optional(),
  createdTo: Instant.optional(),
  limit: z.coerce.number({ error: 'must be a whole number from 1 to 100' }).int().min(1).max(100).default(20),
  cursor: Cursor.optional(),
});
export type PaymentListQuery = z.output<typeof PaymentListQuery>;

export interface PaymentPage {
  data: PaymentSummary[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface PaymentDetail {
  payment: PaymentSummary;
  /** The payment's event log, oldest first. */
  events: PaymentEvent[];
  /** What the merchant may do with it now, by its gateway's rules. */
  operations: OperationOffer[];
}

/**
 * The merchant's operations (the operations API, http/operations-routes.ts): searching payments, one payment
 * with its log, an order's payments, and asking the gateway now. Every operation that acts is logged in the
 * payment's events with who asked (the operations token's name).
 */
export class Operations {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly refresh: PaymentRefresh,
    private readonly money: MoneyOperations,
    private readonly reconciler: Reconciler,
  ) {}

  /** Newest first; one more than the page is read to know whether a next page exists. */
  async listPayments({ cursor, limit, ...filters }: PaymentListQuery): Promise<PaymentPage> {
    const query: PaymentSearch = { ...filters, after: cursor, limit: limit + 1 };
    const found = await this.ctx.store.searchPayments(query);
    const page = found.slice(0, limit);
    return { data: page.map(toSummary), nextCursor: found.length > limit ? encodeCursor(page[page.length - 1]) : null };
  }

  async payment(id: string): Promise<PaymentDetail> {
    const payment = await this.ctx.find(id);
    return { payment: toSummary(payment), events: await this.ctx.store.listEvents(payment.id), operations: await this.money.offers(payment) };
  }

  /**
   * A money operation (refund, void, settle, …; money-operations.ts); answers the payment afterwards, and whether the
   * answer is that of an earlier request with the same `Idempotency-Key` (operation-replay.ts).
   */
  async perform(id: string, operation: MoneyOperation, body: unknown, by: string, idempotencyKey?: string): Promise<{ detail: PaymentDetail; replayed: boolean }> {
    const key = idempotencyKey === undefined ? undefined : IdempotencyKey.parse(idempotencyKey);
    const { payment, replayed } = await this.money.perform(id, operation, OperationBody.parse(body ?? {}), by, key);
    return { detail: await this.payment(payment.id), replayed };
  }

  /** One reconciler run now (the CLI's `reconcile`). */
  async reconcile(by: string): Promise<ReconcileReport> {
    this.ctx.logger.info('reconciliation requested', { by });
    return this.reconciler.reconcile();
  }

  /** Oldest first. */
  async orderPayments(orderId: string): Promise<PaymentSummary[]> {
    const id = OrderId.safeParse(orderId);
    if (!id.success) throw new CheckoutError('bad_request', 'Not an order id.');
    return (await this.ctx.store.listPaymentsForOrder(id.data)).map(toSummary);
  }

  /**
   * "Check now": the request is logged first (with who asked), then the gateway is asked at once, whatever the
   * payment's refresh budget, and what it answers is applied. A gateway failure is the caller's 502; the log
   * keeps the request.
   */
  async check(id: string, by: string): Promise<PaymentDetail> {
    const payment = await this.ctx.find(id);
    const detail = { operation: 'check', by };
    await this.ctx.store.appendEvent(payment.id, { source: 'operations', type: 'operation_requested', detail }, this.ctx.iso());
    try {
      await this.refresh.refresh(payment, 'operations', { force: true, byReference: true, detail });
    } catch (err) {
      // No charge to ask about: none asked for yet (a card form the shopper has not sent), or one whose create got no
      // answer that may still land. Nothing to learn yet: the payment as it is.
      const noChargeYet = err instanceof GatewayError && (err.code === 'charge_not_found_yet' || (isNoCharge(err) && !payment.chargeId));
      if (!noChargeYet) {
        const message = 'The payment could not be read from the gateway: nothing changed. Try again in a moment.';
        const why = err instanceof Error ? err.message : String(err);
        // Our own finding (the gateway's charge is not this payment's) is logged as it is.
        const failed = err instanceof CheckoutError ? { code: err.code, message: err.message } : { code: 'gateway_error', message: `${message} (${why})` };
        await this.ctx.store.appendEvent(payment.id, { source: 'operations', type: 'operation_failed', detail: { ...detail, ...failed } }, this.ctx.iso());
        throw err instanceof CheckoutError ? err : new CheckoutError('gateway_error', message);
      }
    }
    return this.payment(payment.id);
  }
}
