import { type ChildProcess, spawn } from 'node:child_process';
import { type AddressInfo, type Server, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** `npm start` runs this file with tsx (after scripts/setup.mjs); here it runs the same way, on random ports. */
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Runs the demo as `npm start` does, its stdout and stderr read as they come. */
function runDemo(args: string[]) {
  const env = { ...process.env };
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

it('npm start prints the shop and sandbox URLs, serves the shop there with the sandbox behind it, and stops on SIGTERM', async () => {
  const { out, exited } = runDemo(['--port', '0', '--sandbox-port', '0']);
  await new Promise<void>((resolve, reject) => {
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
  const output = out.all;

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
