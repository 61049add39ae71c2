import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CheckoutError, type Currency } from '@payment-checkout/core';
import { amountText } from '../common/amount-text.ts';
import type { MoneyOperation } from '../gateways/operations.ts';
import type { PaymentEvent } from '../store/store.ts';

/**
 * A money operation's `Idempotency-Key` (the operations API's header): the merchant's name for one request, so that
 * the request sent again (an answer lost, a button pressed twice, a script retried) is answered from what the first
 * did instead of done twice. Visible ASCII, at most 255 characters; one payment's keys are its own.
 */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7E]{1,255}$/, 'Idempotency-Key must be 1 to 255 visible ASCII characters (no spaces)');

/**
 * The operation id of a request sent with `key`: the same in every process, so that two of them sent at once share one
 * guard row at the outbox and only one reaches the gateway (`MoneyOperations`).
 */
export const keyedOperationId = (key: string): string => `key-${createHash('sha256').update(key).digest('base64url').slice(0, 32)}`;

/**
 * What the payment's log says of an earlier request with this key: nothing (null: a new request), done (true: answer
 * the payment as it is), or the error it got, thrown again — a refusal, or the gateway's silence (check the payment:
 * the request is never sent again under its key). A key used for another operation or amount is refused, and so is one
 * whose request has no outcome yet (running now, or cut short and read back later).
 */
export function replayed(events: readonly PaymentEvent[], key: string, asked: { operation: MoneyOperation; amount: number | undefined; currency: Currency }): boolean {
  const first = events.find((e) => e.type === 'operation_requested' && e.detail?.idempotencyKey === key);
  if (!first) return false;
  const { operation, amount, operationId } = first.detail as { operation: MoneyOperation; amount?: number; operationId: string };
  if (operation !== asked.operation || (asked.amount !== undefined && asked.amount !== amount)) {
    const what = amount === undefined ? operation : `${operation} of ${amountText(amount, asked.currency)}`;
    throw new CheckoutError('idempotency_conflict', `This Idempotency-Key was used for a ${what} of this payment: send another key for another request.`);
  }
  const outcome = events.find((e) => (e.type === 'operation_succeeded' || e.type === 'operation_failed') && e.detail?.operationId === operationId);
  if (!outcome) throw new CheckoutError('idempotency_conflict', `The ${operation} sent with this Idempotency-Key has no outcome yet: check the payment in a moment.`);
  if (outcome.type === 'operation_succeeded') return true;
  const { code, message, gatewayCode, outcomeUnknown } = outcome.detail as { code: string; message: string; gatewayCode?: string | null; outcomeUnknown?: boolean };
  if (outcomeUnknown || code === 'gateway_error') throw new CheckoutError('gateway_error', `The gateway did not answer the ${operation} sent with this Idempotency-Key; check the payment.`);
  if (code === 'operation_refused') throw new CheckoutError('operation_refused', `The gateway refused the ${operation}: ${message}`, { gateway: { code: gatewayCode ?? 'refused', message } });
  throw new CheckoutError('operation_not_allowed', message);
}
