import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/**
 * The `payments` command line as a user runs it, for the CLI's tests (cli.test.ts, cli-operations.test.ts): the
 * real bin in a child process, and a stand-in operations API that records what was sent.
 */

const BIN = fileURLToPath(new URL('../../bin/payments.mjs', import.meta.url));

/**
 * A random operations token (43 base64url characters) that does not start with "-": one that does (1 in 64) is
 * read as an option where a test passes it as an argument (`--token <value>`, `payments list <token>`).
 */
export function operationsToken(): string {
  for (;;) {
    const token = randomBytes(32).toString('base64url');
    if (!token.startsWith('-')) return token;
  }
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliConnection {
  /** PAYMENTS_API_URL, read when a run starts (the world behind it starts in a `beforeAll`). */
  url(): string;
  /** PAYMENTS_API_TOKEN. */
  token: string;
  /** Every token the tests hold: none may appear in what a run printed. */
  secrets: readonly string[];
}

/** What `paymentsCli` answers: runs `payments …args`; `env` overrides the connection's variables (`null` unsets one). */
export type Payments = (args: string[], env?: Record<string, string | null>) => Promise<Run>;

/**
 * Runs `payments …` with the connection's URL in PAYMENTS_API_URL and its token in PAYMENTS_API_TOKEN (unless
 * `env` says otherwise). Every run checks that no secret, nor a `--token` given on the command line, appears in
 * what it printed.
 */
export function paymentsCli(connection: CliConnection): Payments {
  return (args, env = {}) => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, PAYMENTS_API_URL: connection.url(), PAYMENTS_API_TOKEN: connection.token };
    for (const [key, value] of Object.entries(env)) {
      if (value === null) delete childEnv[key];
      else childEnv[key] = value;
    }
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (code) => {
        try {
          const flagToken = args[args.indexOf('--token') + 1];
          for (const secret of [...connection.secrets, ...(args.includes('--token') ? [flagToken] : [])]) {
            expect(stdout + stderr, `payments ${args.join(' ')}`).not.toContain(secret);
          }
          resolve({ code, stdout, stderr });
        } catch (error) {
          // Fails the test that ran the command (thrown here, it would be an uncaught error of no test).
          reject(error);
        }
      });
    });
  };
}

export interface ScriptedApi {
  url: string;
  requests: { method: string; url: string; authorization: string | undefined; body: string }[];
  close(): Promise<void>;
}

/** A stand-in API on loopback that answers what `answer` says and records every request (to prove what was sent). */
export async function startScriptedApi(answer: () => { status: number; body: unknown }): Promise<ScriptedApi> {
  const requests: ScriptedApi['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      const { status, body: reply } = answer();
      const text = typeof reply === 'string' ? reply : JSON.stringify(reply);
      res.writeHead(status, { 'content-type': typeof reply === 'string' ? 'text/html' : 'application/json' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/operations`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
