import type Database from 'better-sqlite3';

/**
 * Group commit for SqliteStore: the writes asked for during one turn of the event loop run together when the turn
 * ends (`setImmediate`), in one IMMEDIATE transaction with one sync of the WAL to disk (`synchronous = FULL`, which
 * SqliteStore sets: a committed status survives a power loss), and each caller hears of its write once the whole
 * group is on disk. Under load the sync, the largest part of a write, is paid once per turn instead of once per
 * write (BENCHMARKS.md, "group commit").
 *
 * The transaction lives only inside that one synchronous run: no transaction is ever open between turns, so the
 * write lock is held just while the writes run and sync (another process on the file waits no longer than it did for
 * one write at a time), and a read always sees committed data only. Each write that is a better-sqlite3 transaction
 * function runs as a savepoint, so a failing write is undone alone; if SQLite rolls the whole transaction back itself
 * (a full disk, an I/O error), every write of the group fails.
 */
export class GroupCommit {
  readonly #db: Database.Database;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  #queue: Pending[] = [];
  /** Called after each commit (the WAL checkpointer's nudge). */
  onCommit: () => void = () => undefined;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
  }

  /** Runs `write` with the rest of this turn's writes; answers its result once their transaction has committed. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.#queue.length === 0) setImmediate(() => this.flush());
      this.#queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** Runs and commits the writes waiting now (at the end of a turn, and before the store closes). */
  flush(): void {
    const group = this.#queue;
    if (group.length === 0) return;
    this.#queue = [];
    try {
      this.#begin.run();
    } catch (err) {
      for (const pending of group) pending.reject(err);
      return;
    }
    const outcomes: Outcome[] = [];
    for (const pending of group) {
      try {
        outcomes.push({ ok: true, value: pending.write() });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
      // SQLite ended the transaction itself: what the group wrote so far is gone, and nothing more may run in it.
      if (!this.#db.inTransaction) return this.#fail(group, outcomes, new Error('SQLite rolled back the transaction of this write (see the error of the write that failed)'));
    }
    try {
      this.#commit.run();
    } catch (err) {
      this.#fail(group, outcomes, err);
      return;
    }
    this.onCommit();
    group.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
  }

  /** Rolls back what is left of the transaction; each write fails with its own error, or with `lost`. */
  #fail(group: Pending[], outcomes: Outcome[], lost: unknown): void {
    try {
      if (this.#db.inTransaction) this.#rollback.run();
    } catch {
      // The connection is past saving this transaction; the rejections below say what failed.
    }
    group.forEach((pending, i) => {
      const outcome = outcomes[i];
      pending.reject(outcome && !outcome.ok ? outcome.error : lost);
    });
  }
}

interface Pending {
  write(): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };
