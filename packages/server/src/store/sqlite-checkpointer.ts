import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints off the event loop. SQLite's own checkpoint runs inside the commit that takes the WAL past 1,000
 * pages: that commit, and every request waiting on the event loop behind it, waits while the checkpoint copies the
 * WAL into the database file and syncs it (5–9 ms here: the p99 of the time a commit held the event loop was 4.8 ms,
 * 0.4 ms with this worker; BENCHMARKS.md "WAL checkpoints off the event loop"). Here the store's own connection does not checkpoint until the WAL is far larger
 * (`BACKSTOP_PAGES`, should this thread fail); a worker thread with its own connection to the file runs a PASSIVE
 * checkpoint shortly after the store commits (`nudge`), at most once per `everyMs`. PASSIVE never waits for a
 * writer or a reader: the store's commits go on meanwhile, and SQLite restarts the WAL at the next write once a
 * checkpoint has copied all of it. A checkpoint is crash-safe wherever it runs; durability is the commit's sync.
 * If the worker cannot start or stops, the store's connection checkpoints as SQLite does by default.
 */

/** SQLite's default: the store's connection checkpoints in its commit past this many WAL pages (the fallback). */
const SQLITE_DEFAULT_PAGES = 1_000;
/** With the worker: the store's connection checkpoints only past this many pages (about 40 MiB), should the worker lag far behind. */
const BACKSTOP_PAGES = 10_000;
/** The worker's wait after a commit before it checkpoints (ms): the WAL pages of many commits copied at once. */
export const CHECKPOINT_EVERY_MS = 100;
/**
 * A WAL this long (pages, about 16 MiB) is started over after the worker's checkpoint (`#restart`). That checkpoint
 * on the store's connection copies little but syncs the database file (about 4 ms here): paid once per 4,000 pages.
 */
const RESTART_PAGES = 4_000;
/** At most this many checkpoints in a row, each copying what the store committed during the one before. */
const ROUNDS = 8;

// Plain JavaScript, evaluated in the worker (the package's sources may be TypeScript when this runs from them).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (message) => {
  if (message.stop) {
    db.close();
    parentPort.close();
    return;
  }
  try {
    // Again while the store committed meanwhile: only a checkpoint that copied the whole WAL lets SQLite start it over.
    let result = checkpoint.get();
    for (let round = 1; round < workerData.rounds && result.checkpointed < result.log; round++) result = checkpoint.get();
    const { busy, log, checkpointed } = result;
    parentPort.postMessage({ id: message.id, busy, log, checkpointed });
  } catch (err) {
    parentPort.postMessage({ id: message.id, error: String((err && err.message) || err) });
  }
});
`;

/** What one checkpoint did: WAL pages in all (`log`) and copied into the database file so far (`checkpointed`). */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export class WalCheckpointer {
  readonly #db: Database.Database;
  readonly #everyMs: number;
  readonly #worker: Worker;
  readonly #restartCheckpoint: Database.Statement;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  /** Checkpoints asked for by `checkpoint()`, by id (a nudge's is 0: nobody waits for it). */
  readonly #waiting = new Map<number, { resolve(result: CheckpointResult): void; reject(error: Error): void }>();
  #nextId = 1;

  constructor(db: Database.Database, options: { everyMs?: number } = {}) {
    this.#db = db;
    this.#everyMs = options.everyMs ?? CHECKPOINT_EVERY_MS;
    this.#restartCheckpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path: db.name, rounds: ROUNDS } });
    // Only once the worker exists: a constructor that throws leaves the connection checkpointing as SQLite's default.
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    this.#worker.unref();
    this.#worker.on('message', ({ id, ...answer }: { id: number } & (CheckpointResult | { error: string })) => {
      const waiting = this.#waiting.get(id);
      this.#waiting.delete(id);
      // Idle again: the worker does not keep the process alive (while stopping, the wait for its exit does).
      if (this.#waiting.size === 0 && !this.#stopped) this.#worker.unref();
      if ('error' in answer) return waiting?.reject(new Error(answer.error));
      if (answer.log >= RESTART_PAGES) this.#restart();
      waiting?.resolve(answer);
    });
    this.#worker.on('error', () => this.#end(true));
    this.#worker.on('exit', () => this.#end(true));
  }

  /** A commit wrote to the WAL: checkpoint within `everyMs` (one checkpoint for all the commits meanwhile). */
  nudge(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (!this.#stopped) this.#worker.postMessage({ id: 0 });
    }, this.#everyMs);
    this.#timer.unref();
  }

  /** Checkpoints now, in the worker; answers what it did (tests and tools). */
  checkpoint(): Promise<CheckpointResult> {
    return new Promise((resolve, reject) => {
      if (this.#stopped) return reject(new Error('the WAL checkpointer has stopped'));
      const id = this.#nextId++;
      this.#waiting.set(id, { resolve, reject });
      // Awaited, the answer keeps the process alive (the idle worker does not).
      this.#worker.ref();
      this.#worker.postMessage({ id });
    });
  }

  /** Stops the worker (its connection closed) and waits for it; the store's connection checkpoints as SQLite's default from then on. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    const exited = new Promise((resolve) => this.#worker.once('exit', resolve));
    this.#worker.ref();
    this.#end(false);
    this.#worker.postMessage({ stop: true });
    await exited;
  }

  /**
   * Lets SQLite start a long WAL over. It does so at the next write once a checkpoint has copied the whole WAL, but
   * under steady load the store commits during nearly every checkpoint of the worker, and the WAL would grow to the
   * backstop. Right after a worker's checkpoint, this one, on the store's connection between two of its commits, has
   * only the few pages committed since to copy.
   */
  #restart(): void {
    if (this.#stopped || !this.#db.open || this.#db.inTransaction) return;
    try {
      this.#restartCheckpoint.get();
    } catch {
      // Busy (another process checkpoints): the next worker's checkpoint tries again.
    }
  }

  /** No more checkpoints from the worker; one that failed or stopped on its own leaves them to the store's connection, as SQLite's default. */
  #end(failed: boolean): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    for (const { reject } of this.#waiting.values()) reject(new Error('the WAL checkpointer has stopped'));
    this.#waiting.clear();
    if (failed && this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_PAGES}`);
  }
}
