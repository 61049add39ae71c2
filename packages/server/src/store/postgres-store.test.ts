import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type PostgresCluster, startPostgres } from '../../test/support/postgres.ts';
import { SCHEMA_ADDED_COLUMNS } from './postgres-schema.ts';
import { PostgresStore } from './postgres-store.ts';
import { describeCardStoreContract } from './card-store-contract.ts';
import { describeStoreContract, newPaymentFixture } from './store-contract.ts';
import { type NewPayment, type PaymentChange, type PaymentRecord, StoreConflictError, type UpdateContext } from './store.ts';

/** PostgresStore against a real PostgreSQL (a throwaway cluster for this file): the contracts, then what only a server database has. */

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

// Each contract test gets a store in a schema of its own: an empty store, and the schema option exercised.
let schemas = 0;
const freshStore = () => new PostgresStore({ connectionString: cluster.url, schema: `contract_${++schemas}` });
describeStoreContract('postgres', freshStore);
describeCardStoreContract('postgres', freshStore);

const T0 = '2030-01-01T00:00:00.000Z';
const T1 = '2030-01-01T00:05:00.000Z';

/** Pending by default: these tests start from a payment that waits for the gateway. */
const newPayment = (overrides: Partial<NewPayment> = {}) => newPaymentFixture({ status: 'pending', ...overrides }, T0);

/** Marks the payment succeeded; flags it needsRefund when the decision sees another payment that paid the order. */
const succeed =
  (respectPaid: boolean) =>
  (_current: PaymentRecord, context: UpdateContext): PaymentChange<null> => ({
    status: 'succeeded',
    patch: { needsRefund: respectPaid && context.paidPayment !== null },
    events: [{ source: 'webhook', type: 'status_changed', toStatus: 'succeeded' }],
    result: null,
  });

