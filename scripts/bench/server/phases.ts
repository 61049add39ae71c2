import { type LoadPlan, measure, type Sample, type Work } from './load.ts';
import type { ServerProcess } from './processes.ts';

/**
 * A scenario's measurements: every target at every concurrency, several rounds, targets interleaved (their order
 * turns each round) so that a noisy shared machine slows them all alike; the figures are medians over the rounds.
 */

export interface Target {
  name: string;
  /** The companion's own target: its event loop's delay is read around each measurement. */
  companion?: boolean;
  /** Answered by the bare Express process (the floor, bare Express): its CPU is the server's. */
  bare?: boolean;
}

export interface Phase {
  title: string;
  targets: Target[];
  /** The target the companion is compared with. */
  baseline: string;
  concurrencies: number[];
  plan(concurrency: number): LoadPlan;
  /** Called before each (round, concurrency): the works to run then, by target name (pools are prepared here). */
  works(concurrency: number): Promise<Record<string, Work>>;
}

export interface LoopDelay {
  meanMs: number;
  p99Ms: number;
  maxMs: number;
}

export interface Row {
  target: string;
  concurrency: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failed: number;
  firstError?: string;
  /** Median over the rounds of this target's figure divided by the baseline's in the same round. */
  throughputRatio?: number;
  p99Ratio?: number;
  loopDelay?: LoopDelay;
  /** CPU time per measured request (median over the rounds): the answering server's (none for the sandbox called directly) and the sandbox's. */
  cpu: CpuPerRequest;
}

export interface PhaseResult {
  title: string;
  baseline: string;
  rows: Row[];
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface CpuPerRequest {
  serverMs: number;
  sandboxMs: number;
}

/** The monitor's 10 ms sampling interval is part of every reading; what matters is the delay beyond it. */
const LOOP_RESOLUTION_MS = 10;
const beyond = (d: LoopDelay): LoopDelay => ({ meanMs: Math.max(0, d.meanMs - LOOP_RESOLUTION_MS), p99Ms: Math.max(0, d.p99Ms - LOOP_RESOLUTION_MS), maxMs: Math.max(0, d.maxMs - LOOP_RESOLUTION_MS) });

export async function runPhase(
  phase: Phase,
  rounds: number,
  servers: { companion: ServerProcess; sandbox: ServerProcess; bare: ServerProcess },
  progress: (line: string) => void,
): Promise<PhaseResult> {
  const { companion, sandbox, bare } = servers;
  const samples = new Map<string, { sample: Sample; loopDelay?: LoopDelay; cpu: CpuPerRequest }[]>();
  const key = (target: string, c: number) => `${target}@${c}`;
  for (let round = 0; round < rounds; round++) {
    for (const c of phase.concurrencies) {
      const works = await phase.works(c);
      const order = phase.targets.map((_, i) => phase.targets[(i + round) % phase.targets.length]);
      for (const target of order) {
        if (target.companion) await companion.ask({ type: 'loop-delay' });
        const server = target.companion ? companion : target.bare ? bare : null;
        const cpuAt = { server: 0, sandbox: 0 };
        const around = {
          start: () => Object.assign(cpuAt, { server: server?.cpuMs() ?? 0, sandbox: sandbox.cpuMs() }),
          stop: () => Object.assign(cpuAt, { server: (server?.cpuMs() ?? 0) - cpuAt.server, sandbox: sandbox.cpuMs() - cpuAt.sandbox }),
        };
        const sample = await measure(works[target.name], { ...phase.plan(c), around });
        const loopDelay = target.companion ? beyond(await companion.ask<LoopDelay>({ type: 'loop-delay' })) : undefined;
        const cpu = { serverMs: cpuAt.server / sample.done, sandboxMs: cpuAt.sandbox / sample.done };
        const list = samples.get(key(target.name, c)) ?? [];
        list.push({ sample, loopDelay, cpu });
        samples.set(key(target.name, c), list);
        progress(`${phase.title} round ${round + 1} c=${c} ${target.name}: ${sample.perSecond.toFixed(0)}/s p50 ${sample.p50Ms.toFixed(1)} ms p99 ${sample.p99Ms.toFixed(1)} ms${sample.failed ? ` (${sample.failed} failed: ${sample.firstError})` : ''}`);
      }
    }
  }
  const rows: Row[] = [];
  for (const target of phase.targets) {
    for (const c of phase.concurrencies) {
      const mine = samples.get(key(target.name, c))!;
      const base = samples.get(key(phase.baseline, c))!;
      const figures = mine.map((m) => m.sample);
      const delays = mine.map((m) => m.loopDelay).filter((d): d is LoopDelay => d !== undefined);
      const failed = figures.reduce((sum, s) => sum + s.failed, 0);
      rows.push({
        target: target.name,
        concurrency: c,
        perSecond: median(figures.map((s) => s.perSecond)),
        p50Ms: median(figures.map((s) => s.p50Ms)),
        p99Ms: median(figures.map((s) => s.p99Ms)),
        failed,
        cpu: { serverMs: median(mine.map((m) => m.cpu.serverMs)), sandboxMs: median(mine.map((m) => m.cpu.sandboxMs)) },
        ...(failed ? { firstError: figures.find((s) => s.firstError)?.firstError } : {}),
        ...(target.name === phase.baseline
          ? {}
          : {
              throughputRatio: median(figures.map((s, r) => s.perSecond / base[r].sample.perSecond)),
              p99Ratio: median(figures.map((s, r) => s.p99Ms / base[r].sample.p99Ms)),
            }),
        ...(delays.length
          ? { loopDelay: { meanMs: median(delays.map((d) => d.meanMs)), p99Ms: median(delays.map((d) => d.p99Ms)), maxMs: Math.max(...delays.map((d) => d.maxMs)) } }
          : {}),
      });
    }
  }
  return { title: phase.title, baseline: phase.baseline, rows };
}
