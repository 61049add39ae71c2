import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLive } from '@payment-checkout/core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { PostgresStore } from '../../src/store/postgres-store.ts';
import type { PaymentStore } from '../../src/store/store.ts';
import { type CompanionProcess, type HookReceiver, startCompanionProcess, startHookReceiver } from '../support/companion-processes.ts';
import { listOpnCharges } from '../support/opn-charges.ts';
import { usePostgres } from '../support/postgres.ts';
import { sized } from '../support/soak.ts';
import { type World, startWorld } from '../support/world.ts';

/**
 * Issue 12, "Concurrency": 200 create-payment requests for one order at the same moment make exactly one charge at
 * the gateway, with one companion, with two companion processes on one SQLite file and with two on one PostgreSQL;
 * shoppers switching methods at the same time never see a 500. `npm test` runs one order per setting; `npm run soak`
 * runs a series of orders in each.
 */

const REQUESTS = 200;
const ORDERS = sized(1, 20);
const TIMEOUT = { timeout: sized(60_000, 600_000) };
/** What a create may answer while others race it: made, the same payment again, or "being created: try again". */
const RACE_STATUSES = [200, 201, 409];

/** The default budget of gateway calls for polls (one per payment per 2 s), not the tests' "ask every time". */
const PRODUCTION_REFRESH = { refreshIntervalMs: 2_000 };

const cluster = usePostgres();

let world: World | undefined;
let receiver: HookReceiver | undefined;
const processes: CompanionProcess[] = [];
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await receiver?.close();
  await world?.close();
  world = receiver = undefined;
});

/** Every answer of the suite by status and code, printed at the end for RELIABILITY.md. */
const tally = new Map<string, number>();
afterAll(() => console.info(`concurrency suite answers: ${JSON.stringify(Object.fromEntries([...tally].sort()))}`));

interface Answer {
  status: number;
  paymentId?: string;
  code?: string;
}

async function create(url: string, orderId: string, method: string): Promise<Answer> {
  const res = await fetch(`${url}/checkout/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orderId, method }),
  });
  const body = (await res.json()) as { paymentId?: string; error?: { code: string } };
  const key = `${res.status}${body.error ? ` ${body.error.code}` : ''}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
  return { status: res.status, paymentId: body.paymentId, code: body.error?.code };
}

/** Each answer is one a racing create may give: made (201), the same payment again (200), or "try again" (409). */
function expectRaceAnswers(answers: Answer[]): void {
  const unexpected = answers.filter((a) => !RACE_STATUSES.includes(a.status) || (a.status === 409 && a.code !== 'payment_in_progress'));
  expect(unexpected, 'answers other than 200, 201 or 409 payment_in_progress').toEqual([]);
}

const charges = (w: World) => listOpnCharges(w.sandboxUrl, w.keys.secretKey);

/**
 * Fires REQUESTS creates for one order at once across `urls` (round robin) and checks what the shoppers and the
 * gateway saw: no 5xx, every answer a known one, one payment made (201) and answered again to the others, one charge.
 */
async function raceOneOrder(w: World, urls: string[], store: PaymentStore, orderId: string): Promise<void> {
  const chargesBefore = (await charges(w)).length;
  const answers = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => create(urls[i % urls.length], orderId, 'mobile_banking_kbank')));
  expectRaceAnswers(answers);
  expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
  const made = answers.find((a) => a.status === 201)!.paymentId;
  expect(new Set(answers.filter((a) => a.status === 200).map((a) => a.paymentId))).toEqual(new Set(answers.some((a) => a.status === 200) ? [made] : []));
  expect((await charges(w)).length - chargesBefore, 'charges made at the gateway').toBe(1);
  const stored = await store.listPaymentsForOrder(orderId);
  expect(stored.map((p) => [p.id, p.status])).toEqual([[made, 'pending']]);
}

describe('200 concurrent creates for one order make one charge', () => {
  it('with one companion', TIMEOUT, async () => {
    world = await startWorld({ checkout: PRODUCTION_REFRESH });
    // A slow gateway keeps the first create in flight while the other 199 arrive.
    await world.scenario({ latencyMs: 50, webhooks: 'drop' });
    for (let i = 0; i < ORDERS; i++) await raceOneOrder(world, [world.url], world.companion.checkout.store, world.order(150_000));
  });

  it('with two companion processes on one SQLite file', TIMEOUT, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkout-race-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'shared.db');
    await raceProcesses(path, () => new SqliteStore({ path }));
  });

  it('with two companion processes on one PostgreSQL', TIMEOUT, async () => {
    const url = await cluster().createDatabase('concurrent_creates');
    await raceProcesses(url, () => new PostgresStore({ connectionString: url }));
  });
});

/** Two companion processes (companion-process.ts: every order ฿1,500.00) on `store`, racing REQUESTS creates per order. */
async function raceProcesses(store: string, open: () => PaymentStore): Promise<void> {
  world = await startWorld();
  receiver = await startHookReceiver();
  await world.scenario({ latencyMs: 50, webhooks: 'drop' });
  const env = { REFRESH_INTERVAL_MS: String(PRODUCTION_REFRESH.refreshIntervalMs), STORE: store, SANDBOX_URL: world.sandboxUrl, OPN_PUBLIC_KEY: world.keys.publicKey, OPN_SECRET_KEY: world.keys.secretKey, HOOK_URL: receiver.url };
  // One after the other: both would otherwise create the schema at once.
  processes.push(await startCompanionProcess(env));
  processes.push(await startCompanionProcess(env));
  const reader = open();
  cleanups.push(() => reader.close());
  for (let i = 0; i < ORDERS; i++) await raceOneOrder(world, processes.map((p) => p.url), reader, `race-order-${i}`);
  for (const p of processes) expect(p.log.filter((l) => /"level":"error"/.test(l)), 'errors logged').toEqual([]);
}

describe('shoppers switching methods at the same moment', () => {
  it('never see a 5xx; the order keeps at most one payment that is live and not superseded, and no charge without a payment', TIMEOUT, async () => {
    world = await startWorld({ kpayment: true, checkout: PRODUCTION_REFRESH });
    await world.scenario({ latencyMs: 20, webhooks: 'drop' });
    const methods = ['mobile_banking_kbank', 'mobile_banking_bay', 'thai_qr', 'card', 'mobile_banking_kbank', 'mobile_banking_bay'];
    const store = world.companion.checkout.store;
    for (let i = 0; i < sized(3, 30); i++) {
      const orderId = world.order(150_000);
      // Waves of switches: each wave's requests race each other, and the next wave switches again.
      for (let wave = 0; wave < 4; wave++) {
        const answers = await Promise.all(Array.from({ length: 24 }, (_, n) => create(world!.url, orderId, methods[(n + wave) % methods.length])));
        expectRaceAnswers(answers);
        const current = (await store.listPaymentsForOrder(orderId)).filter((p) => isLive(p.status) && p.supersededBy === null);
        expect(current.length, 'live payments not superseded').toBeLessThanOrEqual(1);
      }
    }
    // Every Opn charge the gateway holds belongs to a payment the companion stored (none made and forgotten).
    const stored = new Set<string>();
    for (const orderId of world.orders.keys()) for (const p of await store.listPaymentsForOrder(orderId)) if (p.chargeId) stored.add(p.chargeId);
    expect((await charges(world)).map((c) => c.id).filter((id) => !stored.has(id)), 'charges without a payment').toEqual([]);
    expect(world.logs.filter((l) => l.level === 'error'), 'errors logged').toEqual([]);
  });
});
