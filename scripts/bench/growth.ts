/**
 * `npx tsx --conditions=@payment-checkout/source scripts/bench/growth.ts` (issue 12, "Growth"): does the companion's
 * store stay as fast with many stored payments as with few? For each store (SQLite file; PostgreSQL in a throwaway
 * local cluster) two databases are seeded, GROWTH_SMALL (10,000) and GROWTH_LARGE (1,000,000) payments
 * (growth-seed.ts), then each operation (growth-ops.ts: status lookup, an order's payments, create, webhook, the
 * reconciler's claims) runs GROWTH_REPS times (200) on both, interleaved, after 5 untimed runs. Prints the median
 * and 90th percentile per size, the ratio large / small (goal: at most 1.5×), and the plan of every statement of
 * every operation on the large database (PostgreSQL: EXPLAIN ANALYZE; SQLite: EXPLAIN QUERY PLAN).
 * GROWTH_STORES=sqlite or =postgres runs one store only.
 */
import { growthOperations, type GrowthTarget } from './growth-ops.ts';
import { type GrowthSubject, postgresSubject, sqliteSubject } from './growth-stores.ts';

const SMALL = Number(process.env.GROWTH_SMALL ?? 10_000);
const LARGE = Number(process.env.GROWTH_LARGE ?? 1_000_000);
const REPS = Number(process.env.GROWTH_REPS ?? 200);
const WARMUP = 5;
const STORES = (process.env.GROWTH_STORES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const GOAL = 1.5;

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const ms = (x: number) => (x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1));

async function measure(subject: GrowthSubject): Promise<void> {
  const nowMs = Date.now();
  console.log(`\n## ${subject.name}\n`);
  const targets: Record<'small' | 'large', GrowthTarget> = {} as never;
  for (const [size, stored] of [['small', SMALL], ['large', LARGE]] as const) {
    const { target, seedMs } = await subject.open(stored, nowMs);
    targets[size] = target;
    console.log(`seeded ${stored.toLocaleString('en')} payments (with their events and hook calls) in ${(seedMs / 1000).toFixed(1)} s`);
  }

  const plans = new Map<string, { sql: string; plan: string[] }[]>();
  console.log(`\n| operation (${REPS} runs each) | ${SMALL.toLocaleString('en')}: median / p90 | ${LARGE.toLocaleString('en')}: median / p90 | large / small (median) |`);
  console.log('| --- | --- | --- | --- |');
  for (const operation of growthOperations(nowMs)) {
    for (const target of Object.values(targets)) await operation.setup?.(target);
    const samples = { small: [] as number[], large: [] as number[] };
    subject.recordAs(operation.name);
    for (let rep = 0; rep < WARMUP + REPS; rep++) {
      // Alternate which size goes first, so neither always runs right after the other.
      for (const size of rep % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const)) {
        const started = performance.now();
        await operation.run(targets[size], rep);
        if (rep >= WARMUP) samples[size].push(performance.now() - started);
      }
    }
    subject.recordAs(null);
    plans.set(operation.name, await subject.plans(LARGE, operation.name));
    for (const target of Object.values(targets)) await operation.teardown?.(target);
    const [small, large] = [quantile(samples.small, 0.5), quantile(samples.large, 0.5)];
    const ratio = large / small;
    console.log(
      `| ${operation.name} | ${ms(small)} / ${ms(quantile(samples.small, 0.9))} ms | ${ms(large)} / ${ms(quantile(samples.large, 0.9))} ms | ` +
        `${ratio.toFixed(2)}×${ratio > GOAL ? ' **over 1.5×**' : ''} |`,
    );
  }

  console.log(`\n### Plans, ${LARGE.toLocaleString('en')} payments`);
  for (const [operation, statements] of plans) {
    console.log(`\n#### ${operation}`);
    if (statements.length === 0) console.log('\n(its statements were all prepared, and planned above, by an earlier operation)');
    for (const { sql, plan } of statements) {
      console.log(`\n${sql.length > 160 ? `${sql.slice(0, 157)}…` : sql}`);
      for (const line of plan) console.log(`    ${line}`);
    }
  }
}

console.log(`# Growth: ${SMALL.toLocaleString('en')} vs ${LARGE.toLocaleString('en')} stored payments (goal: large / small ≤ ${GOAL}×)`);
for (const name of STORES) {
  const subject = name === 'sqlite' ? sqliteSubject() : name === 'postgres' ? await postgresSubject() : null;
  if (!subject) throw new Error(`GROWTH_STORES: unknown store ${name} (sqlite, postgres)`);
  try {
    await measure(subject);
  } finally {
    await subject.close();
  }
}
