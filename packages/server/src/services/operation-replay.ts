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
 * gateway, shows it was not done). Visible ASCII, at most 255 characters; one payment's keys are its own.
 */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7E]{1,255}$/, 'Idempotency-Key must be 1 to 255 visible ASCII characters (no spaces)');

/**
 * The operation id of the `attempt`-th sending of a request with `key`: the same in every process, so that two of them
 * sent at once share one guard row at the outbox and only one reaches the gateway (`MoneyOperations`).
 */
export const keyedOperationId = (key: string, attempt: number): string =>
  `key-${createHash('sha256').update(key).digest('base64url').slice(0, 32)}${attempt > 1 ? `-${attempt}` : ''}`;

/** What a payment showed when an operation was sent: had it moved since, the operation happened. */
export type OperationSeen = { status: PaymentRecord['status']; refundedAmount: number; settledAmount: number | null };
export const seenOf = ({ status, refundedAmount, settledAmount }: PaymentRecord): OperationSeen => ({ status, refundedAmount, settledAmount });
export const movedSince = (seen: OperationSeen, now: PaymentRecord): boolean =>
  seen.status !== now.status || seen.refundedAmount !== now.refundedAmount || seen.settledAmount !== now.settledAmount;

/**
 * What the payment's log says of the requests sent with this key: none (`new`); done (answer the payment as it is);
 * sent without an answer from the gateway (`unknown`: read the payment from the gateway, and if it has not moved since
 * the last sending, send it again as the next attempt); or the error it got, thrown again (a refusal). A key used for
 * another operation or amount is refused, and so is one whose last sending has no outcome yet (running now, or cut
 * short and read back later).
 */
export type PriorRequest = { kind: 'new' } | { kind: 'done' } | { kind: 'unknown'; attempt: number; operationId: string; seen: OperationSeen | null };

export function priorRequest(events: readonly PaymentEvent[], key: string, asked: { operation: MoneyOperation; amount: number | undefined; currency: Currency }): PriorRequest {
  const sent = events.filter((e) => e.type === 'operation_requested' && e.detail?.idempotencyKey === key);
  if (sent.length === 0) return { kind: 'new' };
  const { operation, amount } = sent[0].detail as { operation: MoneyOperation; amount?: number };
  if (operation !== asked.operation || (asked.amount !== undefined && asked.amount !== amount)) {
    const what = amount === undefined ? operation : `${operation} of ${amountText(amount, asked.currency)}`;
    throw new CheckoutError('idempotency_conflict', `This Idempotency-Key was used for a ${what} of this payment: send another key for another request.`);
  }
  const last = sent[sent.length - 1].detail as { operationId: string; seen?: OperationSeen };
  // The latest outcome: a sending the gateway did not answer may be learnt done later (`MoneyOperations.perform`).
  const outcome = events.findLast((e) => (e.type === 'operation_succeeded' || e.type === 'operation_failed') && e.detail?.operationId === last.operationId);
  if (!outcome) throw new CheckoutError('idempotency_conflict', `The ${operation} sent with this Idempotency-Key has no outcome yet: check the payment in a moment.`);
  if (outcome.type === 'operation_succeeded') return { kind: 'done' };
  const { code, message, gatewayCode, outcomeUnknown } = outcome.detail as { code: string; message: string; gatewayCode?: string | null; outcomeUnknown?: boolean };
  if (outcomeUnknown || code === 'gateway_error') return { kind: 'unknown', attempt: sent.length + 1, operationId: last.operationId, seen: last.seen ?? null };
  if (code === 'operation_refused') throw new CheckoutError('operation_refused', `The gateway refused the ${operation}: ${message}`, { gateway: { code: gatewayCode ?? 'refused', message } });
  throw new CheckoutError('operation_not_allowed', message);
}
