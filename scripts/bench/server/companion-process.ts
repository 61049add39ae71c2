import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * The companion under benchmark, in a process of its own: `startCheckoutServer` with Opn and K-Payment both pointed at
 * SANDBOX_URL (keys BENCH_PUBLIC_KEY / BENCH_SECRET_KEY), a SQLite file store (STORE), every order ฿1,500.00, hooks
 * that return at once (so the outbox does its work), and the operations API (OPS_TOKEN) for the bench's set-up.
 * Prints `{"url","pid"}` once ready. Over its IPC channel the parent can window a CPU profile (the inspector's, the
 * same .cpuprofile `node --cpu-prof` writes, but covering one load only), read the event loop's delay, and read the
 * heap after a full garbage collection. SERVER_ENTRY, when set, is another checkout's `packages/server/src/index.ts`
 * (server-ab.ts compares two builds of the companion in one run).
 */

type Server = typeof import('@payment-checkout/server');
const { startCheckoutServer } = (await import(process.env.SERVER_ENTRY ?? '@payment-checkout/server')) as Server;

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`companion-process: ${name} is not set`);
  return value;
};

const keys = { publicKey: env('BENCH_PUBLIC_KEY'), secretKey: env('BENCH_SECRET_KEY') };
const quiet = () => undefined;
const stderr = (level: string) => (message: string, data?: unknown) =>
  process.stderr.write(`${JSON.stringify({ level, message, data }, (_k, v) => (v instanceof Error ? v.message : v))}\n`);
const done = async () => undefined;

const server = await startCheckoutServer({
  resolveOrder: async () => ({ amount: 150_000, currency: 'THB' }),
  resultUrl: 'https://shop.example/result?payment={paymentId}',
  opn: { ...keys, apiUrl: env('SANDBOX_URL'), sandbox: true },
  kpayment: { ...keys, apiUrl: env('SANDBOX_URL'), sandbox: true },
  store: env('STORE'),
  hooks: { onPaid: done, onFailed: done, onNeedsRefund: done },
  operations: { tokens: [{ name: 'bench', token: env('OPS_TOKEN') }] },
  // A production logger writes somewhere; info lines are dropped here so that the figures do not measure a terminal.
  logger: { info: quiet, warn: stderr('warn'), error: stderr('error') },
});
await server.checkout.ready;

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const session = new Session();

type Command =
  | { id: number; type: 'profile-start' }
  | { id: number; type: 'profile-stop'; file: string }
  | { id: number; type: 'loop-delay' }
  | { id: number; type: 'heap' };

process.on('message', (command: Command) => {
  void (async () => {
    if (command.type === 'profile-start') {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      return {};
    }
    if (command.type === 'profile-stop') {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      writeFileSync(command.file, JSON.stringify(profile));
      return {};
    }
    if (command.type === 'heap') {
      // After a full collection: what the companion still holds (RSS alone also counts garbage not yet collected).
      session.connect();
      await session.post('HeapProfiler.collectGarbage');
      session.disconnect();
      const { heapUsed, rss } = process.memoryUsage();
      return { heapUsedKiB: heapUsed / 1024, rssKiB: rss / 1024 };
    }
    // Mean and p99 since the last read, in ms.
    const answer = { meanMs: delay.mean / 1e6, p99Ms: delay.percentile(99) / 1e6, maxMs: delay.max / 1e6 };
    delay.reset();
    return answer;
  })().then((answer) => process.send!({ id: command.id, ...answer }));
});

process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
