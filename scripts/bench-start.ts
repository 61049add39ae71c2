/**
 * The start benchmark (also part of `npm run bench`): how fast <payment-checkout> starts, against a bare Lit element
 * that reads the same config and draws the same buttons (scripts/bench/bare-checkout.ts), both built by the function
 * that builds the element's script-tag file and served by one local app with the companion and the sandbox
 * (scripts/bench/start-app.ts), in headless Chromium.
 *  - Start after insertion: in a loaded page (a new document per run, scripts from the cache), creating the element
 *    with an `order-id` → its method buttons in its shadow root, enabled; and → the next frame.
 *  - Cold page: navigation to a page with the element in its HTML, its script at a URL no cache has seen → the same.
 *  - Bytes: each script raw and gzip, the config answer, and what a cold page fetched besides itself.
 * Runs are interleaved (element, bare, element, …); medians with the interquartile range, and beside the ratio of
 * the medians the median of each pair's ratio (a pair runs back to back, so it shares the machine's load of the
 * moment). Bounded: about 20 s on an idle machine, never more than two minutes; closes the browser and every server.
 * Run: npx tsx --conditions=@payment-checkout/source scripts/bench-start.ts (without the condition once npm run build
 * has built the packages' dist/).
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CATALOG } from '@payment-checkout/core/catalog';
import { BROWSER_ENTRY, buildBrowserModule } from './bench/browser-build.ts';
import { ORDER_PREFIX, startApp, type StartScript } from './bench/start-app.ts';

const RUNS = Math.max(1, Number(process.env.BENCH_START_RUNS ?? 31));
const WARMUP = 2;
const BUDGET_MS = 110_000;
const STEP_TIMEOUT_MS = 15_000;
let started = performance.now();
/** Progress on stderr (the table alone goes to stdout). */
const progress = (what: string) => console.error(`[bench-start] ${((performance.now() - started) / 1000).toFixed(1)} s: ${what}`);

type Contestant = 'element' | 'bare';
const CONTESTANTS: readonly Contestant[] = ['element', 'bare'];

interface Shown {
  dom: number;
  frame: number;
  config: { sent: number; answered: number; transferSize: number; encodedBodySize: number; decodedBodySize: number } | null;
  buttons: string[];
}
interface Cold extends Shown {
  requests: { path: string; transferSize: number; encodedBodySize: number; decodedBodySize: number; responseEnd: number }[];
}

export interface StartBench {
  runs: number;
  insert: Record<Contestant, Shown[]>;
  cold: Record<Contestant, Cold[]>;
  script: Record<Contestant, { raw: number; gzip: number }>;
  buttons: string[];
  /** The machine's 1-minute load average before and after the runs (other work on it makes every figure noisier). */
  load: [number, number];
}

