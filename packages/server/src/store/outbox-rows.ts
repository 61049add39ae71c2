import { randomUUID } from 'node:crypto';
import { type HookClaimQuery, type HookOutboxEntry, type HookOutcome, type OutboxHook, type PaymentRecord } from './store.ts';

/**
 * The hook outbox's row shape, shared by both SQL stores (the same table and columns), and its mapping. The
 * payment is a JSON snapshot of the record as the change left it: text in SQLite, jsonb in PostgreSQL.
 */

export interface HookOutboxRow {
  idempotency_key: string;
  payment_id: string;
  hook: string;
  source: string;
  payment: string | Record<string, unknown>;
  attempts: number | string;
  next_attempt_at: string;
  lease: string | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

/** The columns an enqueue writes, in order, and their values: a new row, due at once and never tried, or claimed (`hook.claim`). */
export const OUTBOX_INSERT_COLUMNS = ['idempotency_key', 'payment_id', 'hook', 'source', 'payment', 'attempts', 'next_attempt_at', 'lease', 'created_at'] as const;

export function outboxInsertValues(hook: OutboxHook, after: PaymentRecord, at: string): unknown[] {
  const { claim } = hook;
  return [hook.key, after.id, hook.name, hook.source, JSON.stringify(after), claim ? 1 : 0, claim?.leaseUntil ?? at, claim?.lease ?? null, at];
}

/** The entry of a row just written claimed (`hook.claim`): what the insert wrote, without reading it back. */
export function claimedEntry(hook: OutboxHook & { claim: NonNullable<OutboxHook['claim']> }, after: PaymentRecord, at: string): HookOutboxEntry {
  return {
    key: hook.key,
    paymentId: after.id,
    hook: hook.name,
    source: hook.source,
    payment: after,
    attempts: 1,
    nextAttemptAt: hook.claim.leaseUntil,
    lease: hook.claim.lease,
    lastError: null,
    deliveredAt: null,
    createdAt: at,
  };
}

/** A stored row as its entry: mapped, not parsed (the store wrote it, the payment from a checked record; store-rows.ts). */
export function hookEntryFromRow(r: HookOutboxRow): HookOutboxEntry {
  return {
    key: r.idempotency_key,
    paymentId: r.payment_id,
    hook: r.hook,
    source: r.source as HookOutboxEntry['source'],
    payment: (typeof r.payment === 'string' ? JSON.parse(r.payment) : r.payment) as HookOutboxEntry['payment'],
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    lease: r.lease,
    lastError: r.last_error,
    deliveredAt: r.delivered_at,
    createdAt: r.created_at,
  };
}

/** A claim's id: the rows it took carry it, and only it may finish them. */
export const newLease = (): string => randomUUID();

/** The columns a finished delivery sets: delivered (the last error kept), or due again with its error. */
export function outcomeColumns(outcome: HookOutcome): { delivered_at: string | null; next_attempt_at: string | null; last_error: string | null } {
  return outcome.delivered
    ? { delivered_at: outcome.at, next_attempt_at: null, last_error: null }
    : { delivered_at: null, next_attempt_at: outcome.retryAt, last_error: outcome.error };
}

/** The WHERE clause of a claim, for both SQL stores (`param` writes a placeholder and keeps its value). */
export function claimWhere(query: HookClaimQuery, param: (value: unknown) => string): string {
  const where = ['delivered_at IS NULL', `next_attempt_at <= ${param(query.dueBy)}`];
  if (query.freshBefore !== undefined) where.push(`(attempts > 0 OR created_at <= ${param(query.freshBefore)})`);
  if (query.key !== undefined) where.push(`idempotency_key = ${param(query.key)}`);
  return where.join(' AND ');
}
