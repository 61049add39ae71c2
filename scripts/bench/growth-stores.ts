import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PostgresStore } from '../../packages/server/src/store/postgres-store.ts';
import { SqliteStore } from '../../packages/server/src/store/sqlite-store.ts';
import type { ReconcileClaim } from '../../packages/server/src/store/store.ts';
import { startPostgres } from '../../packages/server/test/support/postgres.ts';
import type { GrowthTarget } from './growth-ops.ts';
import { md5ForSqlite, POSTGRES_SEED, seedStatements, SQLITE_SEED } from './growth-seed.ts';

/**
 * The stores the growth benchmark compares, each at two sizes: SQLite files, and two schemas of one throwaway
 * PostgreSQL cluster. Each is created by its store class (its schema and migrations), seeded with direct SQL
 * (growth-seed.ts), and records the SQL its store sends per operation so that the plans printed are those of
 * the statements timed.
 */

export interface GrowthSubject {
  name: string;
  /** Seeds and opens one size; answers the target and the seeding time (ms). */
  open(stored: number, nowMs: number): Promise<{ target: GrowthTarget; seedMs: number }>;
  /** Which operation is running now (its statements are recorded under its name); null: none. */
  recordAs(operation: string | null): void;
  /** The plans of the statements `operation` sent, on the store of `stored` payments as it is now. */
  plans(stored: number, operation: string): Promise<{ sql: string; plan: string[] }[]>;
  close(): Promise<void>;
}

/** The statements of an operation worth a plan: no transaction control, no locks. */
const planned = (sql: string) => !/^\s*(BEGIN|COMMIT|ROLLBACK|SELECT pg_advisory_xact_lock)/i.test(sql);
const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();
/** Null for each parameter of a SQLite statement (`?` or `@name`): a plan without values, as SQLite plans without statistics. */
function nullParameters(sql: string): unknown[] {
  const named = [...sql.matchAll(/@(\w+)/g)].map((m) => m[1]);
  return named.length > 0 ? [Object.fromEntries(named.map((n) => [n, null]))] : Array.from(sql.matchAll(/\?/g), () => null);
}

