import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, createSandbox } from '@payment-checkout/sandbox';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../../src/store/sqlite-store.ts';
import { type CompanionProcess, type HookReceiver, startCompanionProcess, startHookReceiver } from '../support/companion-processes.ts';
import { STATUS_OF_CHARGE, listOpnCharges } from '../support/opn-charges.ts';
import { freePort } from '../support/postgres.ts';
import { sized } from '../support/soak.ts';

/**
 * Issue 12, "Crash": the companion (a process of its own on a SQLite file) is killed with SIGKILL several times while
 * shoppers create and poll payments and the gateway decides them, once while a hook is running. Started again on the
 * same file each time (and, at the end, the reconciler run by a companion whose clock is past every wait), every
 * payment reaches the gateway's state, no order holds two live charges, no charge is left unknown to the store, and
 * every hook arrives: each key answered once, a second time only when the process that made the first call died.
 */

const KILLS = sized(3, 15);
const SHOPPERS = 4;
const MINUTE = 60_000;
const OPS_TOKEN = 'o'.repeat(43);

let sandbox: Sandbox;
let receiver: HookReceiver;
let dir: string;
let reader: SqliteStore | undefined;
const processes: CompanionProcess[] = [];
beforeEach(async () => {
  // Webhooks a dead companion missed come again soon.
  sandbox = createSandbox({ webhookRetryDelaysMs: [200, 500, 1_000, 2_000, 4_000] });
  receiver = await startHookReceiver();
  dir = mkdtempSync(join(tmpdir(), 'checkout-crash-load-'));
});
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  await reader?.close();
  reader = undefined;
  await receiver.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


