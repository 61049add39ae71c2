/**
 * Two builds of the companion against each other in one run: a change too small for server.ts's ratios to show
 * (their noise here is ±15%) can still show in CPU per create, measured on both builds side by side, rounds
 * alternated. "before" is another checkout of the repository whose node_modules is this one's:
 *   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   BENCH_BEFORE=/tmp/before npx tsx --conditions=@payment-checkout/source scripts/bench/server-ab.ts
 * Both companions (companion-process.ts, SQLite files of their own) share one sandbox process and this load
 * generator. Knobs: BENCH_AB_CONCURRENCY (64), BENCH_ROUNDS (7; the first is a warm-up, after 1,000 creates each, and not counted),
 * BENCH_SECONDS (2). Not part of `npm run bench`: it needs the second checkout. Prints Markdown.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, prepare } from './server/load.ts';
import { median } from './server/phases.ts';
import { type ServerProcess, startProcess } from './server/processes.ts';
import * as scenario from './server/scenarios.ts';

const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const BEFORE = process.env.BENCH_BEFORE;
if (!BEFORE) throw new Error('BENCH_BEFORE: the path of the checkout to compare with (see the header of server-ab.ts)');
const CONCURRENCY = knob('BENCH_AB_CONCURRENCY', 64);
const ROUNDS = knob('BENCH_ROUNDS', 7);
const SECONDS = knob('BENCH_SECONDS', 2);

interface Figures {
  cpuMs: number[];
  perSecond: number[];
  p99Ms: number[];
}

const dir = mkdtempSync(join(tmpdir(), 'pc-bench-ab-'));
const sandbox = await startProcess('sandbox', 'sandbox-process.ts');
const builds: ServerProcess[] = [];
try {
  builds.push(await scenario.startCompanion(sandbox.url, join(dir, 'before.db'), { SERVER_ENTRY: join(BEFORE, 'packages/server/src/index.ts') }, 'before'));
  builds.push(await scenario.startCompanion(sandbox.url, join(dir, 'after.db'), {}, 'after'));
  const servers = (companion: ServerProcess): scenario.Servers => ({ companion, sandbox, bare: sandbox });
  const ledger = new scenario.Ledger();
  await scenario.silenceGatewayDeliveries(servers(builds[0]), new Agent({ keepAlive: true, maxSockets: 1 }));
  // Warm-up: each build's code compiled and its store opened (round 1, also not counted, warms the load itself).
  for (const build of builds) await prepare(1_000, 8, scenario.createViaCompanion(servers(build), ledger));
  const figures = new Map<string, Figures>(builds.map((b) => [b.name, { cpuMs: [], perSecond: [], p99Ms: [] }]));
  const loadBefore = loadavg();
  for (let round = 0; round < ROUNDS; round++) {
    for (const build of round % 2 === 0 ? builds : [...builds].reverse()) {
      const cpuAtStart = build.cpuMs();
      const sample = await measure(scenario.createViaCompanion(servers(build), ledger), { concurrency: CONCURRENCY, warmup: CONCURRENCY, seconds: SECONDS });
      if (sample.failed > 0) throw new Error(`${build.name}: ${sample.failed} creates failed: ${sample.firstError}`);
      if (round === 0) continue;
      const mine = figures.get(build.name)!;
      mine.cpuMs.push((build.cpuMs() - cpuAtStart) / sample.done);
      mine.perSecond.push(sample.perSecond);
      mine.p99Ms.push(sample.p99Ms);
    }
    process.stderr.write(`round ${round + 1} of ${ROUNDS}\n`);
  }
  const [before, after] = builds.map((b) => figures.get(b.name)!);
  const row = (name: string, f: Figures) =>
    `| ${name} | ${median(f.cpuMs).toFixed(3)} (${f.cpuMs.map((x) => x.toFixed(2)).join(', ')}) | ${median(f.perSecond).toFixed(0)} | ${median(f.p99Ms).toFixed(1)} |`;
  const ratio = (pick: (f: Figures) => number[]) => `${(median(pick(after)) / median(pick(before))).toFixed(3)}×`;
  console.log(
    [
      `K PLUS creates at c = ${CONCURRENCY}, ${SECONDS} s per measurement, ${ROUNDS - 1} rounds counted (builds alternated); load average ${loadBefore.map((l) => l.toFixed(2)).join(', ')} at the start.`,
      '',
      '| build | companion CPU per create, ms: median (each round) | creates/s, median | p99 ms, median |',
      '| --- | --- | --- | --- |',
      row(`before (${BEFORE})`, before),
      row('after (this checkout)', after),
      `| after ÷ before | ${ratio((f) => f.cpuMs)} | ${ratio((f) => f.perSecond)} | ${ratio((f) => f.p99Ms)} |`,
    ].join('\n'),
  );
} finally {
  await Promise.all([...builds, sandbox].map((p) => p.stop()));
  rmSync(dir, { recursive: true, force: true });
}
