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
    // Not run yet: no connection sees them, and no transaction is open (the lock is free for other processes).
    expect(seen(db)).toEqual([]);
    expect(db.inTransaction).toBe(false);
    expect(await Promise.all(writes)).toEqual([1, 2, 3, 4]);
    expect(seen(other)).toEqual(['a', 'b', 'c', 'd']);
    expect(commits).toBe(1);
    expect(db.inTransaction).toBe(false);

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
    const before = group.run(() => insert(db, 'a'));
    // What SQLite does itself on a full disk or an I/O error: the whole transaction is gone.
    const lost = group.run(() => db.exec('ROLLBACK'));
    const after = group.run(() => insert(db, 'c'));
    await expect(before).rejects.toThrow(/rolled back/);
    await expect(lost).rejects.toThrow(/rolled back/);
    await expect(after).rejects.toThrow(/rolled back/);
    expect(seen(other)).toEqual([]);
    expect(db.inTransaction).toBe(false);
    // The next group works again.
    await expect(group.run(() => insert(db, 'b'))).resolves.toBe(1);
    expect(seen(other)).toEqual(['b']);
  });

  it('never holds the write lock across a turn: another connection takes it at once while writes wait', async () => {
    let group: GroupCommit;
    ({ db, group } = open());
    other = new Database(join(dir, 'group.db'), { timeout: 0 });
    const mine = group.run(() => insert(db, 'mine'));
    // Another process (here a connection that will not wait at all) writes while this one's writes are pending.
    expect(() => other.prepare('BEGIN IMMEDIATE').run()).not.toThrow();
    other.prepare("INSERT INTO t (v) VALUES ('theirs')").run();
    other.prepare('COMMIT').run();
    await expect(mine).resolves.toBe(2);
    expect(seen(other)).toEqual(['theirs', 'mine']);
  });

  it('commits what waits when the store closes', () => {
    let group: GroupCommit;
    ({ db, group } = open());
    const pending = group.run(() => insert(db, 'a'));
    group.flush();
    db.close();
    other = new Database(join(dir, 'group.db'));
    expect(seen(other)).toEqual(['a']);
    return expect(pending).resolves.toBe(1);
  });
});