describe('a companion killed again and again under load', () => {
  it('loses no payment, leaves no order with two live charges, and delivers every hook', { timeout: sized(90_000, 600_000) }, async () => {
    const { url: sandboxUrl } = await sandbox.listen(0);
    const name = randomBytes(6).toString('hex');
    const keys = { publicKey: `pkey_test_${name}`, secretKey: `skey_test_${name}` };
    const path = join(dir, 'companion.db');
    const env = {
      STORE: path,
      SANDBOX_URL: sandboxUrl,
      OPN_PUBLIC_KEY: keys.publicKey,
      OPN_SECRET_KEY: keys.secretKey,
      OPN_SANDBOX: '1',
      HOOK_URL: receiver.url,
      PORT: String(await freePort()),
      REFRESH_INTERVAL_MS: '2000',
    };
    // A slow gateway, so that kills land while creates and retrieves are in flight.
    sandbox.opn.setScenario(keys.secretKey, { latencyMs: 40 });
    let companion = await startCompanionProcess(env);
    processes.push(companion);
    const killed = new Set<number>();
    reader = new SqliteStore({ path });

    // Shoppers: each buys one order after another, clicks Pay again while the companion is down, and polls.
    const orders: string[] = [];
    const decided = new Map<string, 'successful' | 'failed'>();
    let stopped = false;
    const shopper = async (n: number) => {
      for (let seq = 0; !stopped; seq++) {
        const orderId = `order-${n}-${seq}`;
        orders.push(orderId);
        let paymentId: string | undefined;
        // A creation cut by a kill holds its order for the in-progress window (409): that shopper leaves the order.
        for (let inProgress = 0; !paymentId && !stopped && inProgress < 5; ) {
          const res = await fetch(`${companion.url}/checkout/payments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ orderId, method: 'mobile_banking_kbank' }),
          }).catch(() => null);
          const body = res ? ((await res.json().catch(() => ({}))) as { paymentId?: string; error?: { code: string } }) : {};
          if (res && res.status >= 500) throw new Error(`create answered ${res.status}: ${JSON.stringify(body)}`);
          if (body.error?.code === 'payment_in_progress') inProgress++;
          if (body.paymentId) paymentId = body.paymentId;
          else await sleep(50);
        }
        if (!paymentId) continue;
        const chargeId = (await reader!.getPayment(paymentId))?.chargeId;
        const roll = Math.random();
        if (chargeId && roll < 0.8) {
          const result = roll < 0.6 ? 'successful' : 'failed';
          sandbox.opn.completeCharge(keys.secretKey, chargeId, { result });
          decided.set(chargeId, result);
        }
        for (let poll = 0; poll < 3; poll++) {
          const res = await fetch(`${companion.url}/checkout/payments/${paymentId}`).catch(() => null);
          if (res && res.status >= 500) throw new Error(`status answered ${res.status}`);
          await sleep(30);
        }
      }
    };
    const shoppers = Array.from({ length: SHOPPERS }, (_, n) => shopper(n));

    for (let k = 0; k < KILLS; k++) {
      await sleep(300 + Math.random() * 700);
      if (k === 1) {
        // Once while a hook runs: the receiver holds every call until the process is gone.
        receiver.hold = true;
        const before = receiver.calls.length;
        await vi.waitFor(() => expect(receiver.calls.length).toBeGreaterThan(before), { timeout: 20_000, interval: 20 });
      }
      killed.add(companion.pid);
      expect(await companion.kill('SIGKILL')).toBe('SIGKILL');
      receiver.hold = false;
      companion = await startCompanionProcess(env);
      processes.push(companion);
    }
    stopped = true;
    await Promise.all(shoppers);
    const heldCalls = receiver.calls.filter((c) => !receiver.answered.includes(c));
    expect(heldCalls.length, 'hook calls cut by a kill').toBeGreaterThan(0);

    // One more kill, then a companion whose clock is past every wait runs the reconciler until nothing moves.
    killed.add(companion.pid);
    await companion.kill('SIGKILL');
    companion = await startCompanionProcess({ ...env, CLOCK_OFFSET_MS: String(45 * MINUTE), OPS_TOKEN });
    processes.push(companion);
    await sandbox.opn.flushWebhooks();
    for (let run = 0; run < 3; run++) {
      const res = await fetch(`${companion.url}/operations/reconcile`, { method: 'POST', headers: { authorization: `Bearer ${OPS_TOKEN}` } });
      expect(res.status, await res.clone().text()).toBe(200);
    }

    // Every payment is the gateway's word; every charge is a stored payment's; no order with two live charges.
    const payments = (await Promise.all(orders.map((o) => reader!.listPaymentsForOrder(o)))).flat();
    const charges = await listOpnCharges(sandboxUrl, keys.secretKey);
    const byId = new Map(charges.map((c) => [c.id, c]));
    const mismatches = payments
      .filter((p) => (p.chargeId ? STATUS_OF_CHARGE[byId.get(p.chargeId)?.status ?? ''] !== p.status : !['failed', 'expired', 'canceled'].includes(p.status)))
      .map((p) => ({ id: p.id, stored: p.status, gateway: p.chargeId ? byId.get(p.chargeId)?.status : '(no charge)' }));
    expect(mismatches, 'payments whose status is not the gateway’s').toEqual([]);
    const storedCharges = new Set(payments.map((p) => p.chargeId));
    expect(charges.filter((c) => !storedCharges.has(c.id)).map((c) => c.id), 'charges the store does not know').toEqual([]);
    for (const [chargeId, result] of decided) expect(payments.find((p) => p.chargeId === chargeId)?.status).toBe(STATUS_OF_CHARGE[result]);
    const live = new Map<string, number>();
    for (const p of payments) if (p.status === 'pending' || p.status === 'succeeded') live.set(p.orderId, (live.get(p.orderId) ?? 0) + 1);
    expect([...live].filter(([, n]) => n > 1), 'orders with two live or paid charges').toEqual([]);

    // Every hook the outbox holds arrives; a key answered twice only when its first call's process was killed.
    await vi.waitFor(
      async () => {
        const rows = (await Promise.all(payments.map((p) => reader!.listHookDeliveries(p.id)))).flat();
        expect(rows.filter((r) => r.deliveredAt === null).map((r) => r.key)).toEqual([]);
      },
      { timeout: 20_000, interval: 100 },
    );
    const rows = (await Promise.all(payments.map((p) => reader!.listHookDeliveries(p.id)))).flat();
    const answeredKeys = new Set(receiver.answered.map((c) => c.key));
    expect(rows.map((r) => r.key).filter((k) => !answeredKeys.has(k)), 'hooks never answered').toEqual([]);
    for (const p of payments.filter((p) => p.status === 'succeeded')) expect(answeredKeys.has(`${p.id}:succeeded:onPaid`), `onPaid of ${p.id}`).toBe(true);
    const doubled = rows
      .map((r) => receiver.answered.filter((c) => c.key === r.key))
      .filter((answers) => answers.length > 1 && !answers.slice(0, -1).every((c) => killed.has(c.pid)));
    expect(doubled, 'hooks answered twice without a kill between').toEqual([]);
    for (const p of processes.slice(0, -1)) expect(p.log.filter((l) => /"level":"error"/.test(l)), 'errors logged').toEqual([]);
    const cut = payments.filter((p) => !p.chargeId).length;
    console.info(
      `crash suite: ${KILLS + 1} kills, ${orders.length} orders, ${payments.length} payments (${payments.filter((p) => p.status === 'succeeded').length} paid, ${cut} cut before the gateway answered), ${charges.length} charges, ${receiver.calls.length} hook calls (${heldCalls.length} cut by a kill)`,
    );
  });
});
