import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from './sqlite-group-commit.ts';

/** Group commit on a real file: what another connection sees, when callers hear back, and how failures spread. */

let dir: string;
let db: Database.Database;
let other: Database.Database;
let commits: number;

function open(): { db: Database.Database; group: GroupCommit } {
  const connection = new Database(join(dir, 'group.db'));
  connection.pragma('journal_mode = WAL');
  connection.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  // Counts the COMMITs the group runs (it prepares its statements once, here).
  const prepare = connection.prepare.bind(connection);
  connection.prepare = ((sql: string) => {
    const statement = prepare(sql);
    if (sql !== 'COMMIT') return statement;
    const run = statement.run.bind(statement);
    return Object.assign(statement, { run: () => (commits++, run()) });
  }) as typeof connection.prepare;
  return { db: connection, group: new GroupCommit(connection) };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pc-group-commit-'));
  commits = 0;
});
afterEach(() => {
  db?.close();
  other?.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (connection: Database.Database, v: string) => connection.transaction(() => connection.prepare('INSERT INTO t (v) VALUES (?)').run(v).lastInsertRowid)();
const seen = (connection: Database.Database) => (connection.prepare('SELECT v FROM t ORDER BY id').all() as { v: string }[]).map((r) => r.v);

describe('GroupCommit', () => {
  it('commits the writes of one turn together, and answers each only once they are on disk', async () => {
    let group: GroupCommit;
    ({ db, group } = open());
    other = new Database(join(dir, 'group.db'));
    const writes = ['a', 'b', 'c', 'd'].map((v) => group.run(() => insert(db, v)));
    // Run at once (this connection sees them), but not committed: another connection sees nothing yet.
    expect(seen(db)).toEqual(['a', 'b', 'c', 'd']);
    expect(seen(other)).toEqual([]);
    expect(await Promise.all(writes)).toEqual([1, 2, 3, 4]);
    expect(seen(other)).toEqual(['a', 'b', 'c', 'd']);
    expect(commits).toBe(1);

    // The next turn's writes are a group of their own.
    await group.run(() => insert(db, 'e'));
    expect(commits).toBe(2);
  });

  it('undoes a failing write alone; the rest of its group commits', async () => {
    let group: GroupCommit;
    ({ db, group } = open());
    other = new Database(join(dir, 'group.db'));
    const first = group.run(() => insert(db, 'same'));
    const duplicate = group.run(() => insert(db, 'same'));
    const last = group.run(() => insert(db, 'other'));
    await expect(duplicate).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    await expect(first).resolves.toBe(1);
    await expect(last).resolves.toBe(2);
    expect(seen(other)).toEqual(['same', 'other']);
  });

  it('fails every write of a group whose transaction SQLite rolled back', async () => {
    let group: GroupCommit;
    ({ db, group } = open());
    other = new Database(join(dir, 'group.db'));
    const kept = group.run(() => insert(db, 'a'));
    // What SQLite does itself on a full disk or an I/O error: the whole transaction is gone.
    const lost = group.run(() => db.exec('ROLLBACK'));
    await expect(kept).rejects.toThrow(/rolled back/);
    await expect(lost).rejects.toThrow(/rolled back/);
    expect(seen(other)).toEqual([]);
    // The next group works again.
    await expect(group.run(() => insert(db, 'b'))).resolves.toBe(1);
    expect(seen(other)).toEqual(['b']);
  });

  it('lets reads wait for the open group, and commits it before a second connection of this process begins', async () => {
    let group: GroupCommit;
    ({ db, group } = open());
    const write = group.run(() => insert(db, 'a'));
    await group.committed();
    other = new Database(join(dir, 'group.db'));
    expect(seen(other)).toEqual(['a']);
    await write;

    // A second connection's group in the same turn: the first group is committed before it takes the lock.
    const second = new GroupCommit(other);
    const mine = group.run(() => insert(db, 'b'));
    const theirs = second.run(() => insert(other, 'c'));
    await expect(Promise.all([mine, theirs])).resolves.toEqual([2, 3]);
    expect(seen(db)).toEqual(['a', 'b', 'c']);
  });
});
