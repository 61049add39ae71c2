import type { PoolClient } from 'pg';
import { type HookOutboxRow, OUTBOX_INSERT_COLUMNS, claimWhere, claimedEntry, hookEntryFromRow, newLease, outboxInsertValues, outcomeColumns } from './outbox-rows.ts';
import { eventColumns } from './store-rows.ts';
import type { HookClaimQuery, HookOutboxEntry, HookOutcome, OutboxHook, PaymentRecord } from './store.ts';

/**
 * PostgresStore's hook outbox (the `hook_outbox` table of postgres-schema.ts). Each function runs on the
 * store's transaction client; `t` names a table of the store's schema. Enqueueing runs inside `updatePayment`'s
 * transaction. A claim is one statement that picks and leases: SKIP LOCKED leaves rows another process is
 * claiming or finishing to it, and a row leased after the statement's snapshot is re-checked under the lock
 * and is no longer due, so two processes never hold one row.
 */

type Table = (name: string) => string;

/**
 * Writes the change's hook call; a key already there keeps its row (a transition never enqueues twice); or updates
 * one (`hook.update`). Answers the row when it was written claimed (`hook.claim`).
 */
export async function enqueueHook(client: PoolClient, t: Table, hook: OutboxHook, after: PaymentRecord, at: string): Promise<HookOutboxEntry | null> {
  if (hook.update) {
    await client.query(`UPDATE ${t('hook_outbox')} SET payment = $1::jsonb WHERE idempotency_key = $2 AND delivered_at IS NULL`, [JSON.stringify(after), hook.key]);
    return null;
  }
  const { rowCount } = await client.query(
    `INSERT INTO ${t('hook_outbox')} (${OUTBOX_INSERT_COLUMNS.join(', ')}) VALUES (${OUTBOX_INSERT_COLUMNS.map((c, i) => (c === 'payment' ? `$${i + 1}::jsonb` : `$${i + 1}`)).join(', ')})
     ON CONFLICT (idempotency_key) DO NOTHING`,
    outboxInsertValues(hook, after, at),
  );
  return rowCount === 1 && hook.claim ? claimedEntry({ ...hook, claim: hook.claim }, after, at) : null;
}

export async function claimHooks(client: PoolClient, t: Table, query: HookClaimQuery): Promise<HookOutboxEntry[]> {
  const params: unknown[] = [];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = claimWhere(query, param);
  const { rows } = await client.query<HookOutboxRow & { seq: string }>(
    `WITH due AS (
       SELECT idempotency_key FROM ${t('hook_outbox')} WHERE ${where}
        ORDER BY next_attempt_at, seq LIMIT ${param(query.limit)} FOR UPDATE SKIP LOCKED),
     claimed AS (
       UPDATE ${t('hook_outbox')} o SET next_attempt_at = ${param(query.leaseUntil)}, attempts = o.attempts + 1, lease = ${param(newLease())}
         FROM due WHERE o.idempotency_key = due.idempotency_key RETURNING o.*)
     SELECT * FROM claimed ORDER BY seq`,
    params,
  );
  return rows.map(hookEntryFromRow);
}

export async function finishHook(client: PoolClient, t: Table, key: string, lease: string, outcome: HookOutcome): Promise<boolean> {
  const set = outcomeColumns(outcome);
  const { rows } = await client.query<{ payment_id: string }>(
    `UPDATE ${t('hook_outbox')} SET delivered_at = $1, next_attempt_at = COALESCE($2, next_attempt_at), last_error = COALESCE($3, last_error), lease = NULL
      WHERE idempotency_key = $4 AND lease = $5 AND delivered_at IS NULL RETURNING payment_id`,
    [set.delivered_at, set.next_attempt_at, set.last_error, key, lease],
  );
  if (rows.length === 0) return false;
  if (outcome.event) {
    await client.query(
      `INSERT INTO ${t('payment_events')} (payment_id, at, source, type, from_status, to_status, detail) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
      [rows[0].payment_id, outcome.at, outcome.event.source, outcome.event.type, ...eventColumns(outcome.event, null)],
    );
  }
  return true;
}

export async function listHooks(client: PoolClient, t: Table, paymentId: string): Promise<HookOutboxEntry[]> {
  const { rows } = await client.query<HookOutboxRow>(`SELECT * FROM ${t('hook_outbox')} WHERE payment_id = $1 ORDER BY created_at, seq`, [paymentId]);
  return rows.map(hookEntryFromRow);
}
