/**
 * `npx tsx --conditions=@payment-checkout/source scripts/bench/sqlite-checkpoints.ts`: how long a commit holds the
 * event loop when SQLite checkpoints the WAL inside the commit that passes 1,000 pages (its default) and when the
 * store's `WalCheckpointer` does it in a worker thread (decisions.md C32), measured in one run. Each round opens a
 * fresh WAL file (synchronous FULL, as the store) with a payments-like table (a random text key, two more unique or
 * indexed random columns), and commits COMMITS transactions of 4 rows one after another, a turn of the event loop
 * between two (so the worker's answers arrive as they would in the store); modes interleaved, ROUNDS rounds, the
 * median of each figure. Knobs: CHECKPOINT_COMMITS (15000), CHECKPOINT_ROUNDS (3).
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WalCheckpointer } from '../../packages/server/src/store/sqlite-checkpointer.ts';
import { percentile } from './server/load.ts';
import { median } from './server/phases.ts';

const COMMITS = Number(process.env.CHECKPOINT_COMMITS ?? 15_000);
const ROUNDS = Number(process.env.CHECKPOINT_ROUNDS ?? 3);
const MODES = ['in the commit (SQLite default)', 'in a worker (WalCheckpointer)'] as const;
type Mode = (typeof MODES)[number];

interface Figures {
  p50: number;
  p99: number;
  p999: number;
  max: number;
  /** Event-loop time of all the commits (ms). */
  total: number;
  /** The most the WAL held at once (MiB). */
  walMiB: number;
}

async function round(mode: Mode): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-checkpoints-'));
  const db = new Database(join(dir, 'bench.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE payments (id TEXT PRIMARY KEY, token TEXT NOT NULL UNIQUE, order_id TEXT NOT NULL, detail TEXT NOT NULL); CREATE INDEX payments_by_order ON payments (order_id)');
  const checkpointer = mode === MODES[1] ? new WalCheckpointer(db) : null;
  const insert = db.prepare('INSERT INTO payments VALUES (?, ?, ?, ?)');
  const hex = (bytes: number) => randomBytes(bytes).toString('hex');
  const commit = db.transaction(() => {
    for (let i = 0; i < 4; i++) insert.run(`pay_${hex(16)}`, hex(24), `order-${hex(6)}`, 'x'.repeat(300));
  });
  const times: number[] = [];
  let walBytes = 0;
  for (let i = 0; i < COMMITS; i++) {
    const started = performance.now();
    commit.immediate();
    checkpointer?.nudge();
    times.push(performance.now() - started);
    await new Promise((resolve) => setImmediate(resolve));
    if (i % 500 === 0) walBytes = Math.max(walBytes, statSync(join(dir, 'bench.db-wal')).size);
  }
  walBytes = Math.max(walBytes, statSync(join(dir, 'bench.db-wal')).size);
  await checkpointer?.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  const at = (p: number) => percentile(times, p);
  return { p50: at(50), p99: at(99), p999: at(99.9), max: times.at(-1)!, total: times.reduce((a, b) => a + b, 0), walMiB: walBytes / 2 ** 20 };
}

export async function checkpointBench(): Promise<string[]> {
  const results = new Map<Mode, Figures[]>(MODES.map((m) => [m, []]));
  for (let r = 0; r < ROUNDS; r++) for (const mode of MODES) results.get(mode)!.push(await round(mode));
  const figure = (mode: Mode, key: keyof Figures) => median(results.get(mode)!.map((f) => f[key]));
  const keys: [keyof Figures, string][] = [['p50', 'p50'], ['p99', 'p99'], ['p999', 'p99.9'], ['max', 'max'], ['total', 'all commits']];
  const lines = [
    `WAL checkpoints: ${COMMITS.toLocaleString('en')} commits of 4 rows, one per turn of the event loop, ${ROUNDS} rounds, medians; the time each commit held the event loop (ms).`,
    '',
    `| checkpoints | ${keys.map(([, label]) => label).join(' | ')} | the most the WAL held, MiB |`,
    `| --- | ${keys.map(() => '---').join(' | ')} | --- |`,
    ...MODES.map((mode) => `| ${mode} | ${keys.map(([key]) => figure(mode, key).toFixed(key === 'total' ? 0 : 3)).join(' | ')} | ${figure(mode, 'walMiB').toFixed(1)} |`),
    `| worker ÷ default | ${keys.map(([key]) => `${(figure(MODES[1], key) / figure(MODES[0], key)).toFixed(2)}×`).join(' | ')} | |`,
  ];
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log((await checkpointBench()).join('\n'));
}
