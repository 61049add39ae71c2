import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CheckoutError, type Currency } from '@payment-checkout/core';
import { amountText } from '../common/amount-text.ts';
import type { MoneyOperation } from '../gateways/operations.ts';
import type { PaymentEvent, PaymentRecord } from '../store/store.ts';

/**
 * A money operation's `Idempotency-Key` (the operations API's header): the merchant's name for one request, so that
 * the request sent again (an answer lost, a button pressed twice, a script retried) is answered from what the first
 * did instead of done twice (when the gateway's answer to it was lost: sent again only if the payment, read from the
 * gateway, shows nothing moved since). Visible ASCII, at most 255 characters; one payment's keys are its own.
 */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7E]{1,255}$/, 'Idempotency-Key must be 1 to 255 visible ASCII characters (no spaces)');

/**
 * The operation id of the `attempt`-th sending of a request with `key`: the same in every process, so that two of them
 * sent at once share one guard row at the outbox and only one reaches the gateway (`MoneyOperations`).
 */
export const keyedOperationId = (key: string, attempt: number): string =>
  `key-${createHash('sha256').update(key).digest('base64url').slice(0, 32)}${attempt > 1 ? `-${attempt}` : ''}`;

/** What a payment showed when an operation was sent, to tell later whether it happened (`outcomeSince`). */
export type OperationSeen = { status: PaymentRecord['status']; refundedAmount: number; settledAmount: number | null };
export const seenOf = ({ status, refundedAmount, settledAmount }: PaymentRecord): OperationSeen => ({ status, refundedAmount, settledAmount });

/**
 * Whether an operation the gateway did not answer happened, from the payment as the gateway has it now against what
 * it showed when the operation was sent: `not_done` when nothing moved; `done` when it moved exactly as this operation
 * moves it (a refund of its amount, a void, a settle of its amount, the status it ends in); `unclear` when it moved
 * otherwise (a refund made elsewhere meanwhile, a settlement): then it is neither answered done nor sent again.
 */
export function outcomeSince(operation: MoneyOperation, amount: number | undefined, seen: OperationSeen | null, now: PaymentRecord): 'done' | 'not_done' | 'unclear' {
  if (!seen) return 'unclear';
  if (seen.status === now.status && seen.refundedAmount === now.refundedAmount && seen.settledAmount === now.settledAmount) return 'not_done';
  const moved = (() => {
    switch (operation) {
      case 'refund':
        // A full refund inside KakaoPay's window is a void at Opn.
        return now.refundedAmount - seen.refundedAmount === amount || (now.status === 'voided' && amount === now.amount);
      case 'settle':
        return (now.settledAmount ?? 0) - (seen.settledAmount ?? 0) === amount;
      case 'void':
        return now.status === 'voided';
      case 'capture':
        return seen.status === 'authorized' && now.status === 'succeeded';
      case 'reverse':
      case 'cancel':
        return now.status === 'canceled';
      case 'expire':
        return now.status === 'expired';
    }
  })();
  return moved ? 'done' : 'unclear';
}

/**
 * What the payment's log says of the requests sent with this key: none (`new`); done (answer the payment as it is);
 * sent without an answer from the gateway (`unknown`: decided by `outcomeSince` from the payment read from the gateway
 * and what the sending saw, and sent again, as the next attempt and with the same amount, only if it was not done); or
 * the error it got, thrown again (a refusal). A key used for another operation or amount is refused, and so is one whose
 * last sending has no outcome yet (running now, or cut short and read back later).
 */
export type PriorRequest =
  | { kind: 'new' }
  | { kind: 'done' }
  | { kind: 'unknown'; attempt: number; operationId: string; amount: number | undefined; seen: OperationSeen | null };

export function priorRequest(events: readonly PaymentEvent[], key: string, asked: { operation: MoneyOperation; amount: number | undefined; currency: Currency }): PriorRequest {
  const sent = events.filter((e) => e.type === 'operation_requested' && e.detail?.idempotencyKey === key);
  if (sent.length === 0) return { kind: 'new' };
  const { operation, amount } = sent[0].detail as { operation: MoneyOperation; amount?: number };
  if (operation !== asked.operation || (asked.amount !== undefined && asked.amount !== amount)) {
    const what = amount === undefined ? operation : `${operation} of ${amountText(amount, asked.currency)}`;
    throw new CheckoutError('idempotency_conflict', `This Idempotency-Key was used for a ${what} of this payment: send another key for another request.`);
  }
  // The last sending; its first request event is the one that took its guard (the same sent to another process at
  // once logged its own after it, and stopped): what that one saw is what the sending saw.
  const { operationId } = sent[sent.length - 1].detail as { operationId: string };
  const first = sent.find((e) => e.detail?.operationId === operationId)!.detail as { seen?: OperationSeen; amount?: number };
  // The latest outcome: a sending the gateway did not answer may be learnt done later (`MoneyOperations.perform`).
  const outcome = events.findLast((e) => (e.type === 'operation_succeeded' || e.type === 'operation_failed') && e.detail?.operationId === operationId);
  if (!outcome) throw new CheckoutError('idempotency_conflict', `The ${operation} sent with this Idempotency-Key has no outcome yet: check the payment in a moment.`);
  if (outcome.type === 'operation_succeeded') return { kind: 'done' };
  const { code, message, gatewayCode, outcomeUnknown } = outcome.detail as { code: string; message: string; gatewayCode?: string | null; outcomeUnknown?: boolean };
  if (outcomeUnknown || code === 'gateway_error') return { kind: 'unknown', attempt: sent.length + 1, operationId, amount: first.amount, seen: first.seen ?? null };
  if (code === 'operation_refused') throw new CheckoutError('operation_refused', `The gateway refused the ${operation}: ${message}`, { gateway: { code: gatewayCode ?? 'refused', message } });
  throw new CheckoutError('operation_not_allowed', message);
}
