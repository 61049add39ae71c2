import { type PaymentStatus, canTransition, isEndedUnpaid, isPaid } from '@payment-checkout/core';
import type { OrderAmount } from '../common/host.ts';
import type { GatewayStatus } from '../gateways/gateway.ts';
import type { EventSource, PaidAsField, PaymentChange, PaymentPatch, PaymentRecord, UpdateContext } from '../store/store.ts';

/**
 * The one status machine. Every status update of a payment (return, webhook, poll, reconciler, creation)
 * is decided here, inside the store's transaction, so exactly one caller sees a given transition and fires
 * its hook.
 */

export type HookName = 'onPaid' | 'onFailed' | 'onNeedsRefund';

/**
 * The failure code of a payment the companion ended itself, left on a hosted page the gateway never ends (3-D
 * Secure, Alipay, UnionPay; reconciler.ts): the only ended payment a later success at the gateway still pays.
 */
export const PAYMENT_ABANDONED = 'payment_abandoned';

/** What the gateway (or the companion itself) said about a payment: a status and, when it ended unpaid, why. */
export type Observation = Pick<GatewayStatus, 'status'> &
  Partial<Pick<GatewayStatus, 'failureCode' | 'failureMessage' | 'refundedAmount' | 'settledAmount' | PaidAsField>>;

/** What the decision sees besides the payment: the store's view of the order, and the order as the merchant has it now. */
export interface TransitionContext extends UpdateContext {
  /** The order's amount and currency now (`resolveOrder`), when the move may pay it; null or absent: not known. */
  order?: OrderAmount | null;
}

export interface TransitionResult {
  changed: boolean;
  /** The merchant hook to call after the transaction commits, if any. */
  hook: HookName | null;
}

/**
 * Decides what an observation does to a payment:
 * - the same status: nothing (duplicates and repeated polls are no-ops);
 * - a move core's `canTransition` forbids (a late or lower event, e.g. `pending` or `failed` after
 *   `succeeded`): nothing changes, the refusal is logged;
 * - becoming paid: `onPaid`, unless another payment already paid the order, or the order's amount or currency
 *   is no longer the payment's (the cart changed after the payment started): then `needsRefund` and
 *   `onNeedsRefund`, and the order stays payable;
 * - ending unpaid (failed, expired, canceled): `onFailed`, unless the shopper had already moved on to another
 *   payment of the order (superseded) or the order is paid: the merchant has nothing to act on then.
 */
