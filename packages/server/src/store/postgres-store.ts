import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
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
import { ensureSchema, rollback } from './postgres-schema.ts';
import { claimCustomer, getCustomer, releaseCustomer, saveCustomer } from './postgres-customers.ts';
import { claimHooks, enqueueHook, finishHook, listHooks } from './postgres-outbox.ts';
import {
  newPaymentRecord,
  PATCH_COLUMNS,
  applyChange,
  PAYMENT_COLUMNS,
  type PaymentRow,
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
 * The PostgreSQL store, through node-postgres: the same tables and invariants as the SQLite store, in one
 * schema of the database. The database enforces the invariants itself (partial unique indexes: one live,
 * non-superseded payment per order, one paying payment per order; unique charge ids and return tokens; an
 * append-only event log), so several companion processes can share it. Writes that depend on the order's
 * other payments (createPayment, updatePayment) take a transaction-scoped advisory lock on the order first,
 * so a decision always sees the payment that paid the order before it.
 *
 * Timestamps are stored as the ISO strings the interface uses (text, byte-ordered with COLLATE "C"), so they
 * read back exactly as written; amounts are bigint minor units; event details are jsonb.
 */

export type PostgresStoreOptions = (
  | {
      /** `postgres://user:password@host:5432/database` (node-postgres also reads `?sslmode=…`). The store owns this pool. */
      connectionString: string;
      pool?: never;
    }
  | {
      /** A pool of the host's: the store uses it and leaves it open on `close()`. */
      pool: Pool;
      connectionString?: never;
    }
) & {
  /** The schema that holds the tables (created when missing). Default "public". */
  schema?: string;
  /** Connections in the pool the store creates. Default 10. */
  maxConnections?: number;
  /**
   * How long a query of the store's own pool waits for a connection — a free one, or a new one to the database —
   * before it fails (ms). Default 10 s: a database that does not answer fails the request instead of holding it
   * (node-postgres waits forever by default).
   */
  connectTimeoutMs?: number;
  /** An idle connection of the store's own pool broke (the database restarted, say); the next query reconnects. */
  onPoolError?: (error: Error) => void;
};

/** The unique indexes behind the order invariants; any other unique violation is a `duplicate`. */
const ORDER_INDEXES = new Map<string, StoreConflictCode>([
  ['payments_one_live_per_order', 'live_payment_exists'],
  ['payments_one_paid_per_order', 'order_already_paid'],
]);

const PAYMENT_SELECT = PAYMENT_COLUMNS.join(', ');

export class PostgresStore implements PaymentStore, CardStore {
  readonly schema: string;
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  /** The schema-qualified, quoted name of a table. */
  readonly #t: (table: string) => string;
  #ready: Promise<void> | null = null;
  #closed = false;

  constructor(options: PostgresStoreOptions) {
    this.schema = options.schema ?? 'public';
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(this.schema)) {
      throw new Error(`PostgresStore: schema must be a plain identifier (letters, digits, _), got ${JSON.stringify(this.schema)}`);
    }
    const quoted = pg.escapeIdentifier(this.schema);
    this.#t = (table) => `${quoted}.${table}`;
    if (options.pool) {
      this.#pool = options.pool;
      this.#ownsPool = false;
    } else {
      this.#pool = new pg.Pool({
        connectionString: options.connectionString,
        max: options.maxConnections ?? 10,
        connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
        // A connection whose database went away without a word (a host gone, a dropped route) is found and closed.
        keepAlive: true,
        application_name: 'payment-checkout',
      });
      this.#ownsPool = true;
      // Without a listener an idle connection's error would end the process.
      const onPoolError = options.onPoolError ?? (() => undefined);
      this.#pool.on('error', (err) => onPoolError(err));
    }
  }

  /** Creates the schema and tables when missing; every method awaits it. A failure is retried on the next call. */
  #init(): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('PostgresStore is closed'));
    this.#ready ??= ensureSchema(this.#pool, this.schema).catch((err: unknown) => {
      this.#ready = null;
      throw err;
    });
    return this.#ready;
  }

  /** One transaction on one connection; rolled back when `work` throws. Unique violations become StoreConflictErrors. */
  async #transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    await this.#init();
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      broken = await rollback(client);
      throw toConflict(err);
    } finally {
      client.release(broken);
    }
  }

  /** `#query` as a value, for the statements kept in files of their own. */
  readonly #run = <R extends object>(sql: string, params: unknown[]) => this.#query<R>(sql, params);

  async #query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
    await this.#init();
    try {
      return (await this.#pool.query(sql, params)).rows as R[];
    } catch (err) {
      throw toConflict(err);
    }
  }

  /** Serialises the writes of one order's payments across connections and processes, until the transaction ends. */
  async #lockOrder(client: PoolClient, orderId: string): Promise<void> {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`payment-checkout:${this.schema}:order:${orderId}`]);
  }

  async createPayment(payment: NewPayment): Promise<PaymentRecord> {
    const record = newPaymentRecord(payment);
    const row = paymentToRow(record);
    await this.#transaction(async (client) => {
      await this.#lockOrder(client, record.orderId);
      await client.query(
        `INSERT INTO ${this.#t('payments')} (${PAYMENT_SELECT}) VALUES (${PAYMENT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
        PAYMENT_COLUMNS.map((c) => row[c]),
      );
      await this.#insertEvent(client, record.id, record.createdAt, { source: 'create', type: 'created', toStatus: record.status, detail: { method: record.method, amount: record.amount, currency: record.currency } }, null);
    });
    return record;
  }

  async getPayment(id: string): Promise<PaymentRecord | null> {
    const rows = await this.#query<PaymentRow>(`SELECT ${PAYMENT_SELECT} FROM ${this.#t('payments')} WHERE id = $1`, [id]);
    return rows.length > 0 ? paymentFromRow(rows[0]) : null;
  }

  async findPaymentByChargeId(chargeId: string): Promise<PaymentRecord | null> {
    const rows = await this.#query<PaymentRow>(`SELECT ${PAYMENT_SELECT} FROM ${this.#t('payments')} WHERE charge_id = $1`, [chargeId]);
    return rows.length > 0 ? paymentFromRow(rows[0]) : null;
  }

  async listPaymentsForOrder(orderId: string): Promise<PaymentRecord[]> {
    const rows = await this.#query<PaymentRow>(`SELECT ${PAYMENT_SELECT} FROM ${this.#t('payments')} WHERE order_id = $1 ORDER BY created_at, seq`, [orderId]);
    return rows.map(paymentFromRow);
  }

  async searchPayments(query: PaymentSearch): Promise<PaymentRecord[]> {
    const params: unknown[] = [];
    const sql = searchSql(query, (value) => `$${params.push(value)}`);
    return (await this.#query<PaymentRow>(`SELECT ${PAYMENT_SELECT} FROM ${this.#t('payments')} ${sql}`, params)).map(paymentFromRow);
  }

  async listLivePayments(query: { createdBefore: string; limit: number }): Promise<PaymentRecord[]> {
    const rows = await this.#query<PaymentRow>(
      `SELECT ${PAYMENT_SELECT} FROM ${this.#t('payments')} WHERE status = ANY($1) AND created_at < $2 ORDER BY created_at, seq LIMIT $3`,
      [LIVE_STATUSES, query.createdBefore, query.limit],
    );
    return rows.map(paymentFromRow);
  }

  async claimPaymentsToReconcile(query: ReconcileClaimQuery): Promise<ReconcileClaim[]> {
    // One statement picks and leases. SKIP LOCKED: rows another process is claiming (or updating) are left to it; a row
    // leased after this snapshot is re-checked under the lock, no longer due. NO KEY UPDATE: an event insert never waits.
    // payments_reconcile_due serves WHERE and ORDER BY; the last two conditions, true of every due row, bound its scan.
    const rows = await this.#query<PaymentRow & ScheduleRow>(
      `WITH due AS (
         SELECT id, reconcile_after, reconcile_attempts FROM ${this.#t('payments')}
          WHERE status IN (${sqlList(LIVE_STATUSES)}) AND created_at < $1 AND (reconcile_after IS NULL OR reconcile_after <= $2)
            AND (reconcile_attempts > 0) IN (false, true) AND COALESCE(reconcile_after, created_at) <= $3
          ORDER BY reconcile_attempts > 0, COALESCE(reconcile_after, created_at), created_at, seq
          LIMIT $4 FOR NO KEY UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE ${this.#t('payments')} p SET reconcile_after = $5 FROM due WHERE p.id = due.id
         RETURNING ${PAYMENT_COLUMNS.map((c) => `p.${c}`).join(', ')}, p.seq, due.reconcile_after, due.reconcile_attempts)
       SELECT * FROM claimed ORDER BY reconcile_attempts > 0, COALESCE(reconcile_after, created_at), created_at, seq`,
      [query.createdBefore, query.dueBy, latestDue(query), query.limit, query.leaseUntil],
    );
    return rows.map((row) => ({ payment: paymentFromRow(row), ...scheduleFromRow(row) }));
  }

  async scheduleReconcile(paymentId: string, schedule: { nextCheckAt: string; attempts: number }): Promise<void> {
    const rows = await this.#query(
      `UPDATE ${this.#t('payments')} SET reconcile_after = $2, reconcile_attempts = $3 WHERE id = $1 RETURNING id`,
      [paymentId, schedule.nextCheckAt, schedule.attempts],
    );
    if (rows.length === 0) throw new Error(`no payment ${paymentId}`);
  }

  async getReconcileSchedule(paymentId: string): Promise<ReconcileSchedule | null> {
    const rows = await this.#query<ScheduleRow>(`SELECT reconcile_after, reconcile_attempts FROM ${this.#t('payments')} WHERE id = $1`, [paymentId]);
    return rows.length > 0 ? scheduleFromRow(rows[0]) : null;
  }

  async updatePayment<R>(
    id: string,
    decide: (current: PaymentRecord, context: UpdateContext) => PaymentChange<R> | null,
    at: string,
  ): Promise<PaymentUpdate<R> | null> {
    return this.#transaction(async (client) => {
      // The order id never changes, so it can be read before the lock; everything the decision sees is read after.
      const order = await client.query<{ order_id: string }>(`SELECT order_id FROM ${this.#t('payments')} WHERE id = $1`, [id]);
      if (order.rows.length === 0) throw new Error(`no payment ${id}`);
      await this.#lockOrder(client, order.rows[0].order_id);
      const current = await client.query<PaymentRow>(`SELECT ${PAYMENT_SELECT} FROM ${this.#t('payments')} WHERE id = $1 FOR NO KEY UPDATE`, [id]);
      const before = paymentFromRow(current.rows[0]);
      const paid = await client.query<PaymentRow>(
        `SELECT ${PAYMENT_SELECT} FROM ${this.#t('payments')}
          WHERE order_id = $1 AND id <> $2 AND status = ANY($3) AND NOT needs_refund ORDER BY created_at, seq LIMIT 1`,
        [before.orderId, id, PAID_STATUSES],
      );
      const change = decide(before, { paidPayment: paid.rows.length > 0 ? paymentFromRow(paid.rows[0]) : null });
      if (!change) return null;
      const { after, fields } = applyChange(before, change, at);
      if (fields.length > 0) {
        const row = paymentToRow(after);
        const columns = fields.map((k) => PATCH_COLUMNS[k]);
        await client.query(
          `UPDATE ${this.#t('payments')} SET ${columns.map((c, i) => `${c} = $${i + 3}`).join(', ')}, updated_at = $2 WHERE id = $1`,
          [id, at, ...columns.map((c) => row[c])],
        );
      }
      for (const event of change.events) await this.#insertEvent(client, id, at, event, before.status);
      const claimedHook = change.hook ? await enqueueHook(client, this.#t, change.hook, after, at) : null;
      if (change.step) await enqueueHook(client, this.#t, change.step, after, at);
      return { before, after: fields.length > 0 ? after : before, result: change.result, ...(claimedHook ? { claimedHook } : {}) };
    });
  }

  async appendEvent(paymentId: string, event: NewPaymentEvent, at: string): Promise<void> {
    const rows = await this.#query(
      `INSERT INTO ${this.#t('payment_events')} (payment_id, at, source, type, from_status, to_status, detail)
       SELECT id, $2, $3, $4, $5, $6, $7::jsonb FROM ${this.#t('payments')} WHERE id = $1 RETURNING id`,
      [paymentId, at, event.source, event.type, ...eventColumns(event, null)],
    );
    if (rows.length === 0) throw new Error(`no payment ${paymentId}`);
  }

  async listEvents(paymentId: string): Promise<PaymentEvent[]> {
    return (await this.#query<EventRow>(`SELECT * FROM ${this.#t('payment_events')} WHERE payment_id = $1 ORDER BY id`, [paymentId])).map(eventFromRow);
  }

  // ── Hook outbox (postgres-outbox.ts) ──
  claimHookDeliveries(query: HookClaimQuery): Promise<HookOutboxEntry[]> {
    return this.#transaction((client) => claimHooks(client, this.#t, query));
  }
  finishHookDelivery(key: string, lease: string, outcome: HookOutcome): Promise<boolean> {
    return this.#transaction((client) => finishHook(client, this.#t, key, lease, outcome));
  }
  listHookDeliveries(paymentId: string): Promise<HookOutboxEntry[]> {
    return this.#transaction((client) => listHooks(client, this.#t, paymentId));
  }

  /** Ends the pool the store created; a pool the host gave stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#ready?.catch(() => undefined);
    if (this.#ownsPool) await this.#pool.end();
  }

  // ── CardStore ──

  async getShopperCustomer(gateway: ShopperCustomer['gateway'], shopperId: string): Promise<ShopperCustomer | null> {
    return getCustomer(this.#run, this.#t, gateway, shopperId);
  }

  async claimShopperCustomer(gateway: ShopperCustomer['gateway'], shopperId: string, at: string, claim: { staleBefore: string; replacing?: string }): Promise<boolean> {
    return claimCustomer(this.#run, this.#t, gateway, shopperId, at, claim);
  }

  async releaseShopperCustomer(gateway: ShopperCustomer['gateway'], shopperId: string): Promise<void> {
    await releaseCustomer(this.#run, this.#t, gateway, shopperId);
  }

  async saveShopperCustomer(mapping: Pick<ShopperCustomer, 'gateway' | 'shopperId' | 'customerId'>, at: string): Promise<ShopperCustomer> {
    return saveCustomer(this.#run, this.#t, ShopperCustomer.parse({ ...mapping, createdAt: at, updatedAt: at }), at);
  }

  async createRegistration(registration: NewCardRegistration): Promise<CardRegistration> {
    const record = CardRegistration.parse({ ...registration, updatedAt: registration.createdAt });
    const row = registrationToRow(record);
    await this.#query(
      `INSERT INTO ${this.#t('card_registrations')} (${REGISTRATION_COLUMNS.join(', ')}) VALUES (${REGISTRATION_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
      REGISTRATION_COLUMNS.map((c) => row[c]),
    );
    return record;
  }

  async getRegistration(id: string): Promise<CardRegistration | null> {
    const rows = await this.#query<RegistrationRow>(`SELECT * FROM ${this.#t('card_registrations')} WHERE id = $1`, [id]);
    return rows.length > 0 ? registrationFromRow(rows[0]) : null;
  }

  async findRegistrationByChargeId(chargeId: string): Promise<CardRegistration | null> {
    const rows = await this.#query<RegistrationRow>(`SELECT * FROM ${this.#t('card_registrations')} WHERE charge_id = $1`, [chargeId]);
    return rows.length > 0 ? registrationFromRow(rows[0]) : null;
  }

  async updateRegistration(
    id: string,
    decide: (current: CardRegistration) => CardRegistrationPatch | null,
    at: string,
  ): Promise<{ before: CardRegistration; after: CardRegistration } | null> {
    return this.#transaction(async (client) => {
      const current = await client.query<RegistrationRow>(`SELECT * FROM ${this.#t('card_registrations')} WHERE id = $1 FOR NO KEY UPDATE`, [id]);
      if (current.rows.length === 0) throw new Error(`no card registration ${id}`);
      const before = registrationFromRow(current.rows[0]);
      const patch = decide(before);
      if (!patch) return null;
      const after = CardRegistration.parse({ ...before, ...patch, updatedAt: at });
      const row = registrationToRow(after);
      const changed = ['card_token', 'charge_id', 'status', 'failure_code', 'failure_message', 'customer_id', 'updated_at'] as const;
      await client.query(
        `UPDATE ${this.#t('card_registrations')} SET ${changed.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`,
        [id, ...changed.map((c) => row[c])],
      );
      return { before, after };
    });
  }

  async #insertEvent(client: PoolClient, paymentId: string, at: string, event: NewPaymentEvent, defaultFrom: string | null): Promise<void> {
    await client.query(
      `INSERT INTO ${this.#t('payment_events')} (payment_id, at, source, type, from_status, to_status, detail) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
      [paymentId, at, event.source, event.type, ...eventColumns(event, defaultFrom)],
    );
  }
}

/** Unique violations (SQLSTATE 23505) become `StoreConflictError`s, by the index that refused the write. */
function toConflict(err: unknown): unknown {
  const db = err as { code?: string; constraint?: string; message?: string };
  if (db?.code !== '23505') return err;
  const code = db.constraint ? ORDER_INDEXES.get(db.constraint) : undefined;
  return code ? orderConflictError(code) : new StoreConflictError('duplicate', db.message ?? 'duplicate key');
}

