import type Database from 'better-sqlite3';

/**
 * Group commit for SqliteStore: the writes made during one turn of the event loop share one IMMEDIATE transaction
 * and so one sync of the WAL to disk (`synchronous = FULL`: a committed status survives a power loss), committed
 * when the turn ends (`setImmediate`). Each write runs at once, in a savepoint of that transaction (a better-sqlite3
 * transaction function called inside a transaction is one), so a failing write is undone alone; and each caller
 * hears of its write only once the whole group is on disk. Under load, the sync, the largest part of a write, is
 * paid once per turn instead of once per write (BENCHMARKS.md, "group commit").
 *
 * A read waits for the open group first (`committed()`): what the store answers is on disk, never a write that
 * could still be lost (SQLite shows a connection its own uncommitted writes). If SQLite rolls the whole transaction back itself (a full disk, an I/O error), every write of the group fails.
 * One group is open per process at a time: another connection of this process (a second store on the same file)
 * commits the open group before it begins, since waiting for the lock would block the very loop that releases it.
 */
export class GroupCommit {
  /** The group open in this process, if any. */
  static #anywhere: GroupCommit | null = null;

  /** Commits the group open in this process, so that a new connection can take the write lock. */
  static flushOpen(): void {
    GroupCommit.#anywhere?.flush();
  }

  readonly #db: Database.Database;
  readonly #begin: Database.Statement;
  readonly #commit: Database.Statement;
  readonly #rollback: Database.Statement;
  #open: Group | null = null;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
  }

  /** Runs `write` now within the open group (opening one if needed) and answers its result once the group commits. */
  async run<T>(write: () => T): Promise<T> {
    const group = this.#group();
    const result = write();
    await group.committed;
    return result;
  }

  /** Resolves once the open group, if any, has committed or failed; reads wait for it. */
  async committed(): Promise<void> {
    if (this.#open) await this.#open.committed.catch(() => undefined);
  }

  /** Commits the open group now (before the store closes). */
  flush(): void {
    if (this.#open) this.#end(this.#open);
  }

  #group(): Group {
    if (this.#open && this.#db.inTransaction) return this.#open;
    if (this.#open) this.#end(this.#open);
    if (GroupCommit.#anywhere !== this) GroupCommit.flushOpen();
    this.#begin.run();
    let settle!: (error?: unknown) => void;
    const committed = new Promise<void>((resolve, reject) => (settle = (error) => (error === undefined ? resolve() : reject(error))));
    // A group whose every write threw has no one awaiting it: its failure is not an unhandled rejection.
    committed.catch(() => undefined);
    const group: Group = { committed, settle };
    this.#open = group;
    GroupCommit.#anywhere = this;
    setImmediate(() => this.#end(group));
    return group;
  }

  #end(group: Group): void {
    if (this.#open !== group) return;
    this.#open = null;
    if (GroupCommit.#anywhere === this) GroupCommit.#anywhere = null;
    if (!this.#db.inTransaction) return group.settle(new Error('SQLite rolled back the transaction of this write (see the error of an earlier write)'));
    try {
      this.#commit.run();
      group.settle();
    } catch (err) {
      if (this.#db.inTransaction) this.#rollback.run();
      group.settle(err);
    }
  }
}

interface Group {
  committed: Promise<void>;
  settle(error?: unknown): void;
}
