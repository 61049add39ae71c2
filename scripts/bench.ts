/**
 * `npm run bench`: measures what users feel, on loopback only, bounded in count and time.
 *  1. The element's size as a page loads it: the script-tag file, and the chunks it imports when a method is chosen.
 *  2. The companion's server benchmarks (scripts/bench/server.ts): create, status, webhook and notify throughput and
 *     latency from outside, the companion, the sandbox and a bare Express app each in its own process, as ratios to
 *     the same work done at the sandbox directly in the same run; its memory; CPU profiles of its loads.
 *  3. How long a commit holds the event loop with SQLite's own WAL checkpoints and with the store's worker thread
 *     (scripts/bench/sqlite-checkpoints.ts), in process, about 15 s; and SqliteStore's own CPU per create, one at a time
 *     against eight at once (scripts/bench/sqlite-create-cost.ts), about 10 s.
 *  4. The element's start against a bare Lit element, in headless Chromium (scripts/bench-start.ts).
 * The store's growth (10,000 against 1,000,000 stored payments, with query plans) takes minutes of seeding and runs
 * apart: `npm run bench:growth` (scripts/bench/growth.ts).
 * Prints Markdown tables to paste into BENCHMARKS.md.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { benchStart, startTable } from './bench-start.ts';
import { BROWSER_ENTRY, buildBrowserModule, CHUNKS_DIR } from './bench/browser-build.ts';
import { serverBench } from './bench/server.ts';
import { checkpointBench } from './bench/sqlite-checkpoints.ts';
import { createCostBench } from './bench/sqlite-create-cost.ts';

/**
 * The element's script-tag file as a page loads it (packages/element/scripts/build-browser.mjs, the one build of it):
 * the file itself (the first load: it imports nothing statically), and apart from it each chunk in `chunks/`, loaded
 * only by a dynamic import (a gateway's starter, when one of its methods is chosen).
 */
async function bundleSize(): Promise<{ initial: { raw: number; gzip: number }; lazy: { name: string; raw: number; gzip: number }[] }> {
  const outDir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  try {
    const file = await buildBrowserModule({ entry: BROWSER_ENTRY, outDir, sourcemap: false, logLevel: 'silent' });
    const sizes = (path: string) => ({ raw: readFileSync(path).length, gzip: gzipSync(readFileSync(path)).length });
    const chunks = join(outDir, CHUNKS_DIR);
    return {
      initial: sizes(file),
      lazy: readdirSync(chunks)
        .filter((f) => f.endsWith('.js'))
        .map((f) => ({ name: f, ...sizes(join(chunks, f)) })),
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

const size = await bundleSize();
const rows: string[] = [];
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
rows.push(`| element, first load (the script-tag file, Lit included, every method enabled) | ${kib(size.initial.raw)}, ${kib(size.initial.gzip)} gzip |`);
for (const chunk of size.lazy) rows.push(`| element bundle, loaded on demand: ${chunk.name} | ${kib(chunk.raw)}, ${kib(chunk.gzip)} gzip |`);

console.log(`| measure | value |`);
console.log(`| --- | --- |`);
for (const row of rows) console.log(row);

// The server benchmarks have their own bound (about three minutes by default; see scripts/bench/server.ts).
console.log('');
for (const line of await serverBench()) console.log(line);
console.log('');
for (const line of await checkpointBench()) console.log(line);
console.log('');
for (const line of await createCostBench()) console.log(line);

// The start benchmark has its own two-minute bound.
const start = await benchStart();
console.log('');
for (const row of startTable(start)) console.log(row);
