/**
 * `npx tsx scripts/bench/sqlite-statements.ts`: what preparing a statement on every call cost SqliteStore (issue 12),
 * measured in one run. The shapes of the store's hot calls (a payment by id, an order's payments, an update of one
 * column) on 10,000 rows with better-sqlite3, each timed preparing its statement every time (as the store did) and
 * with the statement prepared once (as `statement()` does now), interleaved, median of 7 rounds.
 */
import Database from 'better-sqlite3';

const PAYMENTS = 10_000;
const CALLS = 20_000;
const ROUNDS = 7;

const db = new Database(':memory:');
db.exec('CREATE TABLE payments (id TEXT PRIMARY KEY, order_id TEXT, status TEXT, authorize_uri TEXT, updated_at TEXT); CREATE INDEX payments_order ON payments (order_id)');
const insert = db.prepare('INSERT INTO payments VALUES (?, ?, ?, ?, ?)');
db.transaction(() => {
  for (let i = 0; i < PAYMENTS; i += 1) insert.run(`pay_${i}`, `order-${i % 2_000}`, 'pending', null, '2030');
})();
const SQL = {
  byId: 'SELECT * FROM payments WHERE id = ?',
  byOrder: 'SELECT * FROM payments WHERE order_id = ? ORDER BY rowid',
  update: 'UPDATE payments SET authorize_uri = ?, updated_at = ? WHERE id = ?',
};
const cached = { byId: db.prepare(SQL.byId), byOrder: db.prepare(SQL.byOrder), update: db.prepare(SQL.update) };

function run(prepareEachTime: boolean): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i += 1) {
    const id = `pay_${i % PAYMENTS}`;
    (prepareEachTime ? db.prepare(SQL.byId) : cached.byId).get(id);
    (prepareEachTime ? db.prepare(SQL.byOrder) : cached.byOrder).all(`order-${i % 2_000}`);
    (prepareEachTime ? db.prepare(SQL.update) : cached.update).run(`u${i}`, '2031', id);
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const each: number[] = [];
const once: number[] = [];
for (let r = 0; r < ROUNDS; r += 1) {
  each.push(run(true));
  once.push(run(false));
}
const a = median(each);
const b = median(once);
console.log(`| ${CALLS} × (by id, by order, update) on ${PAYMENTS} rows | prepared every call ${a.toFixed(0)} ms | prepared once ${b.toFixed(0)} ms | once / every call ${(b / a).toFixed(2)}× |`);
db.close();
