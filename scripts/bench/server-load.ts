/**
 * One steady load on the companion, long enough to look at it from outside with the system's tools: the sandbox and
 * the companion in processes of their own (as in server.ts), the companion's pid printed once the load starts, so
 * that `strace -c -f -p <pid>` or `perf record -p <pid> -- sleep 4` can watch it (BENCHMARKS.md, "the sync C31
 * assumed": both defects there were found this way, not in the CPU profiles).
 *   BENCH_LOAD=create|webhook|notify (create), BENCH_CONCURRENCY (64)
 *   BENCH_SECONDS for creates (12), BENCH_HOOKS for webhooks and notifies (6000: first deliveries, prepared before)
 *   BENCH_PROFILE_FILE: also a V8 CPU profile of the load, written there
 * `npx tsx --conditions=@payment-checkout/source scripts/bench/server-load.ts`; prints the rate and the CPU per request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measure, prepare, type Work } from './server/load.ts';
import { startProcess } from './server/processes.ts';
import * as scenario from './server/scenarios.ts';

const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const LOAD = process.env.BENCH_LOAD ?? 'create';
const CONCURRENCY = knob('BENCH_CONCURRENCY', 64);
const SECONDS = knob('BENCH_SECONDS', 12);
const HOOKS = knob('BENCH_HOOKS', 6_000);
const PROFILE_FILE = process.env.BENCH_PROFILE_FILE;
if (!['create', 'webhook', 'notify'].includes(LOAD)) throw new Error(`BENCH_LOAD: create, webhook or notify, not ${LOAD}`);

const dir = mkdtempSync(join(tmpdir(), 'pc-bench-load-'));
const sandbox = await startProcess('sandbox', 'sandbox-process.ts');
const companion = await scenario.startCompanion(sandbox.url, join(dir, 'payments.db')).catch(async (err: unknown) => {
  await sandbox.stop();
  throw err;
});
try {
  const servers: scenario.Servers = { companion, sandbox, bare: sandbox };
  const ledger = new scenario.Ledger();
  const setup = new Agent({ keepAlive: true, maxSockets: 1 });
  await scenario.silenceGatewayDeliveries(servers, setup);
  const secret = await scenario.opnWebhookSecret(servers, setup);
  // Warm-up: the companion's code compiled, its store opened and a thousand payments in it.
  await prepare(1_000, 8, scenario.createViaCompanion(servers, ledger));
  const works: Record<string, () => Promise<Work>> = {
    create: async () => scenario.createViaCompanion(servers, ledger),
    webhook: async () => scenario.deliverToCompanion(`${companion.url}/webhooks/opn`, await scenario.paidKplusPool(servers, ledger, secret, HOOKS + CONCURRENCY)),
    notify: async () => scenario.deliverToCompanion(`${companion.url}/webhooks/kpayment`, await scenario.paidCardPool(servers, ledger, HOOKS + CONCURRENCY)),
  };
  const work = await works[LOAD]();
  process.stdout.write(`companion pid ${companion.pid}, sandbox pid ${sandbox.pid}: ${LOAD} at c = ${CONCURRENCY} starts now\n`);
  if (PROFILE_FILE) await companion.ask({ type: 'profile-start' });
  const cpuAtStart = { companion: companion.cpuMs(), sandbox: sandbox.cpuMs() };
  const plan = LOAD === 'create' ? { seconds: SECONDS } : { count: HOOKS };
  const sample = await measure(work, { concurrency: CONCURRENCY, warmup: CONCURRENCY, ...plan });
  if (PROFILE_FILE) await companion.ask({ type: 'profile-stop', file: PROFILE_FILE });
  const perRequest = (ms: number) => (ms / sample.done).toFixed(3);
  process.stdout.write(
    `${sample.done} in ${sample.seconds.toFixed(1)} s: ${sample.perSecond.toFixed(0)}/s, p99 ${sample.p99Ms.toFixed(1)} ms, ${sample.failed} failed` +
      `${sample.firstError ? ` (${sample.firstError})` : ''}; CPU per request: companion ${perRequest(companion.cpuMs() - cpuAtStart.companion)} ms,` +
      ` sandbox ${perRequest(sandbox.cpuMs() - cpuAtStart.sandbox)} ms\n`,
  );
} finally {
  await Promise.all([companion.stop(), sandbox.stop()]);
  rmSync(dir, { recursive: true, force: true });
}
