import { isPaid } from '@payment-checkout/core';
import type { OrderAmount } from '../common/host.ts';
import type { EventSource, NewPaymentEvent, PaymentChange, PaymentPatch, PaymentRecord } from '../store/store.ts';
import { afterPaidStep } from './after-paid.ts';
import type { ServiceContext } from './context.ts';
import { type HookName, type Observation, type ReportTo, type TransitionResult, decideTransition, hookKey } from './payment-machine.ts';

/**
 * What the caller learnt besides the status (a charge's ids, a webhook that arrived), written in the status
 * change's own transaction; null: nothing to write for the payment as it stands.
 */
export type Learnt = (current: PaymentRecord) => { patch: PaymentPatch; events: NewPaymentEvent[] } | null;

export interface ApplyOptions {
  detail?: Record<string, unknown>;
  /** A hook call not delivered yet that this move must report (payment-machine.ts). */
  reportTo?: ReportTo;
  /** The payment as the caller last read it: spares a read before a move that may pay the order. */
  known?: PaymentRecord;
  learnt?: Learnt;
}

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

  /** Applies what was observed (and what was learnt alongside, in the same transaction); answers the payment as stored after it. */
  async apply(id: string, observation: Observation, source: EventSource, options: ApplyOptions = {}): Promise<PaymentRecord> {
    const { store } = this.ctx;
    const { detail, reportTo, learnt } = options;
    // A move that may pay the payment: the order's amount to compare, and the gateway's step it would owe.
    const unpaid = isPaid(observation.status) ? await this.#unpaid(options.known ?? id) : null;
    const order = unpaid && (await this.#orderNow(unpaid));
    const step = unpaid && (await afterPaidStep(this.ctx, unpaid, source));
    const claim = this.ctx.hookOutbox.newClaim();
    let seen: PaymentRecord | undefined;
    const update = await store.updatePayment(
      id,
      (current, context) => {
        seen = current;
        const change = withLearnt(learnt?.(current) ?? null, decideTransition(current, observation, { ...context, order }, { source, detail, reportTo }));
        // The hook call is written claimed by this request, which delivers it below. Not onNeedsRefund's: the
        // reversal that comes first may still change the payment it carries.
        if (change?.hook && !change.hook.update && change.result.hook !== 'onNeedsRefund') change.hook = { ...change.hook, claim };
        if (change && step && paysNow(current, change)) change.step = step;
        return change;
      },
      this.ctx.iso(),
    );
    // Nothing to write: the payment as the transaction read it.
    if (!update) return seen!;
    // The order is paid (by this payment, or already by another): its other live payments end. A payment of an
    // order that changed since did not pay it: the shopper's current payment must go on.
    const orderChanged = order !== null && (order.amount !== update.after.amount || order.currency !== update.after.currency);
    const paidTwice = update.result.hook === 'onNeedsRefund' && !orderChanged;
    // Paid twice: reversed first where the gateway allows, so that the hook call reports what was done.
    if (paidTwice && this.ctx.o.reverseDuplicatePayments !== false) {
      await this.paidTwice(update.after, { name: 'onNeedsRefund', key: hookKey(update.after.id, update.after.status, 'onNeedsRefund') });
    }
    if (update.claimedHook) await this.ctx.hookOutbox.deliverClaimed(update.claimedHook);
    else if (update.result.hook) await this.#callHook(update.result.hook, update.after);
    if (update.result.hook === 'onPaid' || paidTwice) await this.orderPaid(update.after);
    // The gateway's step after payment (remember the card), delivered from its row as a hook is: waited for at most
    // `requestWaitMs` (a gateway that does not answer must not hold the shopper's page), retried if it fails.
    if (step && paysNow(update.before, update.after)) await this.ctx.hookOutbox.deliverNow(step.key);
    return update.after;
  }

  /**
   * The payment, unless it is paid already (or unknown): a paid payment stays paid, so a row read earlier answers as
   * well as a fresh one; at worst the order is asked for nothing.
   */
  async #unpaid(known: PaymentRecord | string): Promise<PaymentRecord | null> {
    const payment = typeof known === 'string' ? await this.ctx.store.getPayment(known) : known;
    return payment && !isPaid(payment.status) ? payment : null;
  }

  /**
   * The order as the merchant has it now, for a payment that may become paid (the decision compares amounts).
   * Null when the order cannot be looked up: the move is then decided as before.
   */
  async #orderNow(payment: PaymentRecord): Promise<OrderAmount | null> {
    try {
      return await this.ctx.resolveOrder(payment.orderId);
    } catch (err) {
      this.ctx.logger.warn('could not look the order up to check the amount of a paid payment', { paymentId: payment.id, orderId: payment.orderId, error: err });
      return null;
    }
  }

  /** The hook call the change wrote to the outbox, delivered now (awaited); if it throws, the outbox retries it. */
  async #callHook(name: HookName, payment: PaymentRecord): Promise<void> {
    await this.ctx.hookOutbox.deliverNow(hookKey(payment.id, payment.status, name));
  }
}

/** The decision with what was learnt alongside: its fields and events first, then the move's. */
function withLearnt(learnt: ReturnType<Learnt>, change: PaymentChange<TransitionResult> | null): PaymentChange<TransitionResult> | null {
  if (!learnt) return change;
  if (!change) return { ...learnt, result: { changed: false, hook: null } };
  return { ...change, patch: { ...learnt.patch, ...change.patch }, events: [...learnt.events, ...change.events] };
}

/** The move takes the payment from unpaid to paid. */
const paysNow = (before: PaymentRecord, after: { status?: PaymentRecord['status'] }): boolean => after.status !== undefined && isPaid(after.status) && !isPaid(before.status);
