import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from './sqlite-store.ts';
import { describeStoreContract } from './store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'checkout-store-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract('sqlite (memory)', () => new SqliteStore({ path: ':memory:' }));
describeStoreContract('sqlite (file)', () => new SqliteStore({ path: join(dir, `contract-${files++}.db`) }));

/** Version 8's column of when the charge was made, removed to make a database of version 7. */
const DROP_VERSION_8 = 'ALTER TABLE payments DROP COLUMN charge_created_at;';
/** Version 7's reconciler index, removed (after version 8's column) to make a database of version 6. */
const DROP_VERSION_7 = `${DROP_VERSION_8} DROP INDEX payments_reconcile_due;`;
/** Version 6's columns of what was paid (DCC, instalments), removed (after version 7's index) to make a database of version 5. */
const DROP_VERSION_6 = DROP_VERSION_7 + ' ALTER TABLE payments DROP COLUMN charged_currency; ALTER TABLE payments DROP COLUMN charged_amount; ALTER TABLE payments DROP COLUMN installment_term;';
/** Version 5's hook outbox, removed (after version 6's columns) to make a database of version 4. */
const DROP_VERSION_5 = `${DROP_VERSION_6} DROP TABLE hook_outbox;`;
/** Version 4's money columns and list index, removed (after version 5's table) to make a database of version 3. */
const DROP_VERSION_4 = `${DROP_VERSION_5} DROP INDEX payments_by_created; ALTER TABLE payments DROP COLUMN refunded_amount; ALTER TABLE payments DROP COLUMN settled_amount;`;

