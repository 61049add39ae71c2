// Installs what `npm start`, `npm test` and `npm run screenshots` need on a fresh machine, and nothing when it is already there.
// Plain Node with no dependencies: it runs before node_modules exists.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wantBrowser = process.argv.includes('--browser');
// The server's store tests start a throwaway PostgreSQL: `npm test` (--browser) needs it, `npm start` does not.
const wantPostgres = wantBrowser || process.argv.includes('--postgres');
// The README's screenshots (`npm run screenshots`: Chromium, no PostgreSQL) show the element in Thai and Japanese:
// without these fonts Chromium draws boxes. The tests read text, not pixels, so `npm test` does not need them.
const wantFonts = process.argv.includes('--fonts');

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

/** Whether fontconfig knows a font for a language (`fc-list :lang=th`); false without fontconfig. */
function hasFontFor(lang) {
  try {
    return execSync(`fc-list :lang=${lang} family`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
  } catch {
    return false;
  }
}

/** PostgreSQL's initdb on PATH or in Debian's /usr/lib/postgresql/<version>/bin (as packages/server/test/support/postgres.ts looks). */
function hasInitdb() {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) dirs.push(...readdirSync(debian).map((version) => join(debian, version, 'bin')));
  return dirs.some((dir) => existsSync(join(dir, 'initdb')));
}

// Debian packages to install as root (one apt-get run); anyone else is told what to install.
const missing = [];
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if ((wantBrowser || wantFonts) && !existsSync(chromium)) {
  missing.push({ name: 'chromium', hint: `Chromium is missing at ${chromium}. Install it (Debian: sudo apt-get install -y chromium) or set CHROMIUM_PATH.` });
}
if (wantPostgres && !hasInitdb()) {
  missing.push({ name: 'postgresql', hint: 'PostgreSQL is missing (no initdb on PATH or under /usr/lib/postgresql/*/bin). Install it (Debian: sudo apt-get install -y postgresql).' });
}
if (wantFonts && !hasFontFor('th')) {
  missing.push({ name: 'fonts-thai-tlwg', hint: 'No Thai font (fc-list :lang=th is empty). Install one (Debian: sudo apt-get install -y fonts-thai-tlwg).' });
}
if (wantFonts && !hasFontFor('ja')) {
  missing.push({ name: 'fonts-noto-cjk', hint: 'No Japanese font (fc-list :lang=ja is empty). Install one (Debian: sudo apt-get install -y fonts-noto-cjk).' });
}
if (missing.length > 0) {
  if (process.getuid?.() !== 0) {
    for (const { hint } of missing) console.error(`[setup] ${hint}`);
    process.exit(1);
  }
  run(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.map((m) => m.name).join(' ')}`);
}
