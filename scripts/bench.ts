/**
 * `npm run bench`: measures what users feel, on loopback only, bounded in count and time.
 *  1. The element's bundle size (what a storefront ships): a Vite library build of packages/element/src/define.ts.
 *  2. The companion's create-payment and status latency against the in-process sandbox, with each store: SQLite in
 *     memory, SQLite in a file, and PostgreSQL (a throwaway local cluster, as the store tests start).
 *  3. The element's start against a bare Lit element, in headless Chromium (scripts/bench-start.ts).
 * Prints Markdown tables to paste into BENCHMARKS.md.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { createSandbox } from '@payment-checkout/sandbox';
import { startCheckoutServer } from '@payment-checkout/server';
import { startPostgres } from '../packages/server/test/support/postgres.ts';
import { benchStart, startTable } from './bench-start.ts';

const PAYMENTS = Number(process.env.BENCH_PAYMENTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const DEADLINE = Date.now() + 120_000;

/**
 * The element's bundle as a page loads it: the entry and the chunks it imports statically (the initial load),
 * and apart from it each chunk loaded only by a dynamic import (a gateway's starter, when one of its methods is chosen).
 */
async function bundleSize(): Promise<{ initial: { raw: number; gzip: number; files: number }; lazy: { name: string; raw: number; gzip: number }[] }> {
  const outDir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  try {
    await build({
      configFile: false,
      logLevel: 'silent',
      // The workspace's packages from their sources, as the element's own builds read them (no dist/ needed).
      resolve: { conditions: ['@payment-checkout/source', 'browser', 'import', 'module', 'default'] },
      build: {
        outDir,
        minify: true,
        lib: { entry: 'packages/element/src/define.ts', formats: ['es'], fileName: 'payment-checkout' },
      },
    });
    const code = (file: string) => readFileSync(join(outDir, file));
    const initial = new Set<string>();
    const visit = (file: string) => {
      if (initial.has(file)) return;
      initial.add(file);
      // Static imports only (`import … from "./x.js"`, `import "./x.js"`); `import("./x.js")` is a lazy chunk.
      for (const m of code(file).toString('utf8').matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) visit(m[1]);
    };
    visit('payment-checkout.js');
    const sizes = (file: string) => ({ raw: code(file).length, gzip: gzipSync(code(file)).length });
    const files = readdirSync(outDir).filter((f) => f.endsWith('.js'));
    const sum = [...initial].map(sizes).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
    return {
      initial: { ...sum, files: initial.size },
      lazy: files.filter((f) => !initial.has(f)).map((f) => ({ name: f, ...sizes(f) })),
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
rows.push(`| element bundle, initial load (define.ts and its static imports, minified, lit + core; ${size.initial.files} files) | ${kib(size.initial.raw)}, ${kib(size.initial.gzip)} gzip |`);
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
