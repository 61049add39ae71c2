import type { PhaseResult, Row } from './phases.ts';
import type { ProfileSummary } from './profile.ts';

/** The server benchmark's figures as the Markdown that goes into BENCHMARKS.md. */

const fixed = (v: number | undefined, digits: number) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));
const ratio = (v: number | undefined) => (v === undefined ? '—' : `${v.toFixed(2)}×`);
const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

function rowLine(row: Row): string {
  const delay = row.loopDelay ? `${fixed(row.loopDelay.meanMs, 1)} / ${fixed(row.loopDelay.p99Ms, 1)}` : '';
  const failed = row.failed ? ` (${row.failed} failed)` : '';
  const cpu = `${fixed(row.cpu.serverMs, 2)} / ${fixed(row.cpu.sandboxMs, 2)}`;
  return `| ${row.target}${failed} | ${row.concurrency} | ${fixed(row.perSecond, 0)} | ${fixed(row.p50Ms, 1)} | ${fixed(row.p99Ms, 1)} | ${ratio(row.throughputRatio)} | ${ratio(row.p99Ratio)} | ${cpu} | ${delay} |`;
}

export function phaseTable(result: PhaseResult): string[] {
  const byConcurrency = [...result.rows].sort((a, b) => a.concurrency - b.concurrency);
  return [
    `| ${result.title} | c | req/s | p50 ms | p99 ms | req/s ÷ ${result.baseline} | p99 ÷ ${result.baseline} | CPU ms per request: server (companion, floor, bare) / sandbox | companion's event-loop delay beyond 10 ms, mean / p99 ms |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...byConcurrency.map(rowLine),
  ];
}

export interface Goal {
  result: PhaseResult;
  companion: string;
  /** Least throughput ratio; and, when given, the most p99 ratio. */
  minThroughput: number;
  maxP99?: number;
}

export function goalTable(goals: Goal[]): string[] {
  const lines = ['| goal (issue 12) | c | throughput ratio | p99 ratio | met |', '| --- | --- | --- | --- | --- |'];
  for (const goal of goals) {
    for (const row of goal.result.rows.filter((r) => r.target === goal.companion).sort((a, b) => a.concurrency - b.concurrency)) {
      const fast = (row.throughputRatio ?? 0) >= goal.minThroughput;
      const tail = goal.maxP99 === undefined || (row.p99Ratio ?? Infinity) <= goal.maxP99;
      const wanted = `≥ ${goal.minThroughput}×${goal.maxP99 === undefined ? '' : `, p99 ≤ ${goal.maxP99}×`}`;
      lines.push(`| ${goal.result.title}: ${goal.companion} vs ${goal.result.baseline} (${wanted}) | ${row.concurrency} | ${ratio(row.throughputRatio)} | ${goal.maxP99 === undefined ? '—' : ratio(row.p99Ratio)} | ${fast && tail ? 'yes' : 'no'} |`);
    }
  }
  return lines;
}

export interface MemoryFigures {
  startKiB: number;
  startPayments: number;
  endKiB: number;
  endPayments: number;
  peakKiB: number;
  /** V8's heap in use, and the RSS, just after a full garbage collection, at start and at the end. */
  heapStartKiB: number;
  heapEndKiB: number;
  gcRssStartKiB: number;
  gcRssEndKiB: number;
}

export function memoryTable(m: MemoryFigures): string[] {
  return [
    '| companion RSS (VmRSS) | payments created | RSS | ÷ at start |',
    '| --- | --- | --- | --- |',
    `| at start (after a warm-up) | ${m.startPayments} | ${mib(m.startKiB)} | 1.00× |`,
    `| after the run | ${m.endPayments.toLocaleString('en')} | ${mib(m.endKiB)} | ${(m.endKiB / m.startKiB).toFixed(2)}× |`,
    `| peak (VmHWM) | | ${mib(m.peakKiB)} | ${(m.peakKiB / m.startKiB).toFixed(2)}× |`,
    `| RSS after a full GC: at start → after the run | | ${mib(m.gcRssStartKiB)} → ${mib(m.gcRssEndKiB)} | ${(m.gcRssEndKiB / m.gcRssStartKiB).toFixed(2)}× |`,
    `| V8 heap in use after a full GC: at start → after the run | | ${mib(m.heapStartKiB)} → ${mib(m.heapEndKiB)} | ${(m.heapEndKiB / m.heapStartKiB).toFixed(2)}× |`,
  ];
}

export function profileLines(load: string, summary: ProfileSummary, file: string): string[] {
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  const list = (entries: ProfileSummary['self']) => entries.map((e) => `| ${e.name.replaceAll('|', '\\|')} | ${e.ms.toFixed(0)} | ${pct(e.share)} |`);
  return [
    `**${load}** — ${(summary.busyMs / 1000).toFixed(1)} s busy of ${(summary.wallMs / 1000).toFixed(1)} s profiled (\`${file}\`)`,
    '',
    '| self time: function | ms | of busy |',
    '| --- | --- | --- |',
    ...list(summary.self),
    '',
    '| self time: file or package | ms | of busy |',
    '| --- | --- | --- |',
    ...list(summary.byModule),
    '',
    '| total time (itself and what it calls): the project\'s functions | ms | of busy |',
    '| --- | --- | --- |',
    ...list(summary.total),
  ];
}