/** Builds both scripts the same way (the element's script-tag build), then measures them in one run. */
export async function benchStart(): Promise<StartBench> {
  started = performance.now();
  const deadline = Date.now() + BUDGET_MS;
  const outDir = mkdtempSync(join(tmpdir(), 'pc-bench-start-'));
  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  let browser: Browser | undefined;
  try {
    const scripts: Record<Contestant, StartScript> = {
      element: { tag: 'payment-checkout', code: Buffer.alloc(0) },
      bare: { tag: 'bare-checkout', code: Buffer.alloc(0) },
    };
    const entries: Record<Contestant, string> = { element: BROWSER_ENTRY, bare: fileURLToPath(new URL('./bench/bare-checkout.ts', import.meta.url)) };
    for (const name of CONTESTANTS) {
      const file = await buildBrowserModule({ entry: entries[name], outDir, fileName: `${name}.js`, sourcemap: false, emptyOutDir: false, logLevel: 'silent' });
      scripts[name].code = readFileSync(file);
    }
    progress('built both scripts');
    app = await startApp(scripts);
    const expected = await expectedButtons(app.url);

    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const insert: Record<Contestant, Shown[]> = { element: [], bare: [] };
    const cold: Record<Contestant, Cold[]> = { element: [], bare: [] };
    let order = 0;
    const nextOrder = () => `${ORDER_PREFIX}${Date.now().toString(36)}-${order++}`;

    // Start after insertion: one page per element in one context, a new document (a fresh page load, scripts from
    // the cache) per run: each run is the first insertion in its page, as on a shop's page.
    const warm = await browser.newContext();
    const insertPages = { element: await warm.newPage(), bare: await warm.newPage() };
    const loadBefore = loadavg()[0];
    progress('insertion runs');
    // On a busy machine the runs share what is left of the budget: the insertion runs may take a little over half.
    const insertionDeadline = Date.now() + (deadline - Date.now()) * 0.55;
    for (let i = 0; i < WARMUP + RUNS && Date.now() < insertionDeadline; i++) {
      for (const name of CONTESTANTS) {
        const shown = await insertOnce(insertPages[name], app.url, name, scripts[name].tag, nextOrder(), expected);
        if (i >= WARMUP) insert[name].push(shown);
      }
    }
    await warm.close();

    // Cold page: a new document per run whose script URL no cache has seen (the script is downloaded and compiled
    // again, without V8's code cache); the loopback connection may be reused.
    const coldContext = await browser.newContext();
    const coldPages = { element: await coldContext.newPage(), bare: await coldContext.newPage() };
    progress('cold runs');
    for (let i = 0; i < WARMUP + RUNS && Date.now() < deadline; i++) {
      for (const name of CONTESTANTS) {
        const shown = await coldOnce(coldPages[name], app.url, name, nextOrder(), expected);
        if (i >= WARMUP) cold[name].push(shown);
      }
    }
    await coldContext.close();
    progress('done');

    const runs = Math.min(insert.element.length, insert.bare.length, cold.element.length, cold.bare.length);
    if (runs === 0) throw new Error(`no run fitted in ${BUDGET_MS / 1000} s: the machine is too busy`);
    const [elementButtons, bareButtons] = CONTESTANTS.map((name) => insert[name][0].buttons.join('\n'));
    if (elementButtons !== bareButtons) {
      throw new Error(`the two elements drew different buttons:\n--- element\n${elementButtons}\n--- bare\n${bareButtons}`);
    }
    return {
      runs,
      insert,
      cold,
      script: {
        element: { raw: scripts.element.code.length, gzip: app.gzip.element.length },
        bare: { raw: scripts.bare.code.length, gzip: app.gzip.bare.length },
      },
      buttons: insert.element[0].buttons,
      load: [loadBefore, loadavg()[0]],
    };
  } finally {
    await browser?.close();
    await app?.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** How many method buttons an order gets (a method, plus its instalments button); checks that every method is offered. */
async function expectedButtons(url: string): Promise<number> {
  const res = await fetch(`${url}/checkout/config?orderId=${ORDER_PREFIX}probe`, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET /checkout/config answered HTTP ${res.status}: ${await res.text()}`);
  const config = (await res.json()) as { methods: { id: string; installments?: boolean }[] };
  const offered = new Set(config.methods.map((m) => m.id));
  const missing = CATALOG.filter((m) => !offered.has(m.id)).map((m) => m.id);
  if (missing.length > 0) throw new Error(`the benchmark's order is not offered every method: ${missing.join(', ')} missing`);
  return config.methods.length + config.methods.filter((m) => m.installments).length;
}

function withTimeout<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function insertOnce(page: Page, url: string, name: Contestant, tag: string, orderId: string, expected: number): Promise<Shown> {
  await page.goto(`${url}/page/${name}`, { waitUntil: 'load', timeout: STEP_TIMEOUT_MS });
  // Loaded: the tag defined, and two frames so that the page's own start is over.
  await withTimeout(
    `loading <${tag}>`,
    page.evaluate((t) => customElements.whenDefined(t).then(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))), tag),
  );
  return withTimeout(
    `inserting <${tag}>`,
    page.evaluate(([t, o, n]) => (window as unknown as BenchWindow).benchInsert(t, o, n), [tag, orderId, expected] as const),
  );
}

async function coldOnce(page: Page, url: string, name: Contestant, orderId: string, expected: number): Promise<Cold> {
  await page.goto(`${url}/cold/${name}?order=${orderId}&expected=${expected}`, { waitUntil: 'domcontentloaded', timeout: STEP_TIMEOUT_MS });
  return withTimeout(`cold page of ${name}`, page.evaluate(() => (window as unknown as BenchWindow).benchColdResult));
}

/** What scripts/bench/start-probe.js adds to the pages. */
interface BenchWindow {
  benchInsert(tag: string, orderId: string, expected: number): Promise<Shown>;
  benchColdResult: Promise<Cold>;
}

// ---- the table ----

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.ceil(at)] - sorted[lo]) * (at - lo);
}
const median = (values: number[]) => quantile(values, 0.5);
const ms = (values: number[]) => `${median(values).toFixed(1)} ms (${quantile(values, 0.25).toFixed(1)}–${quantile(values, 0.75).toFixed(1)})`;
/** The ratio of the medians, and the median of the ratios of each element run to the bare run beside it in time. */
const ratio = (a: number[], b: number[]) =>
  `${(median(a) / median(b)).toFixed(2)}× (paired ${median(a.slice(0, b.length).map((v, i) => v / b[i])).toFixed(2)}×)`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/** The Markdown table of a run: one row per measure, the element, the bare element and their ratio. */
