import type Database from 'better-sqlite3';

const prepared = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/**
 * The statement of `sql` on `db`, prepared on first use and reused after: preparing parses and plans the SQL, which
 * took about a tenth of the companion's CPU on a create when every call prepared its statements again (issue 12).
 * A statement's text is its key; the texts built from a patch's columns are a bounded few.
 */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let statements = prepared.get(db);
  if (!statements) prepared.set(db, (statements = new Map()));
  let stmt = statements.get(sql);
  if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}
