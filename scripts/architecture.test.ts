import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The rules of docs/architecture.md, checked on the code: files stay small, each package's layers import only
 * downwards, gateways stay in their folders (no gateway's name outside them but in documentation comments and
 * the one file that lists them), and test kits stay out of what ships.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAX_LINES = 400;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else if (/\.(ts|mjs|js)$/.test(name)) out.push(path);
  }
  return out;
}

const PACKAGES = ['core', 'sandbox', 'server', 'element'];
const sources = (pkg: string) => filesUnder(join(root, 'packages', pkg, 'src')).map((f) => relative(join(root, 'packages', pkg), f));
const read = (pkg: string, file: string) => readFileSync(join(root, 'packages', pkg, file), 'utf8');

/** The relative imports of a file (static and dynamic), resolved to paths inside its package. */
function importsOf(pkg: string, file: string): string[] {
  const text = read(pkg, file);
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
  return specifiers.map((s) => relative(join(root, 'packages', pkg), resolve(join(root, 'packages', pkg, dirname(file)), s)));
}

/** The code without its comments (line and block), for the gateway-name check. */
function codeOf(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** Per package: its gateways' own folders, and the files that list the gateways (allowed to name them). */
const GATEWAY_PLACES: Record<string, { folders: RegExp; listings: string[] }> = {
  core: { folders: /^src\/gateways\/(opn|kpayment)\//, listings: ['src/gateways/index.ts', 'src/gateways/signatures.ts', 'src/gateways/catalog.test.ts', 'src/index.ts'] },
  server: { folders: /^src\/gateways\/(opn|kpayment)\//, listings: ['src/gateways/index.ts', 'src/index.ts'] },
  sandbox: { folders: /^src\/(opn|kpayment)\//, listings: ['src/emulators.ts', 'src/index.ts'] },
  element: { folders: /^src\/gateways\/(opn|kpayment)\//, listings: ['src/gateways/index.ts'] },
};

/** Server layers, lowest first: a file may import its own layer and the ones below. */
const SERVER_LAYERS: [string, RegExp][] = [
  ['store', /^src\/store\//],
  ['common', /^src\/common\//],
  ['gateways', /^src\/gateways\/(?!index\.ts$)/],
  ['services', /^src\/services\//],
  ['http', /^src\/http\//],
  ['composition', /^src\/(checkout|options|env|server|index)\.ts$|^src\/gateways\/index\.ts$/],
  // The command-line tool: a client of the operations API, above everything (it reads the API's types).
  ['cli', /^src\/cli\//],
];
const layerOf = (file: string) => SERVER_LAYERS.findIndex(([, pattern]) => pattern.test(file));

describe('architecture (docs/architecture.md)', () => {
  it(`keeps every file in packages/*/src under ${MAX_LINES} lines`, () => {
    const long = PACKAGES.flatMap((pkg) => sources(pkg).map((f) => [`${pkg}/${f}`, read(pkg, f).split('\n').length] as const)).filter(([, n]) => n > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('names a gateway only in its own folders and the files that list them (documentation comments aside)', () => {
    const found: string[] = [];
    for (const pkg of PACKAGES) {
      const { folders, listings } = GATEWAY_PLACES[pkg];
      for (const file of sources(pkg)) {
        if (folders.test(file) || listings.includes(file)) continue;
        if (/kpayment|opn/i.test(codeOf(read(pkg, file)))) found.push(`${pkg}/${file}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('keeps test kits out of what ships: no shipped file in src/ imports from test/', () => {
    const shipped = (pkg: string) => sources(pkg).filter((f) => !/\.test\.ts$/.test(f));
    const found = PACKAGES.flatMap((pkg) => shipped(pkg).flatMap((f) => importsOf(pkg, f).filter((i) => i.startsWith('test/')).map((i) => `${pkg}/${f} → ${i}`)));
    expect(found).toEqual([]);
  });

  it("imports in what ships only what the package's package.json declares (a shop installs one package alone)", () => {
    const found: string[] = [];
    for (const pkg of PACKAGES) {
      const manifest = JSON.parse(read(pkg, 'package.json')) as { name: string; dependencies?: object; peerDependencies?: object };
      const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
      for (const file of sources(pkg).filter((f) => !f.endsWith('.test.ts'))) {
        const text = read(pkg, file);
        const statements = /^\s*(?:import|export)\s(?:[^;']*?\sfrom\s)?'([^'.][^']*)'/gm;
        const dynamic = /\bimport\(\s*'([^'.][^']*)'\s*\)/g;
        for (const [, specifier] of [...text.matchAll(statements), ...text.matchAll(dynamic)]) {
          if (specifier.startsWith('node:')) continue;
          // The package of a bare specifier: `lit/decorators.js` → lit, `@scope/name/sub` → @scope/name.
          const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
          if (!declared.has(name) && !declared.has(`@types/${name}`)) found.push(`${pkg}/${file} imports ${name}`);
        }
      }
    }
    expect([...new Set(found)]).toEqual([]);
  });

  it('lets no gateway folder import another gateway folder', () => {
    const found: string[] = [];
    for (const pkg of PACKAGES) {
      const { folders } = GATEWAY_PLACES[pkg];
      for (const file of sources(pkg)) {
        const own = folders.exec(file)?.[1];
        if (!own) continue;
        for (const target of importsOf(pkg, file)) {
          const other = folders.exec(target)?.[1];
          if (other && other !== own) found.push(`${pkg}/${file} → ${target}`);
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('imports only downwards in the server: store ← common ← gateways ← services ← http ← composition', () => {
    const found: string[] = [];
    for (const file of sources('server').filter((f) => !f.endsWith('.test.ts'))) {
      const from = layerOf(file);
      expect(from, `${file} has no layer`).toBeGreaterThanOrEqual(0);
      for (const target of importsOf('server', file)) {
        if (layerOf(target) > from) found.push(`${file} (${SERVER_LAYERS[from][0]}) → ${target} (${SERVER_LAYERS[layerOf(target)][0]})`);
      }
    }
    expect(found).toEqual([]);
  });
});