export function sqliteSubject(): GrowthSubject {
  const dir = mkdtempSync(join(tmpdir(), 'growth-sqlite-'));
  const admins = new Map<number, Database.Database>();
  const stores: SqliteStore[] = [];
  const recorded = new Map<string, Set<string>>();
  let recording: string | null = null;
  // SqliteStore prepares each statement once per connection (sqlite-statements.ts): the first run of an operation sees them all.
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    if (recording && planned(sql)) (recorded.get(recording) ?? recorded.set(recording, new Set()).get(recording)!).add(sql);
    return prepare.call(this, sql);
  } as typeof prepare;

  return {
    name: 'SQLite (file, WAL)',
    async open(stored, nowMs) {
      const path = join(dir, `growth-${stored}.db`);
      const store = new SqliteStore({ path });
      stores.push(store);
      const seeder = new Database(path);
      seeder.pragma('cache_size = -262144');
      seeder.function('md5', { deterministic: true }, (text) => md5ForSqlite(String(text)));
      const started = performance.now();
      // Loading first and indexing after is several times faster than a million inserts into each index.
      const indexes = seeder.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").all() as { name: string; sql: string }[];
      seeder.transaction(() => {
        for (const index of indexes) seeder.exec(`DROP INDEX ${index.name}`);
        for (const sql of seedStatements(SQLITE_SEED, (t) => t, stored, nowMs)) seeder.exec(sql);
        for (const index of indexes) seeder.exec(index.sql);
      })();
      const seedMs = performance.now() - started;
      seeder.close();
      const admin = new Database(path);
      admins.set(stored, admin);
      const unclaim = admin.prepare('UPDATE payments SET reconcile_after = ? WHERE id = ?');
      const unclaimAll = admin.transaction((claims: ReconcileClaim[]) => {
        for (const c of claims) unclaim.run(c.nextCheckAt, c.payment.id);
      });
      return { target: { store, stored, unclaim: async (claims) => unclaimAll(claims) }, seedMs };
    },
    recordAs(operation) {
      recording = operation;
    },
    async plans(stored, operation) {
      const admin = admins.get(stored)!;
      return [...(recorded.get(operation) ?? [])].map((sql) => ({
        sql: oneLine(sql),
        plan: (admin.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...nullParameters(sql)) as { detail: string }[]).map((r) => r.detail),
      }));
    },
    async close() {
      Database.prototype.prepare = prepare;
      for (const store of stores) await store.close();
      for (const admin of admins.values()) admin.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresSubject(): Promise<GrowthSubject> {
  const cluster = await startPostgres();
  const pool = new pg.Pool({ connectionString: cluster.url, max: 4 });
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  const stores: PostgresStore[] = [];
  /** Per operation, the last parameters of each statement text. */
  const recorded = new Map<string, Map<string, unknown[]>>();
  let recording: string | null = null;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      if (recording && typeof args[0] === 'string' && planned(args[0])) {
        (recorded.get(recording) ?? recorded.set(recording, new Map()).get(recording)!).set(args[0], Array.isArray(args[1]) ? args[1] : []);
      }
      return query(...args);
    };
  });
  const schema = (stored: number) => `growth_${stored}`;

  return {
    name: 'PostgreSQL (local cluster)',
    async open(stored, nowMs) {
      const store = new PostgresStore({ pool, schema: schema(stored) });
      stores.push(store);
      await store.getPayment(`pay_${'0'.repeat(32)}`);
      const t = (table: string) => `${schema(stored)}.${table}`;
      const started = performance.now();
      // Loading first and indexing after is several times faster; the indexes behind constraints stay.
      const { rows: indexes } = await admin.query<{ name: string; def: string }>(
        `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
           JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`,
        [schema(stored)],
      );
      await admin.query(`SET maintenance_work_mem = '256MB'`);
      for (const index of indexes) await admin.query(`DROP INDEX ${t(index.name)}`);
      for (const sql of seedStatements(POSTGRES_SEED, t, stored, nowMs)) await admin.query(sql);
      for (const index of indexes) await admin.query(index.def);
      // As autovacuum would soon: planner statistics, and a visibility map for index-only scans.
      for (const table of ['payments', 'payment_events', 'hook_outbox']) await admin.query(`VACUUM ANALYZE ${t(table)}`);
      const seedMs = performance.now() - started;
      const unclaim = async (claims: ReconcileClaim[]) => {
        await admin.query(`UPDATE ${t('payments')} p SET reconcile_after = v.after FROM unnest($1::text[], $2::text[]) AS v(id, after) WHERE p.id = v.id`, [
          claims.map((c) => c.payment.id),
          claims.map((c) => c.nextCheckAt),
        ]);
      };
      return { target: { store, stored, unclaim }, seedMs };
    },
    recordAs(operation) {
      recording = operation;
    },
    async plans(stored, operation) {
      const plans: { sql: string; plan: string[] }[] = [];
      for (const [sql, params] of recorded.get(operation) ?? []) {
        if (!sql.includes(`"${schema(stored)}".`)) continue;
        // ANALYZE runs the statement: inside a transaction rolled back, so the data stays as timed.
        await admin.query('BEGIN');
        try {
          // An INSERT run again would collide with the row it wrote: its plan only.
          const options = /^\s*INSERT/i.test(sql) ? 'COSTS OFF' : 'ANALYZE, COSTS OFF, BUFFERS';
          const { rows } = await admin.query<{ 'QUERY PLAN': string }>(`EXPLAIN (${options}) ${sql}`, params);
          plans.push({ sql: oneLine(sql), plan: rows.map((r) => r['QUERY PLAN']) });
        } finally {
          await admin.query('ROLLBACK');
        }
      }
      return plans;
    },
    async close() {
      for (const store of stores) await store.close();
      await pool.end();
      await admin.end();
      await cluster.stop();
    },
  };
}
