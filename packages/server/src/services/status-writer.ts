import { isPaid } from '@payment-checkout/core';
import type { OrderAmount } from '../common/host.ts';
import type { EventSource, PaymentRecord } from '../store/store.ts';
import type { ServiceContext } from './context.ts';
import { type HookName, type Observation, type ReportTo, decideTransition, hookKey } from './payment-machine.ts';

/**
 * The one status writer: the only code that changes a payment's `status`. Every observation (creation, return,
 * callback, QR completion, webhook, poll, reconciler) comes here; the machine decides inside the store's
 * transaction, which checks the transition rule again and writes the hook call it decided on to the outbox;
 * the outbox delivers it right after the commit (and retries it).
 */
export class StatusWriter {
  constructor(
    private readonly ctx: ServiceContext,
    /** Once a payment paid its order (or paid it twice): end the order's other live payments. */
    private readonly orderPaid: (paid: PaymentRecord) => Promise<void>,
    /** A payment that paid an order already paid: void or refund it where its gateway allows (money-operations.ts). */
    private readonly paidTwice: (payment: PaymentRecord, reportTo: ReportTo) => Promise<void> = async () => undefined,
  ) {}

  async apply(id: string, observation: Observation, source: EventSource, detail?: Record<string, unknown>, reportTo?: ReportTo): Promise<PaymentRecord> {
    const { store } = this.ctx;
    const order = isPaid(observation.status) ? await this.#orderNow(id) : null;
    const update = await store.updatePayment(id, (current, context) => decideTransition(current, observation, { ...context, order }, { source, detail, reportTo }), this.ctx.iso());
    if (!update) return (await store.getPayment(id))!;
    // The order is paid (by this payment, or already by another): its other live payments end. A payment of an
    // order that changed since did not pay it: the shopper's current payment must go on.
    const orderChanged = order !== null && (order.amount !== update.after.amount || order.currency !== update.after.currency);
    const paidTwice = update.result.hook === 'onNeedsRefund' && !orderChanged;
    // Paid twice: reversed first where the gateway allows, so that the hook call reports what was done.
    if (paidTwice && this.ctx.o.reverseDuplicatePayments !== false) {
      await this.paidTwice(update.after, { name: 'onNeedsRefund', key: hookKey(update.after.id, update.after.status, 'onNeedsRefund') });
    }
    if (update.result.hook) await this.#callHook(update.result.hook, update.after);
    if (update.result.hook === 'onPaid' || paidTwice) await this.orderPaid(update.after);
    if (isPaid(update.after.status) && !isPaid(update.before.status)) await this.#afterPaid(update.after, source);
    return update.after;
  }

  /**
   * The order as the merchant has it now, for a payment that may become paid (the decision compares amounts).
   * Null when the payment is paid already or the order cannot be looked up: the move is then decided as before.
   */
  async #orderNow(id: string): Promise<OrderAmount | null> {
    const payment = await this.ctx.store.getPayment(id);
    if (!payment || isPaid(payment.status)) return null;
    try {
      return await this.ctx.resolveOrder(payment.orderId);
    } catch (err) {
      this.ctx.logger.warn('could not look the order up to check the amount of a paid payment', { paymentId: id, orderId: payment.orderId, error: err });
      return null;
    }
  }

  /** The gateway's own step once a payment is paid (remember the card); logged, never breaking the request. */
  async #afterPaid(payment: PaymentRecord, source: EventSource): Promise<void> {
    const gateway = this.ctx.o.gateways[payment.gateway];
    if (!gateway?.afterPaid) return;
    const { store } = this.ctx;
    try {
      const event = await gateway.afterPaid(payment, await store.listEvents(payment.id));
      if (event) await store.appendEvent(payment.id, { source, type: event.type, detail: event.detail }, this.ctx.iso());
    } catch (err) {
      this.ctx.logger.warn('the gateway step after payment failed', { paymentId: payment.id, error: err });
      await store.appendEvent(payment.id, { source, type: 'card_not_saved', detail: { error: err instanceof Error ? err.message : String(err) } }, this.ctx.iso());
    }
  }

  /** The hook call the change wrote to the outbox, delivered now (awaited); if it throws, the outbox retries it. */
  async #callHook(name: HookName, payment: PaymentRecord): Promise<void> {
    await this.ctx.hookOutbox.deliverNow(hookKey(payment.id, payment.status, name));
  }
}
