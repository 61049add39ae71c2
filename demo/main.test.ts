import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';

/** `npm start` runs this file with tsx (after scripts/setup.mjs); here it runs the same way, on random ports. */
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

it('npm start prints the shop and sandbox URLs, serves the shop there with the sandbox behind it, and stops on SIGTERM', async () => {
  const env = { ...process.env };
  delete env.OPN_PUBLIC_KEY;
  delete env.OPN_SECRET_KEY;
  child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0', '--sandbox-port', '0', '--db', ':memory:'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Press Ctrl+C to stop.')) {
        clearInterval(timer);
        resolve();
      }
    }, 25);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`the demo exited: ${output}`));
    });
  });

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

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output).not.toMatch(/skey_test_demo/);
  // The merchant page's operations token (43 base64url characters, made at start-up) is named, never shown.
  expect(output).toMatch(/operations API on.*demo-merchant/s);
  expect(output).not.toMatch(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/);
});
