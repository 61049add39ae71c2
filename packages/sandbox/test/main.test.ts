import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuth } from './test-kit.ts';

/** `npm run sandbox -- --port N` runs this file with tsx; here it runs the same way, on a random port. */
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

function start(args: string[]) {
  child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  const banner = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes('Ctrl-C to stop.')) {
        clearInterval(timer);
        resolve(output);
      }
    }, 25);
    void exited.then(() => {
      clearInterval(timer);
      reject(new Error(`sandbox exited: ${output}`));
    });
  });
  banner.catch(() => undefined); // a run that is expected to exit never awaits its banner
  return { banner, exited, output: () => output };
}

describe('npm run sandbox', () => {
  it('starts on loopback, prints what it serves, serves it, and stops on SIGTERM', async () => {
    const run = start(['--port', '0']);
    const banner = await run.banner;
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1];
    expect(banner).toContain(`API base         ${url}`);
    expect(banner).toContain(`omise.js         ${url}/omise.js`);
    expect(banner).toContain('POST /_sandbox/opn/webhooks');
    expect(banner).toContain('POST /_sandbox/clock/advance');

    expect((await fetch(`${url}/omise.js`)).status).toBe(200);
    const source = await fetch(`${url}/sources`, {
      method: 'POST',
      headers: { authorization: basicAuth('pkey_test_cli'), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'mobile_banking_kbank', amount: 150000, currency: 'THB' }),
    });
    expect((await source.json()).object).toBe('source');
    const index = await (await fetch(url)).json();
    expect(index.opn.omise_js).toBe(`${url}/omise.js`);

    child!.kill('SIGTERM');
    expect(await run.exited).toBe(0);
  });

  it('answers --help with its usage under its installed name, and a port that is no number with a clear message', async () => {
    const help = start(['--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toMatch(/^usage: payment-checkout-sandbox \[--port N\]/);
    expect(help.output()).toContain('--public-url');
    const bad = start(['--port', 'abc']);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toBe('sandbox: --port: must be a port number (0 to 65535)\n');
    const unknown = start(['--prot', '80']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toContain('usage: payment-checkout-sandbox');
  });

  it('refuses to listen beyond loopback', async () => {
    const run = start(['--port', '0', '--host', '0.0.0.0']);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('loopback addresses only');
  });
});
