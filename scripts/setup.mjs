// Installs what `npm start` / `npm test` need on a fresh machine, and nothing when it is already there.
// Plain Node with no dependencies: it runs before node_modules exists.
import { existsSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wantBrowser = process.argv.includes('--browser');

function run(cmd) {
  console.log(`[setup] ${cmd}`);
  execSync(cmd, { cwd: root, stdio: 'inherit' });
}

/** Runs a command; answers false instead of throwing when it fails. */
function attempt(cmd) {
  try {
    run(cmd);
    return true;
  } catch {
    return false;
  }
}

const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.package-lock.json');
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
// `npm ci` refuses a lock that lacks optional platform packages a registry mirror does not carry (rollup's
// darwin/win32 builds, say) although `npm install` resolves the same lock without changing it: fall back to that.
if (stale && !(existsSync(lock) && attempt('npm ci --no-audit --no-fund'))) {
  if (existsSync(lock)) console.log('[setup] npm ci failed; installing from the lock file with npm install instead');
  run('npm install --no-audit --no-fund');
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (wantBrowser && !existsSync(chromium)) {
  if (process.getuid?.() !== 0) {
    console.error(`[setup] Chromium is missing at ${chromium}. Install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  run('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium');
}