describe('PostgresStore specifics', () => {
  const opened: PostgresStore[] = [];
  const store = (schema: string, options: { connectionString?: string } = {}) => {
    const s = new PostgresStore({ connectionString: options.connectionString ?? cluster.url, schema });
    opened.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
  });

  it('creates its tables on first use, in its own schema; two stores starting at once on one database both work', async () => {
    const [a, b] = [store('shop'), store('shop')];
    // Both initialise concurrently (the first call of each): no catalog collision, one set of tables.
    const [created] = await Promise.all([a.createPayment(newPayment({ orderId: 'o-init' })), b.listPaymentsForOrder('o-init')]);
    expect(await b.getPayment(created.id)).toEqual(created);
    const tables = await cluster.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_name IN ('payments', 'payment_events', 'gateway_customers', 'card_registrations') ORDER BY 1, 2`,
    );
    expect(tables.filter((t) => t.table_schema === 'shop').map((t) => t.table_name)).toEqual(['card_registrations', 'gateway_customers', 'payment_events', 'payments']);
    expect(tables.filter((t) => t.table_schema === 'public')).toEqual([]);
    // A third store on the finished schema: same data, nothing recreated.
    const c = store('shop');
    expect(await c.listPaymentsForOrder('o-init')).toEqual([created]);
    expect(() => new PostgresStore({ connectionString: cluster.url, schema: 'shop"; DROP TABLE x; --' })).toThrow(/plain identifier/);
  });

  it('runs no DDL on a finished schema, so an application role with only DML privileges can use it', async () => {
    await store('least_privilege').getPayment('pay_00000000000000000000000000000000');
    const password = randomBytes(12).toString('hex');
    await cluster.query(`CREATE ROLE checkout_app LOGIN PASSWORD '${password}'`);
    await cluster.query(`GRANT USAGE ON SCHEMA least_privilege TO checkout_app`);
    await cluster.query(`GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA least_privilege TO checkout_app`);
    const app = store('least_privilege', { connectionString: cluster.urlFor('checkout_test', { user: 'checkout_app', password }) });
    const p = await app.createPayment(newPayment({ orderId: 'o-app' }));
    await app.updatePayment(p.id, succeed(true), T1);
    expect(await app.getPayment(p.id)).toMatchObject({ status: 'succeeded', needsRefund: false });
    // The same role cannot create the tables in a new schema: the error says so rather than hiding it.
    await expect(store('not_created', { connectionString: cluster.urlFor('checkout_test', { user: 'checkout_app', password }) }).getPayment(p.id)).rejects.toThrow(/permission denied/);
  });

  it('keeps schemas apart: the same order in two schemas is two orders', async () => {
    const [a, b] = [store('tenant_a'), store('tenant_b')];
    const inA = await a.createPayment(newPayment({ orderId: 'o-shared', chargeId: 'chrg_test_shared' }));
    const inB = await b.createPayment(newPayment({ orderId: 'o-shared', chargeId: 'chrg_test_shared' }));
    expect((await a.listPaymentsForOrder('o-shared')).map((p) => p.id)).toEqual([inA.id]);
    expect((await b.listPaymentsForOrder('o-shared')).map((p) => p.id)).toEqual([inB.id]);
    expect(await a.getPayment(inB.id)).toBeNull();
    expect((await b.findPaymentByChargeId('chrg_test_shared'))?.id).toBe(inB.id);
  });

  it('enforces the invariants in the database itself, whoever writes', async () => {
    const s = store('raw_writes');
    const live = await s.createPayment(newPayment({ orderId: 'o-raw', chargeId: 'chrg_test_raw' }));
    const insert = (p: NewPayment & { needsRefund?: boolean }) =>
      cluster.query(
        `INSERT INTO raw_writes.payments (id, order_id, method, gateway, amount, currency, status, return_token, charge_id, needs_refund, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
        [p.id, p.orderId, p.method, p.gateway, p.amount, p.currency, p.status, p.returnToken, p.chargeId, p.needsRefund ?? false, p.createdAt],
      );
    await expect(insert(newPayment({ orderId: 'o-raw' }))).rejects.toMatchObject({ code: '23505', constraint: 'payments_one_live_per_order' });
    await expect(insert(newPayment({ orderId: 'o-other', status: 'failed', chargeId: 'chrg_test_raw' }))).rejects.toMatchObject({ code: '23505' });
    await expect(insert(newPayment({ orderId: 'o-other', amount: 0 }))).rejects.toMatchObject({ code: '23514' });
    await insert(newPayment({ orderId: 'o-paid', status: 'succeeded' }));
    await expect(insert(newPayment({ orderId: 'o-paid', status: 'refunded' }))).rejects.toMatchObject({ constraint: 'payments_one_paid_per_order' });
    await insert(newPayment({ orderId: 'o-paid', status: 'succeeded', needsRefund: true }));

    await expect(cluster.query(`UPDATE raw_writes.payment_events SET type = 'status_changed'`)).rejects.toThrow(/append-only/);
    await expect(cluster.query(`DELETE FROM raw_writes.payment_events`)).rejects.toThrow(/append-only/);
    await expect(cluster.query(`TRUNCATE raw_writes.payment_events CASCADE`)).rejects.toThrow(/append-only/);
    expect(await s.listEvents(live.id)).toHaveLength(1);
  });

  it('lets only one of many concurrent creations for one order through, across processes', async () => {
    // Three stores, three pools: as three companion processes on one database would.
    const stores = [store('concurrent_create'), store('concurrent_create'), store('concurrent_create')];
    await Promise.all(stores.map((s) => s.getPayment('pay_00000000000000000000000000000000')));
    const attempts = await Promise.allSettled(Array.from({ length: 24 }, (_, i) => stores[i % 3].createPayment(newPayment({ orderId: 'o-rush', method: i % 2 ? 'kakaopay' : 'mobile_banking_bay' }))));
    expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const refused = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected').map((a) => a.reason);
    expect(refused).toHaveLength(23);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(StoreConflictError);
      expect(reason).toMatchObject({ code: 'live_payment_exists' });
    }
    expect(await stores[0].listPaymentsForOrder('o-rush')).toHaveLength(1);
  });

  it('serialises concurrent updates of two payments of one order: the second to succeed sees the first and is flagged needsRefund', async () => {
    const [a, b] = [store('concurrent_update'), store('concurrent_update')];
    const orders = Array.from({ length: 10 }, (_, i) => `o-race-${i}`);
    const pairs = await Promise.all(
      orders.map(async (orderId) => {
        const first = await a.createPayment(newPayment({ orderId, supersededBy: `pay_${'f'.repeat(32)}` }));
        const second = await b.createPayment(newPayment({ orderId, method: 'kakaopay' }));
        return [first, second] as const;
      }),
    );
    // Hold every row so that all twenty updates start together, each pair on two pools (two processes), then
    // let them go at once: without the order lock both of a pair would read "nobody paid" and one would fail.
    const holder = new pg.Client({ connectionString: cluster.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM concurrent_update.payments WHERE order_id = ANY($1) FOR UPDATE', [orders]);
      const updates = Promise.all(pairs.flatMap(([first, second]) => [a.updatePayment(first.id, succeed(true), T1), b.updatePayment(second.id, succeed(true), T1)]));
      await vi.waitFor(async () => {
        // Asked from another connection: a transaction keeps seeing the pg_stat_activity of its start.
        const [waiting] = await cluster.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND wait_event_type = 'Lock' AND application_name = 'payment-checkout'`,
        );
        expect(waiting.n).toBe(20);
      }, { timeout: 10_000, interval: 50 });
      await holder.query('COMMIT');
      await updates;
    } finally {
      await holder.end();
    }
    for (const orderId of orders) {
      const payments = await a.listPaymentsForOrder(orderId);
      expect(payments.map((p) => p.status)).toEqual(['succeeded', 'succeeded']);
      expect(payments.filter((p) => !p.needsRefund)).toHaveLength(1);
    }

    // A decision that ignores who paid is refused by the database for all but one.
    const [x, y] = [await a.createPayment(newPayment({ orderId: 'o-naive', supersededBy: `pay_${'e'.repeat(32)}` })), await a.createPayment(newPayment({ orderId: 'o-naive' }))];
    const outcomes = await Promise.allSettled([a.updatePayment(x.id, succeed(false), T1), b.updatePayment(y.id, succeed(false), T1)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')?.reason).toMatchObject({ name: 'StoreConflictError', code: 'order_already_paid' });
    const paid = (await a.listPaymentsForOrder('o-naive')).filter((p) => p.status === 'succeeded');
    expect(paid).toHaveLength(1);
    expect(await a.listEvents(paid[0].id === x.id ? y.id : x.id)).toHaveLength(1);
  });

  it('adds the reconciler, money, paid-as and charge-time columns to a database of an earlier version on first use, keeping its payments', async () => {
    const before = store('upgrade');
    const kept = await before.createPayment(newPayment({ orderId: 'o-upgrade' }));
    // What an earlier version created: the same tables and triggers, without the reconciler's, the money and the paid-as columns.
    await cluster.query(
      'DROP INDEX upgrade.payments_by_created; ALTER TABLE upgrade.payments DROP COLUMN reconcile_after, DROP COLUMN reconcile_attempts, DROP COLUMN refunded_amount, DROP COLUMN settled_amount, ' +
        'DROP COLUMN charged_amount, DROP COLUMN charged_currency, DROP COLUMN installment_term, DROP COLUMN charge_created_at',
    );
    const after = store('upgrade');
    expect(await after.getReconcileSchedule(kept.id)).toEqual({ nextCheckAt: null, attempts: 0 });
    const claimed = await after.claimPaymentsToReconcile({ createdBefore: T1, dueBy: T1, leaseUntil: '2030-01-01T00:10:00.000Z', limit: 10 });
    expect(claimed).toEqual([{ payment: kept, nextCheckAt: null, attempts: 0 }]);
    const columns = await cluster.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'upgrade' AND table_name = 'payments' AND column_name = ANY($1) ORDER BY 1`,
      [SCHEMA_ADDED_COLUMNS],
    );
    expect(columns.map((c) => c.column_name)).toEqual([
      'charge_created_at', 'charged_amount', 'charged_currency', 'installment_term', 'reconcile_after', 'reconcile_attempts', 'refunded_amount', 'settled_amount',
    ]);
    await after.updatePayment(kept.id, () => ({ patch: { refundedAmount: 100 }, events: [], result: null }), T1);
    expect(await after.getPayment(kept.id)).toMatchObject({ refundedAmount: 100, settledAmount: null, chargedAmount: null, chargedCurrency: null, installmentTerm: null, chargeCreatedAt: null });
    await after.updatePayment(kept.id, () => ({ patch: { chargedAmount: 4470, chargedCurrency: 'USD', installmentTerm: 6 }, events: [], result: null }), T1);
    expect(await after.getPayment(kept.id)).toMatchObject({ chargedAmount: 4470, chargedCurrency: 'USD', installmentTerm: 6 });
    await after.updatePayment(kept.id, () => ({ patch: { chargeCreatedAt: T1 }, events: [], result: null }), T1);
    expect(await after.getPayment(kept.id)).toMatchObject({ chargeCreatedAt: T1 });
  });

  it('adds the hook outbox to a database of an earlier version on first use, keeping its payments', async () => {
    const before = store('outbox_upgrade');
    const kept = await before.createPayment(newPayment({ orderId: 'o-outbox' }));
    // What an earlier version created: everything but the outbox.
    await cluster.query('DROP TABLE outbox_upgrade.hook_outbox');
    const after = store('outbox_upgrade');
    const key = `${kept.id}:succeeded:onPaid`;
    await after.updatePayment(kept.id, (current, context) => ({ ...succeed(true)(current, context), hook: { name: 'onPaid', key, source: 'webhook' } }), T1);
    expect((await after.listHookDeliveries(kept.id)).map((h) => [h.key, h.payment.status])).toEqual([[key, 'succeeded']]);
    const relations = await cluster.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'outbox_upgrade' AND c.relname LIKE 'hook_outbox%' ORDER BY 1`,
    );
    expect(relations.map((r) => r.relname)).toEqual(['hook_outbox', 'hook_outbox_by_payment', 'hook_outbox_due', 'hook_outbox_pkey', 'hook_outbox_seq_seq']);
  });

  it('gives each hook call to one of two processes claiming at once, and skips rows another transaction holds', async () => {
    const [a, b] = [store('concurrent_hook_claims'), store('concurrent_hook_claims')];
    const keys: string[] = [];
    for (let i = 0; i < 40; i++) {
      const p = await a.createPayment(newPayment({ orderId: `o-hook-${i}` }));
      keys.push(`${p.id}:succeeded:onPaid`);
      await a.updatePayment(p.id, (current, context) => ({ ...succeed(true)(current, context), hook: { name: 'onPaid', key: keys[i], source: 'webhook' } }), T0);
    }
    const query = { dueBy: T1, leaseUntil: '2030-01-01T00:10:00.000Z', limit: 6 };
    const holder = new pg.Client({ connectionString: cluster.url });
    await holder.connect();
    const held = keys.slice(0, 4);
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM concurrent_hook_claims.hook_outbox WHERE idempotency_key = ANY($1) FOR UPDATE', [held]);
      const rounds = await Promise.all([a, b, a, b, a, b].map((s) => s.claimHookDeliveries(query)));
      const claimed = rounds.flat().map((h) => h.key);
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.sort()).toEqual(keys.slice(4).sort());
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    expect((await b.claimHookDeliveries({ ...query, limit: 100 })).map((h) => h.key)).toEqual(held);
  });

  it('gives each payment to one of two processes claiming at once, and skips rows another transaction holds', async () => {
    const [a, b] = [store('concurrent_claims'), store('concurrent_claims')];
    const payments = [];
    for (let i = 0; i < 60; i++) payments.push(await a.createPayment(newPayment({ orderId: `o-claim-${i}` })));
    const query = { createdBefore: T1, dueBy: T1, leaseUntil: '2030-01-01T00:10:00.000Z', limit: 10 };

    // A transaction holds ten rows (another process updating them): claims neither wait for them nor take them.
    const holder = new pg.Client({ connectionString: cluster.url });
    await holder.connect();
    const held = payments.slice(0, 10).map((p) => p.id);
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM concurrent_claims.payments WHERE id = ANY($1) FOR NO KEY UPDATE', [held]);
      const rounds = await Promise.all([a, b, a, b, a, b].map((s) => s.claimPaymentsToReconcile(query)));
      const ids = rounds.flat().map((c) => c.payment.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(payments.slice(10).map((p) => p.id).sort());
    } finally {
      await holder.query('COMMIT');
      await holder.end();
    }
    // Once released they are due, and only they (the others are leased).
    const rest = await b.claimPaymentsToReconcile({ ...query, limit: 100 });
    expect(rest.map((c) => c.payment.id)).toEqual(held);
  });

  it("claims for the reconciler through its index, in the claim's order, up to the latest due time: no sort of every live payment", async () => {
    await store('claim_plan').getPayment(`pay_${'0'.repeat(32)}`);
    // 20,000 stored payments, one in ten live: a third never checked, a third due, a third checked again later.
    await cluster.query(`
      INSERT INTO claim_plan.payments (id, order_id, method, gateway, amount, currency, status, return_token, created_at, updated_at, reconcile_after, reconcile_attempts)
      SELECT 'pay_' || md5(i::text), 'o-' || i, 'thai_qr', 'gateway_a', 100, 'THB', CASE WHEN i % 10 = 0 THEN 'pending' ELSE 'succeeded' END, md5('t' || i) || md5('u' || i),
             c, c, CASE WHEN i % 30 = 10 THEN '2029-12-31T12:00:00.000Z' WHEN i % 30 = 20 THEN '2030-01-01T01:00:00.000Z' END, CASE WHEN i % 30 = 0 THEN 0 ELSE 2 END
        FROM generate_series(1, 20000) AS i, to_char(timestamp '2029-12-01' + i * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS c`);
    // A database from before the index: a store starting on it adds the index.
    await cluster.query('DROP INDEX claim_plan.payments_reconcile_due; ANALYZE claim_plan.payments');
    const pool = new pg.Pool({ connectionString: cluster.url, max: 1 });
    const sent: { text: string; values: unknown[] }[] = [];
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        if (typeof args[0] === 'string') sent.push({ text: args[0], values: Array.isArray(args[1]) ? args[1] : [] });
        return query(...args);
      };
    });
    const s = new PostgresStore({ pool, schema: 'claim_plan' });
    try {
      const claimed = await s.claimPaymentsToReconcile({ createdBefore: T0, dueBy: T0, leaseUntil: T1, limit: 20 });
      expect(claimed.map((c) => c.attempts)).toEqual(Array(20).fill(0));
    } finally {
      await s.close();
      await pool.end();
    }
    const claim = sent.find((q) => q.text.includes('ORDER BY reconcile_attempts > 0'))!;
    const [{ 'QUERY PLAN': [explained] }] = await cluster.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (FORMAT JSON) ${claim.text}`, claim.values);
    // What picks the rows (the CTE "due"): the index in order, stopping at the bound; no Sort. Without the index it read
    // every live payment and sorted them, on every claim (issue 12, "Growth": 63× slower with 1,000,000 stored payments).
    const due = nodes(explained.Plan).find((n) => n['Subplan Name'] === 'CTE due')!;
    expect(nodes(due).map((n) => n['Node Type'])).toEqual(['Limit', 'LockRows', 'Index Scan']);
    expect(nodes(due).at(-1)).toMatchObject({ 'Index Name': 'payments_reconcile_due', 'Index Cond': expect.stringContaining('COALESCE(reconcile_after, created_at) <=') });
  });

  it('reads back exactly what it was given: amounts, timestamps, nulls, text and JSON details', async () => {
    const s = store('round_trip');
    const full = await s.createPayment(
      newPayment({
        orderId: 'o-full',
        method: 'kakaopay',
        amount: Number.MAX_SAFE_INTEGER,
        currency: 'SGD',
        platform: 'ANDROID',
        chargeId: 'chrg_test_full',
        sourceId: 'src_test_full',
        status: 'failed',
        failureCode: 'insufficient_balance',
        failureMessage: `ยอดเงินไม่พอ — it's "quoted" \\ and 100%`,
        authorizeUri: 'https://pay.example/authorize?x=1&y=%20',
        createdAt: '2030-06-30T23:59:59.123456Z',
        supersededBy: `pay_${'0'.repeat(32)}`,
        needsRefund: true,
      }),
    );
    expect(await s.getPayment(full.id)).toEqual(full);
    const bare = await s.createPayment(newPayment({ orderId: 'o-bare', amount: 1, createdAt: '2030-01-01T00:00:00Z' }));
    expect(await s.getPayment(bare.id)).toEqual(bare);
    expect(bare).toMatchObject({ platform: null, chargeId: null, sourceId: null, failureCode: null, failureMessage: null, authorizeUri: null, supersededBy: null, needsRefund: false });
    expect(typeof (await s.getPayment(full.id))!.amount).toBe('number');

    const detail = { nested: { list: [1, 2.5, -3, true, null, 'ไทย'], empty: {} }, big: 9_007_199_254_740_991, text: 'line\nbreak "quoted"' };
    await s.appendEvent(bare.id, { source: 'webhook', type: 'webhook_received', detail }, '2030-01-01T00:00:00.5Z');
    await s.appendEvent(bare.id, { source: 'poll', type: 'shopper_returned', detail: null }, T1);
    const events = await s.listEvents(bare.id);
    expect(events.map((e) => [e.type, e.at, e.detail])).toEqual([
      ['created', '2030-01-01T00:00:00Z', { method: 'mobile_banking_kbank', amount: 1, currency: 'THB' }],
      ['webhook_received', '2030-01-01T00:00:00.5Z', detail],
      ['shopper_returned', T1, null],
    ]);
    expect(events.every((e) => typeof e.id === 'number')).toBe(true);

    // Equal creation times keep their insertion order; live payments list by time, byte-wise.
    const same = [await s.createPayment(newPayment({ orderId: 'o-tie', supersededBy: `pay_${'1'.repeat(32)}` })), await s.createPayment(newPayment({ orderId: 'o-tie' }))];
    expect((await s.listPaymentsForOrder('o-tie')).map((p) => p.id)).toEqual(same.map((p) => p.id));
  });

  it('takes a connection string or a pool, not both and not neither (compile time)', () => {
    const wrong = (pool: pg.Pool) => [
      // @ts-expect-error a store needs a database
      new PostgresStore({ schema: 'x' }),
      // @ts-expect-error one of the two: whose pool it is decides who closes it
      new PostgresStore({ connectionString: 'postgres://db/shop', pool }),
    ];
    expect(typeof wrong).toBe('function');
  });

  it('closes a pool it created, and leaves a pool it was given open', async () => {
    const owned = new PostgresStore({ connectionString: cluster.url, schema: 'pools' });
    await owned.getPayment('pay_00000000000000000000000000000000');
    await owned.close();
    await owned.close();
    await expect(owned.getPayment('pay_00000000000000000000000000000000')).rejects.toThrow(/closed/);

    const pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
    const given = new PostgresStore({ pool, schema: 'pools' });
    const p = await given.createPayment(newPayment({ orderId: 'o-pool' }));
    await given.close();
    expect((await pool.query('SELECT id FROM pools.payments')).rows).toEqual([{ id: p.id }]);
    await pool.end();
  });
});

interface PlanNode {
  'Node Type': string;
  'Subplan Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** A plan node and everything under it, depth first. */
const nodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodes)];
