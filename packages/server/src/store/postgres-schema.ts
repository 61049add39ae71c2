import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { LIVE_STATUSES, PAID_STATUSES } from '@payment-checkout/core';
import { sqlList } from './store.ts';

/**
 * PostgresStore's tables, indexes and triggers: the database itself enforces the store's invariants. One
 * idempotent script creates what is missing; a later version adds its columns with ADD COLUMN IF NOT EXISTS,
 * so a database created by an earlier version is brought up to date the first time a store uses it.
 */


/** One DDL script, idempotent, run in one transaction: either every object below exists or none does. */
export function schemaSql(s: string): string {
  return `
  CREATE TABLE IF NOT EXISTS ${s}.payments (
    id              text PRIMARY KEY,
    order_id        text NOT NULL,
    method          text NOT NULL,
    gateway         text NOT NULL,
    amount          bigint NOT NULL CHECK (amount > 0),
    currency        text NOT NULL,
    platform        text,
    charge_id       text UNIQUE,
    source_id       text,
    status          text NOT NULL,
    failure_code    text,
    failure_message text,
    return_token    text NOT NULL UNIQUE,
    authorize_uri   text,
    superseded_by   text,
    needs_refund    boolean NOT NULL DEFAULT false,
    created_at      text COLLATE "C" NOT NULL,
    updated_at      text COLLATE "C" NOT NULL,
    -- Insertion order, to break ties between equal created_at values (SQLite's rowid).
    seq             bigint GENERATED ALWAYS AS IDENTITY
  );
  -- The reconciler's schedule (added after the first release): next check (null: never claimed), checks that left it live.
  ALTER TABLE ${s}.payments ADD COLUMN IF NOT EXISTS reconcile_after text COLLATE "C";
  ALTER TABLE ${s}.payments ADD COLUMN IF NOT EXISTS reconcile_attempts integer NOT NULL DEFAULT 0;
  -- Money operations (added later): what was refunded and settled, minor units.
  ALTER TABLE ${s}.payments ADD COLUMN IF NOT EXISTS refunded_amount bigint NOT NULL DEFAULT 0
    CHECK (refunded_amount >= 0 AND refunded_amount <= amount);
  ALTER TABLE ${s}.payments ADD COLUMN IF NOT EXISTS settled_amount bigint CHECK (settled_amount > 0 AND settled_amount <= amount);
  -- What the shopper paid (added later): the amount and currency the card was charged in (DCC), the instalments chosen.
  ALTER TABLE ${s}.payments ADD COLUMN IF NOT EXISTS charged_amount bigint CHECK (charged_amount > 0);
  ALTER TABLE ${s}.payments ADD COLUMN IF NOT EXISTS charged_currency text CHECK ((charged_currency IS NULL) = (charged_amount IS NULL));
  ALTER TABLE ${s}.payments ADD COLUMN IF NOT EXISTS installment_term integer CHECK (installment_term > 0);
  ALTER TABLE ${s}.payments ADD COLUMN IF NOT EXISTS charge_created_at text;
  CREATE INDEX IF NOT EXISTS payments_by_created ON ${s}.payments (created_at, id);
  CREATE INDEX IF NOT EXISTS payments_by_order ON ${s}.payments (order_id, created_at, seq);
  CREATE INDEX IF NOT EXISTS payments_by_status ON ${s}.payments (status, created_at, seq);
  -- The reconciler's claim (added later): live payments in the claim's order, so that it reads the due ones and stops.
  CREATE INDEX IF NOT EXISTS payments_reconcile_due ON ${s}.payments
    ((reconcile_attempts > 0), (COALESCE(reconcile_after, created_at)), created_at, seq) WHERE status IN (${sqlList(LIVE_STATUSES)});
  CREATE UNIQUE INDEX IF NOT EXISTS payments_one_live_per_order ON ${s}.payments (order_id)
    WHERE status IN (${sqlList(LIVE_STATUSES)}) AND superseded_by IS NULL;
  CREATE UNIQUE INDEX IF NOT EXISTS payments_one_paid_per_order ON ${s}.payments (order_id)
    WHERE status IN (${sqlList(PAID_STATUSES)}) AND NOT needs_refund;

  CREATE TABLE IF NOT EXISTS ${s}.payment_events (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id  text NOT NULL REFERENCES ${s}.payments (id),
    at          text COLLATE "C" NOT NULL,
    source      text NOT NULL,
    type        text NOT NULL,
    from_status text,
    to_status   text,
    detail      jsonb
  );
  CREATE INDEX IF NOT EXISTS payment_events_by_payment ON ${s}.payment_events (payment_id, id);
  CREATE OR REPLACE FUNCTION ${s}.payment_events_append_only() RETURNS trigger LANGUAGE plpgsql AS
    $fn$ BEGIN RAISE EXCEPTION 'payment_events is append-only'; END $fn$;
  DO $do$ BEGIN
    CREATE TRIGGER payment_events_no_change BEFORE UPDATE OR DELETE ON ${s}.payment_events
      FOR EACH ROW EXECUTE FUNCTION ${s}.payment_events_append_only();
    CREATE TRIGGER payment_events_no_truncate BEFORE TRUNCATE ON ${s}.payment_events
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.payment_events_append_only();
  EXCEPTION WHEN duplicate_object THEN NULL;
  END $do$;

  CREATE TABLE IF NOT EXISTS ${s}.gateway_customers (
    gateway     text NOT NULL,
    shopper_id  text NOT NULL,
    customer_id text NOT NULL,
    created_at  text COLLATE "C" NOT NULL,
    updated_at  text COLLATE "C" NOT NULL,
    PRIMARY KEY (gateway, shopper_id)
  );
  CREATE TABLE IF NOT EXISTS ${s}.card_registrations (
    id              text PRIMARY KEY,
    gateway         text NOT NULL,
    order_id        text NOT NULL,
    shopper_id      text NOT NULL,
    return_token    text NOT NULL UNIQUE,
    card_token      text UNIQUE,
    charge_id       text UNIQUE,
    status          text NOT NULL,
    failure_code    text,
    failure_message text,
    customer_id     text,
    created_at      text COLLATE "C" NOT NULL,
    updated_at      text COLLATE "C" NOT NULL
  );

  -- The hook outbox (added later): a status change and the hook call it causes, in one transaction; one row per key.
  CREATE TABLE IF NOT EXISTS ${s}.hook_outbox (
    idempotency_key text PRIMARY KEY,
    payment_id      text NOT NULL REFERENCES ${s}.payments (id),
    hook            text NOT NULL,
    source          text NOT NULL,
    payment         jsonb NOT NULL,
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at text COLLATE "C" NOT NULL,
    lease           text,
    last_error      text,
    delivered_at    text COLLATE "C",
    created_at      text COLLATE "C" NOT NULL,
    seq             bigint GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX IF NOT EXISTS hook_outbox_due ON ${s}.hook_outbox (next_attempt_at, seq) WHERE delivered_at IS NULL;
  CREATE INDEX IF NOT EXISTS hook_outbox_by_payment ON ${s}.hook_outbox (payment_id, seq);
  `;
}

