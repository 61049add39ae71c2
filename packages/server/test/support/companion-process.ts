import type { Payment } from '../../src/options.ts';
import type { HookDelivery } from '../../src/common/host.ts';
import { startCheckoutServer } from '../../src/server.ts';

/**
 * A companion in a process of its own, for tests that kill it (`kill -9`) and start it again on the same store:
 * `node --import tsx test/support/companion-process.ts` (see `startCompanionProcess` in companion-processes.ts), with
 * STORE (a SQLite file or a postgres:// URL), SANDBOX_URL, OPN_PUBLIC_KEY, OPN_SECRET_KEY and HOOK_URL (and
 * optionally PORT, OPN_SANDBOX, REFRESH_INTERVAL_MS, HOOK_LEASE_MS, CLOCK_OFFSET_MS, OPS_TOKEN). Every order
 * costs ฿1,500.00. Each hook call is POSTed to HOOK_URL (hook, key, attempt, payment, pid) and returns when that
 * answers 2xx (throws otherwise): the test decides when a hook finishes. Prints `{"url","pid"}` once listening.
 */

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`companion-process: ${name} is not set`);
  return value;
};

const report = (hook: string) => async (payment: Payment, delivery?: HookDelivery) => {
  const res = await fetch(env('HOOK_URL'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hook, key: delivery?.idempotencyKey, attempt: delivery?.attempt, paymentId: payment.id, status: payment.status, pid: process.pid }),
  });
  if (!res.ok) throw new Error(`the hook receiver answered ${res.status}`);
};

const log = (level: string) => (message: string, data?: unknown) => process.stderr.write(`${JSON.stringify({ level, message, data }, (_k, v) => (v instanceof Error ? v.message : v))}\n`);

const server = await startCheckoutServer({
  resolveOrder: async () => ({ amount: 150_000, currency: 'THB' }),
  resultUrl: 'https://shop.example/result?payment={paymentId}',
  // OPN_SANDBOX=1: registers its webhook URL with the sandbox at start (a fixed PORT keeps that URL over restarts).
  opn: { publicKey: env('OPN_PUBLIC_KEY'), secretKey: env('OPN_SECRET_KEY'), apiUrl: env('SANDBOX_URL'), sandbox: process.env.OPN_SANDBOX === '1' },
  store: env('STORE'),
  hooks: { onPaid: report('onPaid'), onFailed: report('onFailed'), onNeedsRefund: report('onNeedsRefund') },
  // A short lease, so that a call the killed process held is taken again soon after the restart.
  hookDelivery: { leaseMs: Number(process.env.HOOK_LEASE_MS ?? 1_000), pollEveryMs: 100, retryFirstMs: 100 },
  // 0 (tests ask the gateway on every poll) unless REFRESH_INTERVAL_MS gives the production budget.
  refreshIntervalMs: Number(process.env.REFRESH_INTERVAL_MS ?? 0),
  // CLOCK_OFFSET_MS: a companion started "later" (its reconciler sees the others' payments as old); OPS_TOKEN mounts
  // the operations API (`POST /operations/reconcile` runs the reconciler now).
  now: () => Date.now() + Number(process.env.CLOCK_OFFSET_MS ?? 0),
  ...(process.env.OPS_TOKEN ? { operations: { tokens: [{ name: 'test', token: process.env.OPS_TOKEN }] } } : {}),
  reconcileEveryMs: false,
  logger: { info: log('info'), warn: log('warn'), error: log('error') },
}, { port: Number(process.env.PORT ?? 0) });
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
