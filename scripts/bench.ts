/**
 * `npm run bench`: measures what users feel, on loopback only, bounded in count and time.
 *  1. The element's size as a page loads it: the script-tag file, and the chunks it imports when a method is chosen.
 *  2. The companion's create-payment and status latency against the in-process sandbox, with each store: SQLite in
 *     memory, SQLite in a file, and PostgreSQL (a throwaway local cluster, as the store tests start).
 *  3. The element's start against a bare Lit element, in headless Chromium (scripts/bench-start.ts).
 * Prints Markdown tables to paste into BENCHMARKS.md.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createSandbox } from '@payment-checkout/sandbox';
import { startCheckoutServer } from '@payment-checkout/server';
import { startPostgres } from '../packages/server/test/support/postgres.ts';
import { benchStart, startTable } from './bench-start.ts';
import { BROWSER_ENTRY, buildBrowserModule, CHUNKS_DIR } from './bench/browser-build.ts';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DEADLINE = Date.now() + 120_000;

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

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function timed<T>(fn: () => Promise<T>, samples: number[]): Promise<T> {
  const start = performance.now();
  const out = await fn();
  samples.push(performance.now() - start);
  return out;
}

async function companionLatency(store: string) {
  const sandbox = createSandbox();
  const sb = await sandbox.listen(0);
  const orders = new Map<string, { amount: number; currency: 'THB' }>();
  const companion = await startCheckoutServer({
    resolveOrder: (id) => orders.get(id) ?? null,
    resultUrl: '/result?paymentId={paymentId}',
    opn: { apiUrl: sb.url, sandbox: true },
    store,
    logger: { info() {}, warn() {}, error() {} },
  });
  await companion.checkout.ready;
  const create: number[] = [];
  const status: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  async function worker(): Promise<void> {
    while (next < PAYMENTS && Date.now() < DEADLINE) {
      const orderId = `bench-${next++}`;
      orders.set(orderId, { amount: 150_000, currency: 'THB' });
      const res = await timed(
        () =>
          fetch(`${companion.url}/checkout/payments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ orderId, method: 'mobile_banking_kbank' }),
          }),
        create,
      );
      const body = (await res.json()) as { paymentId: string };
      if (res.status !== 201 && res.status !== 200) {
        failures++;
        continue;
      }
      const view = await timed(() => fetch(`${companion.url}/checkout/payments/${body.paymentId}`), status);
      await view.arrayBuffer();
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  await companion.close();
  await sb.close();
  await sandbox.close();
  create.sort((a, b) => a - b);
  status.sort((a, b) => a - b);
  return { created: create.length - failures, failures, seconds, create, status };
}

const size = await bundleSize();
const ms = (v: number) => `${v.toFixed(1)} ms`;
const rows: string[] = [];
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
rows.push(`| element, first load (the script-tag file, Lit included, every method enabled) | ${kib(size.initial.raw)}, ${kib(size.initial.gzip)} gzip |`);
for (const chunk of size.lazy) rows.push(`| element bundle, loaded on demand: ${chunk.name} | ${kib(chunk.raw)}, ${kib(chunk.gzip)} gzip |`);

const fileDir = mkdtempSync(join(tmpdir(), 'pc-bench-db-'));
const postgres = await startPostgres();
try {
  const stores: [string, string][] = [
    ['SQLite in memory', ':memory:'],
    ['SQLite file', join(fileDir, 'payments.db')],
    ['PostgreSQL 127.0.0.1', postgres.url],
  ];
  for (const [label, store] of stores) {
    const latency = await companionLatency(store);
    rows.push(`| ${label}: payments created (K PLUS, ${CONCURRENCY} concurrent clients) | ${latency.created} in ${latency.seconds.toFixed(1)} s (${(latency.created / latency.seconds).toFixed(0)}/s), ${latency.failures} failed |`);
    rows.push(`| ${label}: POST /checkout/payments p50 / p95 / max | ${ms(percentile(latency.create, 50))} / ${ms(percentile(latency.create, 95))} / ${ms(latency.create.at(-1)!)} |`);
    rows.push(`| ${label}: GET /checkout/payments/:id p50 / p95 / max | ${ms(percentile(latency.status, 50))} / ${ms(percentile(latency.status, 95))} / ${ms(latency.status.at(-1)!)} |`);
  }
} finally {
  await postgres.stop();
  rmSync(fileDir, { recursive: true, force: true });
}
console.log(`| measure | value |`);
console.log(`| --- | --- |`);
for (const row of rows) console.log(row);

// The start benchmark has its own two-minute bound.
const start = await benchStart();
console.log('');
for (const row of startTable(start)) console.log(row);
