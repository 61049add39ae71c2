import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/**
 * A throwaway PostgreSQL cluster for tests: `initdb` in a temporary directory, a server listening only on
 * 127.0.0.1 on a free port (its unix socket in the same directory), a database, and a connection string.
 * `stop()` stops the server and deletes the directory. One per test file (beforeAll/afterAll): initdb takes
 * about a second. PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
 */

const run = promisify(execFile);

export interface PostgresCluster {
  /** `postgres://…` of the cluster's test database (`checkout_test`), as its superuser. */
  url: string;
  /** The URL of another database (or as another role) of this cluster. */
  urlFor(database: string, role?: { user: string; password: string }): string;
  /** Runs SQL as the superuser (on `checkout_test` unless another database is named). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[], database?: string): Promise<R[]>;
  /** Creates an empty database; answers its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and deletes its files; safe to call twice. */
  stop(): Promise<void>;
}

const INSTALL_HINT = 'install PostgreSQL (Debian/Ubuntu: apt-get install -y postgresql; `node scripts/setup.mjs --browser` does it as root)';

/** The directory that holds initdb, pg_ctl and postgres: on PATH, or Debian's /usr/lib/postgresql/<version>/bin (newest first). */
export function findPostgresBin(): string | null {
  const candidates = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
}

/** A port free on 127.0.0.1 right now (for a server that must keep one port across restarts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function startPostgres(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error(`PostgreSQL tests need initdb and pg_ctl, which are neither on PATH nor under /usr/lib/postgresql/*/bin: ${INSTALL_HINT}.`);

  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser() : null;
  // As root, run the server's tools as the postgres user, which must own the directory.
  const tool = (name: string, args: string[]): [string, string[]] => (asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, name), ...args]] : [join(bin, name), args]);
  const dir = mkdtempSync(join(tmpdir(), 'checkout-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const password = randomBytes(18).toString('base64url');
  let started = false;

  const stop = async () => {
    if (started) {
      started = false;
      await run(...tool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])).catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A worker that exits without running afterAll (a crash, a timeout) must not leave a server behind.
  const onExit = () => {
    if (started) {
      try {
        execFileSync(...tool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']), { stdio: 'ignore' });
      } catch {
        // Nothing more to do while exiting.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  try {
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) {
      chownSync(dir, owner.uid, owner.gid);
      chownSync(pwfile, owner.uid, owner.gid);
    }
    await run(...tool('initdb', ['-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync']));
    rmSync(pwfile);

    let port = 0;
    for (let attempt = 1; !started; attempt++) {
      port = await freePort();
      // Durability off: the cluster is thrown away at the end of the file.
      const settings = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories='${dir}' -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        await run(...tool('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', settings, 'start']));
        started = true;
      } catch (err) {
        // Another process took the port between freePort() and the server's bind: try another.
        const serverLog = existsSync(log) ? readFileSync(log, 'utf8') : '';
        if (attempt >= 3 || !/could not bind|address already in use/i.test(serverLog)) throw new Error(`PostgreSQL did not start: ${(err as Error).message}\n${serverLog}`);
      }
    }

    const urlFor = (database: string, role = { user: 'postgres', password }) =>
      `postgres://${encodeURIComponent(role.user)}:${encodeURIComponent(role.password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = [], database = 'checkout_test'): Promise<R[]> => {
      const client = new pg.Client({ connectionString: urlFor(database) });
      await client.connect();
      try {
        return (await client.query<R>(sql, params)).rows;
      } finally {
        await client.end();
      }
    };
    const createDatabase = async (name: string) => {
      await query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`, [], 'postgres');
      return urlFor(name);
    };
    const url = await createDatabase('checkout_test');
    return {
      url,
      urlFor,
      query,
      createDatabase,
      async stop() {
        process.removeListener('exit', onExit);
        await stop();
      },
    };
  } catch (err) {
    process.removeListener('exit', onExit);
    await stop();
    throw err;
  }
}

function postgresUser(): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error(`PostgreSQL refuses to run as root and there is no postgres user to run it as: ${INSTALL_HINT} (the package creates the user).`);
  }
}

/** A temporary cluster for the test file: started before its tests, stopped after; call the answer to reach it. */
export function usePostgres(): () => PostgresCluster {
  let cluster: PostgresCluster | undefined;
  beforeAll(async () => {
    cluster = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => {
    if (!cluster) throw new Error('the PostgreSQL cluster is not started yet');
    return cluster;
  };
}
