import type Database from 'better-sqlite3';
import { type HookOutboxRow, OUTBOX_INSERT_COLUMNS, claimWhere, claimedEntry, hookEntryFromRow, newLease, outboxInsertValues, outcomeColumns } from './outbox-rows.ts';
import { eventColumns } from './store-rows.ts';
import type { HookClaimQuery, HookOutboxEntry, HookOutcome, OutboxHook, PaymentRecord } from './store.ts';
import { statement } from './sqlite-statements.ts';

/**
 * SqliteStore's hook outbox (the `hook_outbox` table, migration 5). Enqueueing runs inside `updatePayment`'s
 * transaction; a claim and a finish are each one IMMEDIATE transaction, so connections to one file (processes)
 * serialise: a second claim waits, then sees the first one's leases.
 */

const INSERT_HOOK = `INSERT INTO hook_outbox (${OUTBOX_INSERT_COLUMNS.join(', ')}) VALUES (${OUTBOX_INSERT_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (idempotency_key) DO NOTHING`;

/**
 * Writes the change's hook call; a key already there keeps its row (a transition never enqueues twice); or updates
 * one (`hook.update`). Answers the row when it was written claimed (`hook.claim`).
 */
export function enqueueHook(db: Database.Database, hook: OutboxHook, after: PaymentRecord, at: string): HookOutboxEntry | null {
  if (hook.update) {
    statement(db, 'UPDATE hook_outbox SET payment = ? WHERE idempotency_key = ? AND delivered_at IS NULL').run(JSON.stringify(after), hook.key);
    return null;
  }
  const { changes } = statement(db, INSERT_HOOK).run(...outboxInsertValues(hook, after, at));
  return changes === 1 && hook.claim ? claimedEntry({ ...hook, claim: hook.claim }, after, at) : null;
}

export function claimHooks(db: Database.Database, query: HookClaimQuery): HookOutboxEntry[] {
  const claim = db.transaction(() => {
    const params: unknown[] = [];
    const where = claimWhere(query, (value) => (params.push(value), '?'));
    const keys = statement(db, `SELECT idempotency_key FROM hook_outbox WHERE ${where} ORDER BY next_attempt_at, rowid LIMIT ?`).all(...params, query.limit) as { idempotency_key: string }[];
    const lease = newLease();
    const take = statement(db, 'UPDATE hook_outbox SET next_attempt_at = ?, attempts = attempts + 1, lease = ? WHERE idempotency_key = ? RETURNING *');
    return keys.map(({ idempotency_key }) => hookEntryFromRow(take.get(query.leaseUntil, lease, idempotency_key) as HookOutboxRow));
  });
  return claim.immediate();
}

export function finishHook(db: Database.Database, key: string, lease: string, outcome: HookOutcome): boolean {
  const finish = db.transaction(() => {
    const set = outcomeColumns(outcome);
    const row = statement(db,
        `UPDATE hook_outbox SET delivered_at = ?, next_attempt_at = COALESCE(?, next_attempt_at), last_error = COALESCE(?, last_error), lease = NULL
          WHERE idempotency_key = ? AND lease = ? AND delivered_at IS NULL RETURNING payment_id`,
      )
      .get(set.delivered_at, set.next_attempt_at, set.last_error, key, lease) as { payment_id: string } | undefined;
    if (!row) return false;
    if (outcome.event) {
      statement(db, 'INSERT INTO payment_events (payment_id, at, source, type, from_status, to_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        row.payment_id, outcome.at, outcome.event.source, outcome.event.type, ...eventColumns(outcome.event, null),
      );
    }
    return true;
  });
  return finish.immediate();
}

export function listHooks(db: Database.Database, paymentId: string): HookOutboxEntry[] {
  const rows = statement(db, 'SELECT * FROM hook_outbox WHERE payment_id = ? ORDER BY created_at, rowid').all(paymentId) as HookOutboxRow[];
  return rows.map(hookEntryFromRow);
}
