// The element for a <script type="module" src="…"> tag: one self-contained, minified ES module (Lit, core's few
// browser helpers and every gateway's starter inlined), for any page, with no bundler and no import map.
// Usage: node packages/element/scripts/build-browser.mjs [--out <dir>]   (default: packages/element/dist/browser)
// buildBrowserModule() builds any entry the same way (scripts/bench-start.ts builds its bare baseline with it).
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const BROWSER_FILE = 'payment-checkout.js';
/** The element's entry for the script-tag file. */
export const BROWSER_ENTRY = join(root, 'src', 'define.ts');

/**
 * Builds `entry` as one self-contained, minified ES module, `outDir/fileName` (everything it imports inlined, no
 * chunks), and returns the file's path.
 * @param {{ entry: string; outDir: string; fileName?: string; sourcemap?: boolean; emptyOutDir?: boolean; logLevel?: 'info' | 'warn' | 'error' | 'silent' }} options
 * @returns {Promise<string>}
 */
export async function buildBrowserModule({ entry, outDir, fileName = BROWSER_FILE, sourcemap = true, emptyOutDir = true, logLevel = 'warn' }) {
  await build({
    configFile: false,
    logLevel,
    // Core is read from its sources (the workspace's own condition), so that this build needs no prior one.
    resolve: { conditions: ['@payment-checkout/source', 'browser', 'import', 'module', 'default'] },
    build: {
      outDir,
      emptyOutDir,
      minify: true,
      sourcemap,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: () => fileName },
      // Vite's lib mode keeps whitespace in ES output unless the output itself is asked to minify.
      rolldownOptions: { output: { codeSplitting: false, minify: true } },
    },
  });
  return join(outDir, fileName);
}

const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: join(root, 'dist', 'browser') }, quiet: { type: 'boolean' } } });
  const file = await buildBrowserModule({ entry: BROWSER_ENTRY, outDir: values.out });
  if (!values.quiet) {
    const code = readFileSync(file);
    console.log(`${file}: ${code.length} bytes, ${gzipSync(code, { level: 9 }).length} gzip`);
  }
}
