import type { AfterPaidEvent } from '../gateways/gateway.ts';
import type { EventSource, HookOutboxEntry, NewPaymentEvent, OutboxHook, PaymentRecord } from '../store/store.ts';
import type { ServiceContext } from './context.ts';

/**
 * The gateway's step once a payment is paid (K-Payment: remember the card). The move that pays a payment owing it
 * writes the step's row to the hook outbox in its own transaction (`<payment>:afterPaid`), and the request that made
 * the move runs it at once (status-writer.ts); one that failed in a way that may pass (no answer, a 5xx, the shopper's
 * customer being created by another tab), or that a process died before running, is tried again from the outbox
 * with the hooks' backoff (several processes share it, none runs it twice at once), until it is done, refused for
 * good, or given up.
 */
export const AFTER_PAID = 'afterPaid';

/**
 * Attempts before a step that keeps failing is given up (recorded as `card_not_saved`): the first and ten more,
 * with the hooks' backoff (1 s doubling) about 17 minutes, within which a saved-card token is still good.
 */
export const AFTER_PAID_ATTEMPTS = 11;

/**
 * The outbox row of the step `payment` owes once paid, for the paying move's transaction; null when it owes none.
 * Read before that move: what decides it (the payment's form) was written before the payment could be paid.
 */
export async function afterPaidStep(ctx: ServiceContext, payment: PaymentRecord, source: EventSource): Promise<OutboxHook | null> {
  const step = ctx.o.gateways[payment.gateway]?.afterPaid;
  // The log is read only for a payment that may owe it (a paying move of any other reads nothing more).
  if (!step?.mayOwe(payment) || !step.owed(await ctx.store.listEvents(payment.id))) return null;
  return { name: AFTER_PAID, key: `${payment.id}:${AFTER_PAID}`, source };
}

/**
 * The step as the outbox runs it: the event to record with the delivery; throws (retried later) while it may pass,
 * and answers `card_not_saved` once it has failed `AFTER_PAID_ATTEMPTS` times.
 */
export async function afterPaidFromOutbox(ctx: ServiceContext, entry: HookOutboxEntry): Promise<NewPaymentEvent | null> {
  const step = ctx.o.gateways[entry.payment.gateway]?.afterPaid;
  if (!step) return null;
  let event: AfterPaidEvent | null;
  try {
    event = await step.run(entry.payment, await ctx.store.listEvents(entry.paymentId));
  } catch (err) {
    if (entry.attempts < AFTER_PAID_ATTEMPTS) throw err;
    const message = err instanceof Error ? err.message : String(err);
    ctx.logger.error(`the gateway step after payment failed ${entry.attempts} times: given up`, { paymentId: entry.paymentId, error: err });
    event = { type: 'card_not_saved', detail: { error: message, attempts: entry.attempts } };
  }
  return event && { source: entry.source, ...event };
}
