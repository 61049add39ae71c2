// The element's size budget, checked in `npm test` (`npm run check:size`) after `npm run build`: the script-tag file,
// Lit included, every method enabled, at most 15,000 bytes gzip as a page receives it first (it imports nothing
// statically: build-browser.mjs makes sure). zlib's default level (6), as servers usually send it. The chunks that
// it imports when a method is chosen (each gateway's starter) are listed beside it.
import { readdirSync, readFileSync } from 'node:fs';
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
const chunks = join(dirname(file), 'chunks');
for (const name of readdirSync(chunks).filter((f) => f.endsWith('.js'))) {
  const chunk = readFileSync(join(chunks, name));
  console.log(`check-size:   then, when a method needs it: chunks/${name}: ${chunk.length} bytes, ${gzipSync(chunk).length} bytes gzip`);
}
