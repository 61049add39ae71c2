/**
 * `npx tsx --conditions=@payment-checkout/source scripts/bench/sqlite-create-cost.ts`: the CPU SqliteStore itself
 * spends on a create, apart from HTTP and the gateway: the payment inserted, then its charge recorded and its status
 * moved to pending (the two writes of a K PLUS create), on a fresh WAL file as the companion opens it (group commit,
 * checkpoints in the worker, whose CPU counts too). Creates one at a time (each write its own commit and sync, as
 * with one shopper) against eight at once (as under load: their writes share commits), modes interleaved, ROUNDS
 * rounds of CREATES creates, medians. Knobs: CREATE_COST_CREATES (3000), CREATE_COST_ROUNDS (3).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { newPaymentId } from '../../packages/server/src/services/payment-creation.ts';
import { SqliteStore } from '../../packages/server/src/store/sqlite-store.ts';
import { median } from './server/phases.ts';

const CREATES = Number(process.env.CREATE_COST_CREATES ?? 3_000);
const ROUNDS = Number(process.env.CREATE_COST_ROUNDS ?? 3);
const MODES = [1, 8] as const;

interface Figures {
  /** CPU per create, ms: user + system, and system alone. */
  cpu: number;
  system: number;
  /** Wall time per create, ms. */
  wall: number;
}

async function create(store: SqliteStore, order: number): Promise<void> {
  const id = newPaymentId();
  const at = new Date().toISOString();
  await store.createPayment({
    id, orderId: `order-${order}`, method: 'mobile_banking_kbank', gateway: 'opn', amount: 150_000, currency: 'THB', platform: 'IOS',
    chargeId: null, sourceId: null, status: 'created', failureCode: null, failureMessage: null, returnToken: `token_${id}`, authorizeUri: null, createdAt: at,
  });
  const chargeId = `chrg_test_${id.slice(4)}`;
  await store.updatePayment(id, () => ({
    status: 'pending',
    patch: { chargeId, sourceId: `src_test_${id.slice(4)}`, authorizeUri: `https://gateway.example/pay/${chargeId}` },
    events: [{ source: 'create', type: 'charge_created', detail: { chargeId } }],
    result: undefined,
  }), at);
}

async function round(atOnce: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-create-cost-'));
  const store = new SqliteStore({ path: join(dir, 'payments.db') });
  try {
    let order = 0;
    for (let i = 0; i < 100; i++) await create(store, order++); // warm-up: statements prepared, code compiled
    const cpu = process.cpuUsage();
    const started = performance.now();
    for (let done = 0; done < CREATES; done += atOnce) await Promise.all(Array.from({ length: atOnce }, () => create(store, order++)));
    const { user, system } = process.cpuUsage(cpu);
    return { cpu: (user + system) / 1000 / CREATES, system: system / 1000 / CREATES, wall: (performance.now() - started) / CREATES };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function createCostBench(): Promise<string[]> {
  const results = new Map<number, Figures[]>(MODES.map((m) => [m, []]));
  for (let r = 0; r < ROUNDS; r++) for (const mode of MODES) results.get(mode)!.push(await round(mode));
  const figure = (mode: number, key: keyof Figures) => median(results.get(mode)!.map((f) => f[key]));
  const row = (label: string, f: (key: keyof Figures) => string) => `| ${label} | ${f('cpu')} | ${f('system')} | ${f('wall')} |`;
  return [
    `SqliteStore's own cost of a create (insert, then the charge recorded and pending): ${CREATES.toLocaleString('en')} creates, ${ROUNDS} rounds, medians (ms per create).`,
    '',
    '| creates | CPU (user + system) | of it system | wall |',
    '| --- | --- | --- | --- |',
    ...MODES.map((mode) => row(mode === 1 ? 'one at a time' : `${mode} at once`, (key) => figure(mode, key).toFixed(3))),
    row(`${MODES[1]} at once ÷ one at a time`, (key) => `${(figure(MODES[1], key) / figure(MODES[0], key)).toFixed(2)}×`),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log((await createCostBench()).join('\n'));
}
