// Bundles the React example into a folder of static files: index.html, main.js (with its source map).
// Usage: node build.mjs --out <dir> [--source]
// Packages resolve the normal npm way, from the node_modules next to this folder: run it where
// @payment-checkout/element, react and react-dom are installed. --source reads the workspace packages' TypeScript
// sources (their "@payment-checkout/source" export condition), so that it builds in the monorepo without `npm run build`.
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';

const { values } = parseArgs({ options: { out: { type: 'string' }, source: { type: 'boolean', default: false } } });
if (!values.out) {
  console.error('usage: node build.mjs --out <dir> [--source]');
  process.exit(2);
}
const here = fileURLToPath(new URL('.', import.meta.url));
const out = resolve(values.out);

await mkdir(out, { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'main.tsx')],
  outfile: join(out, 'main.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  minify: true,
  sourcemap: true,
  jsx: 'automatic',
  // React's production build.
  define: { 'process.env.NODE_ENV': '"production"' },
  // Setting conditions drops esbuild's implicit "module"; it is listed again.
  ...(values.source ? { conditions: ['@payment-checkout/source', 'module'] } : {}),
  logLevel: 'warning',
});
await copyFile(join(here, 'index.html'), join(out, 'index.html'));
console.log(`React example built in ${out}`);
