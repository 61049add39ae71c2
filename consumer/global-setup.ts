import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['core', 'sandbox', 'server', 'element'];
const PORT = Number(process.env.CONSUMER_PORT ?? 3188);
const SANDBOX_PORT = Number(process.env.CONSUMER_SANDBOX_PORT ?? 4188);

/** A clean environment: nothing of the workspace's npm run or its source condition reaches the user's processes. */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|NODE_OPTIONS$|INIT_CWD$)/i.test(key)));
  return { ...env, ...extra };
}

function run(command: string, args: string[], cwd: string): void {
  execFileSync(command, args, { cwd, env: userEnv(), stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The version a workspace dependency is installed at, so that the user's folder resolves the same. */
function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

async function waitFor(url: string, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not answer ${url} within 30 s`);
}

function start(command: string, args: string[], cwd: string, env: Record<string, string>, what: string): ChildProcess {
  // Its own process group: npx starts the bin as a child, and teardown ends both.
  const child = spawn(command, args, { cwd, env: userEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const log: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.on('exit', (code) => {
    if (code) console.error(`[consumer] ${what} exited with ${code}:\n${log.join('')}`);
  });
  return child;
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const pkg of PACKAGES) {
    if (!existsSync(join(ROOT, 'packages', pkg, 'dist'))) throw new Error(`packages/${pkg}/dist is missing: run \`npm run build\` first`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'payment-checkout-consumer-'));
  const packs = join(dir, 'packs');
  const shop = join(dir, 'shop');
  mkdirSync(packs);
  run('npm', ['pack', '--silent', '--pack-destination', packs, ...PACKAGES.flatMap((pkg) => ['-w', `@payment-checkout/${pkg}`])], ROOT);
  const tarballs = Object.fromEntries(
    readdirSync(packs).map((file) => [`@payment-checkout/${/^payment-checkout-(\w+)-/.exec(file)![1]}`, `file:${join(packs, file)}`]),
  );

  // The shop: the README's examples, as a user copies them.
  cpSync(join(ROOT, 'examples', 'plain-html'), shop, { recursive: true });
  cpSync(join(ROOT, 'examples', 'react'), join(shop, 'react-app'), { recursive: true });
  // A TypeScript shop, type-checked by the spec against the installed typings.
  cpSync(join(ROOT, 'consumer', 'typings'), shop, { recursive: true });
  const tools = ['react', 'react-dom', 'esbuild', 'typescript', '@types/react', '@types/node'];
  const dependencies = { ...tarballs, express: `^${installedVersion('express')}`, ...Object.fromEntries(tools.map((name) => [name, installedVersion(name)])) };
  writeFileSync(
    join(shop, 'package.json'),
    JSON.stringify({ name: 'consumer-shop', private: true, type: 'module', dependencies, overrides: { 'better-sqlite3': installedVersion('better-sqlite3') } }, null, 2),
  );
  // From npm's cache where it can. Install scripts are skipped: the one that matters, better-sqlite3's, compiles
  // SQLite for minutes on this machine (no prebuilt binaries can be downloaded here); its addon, compiled by the
  // workspace's install for the same version and the same Node, is copied in instead.
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], shop);
  const addon = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(shop, addon, '..'), { recursive: true });
  copyFileSync(join(ROOT, addon), join(shop, addon));
  // The React example, bundled as its README says, into the shop's public folder.
  run(process.execPath, [join(shop, 'react-app', 'build.mjs'), '--out', join(shop, 'public', 'react')], shop);

  const sandbox = start('npx', ['@payment-checkout/sandbox', '--port', String(SANDBOX_PORT)], shop, {}, 'the sandbox');
  await waitFor(`http://127.0.0.1:${SANDBOX_PORT}/_sandbox/clock`, sandbox, 'the sandbox');
  const server = start(process.execPath, ['server.mjs'], shop, { PORT: String(PORT), SANDBOX_URL: `http://127.0.0.1:${SANDBOX_PORT}` }, 'the shop');
  await waitFor(`http://127.0.0.1:${PORT}/index.html`, server, 'the shop');
  process.env.CONSUMER_SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
  process.env.CONSUMER_SHOP_DIR = shop;

  return async () => {
    for (const child of [server, sandbox]) {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
