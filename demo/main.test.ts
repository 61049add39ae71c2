import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, type Server, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../packages/server/src/cli/main.ts';

/** `npm start` runs this file with tsx (after scripts/setup.mjs); here it runs the same way, on random ports. */
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Runs the demo as `npm start` does, its stdout and stderr read as they come. */
function runDemo(args: string[], extraEnv: Record<string, string> = {}) {
  const env = { ...process.env, ...extraEnv };
  delete env.OPN_PUBLIC_KEY;
  delete env.OPN_SECRET_KEY;
  child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args, '--db', ':memory:'], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const out = {
    stdout: '',
    stderr: '',
    get all() {
      return this.stdout + this.stderr;
    },
  };
  child.stdout!.on('data', (c: Buffer) => (out.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out.stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  return { out, exited };
}

/** Resolves once the demo says it is ready; rejects if it exits first. */
function started(out: { all: string }, exited: Promise<unknown>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.all.includes('Press Ctrl+C to stop.')) {
        clearInterval(timer);
        resolve();
      }
    }, 25);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`the demo exited: ${out.all}`));
    });
  });
}

it('npm start prints the shop and sandbox URLs, serves the shop there with the sandbox behind it, and stops on SIGTERM', async () => {
  const { out, exited } = runDemo(['--port', '0', '--sandbox-port', '0']);
  await started(out, exited);
  const output = out.all;
  expect(output).toContain('Operations API:     for the payments CLI, start with CHECKOUT_OPERATIONS_TOKENS=<name>:<32+ random characters>');

  const shop = /Siam Market demo:\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
  const sandbox = /Sandbox \(Opn\):\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1];
  expect(shop, output).toBeDefined();
  expect(sandbox, output).toBeDefined();

  const home = await fetch(`${shop}/`);
  expect(home.status).toBe(200);
  expect(await home.text()).toContain('<title>Siam Market');
  expect((await (await fetch(`${shop}/api/products`)).json()).sandbox).toBe(true);
  const webhooks = await fetch(`${sandbox}/_sandbox/opn/webhooks`, {
    headers: { authorization: `Basic ${Buffer.from('skey_test_demo:').toString('base64')}` },
  });
  expect((await webhooks.json()).data.map((e: { url: string }) => e.url)).toEqual([`${shop}/webhooks/opn`]);

  child!.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(out.all).not.toMatch(/skey_test_demo/);
  // The merchant page's operations token (43 base64url characters, made at start-up) is named, never shown.
  expect(out.all).toMatch(/operations API on.*demo-merchant/s);
  expect(out.all).not.toMatch(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/);
});

it('serves the payments command line with the tokens of CHECKOUT_OPERATIONS_TOKENS, and says where, naming them only', async () => {
  const token = 'cli-token-'.padEnd(40, 'x');
  const { out, exited } = runDemo(['--port', '0', '--sandbox-port', '0'], { CHECKOUT_OPERATIONS_TOKENS: `ops-cli:${token}` });
  await started(out, exited);
  const api = /Operations API:\s+(http:\/\/127\.0\.0\.1:\d+\/operations)\s+\(payments CLI: .*; ops-cli\)/.exec(out.all)?.[1];
  expect(api, out.all).toBeDefined();
  const lines: string[] = [];
  const code = await runCli({ argv: ['list', '--json'], env: { PAYMENTS_API_URL: api, PAYMENTS_API_TOKEN: token }, stdout: (t) => void lines.push(t), stderr: (t) => void lines.push(t) });
  expect([code, JSON.parse(lines.join(''))]).toEqual([0, expect.objectContaining({ data: [] })]);
  expect(out.all).not.toContain(token);
  child!.kill('SIGTERM');
  expect(await exited).toBe(0);
});

describe('a port another process holds', () => {
  let holder: Server;
  let taken: number;
  beforeEach(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    taken = (holder.address() as AddressInfo).port;
  });
  afterEach(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it.each([
    ['the shop', ['--port', 'TAKEN', '--sandbox-port', '0'], "the shop's", '--port <number> or PORT=<number>'],
    ['the sandbox', ['--port', '0', '--sandbox-port', 'TAKEN'], "the sandbox's", '--sandbox-port <number> or SANDBOX_PORT=<number>'],
  ])('stops the demo with one line naming the port of %s and the flag that picks another, and no stack', async (_name, args, whose, setting) => {
    const { out, exited } = runDemo(args.map((arg) => (arg === 'TAKEN' ? String(taken) : arg)));
    expect(await exited).toBe(1);
    expect(out.stderr.trim().split('\n')).toEqual([`Port ${taken} (${whose}) is already in use: pick another with ${setting} (0: any free port).`]);
    expect(out.stdout).not.toContain('Siam Market demo:');
  });
});

it('refuses a port that is not a number, in one line', async () => {
  const { out, exited } = runDemo(['--port', 'eighty', '--sandbox-port', '0']);
  expect(await exited).toBe(1);
  expect(out.stderr.trim()).toBe('--port (or PORT) must be a port number from 0 to 65535 (0: any free port), not "eighty".');
});
