/**
 * The companion's server benchmarks (issue 12), measured from outside: the sandbox, the companion and a bare Express
 * app each in a process of their own on loopback, driven by one load generator (this process). Every figure of the
 * companion is set against the same work done at the sandbox directly in the same run, targets interleaved, median
 * of several rounds; so the ratios compare across runs and machines where absolute latencies cannot.
 *   create   POST /checkout/payments (K PLUS) vs POST /charges at the sandbox (and POST /sources + POST /charges), and
 *            the floor: the least any companion must do for it, and a pass-through that records nothing (bare-process.ts)
 *   status   GET /checkout/payments/:id of a paid payment vs GET /charges/:id
 *   webhook  a first, signed Opn charge.complete to /webhooks/opn vs its re-fetch alone (GET /charges/:id), and the floor
 *   notify   a first K-Payment card notify (checksum) to /webhooks/kpayment vs its inquiry alone
 *   latency  create, webhook and notify again with every gateway answer BENCH_GATEWAY_LATENCY_MS (20; 0 skips) late
 *   memory   the companion's RSS at start and after BENCH_MEMORY_PAYMENTS payments
 *   profile  CPU profiles of the companion under the create, webhook and notify loads: top self-time functions
 * `npx tsx --conditions=@payment-checkout/source scripts/bench/server.ts` (also part of `npm run bench`) prints the
 * Markdown for BENCHMARKS.md. Knobs: BENCH_ROUNDS (3), BENCH_SECONDS per create or status measurement (1),
 * BENCH_HOOKS per webhook or notify measurement (150), BENCH_MEMORY_PAYMENTS (10000), BENCH_PROFILE=0 to skip the
 * profiles, BENCH_PROFILE_SECONDS (4), BENCH_PROFILE_DIR (a temporary directory; the .cpuprofile files are kept).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measure, prepare } from './server/load.ts';
import { type Phase, type PhaseResult, runPhase } from './server/phases.ts';
import { startProcess } from './server/processes.ts';
import { summariseProfile } from './server/profile.ts';
import { goalTable, memoryTable, phaseTable, profileLines } from './server/report.ts';
import * as scenario from './server/scenarios.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

export async function serverBench(progress: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Promise<string[]> {
  const ROUNDS = knob('BENCH_ROUNDS', 3);
  const SECONDS = knob('BENCH_SECONDS', 1);
  const HOOKS = knob('BENCH_HOOKS', 150);
  const MEMORY_PAYMENTS = knob('BENCH_MEMORY_PAYMENTS', 10_000);
  const PROFILE = process.env.BENCH_PROFILE !== '0';
  const PROFILE_SECONDS = knob('BENCH_PROFILE_SECONDS', 4);
  const LATENCY_MS = knob('BENCH_GATEWAY_LATENCY_MS', 20);
  const started = performance.now();
  const loadBefore = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-server-'));
  const profileDir = process.env.BENCH_PROFILE_DIR ?? mkdtempSync(join(tmpdir(), 'pc-bench-profiles-'));

  const sandbox = await startProcess('sandbox', 'sandbox-process.ts');
  const bare = await startProcess('bare express', 'bare-process.ts', { SANDBOX_URL: sandbox.url, BENCH_SECRET_KEY: scenario.KEYS.secretKey, FLOOR_DIR: dir }).catch(async (err: unknown) => {
    await sandbox.stop();
    throw err;
  });
  const companion = await scenario.startCompanion(sandbox.url, join(dir, 'payments.db')).catch(async (err: unknown) => {
    await Promise.all([sandbox.stop(), bare.stop()]);
    throw err;
  });
  const servers: scenario.Servers = { companion, sandbox, bare };
  const ledger = new scenario.Ledger();
  const setup = new Agent({ keepAlive: true, maxSockets: 1 });
  const lines: string[] = [];
  try {
    await scenario.silenceGatewayDeliveries(servers, setup);
    const secret = await scenario.opnWebhookSecret(servers, setup);

    // Warm-up: the companion's code paths compiled and its store opened before the first RSS reading.
    await prepare(50, 4, scenario.createViaCompanion(servers, ledger));
    await prepare(50, 4, scenario.statusViaCompanion(servers, ledger.pendingKplus.map((paymentId) => ({ paymentId }))));
    const memoryAtStart = companion.memory();
    const heapAtStart = await companion.ask<{ heapUsedKiB: number; rssKiB: number }>({ type: 'heap' });
    const paymentsAtStart = ledger.created;

    const timed = (c: number) => ({ concurrency: c, warmup: Math.max(c, 10), seconds: SECONDS });
    const counted = (c: number) => ({ concurrency: c, warmup: c, count: HOOKS });
    const companionTarget = { name: 'companion', companion: true };

    const create: Phase = {
      title: 'create (K PLUS)',
      targets: [companionTarget, { name: 'direct: POST /charges' }, { name: 'direct: POST /sources + /charges' }, { name: 'floor', bare: true }, { name: 'pass-through', bare: true }, { name: 'bare Express', bare: true }],
      baseline: 'direct: POST /charges',
      concurrencies: [1, 8, 64],
      plan: timed,
      works: async () => ({
        companion: scenario.createViaCompanion(servers, ledger),
        'direct: POST /charges': scenario.createChargeDirect(servers),
        'direct: POST /sources + /charges': scenario.createSourceAndChargeDirect(servers),
        floor: scenario.createViaFloor(servers, ledger),
        'pass-through': scenario.createPassThrough(servers, ledger),
        'bare Express': scenario.createBare(servers, ledger),
      }),
    };
    const paid: scenario.BenchPayment[] = [];
    const webhook: Phase = {
      title: 'Opn webhook (first delivery)',
      targets: [companionTarget, { name: 're-fetch: GET /charges/:id' }, { name: 'floor', bare: true }, { name: 'pass-through', bare: true }],
      baseline: 're-fetch: GET /charges/:id',
      concurrencies: [8, 64],
      plan: counted,
      works: async (c) => {
        const pool = await scenario.paidKplusPool(servers, ledger, secret, c + HOOKS);
        paid.push(...pool);
        return {
          companion: scenario.deliverToCompanion(`${companion.url}/webhooks/opn`, pool),
          're-fetch: GET /charges/:id': scenario.retrieveChargeDirect(servers, pool),
          floor: scenario.deliverToCompanion(`${bare.url}/floor/webhooks/opn`, pool),
          'pass-through': scenario.deliverToCompanion(`${bare.url}/pass/webhooks/opn`, pool),
        };
      },
    };
    const status: Phase = {
      title: 'status (paid payment)',
      targets: [companionTarget, { name: 'direct: GET /charges/:id' }, { name: 'bare Express', bare: true }],
      baseline: 'direct: GET /charges/:id',
      concurrencies: [1, 8, 64],
      plan: timed,
      works: async () => ({
        companion: scenario.statusViaCompanion(servers, paid),
        'direct: GET /charges/:id': scenario.retrieveChargeDirect(servers, paid),
        'bare Express': scenario.statusBare(servers, paid),
      }),
    };
    const notify: Phase = {
      title: 'K-Payment notify (card, first delivery)',
      targets: [companionTarget, { name: 'inquiry: GET /card/v2/charge/:id' }],
      baseline: 'inquiry: GET /card/v2/charge/:id',
      concurrencies: [8, 64],
      plan: counted,
      works: async (c) => {
        const pool = await scenario.paidCardPool(servers, ledger, c + HOOKS);
        return { companion: scenario.deliverToCompanion(`${companion.url}/webhooks/kpayment`, pool), 'inquiry: GET /card/v2/charge/:id': scenario.inquireChargeDirect(servers, pool) };
      },
    };
    const results = [];
    for (const phase of [create, webhook, status, notify]) {
      const phaseStarted = performance.now();
      results.push(await runPhase(phase, ROUNDS, servers, progress));
      progress(`${phase.title}: ${((performance.now() - phaseStarted) / 1000).toFixed(0)} s`);
    }
    const [created, webhooks, statuses, notifies] = results;

    // The same loads against a gateway that takes as long as a real one does to answer (the sandbox's latency fault,
    // on every API call, direct or not): the pools are prepared without it, the measurements made with it.
    const latent: PhaseResult[] = [];
    if (LATENCY_MS > 0) {
      const withLatency = (phase: Phase): Phase => ({
        ...phase,
        title: `${phase.title}, the gateway answering in ${LATENCY_MS} ms`,
        targets: phase.targets.filter((t) => t.companion || t.name === phase.baseline || t.name === 'pass-through'),
        works: async (c) => {
          await scenario.gatewayLatency(servers, setup, 0);
          const works = await phase.works(c);
          await scenario.gatewayLatency(servers, setup, LATENCY_MS);
          return works;
        },
      });
      try {
        for (const phase of [create, webhook, notify]) latent.push(await runPhase(withLatency(phase), ROUNDS, servers, progress));
      } finally {
        await scenario.gatewayLatency(servers, setup, 0);
      }
    }

    // Memory: more payments through the companion until there are as many as asked for, then RSS again.
    if (ledger.created < MEMORY_PAYMENTS) {
      progress(`memory: creating ${MEMORY_PAYMENTS - ledger.created} more payments`);
      await prepare(MEMORY_PAYMENTS - ledger.created, 64, scenario.createViaCompanion(servers, ledger));
    }
    const memoryAtEnd = companion.memory();
    // Whether the background checkpoints kept up: the WAL is started over once a checkpoint has copied all of it.
    const walBytes = statSync(join(dir, 'payments.db-wal'), { throwIfNoEntry: false })?.size ?? 0;
    const dbBytes = statSync(join(dir, 'payments.db')).size;
    const heapAtEnd = await companion.ask<{ heapUsedKiB: number; rssKiB: number }>({ type: 'heap' });
    progress(`memory: ${((performance.now() - started) / 1000).toFixed(0)} s since the start`);
    const paymentsAtEnd = ledger.created;

    const profiles: string[] = [];
    if (PROFILE) {
      const profiled = async (load: string, file: string, run: () => Promise<unknown>) => {
        const path = join(profileDir, file);
        await companion.ask({ type: 'profile-start' });
        await run();
        await companion.ask({ type: 'profile-stop', file: path });
        progress(`profile: ${load} → ${path}`);
        profiles.push(...profileLines(load, summariseProfile(path, ROOT, 12), path), '');
      };
      await profiled(`create, c=8, ${PROFILE_SECONDS} s`, 'create.cpuprofile', () =>
        measure(scenario.createViaCompanion(servers, ledger), { concurrency: 8, warmup: 8, seconds: PROFILE_SECONDS }),
      );
      const rate = (rows: typeof webhooks.rows) => rows.find((r) => r.target === 'companion' && r.concurrency === 8)!.perSecond;
      const opnCount = Math.round(rate(webhooks.rows) * PROFILE_SECONDS);
      const opnPool = await scenario.paidKplusPool(servers, ledger, secret, 8 + opnCount);
      await profiled(`Opn webhook, c=8, ${opnCount} deliveries`, 'webhook.cpuprofile', () =>
        measure(scenario.deliverToCompanion(`${companion.url}/webhooks/opn`, opnPool), { concurrency: 8, warmup: 8, count: opnCount }),
      );
      const kpCount = Math.round(rate(notifies.rows) * PROFILE_SECONDS);
      const cardPool = await scenario.paidCardPool(servers, ledger, 8 + kpCount);
      await profiled(`K-Payment notify, c=8, ${kpCount} deliveries`, 'notify.cpuprofile', () =>
        measure(scenario.deliverToCompanion(`${companion.url}/webhooks/kpayment`, cardPool), { concurrency: 8, warmup: 8, count: kpCount }),
      );
    }

    const loadAfter = loadavg();
    const minutes = (performance.now() - started) / 60_000;
    lines.push(
      `Machine: ${cpus().length} cores (${cpus()[0]?.model.trim()}), Node ${process.versions.node}; sandbox, companion (SQLite file store) and a bare`,
      `Express app each in its own process on 127.0.0.1, this process the client (node:http, keep-alive, one socket per`,
      `concurrent request). ${ROUNDS} rounds, targets interleaved; figures are medians over the rounds, ratios the median of each`,
      `round's ratio. Create and status: ${SECONDS} s per measurement; webhooks and notifies: ${HOOKS} per measurement, each the`,
      `first delivery for its payment (the gateway's own were dropped). Load average ${loadBefore.map((l) => l.toFixed(2)).join(', ')} before,`,
      `${loadAfter.map((l) => l.toFixed(2)).join(', ')} after; ${minutes.toFixed(1)} minutes in all.`,
      '',
      ...phaseTable(created),
      '',
      ...phaseTable(statuses),
      '',
      ...phaseTable(webhooks),
      '',
      ...phaseTable(notifies),
      '',
      ...goalTable([
        { result: created, companion: 'companion', minThroughput: 0.5, maxP99: 2 },
        // Whether the goal can be met at all here: the least any companion must do, held to the same goal.
        { result: created, companion: 'floor', minThroughput: 0.5, maxP99: 2 },
        // … and whether any server between the client and the gateway can: the call relayed, nothing recorded.
        { result: created, companion: 'pass-through', minThroughput: 0.5, maxP99: 2 },
        { result: statuses, companion: 'companion', minThroughput: 0.5, maxP99: 2 },
        { result: webhooks, companion: 'companion', minThroughput: 0.5 },
        { result: webhooks, companion: 'floor', minThroughput: 0.5 },
        { result: webhooks, companion: 'pass-through', minThroughput: 0.5 },
        { result: notifies, companion: 'companion', minThroughput: 0.5 },
      ]),
      '',
      ...latent.flatMap((result) => [...phaseTable(result), '']),
      ...(latent.length
        ? [
            ...goalTable(latent.flatMap((result, i) => [
              { result, companion: 'companion', minThroughput: 0.5, ...(i === 0 ? { maxP99: 2 } : {}) },
              { result, companion: 'pass-through', minThroughput: 0.5, ...(i === 0 ? { maxP99: 2 } : {}) },
            ])),
            '',
          ]
        : []),
      ...memoryTable({ startKiB: memoryAtStart.rssKiB, startPayments: paymentsAtStart, endKiB: memoryAtEnd.rssKiB, endPayments: paymentsAtEnd, peakKiB: memoryAtEnd.peakKiB, heapStartKiB: heapAtStart.heapUsedKiB, heapEndKiB: heapAtEnd.heapUsedKiB, gcRssStartKiB: heapAtStart.rssKiB, gcRssEndKiB: heapAtEnd.rssKiB }),
      '',
      `The companion's SQLite file after the run: ${(dbBytes / 2 ** 20).toFixed(1)} MiB, its WAL file (the most the WAL held at once; SQLite reuses the file from its start) ${(walBytes / 2 ** 20).toFixed(1)} MiB.`,
      '',
      ...profiles,
    );
    // The companion logs only warnings and errors here: a healthy run logs none.
    const logged = companion.log.filter((line) => line.startsWith('{'));
    if (logged.length) {
      lines.push(`The companion logged ${logged.length} warnings or errors, e.g.:`, '', '```', ...logged.slice(0, 3).map((l) => l.slice(0, 400)), '```', '');
      progress(`companion log: ${logged.length} lines; ${[...new Set(logged.map((l) => (JSON.parse(l) as { message: string }).message))].slice(0, 10).join(' | ')}`);
    }
    const failures = [...results, ...latent].flatMap((r) => r.rows.filter((row) => row.failed).map((row) => `${r.title} ${row.target} c=${row.concurrency}: ${row.failed} failed, e.g. ${row.firstError}`));
    if (failures.length) lines.push('Failures:', ...failures.map((f) => `- ${f}`));
  } catch (err) {
    progress(`companion log (last lines):\n${companion.log.slice(-20).join('\n')}`);
    throw err;
  } finally {
    setup.destroy();
    await Promise.all([companion.stop(), sandbox.stop(), bare.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log((await serverBench()).join('\n'));
}
