import { createHash } from 'node:crypto';

/**
 * The growth benchmark's stored payments (scripts/bench/growth.ts), written by one SQL statement per table in the
 * store's own tables, the same rows for SQLite and PostgreSQL. Payments come in pairs, one order each, created
 * evenly over the year before `nowMs` (the second a minute after the first). Per order:
 *  - 6 %: a failed attempt, then a live one (pending 70 %, created 20 %, authorized 10 %): 3 % of payments are live;
 *    a third of those never checked by the reconciler, a third due (next check up to a day ago), a third not due
 *    (next check within the hour);
 *  - 74 %: an expired or failed attempt, then a succeeded one;
 *  - 20 %: a failed attempt, then an expired one.
 * Every payment has its `created` event; every succeeded one a delivered `onPaid` hook call in the outbox.
 * Ids, charge ids and return tokens are md5 hex (random-looking, like the real ones): `seededPaymentId(i)` is payment i's.
 */

export interface SeedDialect {
  /** The CTE that yields i = 0 … n - 1 as column `i` of `g` (bigint), with its WITH keyword. */
  series(n: number): string;
  /** An ISO-8601 UTC text with milliseconds, from an epoch-milliseconds expression. */
  iso(ms: string): string;
  falseValue: string;
}

export const POSTGRES_SEED: SeedDialect = {
  series: (n) => `WITH g(i) AS (SELECT generate_series(0::bigint, ${n - 1}))`,
  iso: (ms) => `to_char(to_timestamp((${ms}) / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  falseValue: 'false',
};

/** SQLite has no md5: the seeding connection registers `md5ForSqlite` as md5(text). */
export const SQLITE_SEED: SeedDialect = {
  series: (n) => `WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < ${n - 1})`,
  iso: (ms) => `strftime('%Y-%m-%dT%H:%M:%fZ', (${ms}) / 1000.0, 'unixepoch')`,
  falseValue: '0',
};

export const md5ForSqlite = (text: string): string => createHash('md5').update(text).digest('hex');
export const seededPaymentId = (i: number): string => `pay_${md5ForSqlite(`p${i}`)}`;
export const seededOrderId = (pair: number): string => `order-${pair}`;

const YEAR_MS = 365 * 24 * 3_600_000;

/** The INSERTs that seed `n` payments (their events and hook calls) into the tables named by `t`, in order. */
export function seedStatements(d: SeedDialect, t: (table: string) => string, n: number, nowMs: number): string[] {
  const pairs = Math.ceil(n / 2);
  const step = Math.floor(YEAR_MS / pairs);
  const columns = [
    'id', 'order_id', 'method', 'gateway', 'amount', 'currency', 'platform', 'charge_id', 'source_id', 'status', 'failure_code',
    'failure_message', 'return_token', 'authorize_uri', 'superseded_by', 'needs_refund', 'created_at', 'updated_at',
    'reconcile_after', 'reconcile_attempts',
  ];
  const payments = `
    ${d.series(n)},
    p AS (SELECT i, i / 2 AS k, i % 2 AS second, ((i / 2) * 2654435761) % 4294967296 % 100 AS r, (i * 40503) % 65536 AS h FROM g),
    q AS (SELECT p.*, (r < 6 AND second = 1) AS live,
            CASE WHEN r < 6 THEN (CASE WHEN second = 0 THEN 'failed' WHEN h % 10 < 7 THEN 'pending' WHEN h % 10 < 9 THEN 'created' ELSE 'authorized' END)
                 WHEN r < 80 THEN (CASE WHEN second = 1 THEN 'succeeded' WHEN h % 2 = 0 THEN 'expired' ELSE 'failed' END)
                 ELSE (CASE WHEN second = 1 THEN 'expired' ELSE 'failed' END) END AS status,
            ${nowMs} - (${pairs} - k) * ${step} + second * 60000 AS created_ms
          FROM p)
    INSERT INTO ${t('payments')} (${columns.join(', ')})
    SELECT 'pay_' || md5('p' || CAST(i AS TEXT)), 'order-' || CAST(k AS TEXT),
           CASE h % 4 WHEN 0 THEN 'thai_qr' WHEN 1 THEN 'card' WHEN 2 THEN 'mobile_banking_kbank' ELSE 'alipay' END,
           CASE WHEN h % 4 = 1 THEN 'kpayment' ELSE 'opn' END,
           1000 + (k * 7919) % 500000, 'THB', NULL,
           CASE WHEN status = 'created' THEN NULL ELSE 'chrg_' || md5('c' || CAST(i AS TEXT)) END, NULL, status,
           CASE WHEN status = 'failed' THEN 'insufficient_fund' END, CASE WHEN status = 'failed' THEN 'declined' END,
           md5('t' || CAST(i AS TEXT)) || md5('u' || CAST(i AS TEXT)), NULL, NULL, ${d.falseValue},
           ${d.iso('created_ms')}, ${d.iso('created_ms + 30000')},
           CASE WHEN live AND h % 3 = 1 THEN ${d.iso(`${nowMs} - (h * 997) % 86400000`)}
                WHEN live AND h % 3 = 2 THEN ${d.iso(`${nowMs} + 1000 + (h * 991) % 3600000`)} END,
           CASE WHEN live AND h % 3 <> 0 THEN 1 + h % 6 ELSE 0 END
      FROM q`;
  const events = `INSERT INTO ${t('payment_events')} (payment_id, at, source, type, from_status, to_status, detail)
    SELECT id, created_at, 'create', 'created', NULL, 'created', NULL FROM ${t('payments')}`;
  const hooks = `INSERT INTO ${t('hook_outbox')} (idempotency_key, payment_id, hook, source, payment, attempts, next_attempt_at, delivered_at, created_at)
    SELECT id || ':succeeded:onPaid', id, 'onPaid', 'webhook', '{}', 1, updated_at, updated_at, updated_at FROM ${t('payments')} WHERE status = 'succeeded'`;
  return [payments, events, hooks];
}
