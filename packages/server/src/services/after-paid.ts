import type { AfterPaidEvent } from '../gateways/gateway.ts';
import type { EventSource, HookOutboxEntry, NewPaymentEvent, PaymentRecord } from '../store/store.ts';
import type { ServiceContext } from './context.ts';

/**
 * The gateway's step once a payment is paid (K-Payment: remember the card). Tried at once by the request that saw
 * the payment paid; one that failed in a way that may pass (no answer, a 5xx, the shopper's customer being created
 * by another tab) is written to the hook outbox under this name, and tried again from there with the hooks' backoff
 * (several processes share it, none runs it twice at once), until it is done, refused for good, or given up.
 */
export const AFTER_PAID = 'afterPaid';

/**
 * Attempts from the outbox before a step that keeps failing is given up (recorded as `card_not_saved`): with the
 * hooks' backoff (1 s doubling) about 17 minutes, within which a saved-card token is still good.
 */
export const AFTER_PAID_ATTEMPTS = 10;

/** Runs the gateway's step for a payment just paid. Never throws: a failure that may pass is left to the outbox. */
export async function runAfterPaid(ctx: ServiceContext, payment: PaymentRecord, source: EventSource): Promise<void> {
  const gateway = ctx.o.gateways[payment.gateway];
  if (!gateway?.afterPaid) return;
  const { store } = ctx;
  try {
    const event = await gateway.afterPaid(payment, await store.listEvents(payment.id));
    if (event) await store.appendEvent(payment.id, { source, ...event }, ctx.iso());
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.logger.warn('the gateway step after payment failed; it is tried again from the outbox', { paymentId: payment.id, error: err });
    const retry = { name: AFTER_PAID, key: `${payment.id}:${AFTER_PAID}`, source };
    const failed: NewPaymentEvent = { source, type: 'hook_failed', detail: { hook: AFTER_PAID, message } };
    await store
      .updatePayment(payment.id, () => ({ patch: {}, events: [failed], hook: retry, result: null }), ctx.iso())
      .catch((error: unknown) => ctx.logger.error('could not write the retry of the gateway step after payment: it is not tried again', { paymentId: payment.id, error }));
  }
}

/**
 * The step as the outbox runs it: the event to record with the delivery; throws (retried later) while it may pass,
 * and answers `card_not_saved` once it has failed `AFTER_PAID_ATTEMPTS` times.
 */
export async function afterPaidFromOutbox(ctx: ServiceContext, entry: HookOutboxEntry): Promise<NewPaymentEvent | null> {
  const gateway = ctx.o.gateways[entry.payment.gateway];
  if (!gateway?.afterPaid) return null;
  let event: AfterPaidEvent | null;
  try {
    event = await gateway.afterPaid(entry.payment, await ctx.store.listEvents(entry.paymentId));
  } catch (err) {
    if (entry.attempts < AFTER_PAID_ATTEMPTS) throw err;
    const message = err instanceof Error ? err.message : String(err);
    ctx.logger.error(`the gateway step after payment failed ${entry.attempts} times: given up`, { paymentId: entry.paymentId, error: err });
    event = { type: 'card_not_saved', detail: { error: message, attempts: entry.attempts } };
  }
  return event && { source: entry.source, ...event };
}