export function startTable(r: StartBench): string[] {
  const rows: string[] = [
    `| start (${r.runs} runs each, interleaved; median and interquartile range) | <payment-checkout> | bare Lit element | element / bare: ratio of medians (median of paired ratios) |`,
    '| --- | --- | --- | --- |',
  ];
  const timed = (label: string, pick: (c: Contestant) => number[]) => rows.push(`| ${label} | ${ms(pick('element'))} | ${ms(pick('bare'))} | ${ratio(pick('element'), pick('bare'))} |`);
  const config = (s: Shown) => s.config ?? { sent: Number.NaN, answered: Number.NaN, transferSize: 0, encodedBodySize: 0, decodedBodySize: 0 };
  timed('**after insertion**: element created → method buttons in its shadow root, enabled', (c) => r.insert[c].map((s) => s.dom));
  timed('after insertion → the next frame (buttons painted)', (c) => r.insert[c].map((s) => s.frame));
  timed('… of which: insertion → config request sent', (c) => r.insert[c].map((s) => config(s).sent));
  timed('… of which: config request sent → answer received', (c) => r.insert[c].map((s) => config(s).answered - config(s).sent));
  timed('… of which: answer received → buttons in the shadow root', (c) => r.insert[c].map((s) => s.dom - config(s).answered));
  timed('**cold page**: navigation start → method buttons, enabled (HTML, script, config)', (c) => r.cold[c].map((s) => s.dom));
  timed('cold page: navigation start → config request sent', (c) => r.cold[c].map((s) => config(s).sent));
  const bytes = (label: string, pick: (c: Contestant) => number, show: (n: number) => string = (n) => `${n} B`) =>
    rows.push(`| ${label} | ${show(pick('element'))} | ${show(pick('bare'))} | ${(pick('element') / pick('bare')).toFixed(2)}× |`);
  const both = (c: Contestant) => `${kib(r.script[c].raw)}, ${kib(r.script[c].gzip)} gzip`;
  rows.push(`| script (one minified ES module, Lit inlined; raw, gzip -9 as served) | ${both('element')} | ${both('bare')} | ${(r.script.element.gzip / r.script.bare.gzip).toFixed(2)}× gzip |`);
  const last = (c: Contestant) => r.cold[c].at(-1)!;
  bytes('config answer: body (JSON, as the companion sends it, uncompressed)', (c) => config(last(c)).encodedBodySize);
  // The benchmark's own page (its HTML and the probe) is left out: what a shop's page pays for the element.
  const theirs = (c: Contestant) => last(c).requests.filter((q) => !q.path.startsWith('/cold/'));
  const paths = (c: Contestant) => theirs(c).map((q) => q.path).join(' + ');
  const total = (c: Contestant) => theirs(c).reduce((sum, q) => sum + q.transferSize, 0);
  rows.push(`| cold page: requests besides the page | ${theirs('element').length} (${paths('element')}) | ${theirs('bare').length} (${paths('bare')}) | |`);
  bytes('cold page: bytes on the wire for them (headers included)', total, kib);
  rows.push('', `Load average ${r.load[0].toFixed(1)} before the runs and ${r.load[1].toFixed(1)} after, on ${cpus().length} cores.`);
  if (r.runs < 20) rows.push(`Only ${r.runs} runs fitted in the time bound (the machine is busy): run again for at least 20.`);
  return rows;
}

const isMain = process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
if (isMain) {
  const result = await benchStart();
  for (const row of startTable(result)) console.log(row);
  console.log(`${result.buttons.length} buttons each: ${result.buttons.join('; ')}.`);
}