/** What `schemaSql` creates; when all exist the store runs no DDL (no locks, no CREATE privilege needed). */
export const SCHEMA_RELATIONS = [
  'payments', 'payments_by_order', 'payments_by_status', 'payments_by_created', 'payments_reconcile_due', 'payments_one_live_per_order', 'payments_one_paid_per_order',
  'payment_events', 'payment_events_by_payment', 'gateway_customers', 'card_registrations',
  'hook_outbox', 'hook_outbox_due', 'hook_outbox_by_payment',
];
export const SCHEMA_TRIGGERS = ['payment_events_no_change', 'payment_events_no_truncate'];
/** Columns added to `payments` after its first version: a database without them runs the script again. */
export const SCHEMA_ADDED_COLUMNS = ['reconcile_after', 'reconcile_attempts', 'refunded_amount', 'settled_amount', 'charged_amount', 'charged_currency', 'installment_term', 'charge_created_at'];

/**
 * Creates the schema and whatever of `schemaSql` is missing, under an advisory lock (two processes starting at
 * once: CREATE … IF NOT EXISTS alone can still collide in the catalogs). Runs no DDL when everything exists.
 */
export async function ensureSchema(pool: Pool, schema: string): Promise<void> {
  if (await schemaComplete(pool, schema)) return;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`payment-checkout:schema:${schema}`]);
    if (!(await schemaComplete(client, schema))) {
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      // CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege on the database even when the schema exists.
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
      await client.query(schemaSql(pg.escapeIdentifier(schema)));
    }
    await client.query('COMMIT');
  } catch (err) {
    broken = await rollback(client);
    throw err;
  } finally {
    client.release(broken);
  }
}

async function schemaComplete(db: Pool | PoolClient, schema: string): Promise<boolean> {
  const { rows } = await db.query<{ relations: number; triggers: number; columns: number }>(
    `SELECT (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = $1 AND c.relname = ANY($2)) AS relations,
            (SELECT count(*)::int FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = $1 AND c.relname = 'payment_events' AND t.tgname = ANY($3)) AS triggers,
            (SELECT count(*)::int FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = $1 AND c.relname = 'payments' AND a.attname = ANY($4) AND NOT a.attisdropped) AS columns`,
    [schema, SCHEMA_RELATIONS, SCHEMA_TRIGGERS, SCHEMA_ADDED_COLUMNS],
  );
  const found = rows[0];
  return found.relations === SCHEMA_RELATIONS.length && found.triggers === SCHEMA_TRIGGERS.length && found.columns === SCHEMA_ADDED_COLUMNS.length;
}

/** Rolls back; answers the error when even that failed, so the connection is discarded instead of reused. */
export async function rollback(client: PoolClient): Promise<Error | undefined> {
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}
