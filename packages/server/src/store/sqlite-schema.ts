import { LIVE_STATUSES, PAID_STATUSES } from '@payment-checkout/core';
import { sqlList } from './store.ts';

/**
 * SqliteStore's schema, as migrations: migration i takes a database from version i to i + 1 (PRAGMA
 * user_version). A migration is never edited once released; a change is a new one at the end.
 */


export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE payments (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL,
    method          TEXT NOT NULL,
    gateway         TEXT NOT NULL,
    amount          INTEGER NOT NULL CHECK (amount > 0),
    currency        TEXT NOT NULL,
    platform        TEXT,
    charge_id       TEXT UNIQUE,
    source_id       TEXT,
    status          TEXT NOT NULL,
    failure_code    TEXT,
    failure_message TEXT,
    return_token    TEXT NOT NULL UNIQUE,
    authorize_uri   TEXT,
    superseded_by   TEXT,
    needs_refund    INTEGER NOT NULL DEFAULT 0 CHECK (needs_refund IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  );
  CREATE INDEX payments_by_order ON payments (order_id, created_at);
  CREATE INDEX payments_by_status ON payments (status, created_at);
  CREATE UNIQUE INDEX payments_one_live_per_order ON payments (order_id)
    WHERE status IN (${sqlList(LIVE_STATUSES)}) AND superseded_by IS NULL;
  CREATE UNIQUE INDEX payments_one_paid_per_order ON payments (order_id)
    WHERE status IN (${sqlList(PAID_STATUSES)}) AND needs_refund = 0;

  CREATE TABLE payment_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id  TEXT NOT NULL REFERENCES payments (id),
    at          TEXT NOT NULL,
    source      TEXT NOT NULL,
    type        TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    detail      TEXT
  );
  CREATE INDEX payment_events_by_payment ON payment_events (payment_id, id);
  CREATE TRIGGER payment_events_no_update BEFORE UPDATE ON payment_events
    BEGIN SELECT RAISE(ABORT, 'payment_events is append-only'); END;
  CREATE TRIGGER payment_events_no_delete BEFORE DELETE ON payment_events
    BEGIN SELECT RAISE(ABORT, 'payment_events is append-only'); END;
  `,
  `
  CREATE TABLE gateway_customers (
    gateway     TEXT NOT NULL,
    shopper_id  TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (gateway, shopper_id)
  );
  CREATE TABLE card_registrations (
    id              TEXT PRIMARY KEY,
    gateway         TEXT NOT NULL,
    order_id        TEXT NOT NULL,
    shopper_id      TEXT NOT NULL,
    return_token    TEXT NOT NULL UNIQUE,
    card_token      TEXT UNIQUE,
    charge_id       TEXT UNIQUE,
    status          TEXT NOT NULL,
    failure_code    TEXT,
    failure_message TEXT,
    customer_id     TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
  );
  `,
  // The reconciler's schedule: when a live payment is next due (null: never claimed) and how many checks left it live.
  `
  ALTER TABLE payments ADD COLUMN reconcile_after TEXT;
  ALTER TABLE payments ADD COLUMN reconcile_attempts INTEGER NOT NULL DEFAULT 0;
  `,
  // Money operations (refunds, settlement) and the operations API's newest-first list.
  `
  ALTER TABLE payments ADD COLUMN refunded_amount INTEGER NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount);
  ALTER TABLE payments ADD COLUMN settled_amount INTEGER CHECK (settled_amount > 0 AND settled_amount <= amount);
  CREATE INDEX payments_by_created ON payments (created_at, id);
  `,
  // The hook outbox: a status change and the hook call it causes are written in one transaction; one row per key.
  `
  CREATE TABLE hook_outbox (
    idempotency_key TEXT PRIMARY KEY,
    payment_id      TEXT NOT NULL REFERENCES payments (id),
    hook            TEXT NOT NULL,
    source          TEXT NOT NULL,
    payment         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    lease           TEXT,
    last_error      TEXT,
    delivered_at    TEXT,
    created_at      TEXT NOT NULL
  );
  CREATE INDEX hook_outbox_due ON hook_outbox (next_attempt_at) WHERE delivered_at IS NULL;
  CREATE INDEX hook_outbox_by_payment ON hook_outbox (payment_id);
  `,
  // What the shopper paid (the receipt): the amount and currency the card was charged in (DCC), the instalments chosen.
  `
  ALTER TABLE payments ADD COLUMN charged_amount INTEGER CHECK (charged_amount > 0);
  ALTER TABLE payments ADD COLUMN charged_currency TEXT CHECK ((charged_currency IS NULL) = (charged_amount IS NULL));
  ALTER TABLE payments ADD COLUMN installment_term INTEGER CHECK (installment_term > 0);
  `,
  // The reconciler's claim: live payments in the claim's order (then rowid), so that it reads the due ones and stops (issue 12).
  `
  CREATE INDEX payments_reconcile_due ON payments ((reconcile_attempts > 0), COALESCE(reconcile_after, created_at), created_at)
    WHERE status IN (${sqlList(LIVE_STATUSES)});
  `,
  // When the gateway created the charge (K-Payment's refund and inquiry windows count from it).
  `
  ALTER TABLE payments ADD COLUMN charge_created_at TEXT;
  `,
];