export function decideTransition(
  current: PaymentRecord,
  observation: Observation,
  context: TransitionContext,
  origin: { source: EventSource; detail?: Record<string, unknown>; reportTo?: ReportTo },
): PaymentChange<TransitionResult> | null {
  const to = observation.status;
  const detail = origin.detail ?? null;
  const amounts = { ...amountsPatch(current, observation), ...paidAsPatch(current, observation) };
  if (to === current.status) {
    if (Object.keys(amounts).length === 0) return null;
    return { patch: amounts, events: [{ source: origin.source, type: 'amounts_changed', detail: { ...amounts, ...detail } }], result: { changed: false, hook: null } };
  }
  // Only the companion's own expiry (an abandoned hosted page) may still be paid at the gateway; any other is final.
  const reopened = current.status === 'expired' && current.failureCode !== PAYMENT_ABANDONED;
  if (!canTransition(current.status, to) || reopened) {
    return {
      patch: {},
      events: [{ source: origin.source, type: 'transition_refused', fromStatus: current.status, toStatus: to, detail }],
      result: { changed: false, hook: null },
    };
  }

  const patch: PaymentChange<TransitionResult>['patch'] = { ...amounts };
  // The figures that moved with the status (what was refunded, settled or charged) are in its event, as they are in an
  // amounts_changed one: the timeline says how much a refund the gateway reported was.
  const moved = Object.keys(amounts).length > 0 ? { ...amounts, ...detail } : detail;
  const events: PaymentChange<TransitionResult>['events'] = [
    { source: origin.source, type: 'status_changed', fromStatus: current.status, toStatus: to, detail: moved },
  ];
  let hook: HookName | null = null;

  if (isEndedUnpaid(to)) {
    patch.failureCode = observation.failureCode ?? (to === 'expired' ? 'payment_expired' : null);
    patch.failureMessage = observation.failureMessage ?? null;
    hook = current.supersededBy || context.paidPayment ? null : 'onFailed';
  } else if (isPaid(to) && !isPaid(current.status)) {
    patch.failureCode = null;
    patch.failureMessage = null;
    const paidBy = context.paidPayment;
    const order = context.order;
    if (paidBy && paidBy.id !== current.id) {
      patch.needsRefund = true;
      events.push({ source: origin.source, type: 'needs_refund', detail: { orderPaidBy: paidBy.id } });
      hook = 'onNeedsRefund';
    } else if (order && (order.amount !== current.amount || order.currency !== current.currency)) {
      // The money taken is not what the order costs now: it cannot pay the order.
      patch.needsRefund = true;
      events.push({ source: origin.source, type: 'needs_refund', detail: { orderChanged: { amount: order.amount, currency: order.currency } } });
      hook = 'onNeedsRefund';
    } else {
      hook = 'onPaid';
    }
  }
  // The hook call is written to the outbox in this same transaction, under the transition's idempotency key.
  // A move a pending hook call must report (`reportTo`) updates that call's payment instead; so does any later move
  // of a payment that paid its order twice (voided or refunded, by the companion, the merchant or a lost answer read
  // back by a webhook), while its onNeedsRefund call is not delivered yet: the merchant learns what is left to do.
  const reportTo = origin.reportTo ?? (current.needsRefund ? { name: 'onNeedsRefund' as const, key: hookKey(current.id, 'succeeded', 'onNeedsRefund') } : null);
  const outbox = hook ? { hook: { name: hook, key: hookKey(current.id, to, hook), source: origin.source } } : reportTo ? { hook: { ...reportTo, source: origin.source, update: true } } : {};
  return { status: to, patch, events, ...outbox, result: { changed: true, hook } };
}

/** A hook call not delivered yet that a later move must report (its payment is updated with the move). */
export interface ReportTo {
  name: HookName;
  key: string;
}

/** A hook call's idempotency key: the payment and the transition that caused it (`pay_…:succeeded:onPaid`). */
export const hookKey = (paymentId: string, status: PaymentStatus, hook: HookName): string => `${paymentId}:${status}:${hook}`;

/**
 * What was refunded and settled, as the gateway now says: both only grow (a late, older answer never lowers
 * them), and never past the payment's amount. A void gives everything back before it is settled: a voided payment
 * has nothing settled, whatever the gateway's figure (an Opn KakaoPay charge captured, then voided, keeps its amount).
 */
function amountsPatch(current: PaymentRecord, observation: Observation): Pick<PaymentPatch, 'refundedAmount' | 'settledAmount'> {
  const patch: Pick<PaymentPatch, 'refundedAmount' | 'settledAmount'> = {};
  const { refundedAmount, settledAmount } = observation;
  if (refundedAmount !== undefined && refundedAmount > current.refundedAmount && refundedAmount <= current.amount) patch.refundedAmount = refundedAmount;
  if (observation.status === 'voided') {
    if (current.settledAmount !== null) patch.settledAmount = null;
  } else if (settledAmount != null && settledAmount !== current.settledAmount && settledAmount <= current.amount) {
    patch.settledAmount = settledAmount;
  }
  return patch;
}

/**
 * What the shopper paid, as the gateway (or the shopper's form) says: the amount and currency the card was
 * charged in, together, and the instalments chosen. Only a new figure is written; an answer that does not say
 * (absent) never erases one.
 */
function paidAsPatch(current: PaymentRecord, observation: Observation): Pick<PaymentPatch, PaidAsField> {
  const patch: Pick<PaymentPatch, PaidAsField> = {};
  const { chargedAmount, chargedCurrency, installmentTerm } = observation;
  if (chargedAmount !== undefined && chargedCurrency !== undefined && (chargedAmount !== current.chargedAmount || chargedCurrency !== current.chargedCurrency)) {
    patch.chargedAmount = chargedAmount;
    patch.chargedCurrency = chargedCurrency;
  }
  if (installmentTerm !== undefined && installmentTerm !== current.installmentTerm) patch.installmentTerm = installmentTerm;
  return patch;
}