describe('SqliteStore specifics', () => {
  const payment = {
    id: 'pay_0123456789abcdef0123456789abcdef',
    orderId: 'order-durable',
    method: 'mobile_banking_bay' as const,
    gateway: 'gateway_a' as const,
    amount: 2000,
    currency: 'THB' as const,
    platform: null,
    chargeId: 'chrg_test_durable',
    sourceId: null,
    status: 'pending' as const,
    failureCode: null,
    failureMessage: null,
    returnToken: 'x'.repeat(43),
    authorizeUri: 'http://127.0.0.1/pay',
    createdAt: '2030-01-01T00:00:00.000Z',
  };

  it('prepares each statement once: a second lookup, update and listing prepare nothing', async () => {
    const store = new SqliteStore({ path: ':memory:' });
    await store.createPayment(payment);
    const work = async (authorizeUri: string) => {
      await store.getPayment(payment.id);
      await store.listPaymentsForOrder(payment.orderId);
      await store.updatePayment(payment.id, () => ({ patch: { authorizeUri }, events: [{ source: 'poll', type: 'webhook_received' }], result: null }), '2030-01-01T00:01:00.000Z');
    };
    await work('http://127.0.0.1/pay/1');
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    try {
      await work('http://127.0.0.1/pay/2');
      expect(prepare).not.toHaveBeenCalled();
      expect(await store.getPayment(payment.id)).toMatchObject({ authorizeUri: 'http://127.0.0.1/pay/2' });
    } finally {
      prepare.mockRestore();
      await store.close();
    }
  });

  // Each write of a group commit is a savepoint; SQLite journals the pages a savepoint changes, and past 64 KiB it
  // spilled them to a temporary file: about a tenth of a create's CPU under load (BENCHMARKS.md, "savepoint journals in memory").
  it.runIf(existsSync('/proc/self/fd'))('keeps the savepoints of a group commit in memory: no temporary file while a group writes', async () => {
    const store = new SqliteStore({ path: join(dir, 'savepoints.db') });
    const openTemporaryFiles = () =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          return [readlinkSync(`/proc/self/fd/${fd}`)].filter((target) => target.includes('etilqs_'));
        } catch {
          return []; // the directory's own descriptor, closed once read
        }
      });
    const seen = new Set<string>();
    const id = (i: number) => `pay_${i.toString(16).padStart(32, '0')}`;
    for (let group = 0; group < 10; group++) {
      const ids = Array.from({ length: 64 }, (_, i) => id(((group * 64 + i) * 7919) % 65521));
      await Promise.all(ids.map((pid, i) => store.createPayment({ ...payment, id: pid, orderId: `order-${group}-${i}`, chargeId: null, status: 'created', authorizeUri: null, returnToken: pid.repeat(2) })));
      // Each update's decision runs inside the group's transaction, after the writes before it in the group.
      const charged = (pid: string) => () => {
        for (const file of openTemporaryFiles()) seen.add(file);
        return { status: 'pending' as const, patch: { chargeId: `chrg_test_${pid}`, authorizeUri: `http://127.0.0.1/pay/${pid}` }, events: [{ source: 'create' as const, type: 'charge_created' as const }], result: null };
      };
      await Promise.all(ids.map((pid) => store.updatePayment(pid, charged(pid), '2030-01-01T00:00:01.000Z')));
    }
    expect([...seen]).toEqual([]);
    expect(await store.getPayment(id(7919))).toMatchObject({ status: 'pending', chargeId: `chrg_test_${id(7919)}` });
    await store.close();
  });

  it('names its file when it cannot open it: a missing directory, a directory, a file that is not a database', () => {
    const notADatabase = join(dir, 'notes.txt');
    writeFileSync(notADatabase, 'shopping list\n'.repeat(200));
    for (const [path, why] of [
      [join(dir, 'no-such-dir', 'checkout.db'), /directory does not exist/],
      [dir, /unable to open database file|directory/],
      [notADatabase, /not a database/],
    ] as const) {
      let message = '';
      try {
        new SqliteStore({ path }).close();
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message.startsWith(`Could not open the SQLite store at ${path}: `), message).toBe(true);
      expect(message, path).toMatch(why);
    }
  });

  it('keeps payments across restarts, uses WAL, and migrates only once', async () => {
    const path = join(dir, 'durable.db');
    const first = new SqliteStore({ path });
    await first.createPayment(payment);
    expect(first.schemaVersion).toBe(8);
    await first.close();

    const second = new SqliteStore({ path });
    expect(second.schemaVersion).toBe(8);
    expect(await second.getPayment(payment.id)).toMatchObject({ chargeId: 'chrg_test_durable', status: 'pending' });
    await second.close();

    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('syncs every commit to disk, after a restart too (better-sqlite3 would open a WAL database at NORMAL)', async () => {
    const path = join(dir, 'synced.db');
    const first = new SqliteStore({ path });
    await first.createPayment(payment);
    expect(first.synchronous).toBe(2);
    await first.close();
    // A database already in WAL mode: the case where SQLite's build default, not the store, would decide.
    const raw = new Database(path);
    raw.prepare('SELECT count(*) FROM payments').get();
    expect(raw.pragma('synchronous', { simple: true })).toBe(1);
    raw.close();
    const second = new SqliteStore({ path });
    expect(second.synchronous).toBe(2);
    await second.updatePayment(payment.id, () => ({ patch: { authorizeUri: 'http://127.0.0.1/pay/again' }, events: [], result: null }), '2030-01-01T00:02:00.000Z');
    expect(second.synchronous).toBe(2);
    await second.close();
  });

  it('migrates a database of version 2 to version 3: its live payments get a reconciler schedule, due at once', async () => {
    const path = join(dir, 'v2.db');
    const old = new SqliteStore({ path });
    await old.createPayment(payment);
    await old.close();
    const raw = new Database(path);
    raw.exec(DROP_VERSION_4);
    raw.exec('ALTER TABLE payments DROP COLUMN reconcile_after; ALTER TABLE payments DROP COLUMN reconcile_attempts; PRAGMA user_version = 2;');
    raw.close();

    const migrated = new SqliteStore({ path });
    expect(migrated.schemaVersion).toBe(8);
    expect(await migrated.getReconcileSchedule(payment.id)).toEqual({ nextCheckAt: null, attempts: 0 });
    const claimed = await migrated.claimPaymentsToReconcile({ createdBefore: '2030-02-01T00:00:00.000Z', dueBy: '2030-01-01T00:20:00.000Z', leaseUntil: '2030-01-01T00:25:00.000Z', limit: 10 });
    expect(claimed.map((c) => c.payment)).toEqual([await migrated.getPayment(payment.id)]);
    await migrated.close();
  });

  it('migrates a database of version 3 to version 4: its payments have nothing refunded or settled, and take refunds', async () => {
    const path = join(dir, 'v3.db');
    const old = new SqliteStore({ path });
    await old.createPayment(payment);
    await old.close();
    const raw = new Database(path);
    raw.exec(`${DROP_VERSION_4} PRAGMA user_version = 3;`);
    raw.close();

    const migrated = new SqliteStore({ path });
    expect(migrated.schemaVersion).toBe(8);
    expect(await migrated.getPayment(payment.id)).toMatchObject({ refundedAmount: 0, settledAmount: null });
    await migrated.updatePayment(payment.id, () => ({ patch: { refundedAmount: 500, settledAmount: payment.amount }, events: [], result: null }), '2030-01-01T00:30:00.000Z');
    expect(await migrated.getPayment(payment.id)).toMatchObject({ refundedAmount: 500, settledAmount: payment.amount });
    await migrated.close();
  });

  it('migrates a database of version 4 to version 5: its payments keep their log, and their changes enqueue hook calls', async () => {
    const path = join(dir, 'v4.db');
    const old = new SqliteStore({ path });
    await old.createPayment(payment);
    await old.close();
    const raw = new Database(path);
    raw.exec(`${DROP_VERSION_5} PRAGMA user_version = 4;`);
    raw.close();

    const migrated = new SqliteStore({ path });
    expect(migrated.schemaVersion).toBe(8);
    expect(await migrated.listHookDeliveries(payment.id)).toEqual([]);
    const key = `${payment.id}:succeeded:onPaid`;
    await migrated.updatePayment(payment.id, () => ({ status: 'succeeded', patch: {}, events: [], hook: { name: 'onPaid', key, source: 'webhook' }, result: null }), '2030-01-01T00:30:00.000Z');
    expect((await migrated.listHookDeliveries(payment.id)).map((h) => [h.key, h.payment.status, h.deliveredAt])).toEqual([[key, 'succeeded', null]]);
    expect((await migrated.listEvents(payment.id)).map((e) => e.type)).toEqual(['created']);
    await migrated.close();
  });

  it('migrates a database of version 5 to version 6: its payments say nothing converted or in instalments, and take both', async () => {
    const path = join(dir, 'v5.db');
    const old = new SqliteStore({ path });
    await old.createPayment(payment);
    await old.close();
    const raw = new Database(path);
    raw.exec(`${DROP_VERSION_6} PRAGMA user_version = 5;`);
    raw.close();

    const migrated = new SqliteStore({ path });
    expect(migrated.schemaVersion).toBe(8);
    expect(await migrated.getPayment(payment.id)).toMatchObject({ chargedAmount: null, chargedCurrency: null, installmentTerm: null, chargeCreatedAt: null });
    await migrated.updatePayment(payment.id, () => ({ patch: { chargedAmount: 4470, chargedCurrency: 'USD', installmentTerm: 6 }, events: [], result: null }), '2030-01-01T00:30:00.000Z');
    expect(await migrated.getPayment(payment.id)).toMatchObject({ chargedAmount: 4470, chargedCurrency: 'USD', installmentTerm: 6 });
    await migrated.close();
  });

  it('migrates a database of version 7 to version 8: its payments say nothing of when their charge was made, and take it', async () => {
    const path = join(dir, 'v7.db');
    const old = new SqliteStore({ path });
    await old.createPayment(payment);
    await old.close();
    const raw = new Database(path);
    raw.exec(`${DROP_VERSION_8} PRAGMA user_version = 7;`);
    raw.close();

    const migrated = new SqliteStore({ path });
    expect(migrated.schemaVersion).toBe(8);
    expect(await migrated.getPayment(payment.id)).toMatchObject({ chargeCreatedAt: null });
    await migrated.updatePayment(payment.id, () => ({ patch: { chargeCreatedAt: '2030-01-01T00:01:00.000Z' }, events: [], result: null }), '2030-01-01T00:02:00.000Z');
    expect(await migrated.getPayment(payment.id)).toMatchObject({ chargeCreatedAt: '2030-01-01T00:01:00.000Z' });
    await migrated.close();
  });

  it("migrates a database of version 6 to version 7: the reconciler claims through its index, in the claim's order, no sort of every live payment", async () => {
    const path = join(dir, 'v6.db');
    const old = new SqliteStore({ path });
    await old.createPayment(payment);
    await old.close();
    const raw = new Database(path);
    raw.exec(`${DROP_VERSION_7} PRAGMA user_version = 6;`);
    raw.close();

    const migrated = new SqliteStore({ path });
    expect(migrated.schemaVersion).toBe(8);
    const query = { createdBefore: '2030-02-01T00:00:00.000Z', dueBy: '2030-01-01T00:20:00.000Z', leaseUntil: '2030-01-01T00:25:00.000Z', limit: 20 };
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    let claimSql: string | undefined;
    try {
      expect((await migrated.claimPaymentsToReconcile(query)).map((c) => c.payment.id)).toEqual([payment.id]);
      claimSql = prepare.mock.calls.map(([sql]) => sql).find((sql) => sql.includes('ORDER BY reconcile_attempts > 0'));
    } finally {
      prepare.mockRestore();
      await migrated.close();
    }
    // The plan SQLite makes without statistics (the store never runs ANALYZE): the index read from its start up to a
    // bound, in order. Without it SQLite read every live payment and sorted them, on every claim (issue 12, "Growth").
    const reader = new Database(path, { readonly: true });
    const plan = (reader.prepare(`EXPLAIN QUERY PLAN ${claimSql}`).all(query.createdBefore, query.dueBy, query.createdBefore, 20) as { detail: string }[]).map((r) => r.detail);
    reader.close();
    expect(plan).toEqual([expect.stringMatching(/^SEARCH payments USING INDEX payments_reconcile_due \(<expr>=\? AND <expr><\?\)$/)]);
  });

  it('lets two connections to one file claim hook calls at once without sharing one', async () => {
    const path = join(dir, 'two-dispatchers.db');
    const [a, b] = [new SqliteStore({ path }), new SqliteStore({ path })];
    for (let i = 0; i < 20; i++) {
      const id = `pay_${i.toString(16).padStart(32, '0')}`;
      await a.createPayment({ ...payment, id, orderId: `o-${i}`, chargeId: `chrg_test_${i}`, returnToken: `${i}`.padEnd(43, 'z') });
      await a.updatePayment(id, () => ({ status: 'succeeded', patch: {}, events: [], hook: { name: 'onPaid', key: `${id}:succeeded:onPaid`, source: 'poll' }, result: null }), '2030-01-01T00:00:00.000Z');
    }
    const query = { dueBy: '2030-01-01T00:20:00.000Z', leaseUntil: '2030-01-01T00:25:00.000Z', limit: 12 };
    const [fromA, fromB] = await Promise.all([a.claimHookDeliveries(query), b.claimHookDeliveries(query)]);
    const keys = [...fromA, ...fromB].map((h) => h.key);
    expect(keys).toHaveLength(20);
    expect(new Set(keys).size).toBe(20);
    await a.close();
    await b.close();
  });

  it('lets two connections to one file claim at once without sharing a payment', async () => {
    const path = join(dir, 'two-reconcilers.db');
    const [a, b] = [new SqliteStore({ path }), new SqliteStore({ path })];
    for (let i = 0; i < 20; i++) {
      await a.createPayment({ ...payment, id: `pay_${i.toString(16).padStart(32, '0')}`, orderId: `o-${i}`, chargeId: `chrg_test_${i}`, returnToken: `${i}`.padEnd(43, 'z') });
    }
    const query = { createdBefore: '2030-02-01T00:00:00.000Z', dueBy: '2030-01-01T00:20:00.000Z', leaseUntil: '2030-01-01T00:25:00.000Z', limit: 12 };
    const [fromA, fromB] = await Promise.all([a.claimPaymentsToReconcile(query), b.claimPaymentsToReconcile(query)]);
    const ids = [...fromA, ...fromB].map((c) => c.payment.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    await a.close();
    await b.close();
  });

  it('keeps the event log append-only in the database itself', async () => {
    const path = join(dir, 'append-only.db');
    const store = new SqliteStore({ path });
    await store.createPayment(payment);
    await store.close();
    const raw = new Database(path);
    expect(() => raw.prepare('UPDATE payment_events SET type = ?').run('status_changed')).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM payment_events').run()).toThrow(/append-only/);
    raw.close();
  });

  it('enforces one live payment per order across two connections to one file', async () => {
    const path = join(dir, 'two-processes.db');
    const a = new SqliteStore({ path });
    const b = new SqliteStore({ path });
    await a.createPayment(payment);
    await expect(
      b.createPayment({ ...payment, id: 'pay_1123456789abcdef0123456789abcdef', chargeId: null, returnToken: 'y'.repeat(43) }),
    ).rejects.toMatchObject({ code: 'live_payment_exists' });
    await a.close();
    await b.close();
  });
});
