import { Agent, request } from 'node:http';

/**
 * The load generator: one client for every target (node:http on a keep-alive agent, one socket per concurrent
 * worker), so the client's own cost is the same whichever server answers.
 */

export interface Answer {
  status: number;
  text: string;
  location: string | undefined;
}

export interface Call {
  method: 'GET' | 'POST';
  /** Absolute URL. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One HTTP request on this agent; answers the status and the whole body. */
export function send(agent: Agent, call: Call): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = call.body === undefined ? undefined : Buffer.from(call.body);
    const req = request(
      call.url,
      { method: call.method, agent, headers: { ...call.headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), location: res.headers.location }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends and checks the status: anything else throws, and the unit of work counts as failed. */
export async function expectStatus(agent: Agent, call: Call, ...statuses: number[]): Promise<Answer> {
  const answer = await send(agent, call);
  if (!statuses.includes(answer.status)) throw new Error(`${call.method} ${call.url} answered ${answer.status}: ${answer.text.slice(0, 300)}`);
  return answer;
}

/** One unit of work (one or more requests); `index` counts from 0 across warm-up and measurement. */
export type Work = (agent: Agent, index: number) => Promise<void>;

export interface Sample {
  done: number;
  failed: number;
  firstError?: string;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadPlan {
  concurrency: number;
  /** Units before the clock starts (on the same sockets); at least one per worker, so every socket is open. */
  warmup: number;
  /** Stop after this many measured units … */
  count?: number;
  /** … or after this long, whichever comes first. */
  seconds?: number;
  /** Called as the clock starts and as it stops (after the warm-up, around the measured units only). */
  around?: { start(): void; stop(): void };
}

/** The p-th percentile (0–100) of values sorted ascending. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function workers(concurrency: number, more: () => number | null, run: (index: number) => Promise<void>): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = more(); index !== null; index = more()) await run(index);
    }),
  );
}

/** Runs `work` at `concurrency` on a fresh agent: the warm-up, then the measured units; latency per unit. */
export async function measure(work: Work, plan: LoadPlan): Promise<Sample> {
  const agent = new Agent({ keepAlive: true, maxSockets: plan.concurrency });
  let index = 0;
  let failed = 0;
  let firstError: string | undefined;
  const attempt = async (i: number, latencies?: number[]) => {
    const start = performance.now();
    try {
      await work(agent, i);
      latencies?.push(performance.now() - start);
    } catch (err) {
      failed++;
      firstError ??= (err as Error).message;
    }
  };
  try {
    const warmupEnd = Math.max(plan.warmup, plan.concurrency);
    await workers(plan.concurrency, () => (index < warmupEnd ? index++ : null), (i) => attempt(i));
    failed = 0;
    firstError = undefined;
    const latencies: number[] = [];
    plan.around?.start();
    const started = performance.now();
    const until = plan.seconds === undefined ? Infinity : started + plan.seconds * 1000;
    const last = plan.count === undefined ? Infinity : warmupEnd + plan.count;
    await workers(plan.concurrency, () => (index < last && performance.now() < until ? index++ : null), (i) => attempt(i, latencies));
    const seconds = (performance.now() - started) / 1000;
    plan.around?.stop();
    latencies.sort((a, b) => a - b);
    return {
      done: latencies.length,
      failed,
      ...(firstError ? { firstError } : {}),
      seconds,
      perSecond: latencies.length / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    };
  } finally {
    agent.destroy();
  }
}

/** Runs `work` for `count` units at `concurrency`, unmeasured (set-up); throws on the first failure. */
export async function prepare(count: number, concurrency: number, work: Work): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let index = 0;
  try {
    await workers(concurrency, () => (index < count ? index++ : null), (i) => work(agent, i));
  } finally {
    agent.destroy();
  }
}
