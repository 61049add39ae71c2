import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  type NewPayment,
  type NewPaymentEvent,
  type PaymentEvent,
  type PaymentChange,
  PaymentRecord,
  type PaymentSearch,
  type PaymentStore,
  type PaymentUpdate,
  type ReconcileClaim,
  type ReconcileClaimQuery,
  type ReconcileSchedule,
  StoreConflictError,
  type StoreConflictCode,
  type UpdateContext,
  type HookClaimQuery,
  type HookOutboxEntry,
  type HookOutcome,
  latestDue,
  sqlList,
} from './store.ts';
import { CardRegistration, type CardRegistrationPatch, type CardStore, type NewCardRegistration, ShopperCustomer } from './card-store.ts';
import { LIVE_STATUSES, PAID_STATUSES } from '@payment-checkout/core';
import { MIGRATIONS } from './sqlite-schema.ts';
import { WalCheckpointer } from './sqlite-checkpointer.ts';
import { GroupCommit } from './sqlite-group-commit.ts';
import { statement } from './sqlite-statements.ts';
import { claimCustomer, getCustomer, releaseCustomer, saveCustomer } from './sqlite-customers.ts';
import { claimHooks, enqueueHook, finishHook, listHooks } from './sqlite-outbox.ts';
import {
  newPaymentRecord,
  PAYMENT_COLUMNS,
  type PaymentRow,
  PATCH_COLUMNS,
  applyChange,
  REGISTRATION_COLUMNS,
  type RegistrationRow,
  type ScheduleRow,
  type EventRow,
  eventFromRow,
  eventColumns,
  orderConflictError,
  paymentFromRow,
  paymentToRow,
  registrationFromRow,
  registrationToRow,
  scheduleFromRow,
  searchSql,
} from './store-rows.ts';

/**
 * The default store: SQLite through better-sqlite3, WAL journal, migrations in sqlite-schema.ts (PRAGMA user_version).
 * better-sqlite3 is synchronous, so each method is atomic inside the process; writes also take an IMMEDIATE
 * transaction so several processes on one file serialise too. The invariants live in the schema as well:
 * one live payment per order (partial unique index), one paying payment per order, unique charge ids, and an
 * append-only event log (triggers).
 */

/** better-sqlite3 binds no booleans: needs_refund is 0 or 1. */
type SqlitePaymentRow = Omit<PaymentRow, 'needs_refund'> & { needs_refund: number };

type Decide = (current: PaymentRecord, context: UpdateContext) => PaymentChange<unknown> | null;

const INSERT_PAYMENT = `INSERT INTO payments (${PAYMENT_COLUMNS.join(', ')}) VALUES (${PAYMENT_COLUMNS.map((c) => `@${c}`).join(', ')})`;
const PAID_SIBLING = `SELECT * FROM payments WHERE order_id = ? AND id <> ? AND status IN (${sqlList(PAID_STATUSES)}) AND needs_refund = 0 ORDER BY created_at LIMIT 1`;

export interface SqliteStoreOptions {
  /** A file path, or `':memory:'`. */
  path: string;
  /** How soon after a commit the WAL is checkpointed in the background (ms; sqlite-checkpointer.ts). */
  checkpointEveryMs?: number;
}

export class SqliteStore implements PaymentStore, CardStore {
  readonly path: string;
  readonly #db: Database.Database;
  /** Every write goes through it: one transaction and one sync to disk per turn of the event loop. */
  readonly #writes: GroupCommit;
  /** A file's WAL checkpoints, in a worker thread (none for `:memory:`). */
  readonly #checkpointer: WalCheckpointer | null = null;
  // The write transactions, wrapped once (better-sqlite3 builds a wrapper per `transaction()` call).
  readonly #insertTx: Database.Transaction<(record: PaymentRecord) => void>;
  readonly #updateTx: Database.Transaction<(id: string, decide: Decide, at: string, attempt: { after: PaymentRecord | null }) => PaymentUpdate<unknown> | null>;

  constructor(options: SqliteStoreOptions) {
    this.path = options.path;
    try {
      this.#db = new Database(options.path);
    } catch (err) {
      throw openError(options.path, err);
    }
    try {
      this.#open(options.path);
    } catch (err) {
      this.#db.close();
      throw openError(options.path, err);
    }
    this.#writes = new GroupCommit(this.#db);
    if (options.path !== ':memory:') this.#checkpointer = this.#startCheckpointer(options.checkpointEveryMs);
    this.#insertTx = this.#db.transaction((record) => this.#insert(record));
    this.#updateTx = this.#db.transaction((id, decide, at, attempt) => this.#update(id, decide, at, attempt));
  }

