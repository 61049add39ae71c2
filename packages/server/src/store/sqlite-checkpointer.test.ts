import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newPaymentFixture as newPayment } from './store-contract.ts';
import { WalCheckpointer } from './sqlite-checkpointer.ts';
import { SqliteStore } from './sqlite-store.ts';

/** WAL checkpoints in a worker thread: the store's commits no longer copy the WAL into the file themselves. */

let dir: string;
let db: Database.Database | undefined;
let checkpointer: WalCheckpointer | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-checkpointer-'));
});
afterEach(async () => {
  await checkpointer?.stop();
  db?.close();
  checkpointer = db = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const PAGE = 4096;
const fileBytes = (name: string) => statSync(join(dir, name)).size;

function openFile(): Database.Database {
  const connection = new Database(join(dir, 'wal.db'));
  connection.pragma('journal_mode = WAL');
  connection.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)');
  return connection;
}

/** A WAL file (`db`) and its checkpointer (`checkpointer`), for the test to write and watch. */
function start(options?: { everyMs: number }): { db: Database.Database; checkpointer: WalCheckpointer } {
  db = openFile();
  checkpointer = new WalCheckpointer(db, options);
  return { db, checkpointer };
}

/** `pages` commits of about one page each: past SQLite's own checkpoint threshold (1,000 pages) when pages > 1,000. */
function writePages(connection: Database.Database, pages: number): void {
  const insert = connection.prepare('INSERT INTO t (v) VALUES (?)');
  for (let i = 0; i < pages; i++) insert.run(Buffer.alloc(PAGE - 200, i % 251));
}


describe('WalCheckpointer', () => {
  it('leaves the commits without a checkpoint of their own; its worker copies the whole WAL into the file', async () => {
    const { db, checkpointer } = start({ everyMs: 60_000 });
    const before = fileBytes('wal.db');
    writePages(db, 1_500);
    // SQLite alone would have checkpointed in the commit that passed 1,000 pages: the file would hold them.
    expect(fileBytes('wal.db')).toBe(before);
    expect(fileBytes('wal.db-wal')).toBeGreaterThan(1_500 * PAGE);

    const result = await checkpointer.checkpoint();
    expect(result.log).toBeGreaterThanOrEqual(1_500);
    expect(result.checkpointed).toBe(result.log);
    expect(fileBytes('wal.db')).toBeGreaterThan(1_400 * PAGE);
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(1_500);

    // The next commit starts the WAL over: it does not grow past what one commit writes.
    writePages(db, 1);
    expect((await checkpointer.checkpoint()).log).toBeLessThan(10);
  });

  it('keeps the WAL short under steady commits, though the store commits during the worker\'s checkpoints', async () => {
    const { db, checkpointer } = start();
    // SQLite starts the WAL over at a write only once a checkpoint has copied all of it; under load a commit lands
    // during nearly every checkpoint of the worker, and without help the WAL grows to the backstop (10,000 pages).
    for (let commit = 0; commit < 2_000; commit++) {
      db.transaction(() => writePages(db!, 5))();
      checkpointer.nudge();
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(fileBytes('wal.db-wal')).toBeLessThan(7_000 * PAGE);
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(10_000);
  });

  it('checkpoints on its own within everyMs of a nudge', async () => {
    const { db, checkpointer } = start({ everyMs: 20 });
    const before = fileBytes('wal.db');
    writePages(db, 300);
    expect(fileBytes('wal.db')).toBe(before);
    checkpointer.nudge();
    checkpointer.nudge();
    await vi.waitFor(() => expect(fileBytes('wal.db')).toBeGreaterThan(250 * PAGE), { timeout: 5_000, interval: 10 });
  });

  it('hands checkpoints back to the connection (SQLite default) when its worker cannot open the file', async () => {
    const { db, checkpointer } = start({ everyMs: 20 });
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
    // The worker opens the file once it has started, a few ms from now: it is gone by then.
    unlinkSync(join(dir, 'wal.db'));
    await vi.waitFor(() => expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000), { timeout: 5_000, interval: 10 });
    await expect(checkpointer.checkpoint()).rejects.toThrow('stopped');
  });
});

describe('SqliteStore on a file', () => {
  it('checkpoints its WAL in the background after its commits, and stops its worker on close', async () => {
    const store = new SqliteStore({ path: join(dir, 'payments.db'), checkpointEveryMs: 10 });
    const before = fileBytes('payments.db');
    for (let i = 0; i < 100; i++) await store.createPayment(newPayment({ orderId: `order-${i}` }));
    await vi.waitFor(() => expect(fileBytes('payments.db')).toBeGreaterThan(before), { timeout: 5_000, interval: 10 });
    await store.close();
    const reopened = new Database(join(dir, 'payments.db'), { readonly: true });
    expect((reopened.prepare('SELECT count(*) AS n FROM payments').get() as { n: number }).n).toBe(100);
    reopened.close();
  });

  it('lets a script that awaits close() as its last step go on past it (the idle worker does not hold the process, nor let it end early)', () => {
    // Node ends a process whose event loop is empty while a top-level await is unsettled (exit code 13).
    const script = `
      import { SqliteStore } from './src/store/sqlite-store.ts';
      import { newPaymentFixture } from './src/store/store-contract.ts';
      const store = new SqliteStore({ path: ${JSON.stringify(join(dir, 'script.db'))} });
      await store.createPayment(newPaymentFixture());
      await store.close();
      // Left open: its worker must not keep the process from ending.
      const open = new SqliteStore({ path: ${JSON.stringify(join(dir, 'open.db'))} });
      await open.createPayment(newPaymentFixture());
      // Stopped while a checkpoint is on its way: its late answer must not let the process end before the stop.
      const Database = (await import('better-sqlite3')).default;
      const { WalCheckpointer } = await import('./src/store/sqlite-checkpointer.ts');
      const raw = new Database(${JSON.stringify(join(dir, 'raw.db'))});
      raw.pragma('journal_mode = WAL');
      const checkpointer = new WalCheckpointer(raw);
      const pending = checkpointer.checkpoint().catch(() => 'rejected');
      await checkpointer.stop();
      console.log(await pending);
      console.log('closed');`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(dirname(fileURLToPath(import.meta.url)), '..', '..'),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(out.trim().split('\n')).toEqual(['rejected', 'closed']);
  });
});
