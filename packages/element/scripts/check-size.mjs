// The element's size budget, checked in `npm test` after `npm run build`: the script-tag file (Lit and every
// gateway's starter included, every method enabled) at most 15,000 bytes gzip, as a page receives it.
// zlib's default level (6), as servers usually send it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 15_000;
const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'browser', 'payment-checkout.js');

let code;
try {
  code = readFileSync(file);
} catch {
  console.error(`check-size: ${file} is missing: run \`npm run build\` first`);
  process.exit(1);
}
const gzip = gzipSync(code).length;
const line = `${file}: ${code.length} bytes, ${gzip} bytes gzip (budget ${BUDGET})`;
if (gzip > BUDGET) {
  console.error(`check-size: over budget by ${gzip - BUDGET} bytes: ${line}`);
  process.exit(1);
}
console.log(`check-size: ${line}`);