  /** The connection's settings, and the schema brought to the current version. */
  #open(path: string): void {
    if (path !== ':memory:') this.#db.pragma('journal_mode = WAL');
    // Every commit synced to disk before its caller hears of it (a status the shopper was shown survives a power
    // loss). Said explicitly: better-sqlite3 builds SQLite with SQLITE_DEFAULT_WAL_SYNCHRONOUS=1, so a connection
    // to a database already in WAL mode (every restart) would otherwise run at NORMAL, syncing only at checkpoints.
    this.#db.pragma('synchronous = FULL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma('busy_timeout = 5000');
    // The journals of savepoints (each write of a group commit is one) in memory: SQLite spilled them past 64 KiB to
    // a temporary file, rewritten page by page at every group (BENCHMARKS.md, "savepoint journals in memory").
    this.#db.pragma('temp_store = MEMORY');
    this.#migrate();
  }

  /** Checkpoints in a worker thread; where one cannot start (a host without worker threads), SQLite's own, in the commits. */
  #startCheckpointer(everyMs: number | undefined): WalCheckpointer | null {
    try {
      const checkpointer = new WalCheckpointer(this.#db, { everyMs });
      this.#writes.onCommit = () => checkpointer.nudge();
      return checkpointer;
    } catch {
      return null;
    }
  }

  /** How this connection syncs a commit (PRAGMA synchronous): 2 is FULL, the WAL synced to disk in every commit. */
  get synchronous(): number {
    return this.#db.pragma('synchronous', { simple: true }) as number;
  }

  /** The schema version this database is at. */
  get schemaVersion(): number {
    return this.#db.pragma('user_version', { simple: true }) as number;
  }

  #migrate(): void {
    const run = this.#db.transaction(() => {
      for (let version = this.schemaVersion; version < MIGRATIONS.length; version++) {
        this.#db.exec(MIGRATIONS[version]);
        this.#db.pragma(`user_version = ${version + 1}`);
      }
    });
    run.immediate();
  }

  async createPayment(payment: NewPayment): Promise<PaymentRecord> {
    const record = newPaymentRecord(payment);
    await this.#write(() => this.#insertTx.immediate(record), () => classify(record));
    return record;
  }

  #insert(record: PaymentRecord): void {
    statement(this.#db, INSERT_PAYMENT).run(toRow(record));
    this.#insertEvent(record.id, record.createdAt, { source: 'create', type: 'created', toStatus: record.status, detail: { method: record.method, amount: record.amount, currency: record.currency } }, null);
  }

  async getPayment(id: string): Promise<PaymentRecord | null> {
    return this.#one('SELECT * FROM payments WHERE id = ?', id);
  }

  async findPaymentByChargeId(chargeId: string): Promise<PaymentRecord | null> {
    return this.#one('SELECT * FROM payments WHERE charge_id = ?', chargeId);
  }

  async listPaymentsForOrder(orderId: string): Promise<PaymentRecord[]> {
    return this.#many('SELECT * FROM payments WHERE order_id = ? ORDER BY created_at, rowid', orderId);
  }

  async searchPayments(query: PaymentSearch): Promise<PaymentRecord[]> {
    const params: unknown[] = [];
    const sql = searchSql(query, (value) => (params.push(value), '?'));
    return this.#many(`SELECT * FROM payments ${sql}`, ...params);
  }

  async listLivePayments(query: { createdBefore: string; limit: number }): Promise<PaymentRecord[]> {
    return this.#many(
      `SELECT * FROM payments WHERE status IN (${sqlList(LIVE_STATUSES)}) AND created_at < ? ORDER BY created_at, rowid LIMIT ?`,
      query.createdBefore,
      query.limit,
    );
  }

  async claimPaymentsToReconcile(query: ReconcileClaimQuery): Promise<ReconcileClaim[]> {
    // One IMMEDIATE transaction: a second process (another connection to the file) waits, then sees the leases.
    // The index payments_reconcile_due serves the WHERE and the ORDER BY (its predicate is this status list). The
    // last two conditions hold for every due row; they let the scan read each half of that index (never checked,
    // then checked) from its start up to the latest time a due row can have, instead of every live row.
    const claim = this.#db.transaction(() => {
      const rows = statement(this.#db,
          `SELECT * FROM payments
            WHERE status IN (${sqlList(LIVE_STATUSES)}) AND created_at < ? AND (reconcile_after IS NULL OR reconcile_after <= ?)
              AND (reconcile_attempts > 0) IN (0, 1) AND COALESCE(reconcile_after, created_at) <= ?
            ORDER BY reconcile_attempts > 0, COALESCE(reconcile_after, created_at), created_at, rowid LIMIT ?`,
        )
        .all(query.createdBefore, query.dueBy, latestDue(query), query.limit) as (SqlitePaymentRow & ScheduleRow)[];
      const lease = statement(this.#db, 'UPDATE payments SET reconcile_after = ? WHERE id = ?');
      for (const row of rows) lease.run(query.leaseUntil, row.id);
      return rows.map((row) => ({ payment: fromRow(row), ...scheduleFromRow(row) }));
    });
    return this.#writes.run(() => claim.immediate());
  }

  async scheduleReconcile(paymentId: string, schedule: { nextCheckAt: string; attempts: number }): Promise<void> {
    const { changes } = await this.#writes.run(() =>
      statement(this.#db, 'UPDATE payments SET reconcile_after = ?, reconcile_attempts = ? WHERE id = ?').run(schedule.nextCheckAt, schedule.attempts, paymentId),
    );
    if (changes === 0) throw new Error(`no payment ${paymentId}`);
  }

  async getReconcileSchedule(paymentId: string): Promise<ReconcileSchedule | null> {
    const row = statement(this.#db, 'SELECT reconcile_after, reconcile_attempts FROM payments WHERE id = ?').get(paymentId) as ScheduleRow | undefined;
    return row ? scheduleFromRow(row) : null;
  }

  async updatePayment<R>(
    id: string,
    decide: (current: PaymentRecord, context: UpdateContext) => PaymentChange<R> | null,
    at: string,
  ): Promise<PaymentUpdate<R> | null> {
    const attempt = { after: null as PaymentRecord | null };
    const update = await this.#write(() => this.#updateTx.immediate(id, decide, at, attempt), () => (attempt.after ? classify(attempt.after) : 'live_payment_exists'));
    return update as PaymentUpdate<R> | null;
  }

  #update(id: string, decide: Decide, at: string, attempt: { after: PaymentRecord | null }): PaymentUpdate<unknown> | null {
    const before = this.#one('SELECT * FROM payments WHERE id = ?', id);
    if (!before) throw new Error(`no payment ${id}`);
    const change = decide(before, { paidPayment: this.#one(PAID_SIBLING, before.orderId, id) });
    if (!change) return null;
    const { after, fields } = applyChange(before, change, at);
    attempt.after = after;
    if (fields.length > 0) {
      const sets = fields.map((k) => `${PATCH_COLUMNS[k]} = @${PATCH_COLUMNS[k]}`).join(', ');
      statement(this.#db, `UPDATE payments SET ${sets}, updated_at = @updated_at WHERE id = @id`).run(toRow(after));
    }
    for (const event of change.events) this.#insertEvent(id, at, event, before.status);
    const claimedHook = change.hook ? enqueueHook(this.#db, change.hook, after, at) : null;
    if (change.step) enqueueHook(this.#db, change.step, after, at);
    return { before, after: fields.length > 0 ? after : before, result: change.result, ...(claimedHook ? { claimedHook } : {}) };
  }

  async appendEvent(paymentId: string, event: NewPaymentEvent, at: string): Promise<void> {
    const status = statement(this.#db, 'SELECT status FROM payments WHERE id = ?').get(paymentId) as { status: string } | undefined;
    if (!status) throw new Error(`no payment ${paymentId}`);
    await this.#writes.run(() => this.#insertEvent(paymentId, at, event, null));
  }

  async listEvents(paymentId: string): Promise<PaymentEvent[]> {
    return (statement(this.#db, 'SELECT * FROM payment_events WHERE payment_id = ? ORDER BY id').all(paymentId) as EventRow[]).map(eventFromRow);
  }

  // ── Hook outbox (sqlite-outbox.ts) ──

  async claimHookDeliveries(query: HookClaimQuery): Promise<HookOutboxEntry[]> {
    return this.#writes.run(() => claimHooks(this.#db, query));
  }

  async finishHookDelivery(key: string, lease: string, outcome: HookOutcome): Promise<boolean> {
    return this.#writes.run(() => finishHook(this.#db, key, lease, outcome));
  }

  async listHookDeliveries(paymentId: string): Promise<HookOutboxEntry[]> {
    return listHooks(this.#db, paymentId);
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    this.#writes.flush();
    await this.#checkpointer?.stop();
    // Writes asked for while the worker stopped.
    this.#writes.flush();
    if (this.#db.open) this.#db.close();
  }

  // ── CardStore ──

  async getShopperCustomer(gateway: ShopperCustomer['gateway'], shopperId: string): Promise<ShopperCustomer | null> {
    return getCustomer(this.#db, gateway, shopperId);
  }

  async claimShopperCustomer(gateway: ShopperCustomer['gateway'], shopperId: string, at: string, claim: { staleBefore: string; replacing?: string }): Promise<boolean> {
    return this.#writes.run(() => claimCustomer(this.#db, gateway, shopperId, at, claim));
  }

  async releaseShopperCustomer(gateway: ShopperCustomer['gateway'], shopperId: string): Promise<void> {
    await this.#writes.run(() => releaseCustomer(this.#db, gateway, shopperId));
  }

  async saveShopperCustomer(mapping: Pick<ShopperCustomer, 'gateway' | 'shopperId' | 'customerId'>, at: string): Promise<ShopperCustomer> {
    const record = ShopperCustomer.parse({ ...mapping, createdAt: at, updatedAt: at });
    return this.#writes.run(() => saveCustomer(this.#db, record, at));
  }

  async createRegistration(registration: NewCardRegistration): Promise<CardRegistration> {
    const record = CardRegistration.parse({ ...registration, updatedAt: registration.createdAt });
    await this.#write(
      () => statement(this.#db, `INSERT INTO card_registrations (${REGISTRATION_COLUMNS.join(', ')}) VALUES (${REGISTRATION_COLUMNS.map((c) => `@${c}`).join(', ')})`).run(registrationToRow(record)),
      () => 'duplicate',
    );
    return record;
  }

  async getRegistration(id: string): Promise<CardRegistration | null> {
    const row = statement(this.#db, 'SELECT * FROM card_registrations WHERE id = ?').get(id) as RegistrationRow | undefined;
    return row ? registrationFromRow(row) : null;
  }

  async findRegistrationByChargeId(chargeId: string): Promise<CardRegistration | null> {
    const row = statement(this.#db, 'SELECT * FROM card_registrations WHERE charge_id = ?').get(chargeId) as RegistrationRow | undefined;
    return row ? registrationFromRow(row) : null;
  }

  async updateRegistration(
    id: string,
    decide: (current: CardRegistration) => CardRegistrationPatch | null,
    at: string,
  ): Promise<{ before: CardRegistration; after: CardRegistration } | null> {
    const update = this.#db.transaction(() => {
      const row = statement(this.#db, 'SELECT * FROM card_registrations WHERE id = ?').get(id) as RegistrationRow | undefined;
      if (!row) throw new Error(`no card registration ${id}`);
      const before = registrationFromRow(row);
      const patch = decide(before);
      if (!patch) return null;
      const after = CardRegistration.parse({ ...before, ...patch, updatedAt: at });
      statement(this.#db,
          `UPDATE card_registrations SET card_token = @card_token, charge_id = @charge_id, status = @status, failure_code = @failure_code,
             failure_message = @failure_message, customer_id = @customer_id, updated_at = @updated_at WHERE id = @id`,
        )
        .run(registrationToRow(after));
      return { before, after };
    });
    return this.#write(() => update.immediate(), () => 'duplicate');
  }

  #insertEvent(paymentId: string, at: string, event: NewPaymentEvent, defaultFrom: string | null): void {
    statement(this.#db, 'INSERT INTO payment_events (payment_id, at, source, type, from_status, to_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(paymentId, at, event.source, event.type, ...eventColumns(event, defaultFrom));
  }

  #one(sql: string, ...params: unknown[]): PaymentRecord | null {
    const row = statement(this.#db, sql).get(...params) as SqlitePaymentRow | undefined;
    return row ? fromRow(row) : null;
  }

  #many(sql: string, ...params: unknown[]): PaymentRecord[] {
    return (statement(this.#db, sql).all(...params) as SqlitePaymentRow[]).map(fromRow);
  }

  /** A write of the group commit whose unique-index violations become `StoreConflictError`s (`#guard`). */
  #write<T>(write: () => T, orderConflict: () => StoreConflictCode): Promise<T> {
    return this.#writes.run(() => this.#guard(write, orderConflict));
  }

  /**
   * Unique-index violations become `StoreConflictError`s the service can act on. SQLite names the indexed
   * column, not the index, so the caller says which order invariant the write could have broken.
   */
  #guard<T>(write: () => T, orderConflict: () => StoreConflictCode): T {
    try {
      return write();
    } catch (err) {
      const sqlite = err as { code?: string; message?: string };
      if (sqlite.code === 'SQLITE_CONSTRAINT_UNIQUE') {
        const message = sqlite.message ?? '';
        if (message.includes('payments.order_id')) {
          throw orderConflictError(orderConflict());
        }
        throw new StoreConflictError('duplicate', message);
      }
      throw err;
    }
  }
}

const classify = (p: PaymentRecord): StoreConflictCode =>
  (PAID_STATUSES as readonly string[]).includes(p.status) ? 'order_already_paid' : 'live_payment_exists';

const toRow = (p: PaymentRecord): SqlitePaymentRow => ({ ...paymentToRow(p), needs_refund: p.needsRefund ? 1 : 0 });
const fromRow = (r: SqlitePaymentRow): PaymentRecord => paymentFromRow(r);

/** A store that cannot be opened names its file (a missing directory, a directory, not a database, no write access). */
function openError(path: string, err: unknown): Error {
  return new Error(`Could not open the SQLite store at ${path === ':memory:' ? path : resolve(path)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
}
