// `npm run build`: every package to its dist/ (JavaScript, .d.ts, source maps), in dependency order, then the
// element's script-tag file. Plain Node; each step is the package's own build.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

for (const pkg of ['core', 'sandbox', 'server', 'element']) {
  const dir = join(root, 'packages', pkg);
  // A file removed from src/ must not live on in dist/.
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  console.log(`[build] @payment-checkout/${pkg}`);
  execFileSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
}
console.log('[build] @payment-checkout/element: the script-tag file');
execFileSync(process.execPath, [join(root, 'packages', 'element', 'scripts', 'build-browser.mjs')], { cwd: root, stdio: 'inherit' });
