// Fails when packages/element/custom-elements.json does not match the code: the manifest is generated again, in
// memory, with the same analyzer and config as `npm run manifest -w @payment-checkout/element`, and compared with
// the committed file byte for byte. Run from the repository root: `npm run check:manifest`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cli } from '@custom-elements-manifest/analyzer/cli.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const committedPath = `${packageDir}custom-elements.json`;

const manifest = await cli({ argv: ['analyze', '--quiet'], cwd: packageDir, noWrite: true });
const generated = `${JSON.stringify(manifest, null, 2)}\n`;
const committed = readFileSync(committedPath, 'utf8');

if (generated !== committed) {
  const a = committed.split('\n');
  const b = generated.split('\n');
  let line = 0;
  while (line < Math.max(a.length, b.length) && a[line] === b[line]) line += 1;
  console.error(`packages/element/custom-elements.json does not match the code (first difference at line ${line + 1}):`);
  console.error(`  committed: ${a[line] ?? '(end of file)'}`);
  console.error(`  generated: ${b[line] ?? '(end of file)'}`);
  console.error('Run `npm run manifest -w @payment-checkout/element` and commit the result.');
  process.exit(1);
}
console.log('packages/element/custom-elements.json matches the code.');
