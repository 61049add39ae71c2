// The element for a <script type="module" src="…"> tag, for any page, with no bundler and no import map: one minified
// ES module (Lit and core's few browser helpers inlined) and, in `chunks/` beside it, each gateway's starter, which the
// module imports itself (relative to its own URL) when the shopper chooses one of that gateway's methods. Serve the
// folder as it is.
// Usage: node packages/element/scripts/build-browser.mjs [--out <dir>]   (default: packages/element/dist/browser)
// buildBrowserModule() builds any entry the same way (scripts/bench-start.ts builds its bare baseline with it).
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { transform } from 'lightningcss';
import MagicString from 'magic-string';
import { parseAst } from 'rolldown/parseAst';
import { build, defaultClientConditions } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const BROWSER_FILE = 'payment-checkout.js';
/** The element's entry for the script-tag file. */
export const BROWSER_ENTRY = join(root, 'src', 'register.ts');

/** Where the lazy chunks go, under the output folder. */
export const CHUNKS_DIR = 'chunks';

/**
 * A chunk's file: a gateway's starter is named after its folder (`chunks/opn-….js`), the starting of payments
 * `start`, the QR code's session and views `qr`, code the starters share `shared`.
 */
function chunkFileName({ facadeModuleId }) {
  const name = facadeModuleId && /[\\/](?:gateways[\\/]([\w-]+)[\\/]starter|controllers[\\/]payment-(start)|(qr)[\\/]index)\.ts$/.exec(facadeModuleId);
  return `${CHUNKS_DIR}/${name?.slice(1).find(Boolean) ?? 'shared'}-[hash].js`;
}

/** The resolve conditions of the workspace's browser builds: its packages from their sources (no dist/ needed). */
export const SOURCE_CONDITIONS = ['@payment-checkout/source', ...defaultClientConditions];

/**
 * Minifies the CSS of Lit's css`…` literals (without interpolations) with Lightning CSS, as Vite minifies CSS files:
 * a JS minifier leaves template literals as they are.
 * @returns {import('vite').Plugin}
 */
export function minifyLitCss() {
  return {
    name: 'payment-checkout:minify-lit-css',
    enforce: 'pre',
    transform(code, id) {
      if (!/\.[cm]?[jt]s$/.test(id) || !code.includes('css`')) return null;
      const out = new MagicString(code);
      for (const m of code.matchAll(/\bcss`([^`\\$]*)`/g)) {
        const css = transform({ filename: `${id}.css`, code: Buffer.from(m[1]), minify: true }).code.toString();
        if (/[`\\$]/.test(css)) throw new Error(`${id}: the minified CSS holds a character a template literal would change`);
        const start = m.index + 'css`'.length;
        out.overwrite(start, start + m[1].length, css);
      }
      return out.hasChanged() ? { code: out.toString(), map: out.generateMap({ hires: true, source: id }) } : null;
    },
  };
}

/**
 * Collapses the line breaks and indentation in the markup of Lit's html`…` templates, which a JS minifier keeps as
 * they are: a break between two tags, or next to one, goes; one inside a tag (between attributes) or in text
 * becomes a space. The templates hold no <pre> or <textarea>, where line breaks would matter.
 * @returns {import('vite').Plugin}
 */
export function minifyLitHtml() {
  return {
    name: 'payment-checkout:minify-lit-html',
    enforce: 'post',
    transform(code, id) {
      if (!/\.[cm]?[jt]s$/.test(id) || !code.includes('html`')) return null;
      const out = new MagicString(code);
      const visit = (node) => {
        if (!node || typeof node.type !== 'string') return;
        if (node.type === 'TaggedTemplateExpression' && node.tag.type === 'Identifier' && node.tag.name === 'html') {
          for (const quasi of node.quasi.quasis) {
            const raw = code.slice(quasi.start, quasi.end);
            const collapsed = raw.replace(/\s*\n\s*/g, (_, offset) => {
              const before = raw[offset - 1];
              const after = raw[offset + _.length];
              return before === '>' || after === '<' || (before === undefined && after === undefined) ? '' : ' ';
            });
            if (collapsed !== raw) out.overwrite(quasi.start, quasi.end, collapsed);
          }
        }
        for (const value of Object.values(node)) {
          if (Array.isArray(value)) value.forEach(visit);
          else if (value && typeof value === 'object') visit(value);
        }
      };
      visit(parseAst(code));
      return out.hasChanged() ? { code: out.toString(), map: out.generateMap({ hires: true, source: id }) } : null;
    },
  };
}

/**
 * Builds `entry` as a minified ES module, `outDir/fileName`, with what it imports statically inlined and what it
 * imports dynamically in `outDir/chunks/`, and returns the module's path.
 * @param {{ entry: string; outDir: string; fileName?: string; sourcemap?: boolean; emptyOutDir?: boolean; logLevel?: 'info' | 'warn' | 'error' | 'silent' }} options
 * @returns {Promise<string>}
 */
export async function buildBrowserModule({ entry, outDir, fileName = BROWSER_FILE, sourcemap = true, emptyOutDir = true, logLevel = 'warn' }) {
  await build({
    configFile: false,
    logLevel,
    // Core is read from its sources (the workspace's own condition), so that this build needs no prior one.
    resolve: { conditions: SOURCE_CONDITIONS },
    plugins: [minifyLitCss(), minifyLitHtml()],
    build: {
      outDir,
      emptyOutDir,
      minify: true,
      sourcemap,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: () => fileName },
      // Vite's lib mode keeps whitespace in ES output unless the output itself is asked to minify.
      // Pure annotations serve a bundler that reads this file again; this one is served as it is.
      rolldownOptions: { output: { minify: true, comments: { annotation: false }, chunkFileNames: chunkFileName } },
    },
  });
  const file = join(outDir, fileName);
  // The first load is this one file: a module it shared with a lazy chunk would be split into a chunk of its own,
  // loaded before the element could start (a starter must not import what the element imports: see problems.ts).
  const imports = [...readFileSync(file, 'utf8').matchAll(/(?:^|[;}\s])import\s*(?:[\w{*][^"'`]*?from\s*)?["'`]([^"'`]+)["'`]/g)].map((m) => m[1]);
  if (imports.length > 0) throw new Error(`${file} imports ${imports.join(', ')} statically: its first load must be this one file`);
  return file;
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
