// `cem analyze` (@custom-elements-manifest/analyzer, pinned in the root package.json) reads this file from the
// package's folder: `npm run manifest -w @payment-checkout/element` writes custom-elements.json, and
// `npm run check:manifest` (scripts/check-manifest.mjs) fails when the committed one differs from the code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default {
  globs: ['src/**/*.ts'],
  // Tests are not the element's API; the test kits are outside src/ (test/).
  exclude: ['src/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  // package.json already says `"customElements": "custom-elements.json"`: leave it as it is.
  packagejson: false,
  // The modules in path order, not in the file system's: the same code always gives the same manifest.
  overrideModuleCreation: ({ ts, globs }) =>
    [...globs].sort().map((path) => ts.createSourceFile(path, readFileSync(`${root}${path}`, 'utf8'), ts.ScriptTarget.ES2015, true)),
};
