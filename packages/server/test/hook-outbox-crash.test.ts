import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sandbox, createSandbox } from '@payment-checkout/sandbox';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { type CompanionProcess, type HookReceiver, startCompanionProcess, startHookReceiver } from './support/companion-processes.ts';

/**
 * Issue 9, "Hooks that are never lost": the companion is killed (`kill -9`) after a payment's status committed
 * and while its onPaid hook is running. Started again on the same SQLite file, it calls the hook once more, with
 * the same idempotency key, and the event log and the outbox say it was delivered. Before the outbox the call
 * was made from memory after the commit, and the kill lost it.
 */

let sandbox: Sandbox;
let sandboxUrl: string;
let receiver: HookReceiver;
let dir: string;
const processes: CompanionProcess[] = [];
let store: SqliteStore | undefined;

beforeEach(async () => {
  sandbox = createSandbox();
  ({ url: sandboxUrl } = await sandbox.listen(0));
  receiver = await startHookReceiver();
  dir = mkdtempSync(join(tmpdir(), 'checkout-crash-'));
});
afterEach(async () => {
  await Promise.all(processes.splice(0).map((p) => p.kill('SIGKILL')));
  await store?.close();
  store = undefined;
  await receiver.close();
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a companion killed while a hook runs', () => {
  it('calls the hook again after the restart, exactly once, with the same key; the log and the outbox show it delivered', async () => {
    const name = randomBytes(6).toString('hex');
    const keys = { publicKey: `pkey_test_${name}`, secretKey: `skey_test_${name}` };
    const path = join(dir, 'companion.db');
    const env = { STORE: path, SANDBOX_URL: sandboxUrl, OPN_PUBLIC_KEY: keys.publicKey, OPN_SECRET_KEY: keys.secretKey, HOOK_URL: receiver.url };
    const sandboxApi = async (route: string, json: unknown) => {
      const res = await fetch(`${sandboxUrl}${route}`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${keys.secretKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
      expect(res.status, await res.clone().text()).toBe(200);
    };

    const first = await startCompanionProcess(env);
    processes.push(first);
    // No webhooks: the shopper's poll below is what moves the payment, so the test knows which request runs the hook.
    await sandboxApi('/_sandbox/scenario', { webhooks: 'drop' });
    const created = await fetch(`${first.url}/checkout/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: `order-${name}`, method: 'mobile_banking_kbank' }),
    });
    expect(created.status).toBe(201);
    const { paymentId } = (await created.json()) as { paymentId: string };
    store = new SqliteStore({ path });
    const payment = (await store.getPayment(paymentId))!;
    await sandboxApi(`/_sandbox/opn/charges/${payment.chargeId}/complete`, { result: 'successful' });

    // The poll commits `succeeded` and enters onPaid, which the receiver never lets return.
    receiver.hold = true;
    const poll = fetch(`${first.url}/checkout/payments/${paymentId}`).catch(() => null);
    await vi.waitFor(() => expect(receiver.calls).toHaveLength(1), { timeout: 10_000, interval: 20 });
    const key = `${paymentId}:succeeded:onPaid`;
    expect(receiver.calls[0]).toMatchObject({ hook: 'onPaid', key, attempt: 1, paymentId, status: 'succeeded', pid: first.pid });
    expect((await store.getPayment(paymentId))?.status).toBe('succeeded');
    expect(await store.listHookDeliveries(paymentId)).toMatchObject([{ key, attempts: 1, deliveredAt: null }]);

    expect(await first.kill('SIGKILL')).toBe('SIGKILL');
    expect(await poll).toBeNull();
    expect(receiver.answered).toEqual([]);

    receiver.hold = false;
    const second = await startCompanionProcess(env);
    processes.push(second);
    // The row is taken again once the killed process's lease (1 s here) ends.
    await vi.waitFor(() => expect(receiver.answered).toHaveLength(1), { timeout: 15_000, interval: 50 });
    // Several more polls of the outbox: nothing more is called.
    await new Promise((resolve) => setTimeout(resolve, 600));

    expect(receiver.calls.map((c) => [c.key, c.attempt, c.pid])).toEqual([
      [key, 1, first.pid],
      [key, 2, second.pid],
    ]);
    const deliveredByKey = new Map<string, number>();
    for (const call of receiver.answered) deliveredByKey.set(call.key, (deliveredByKey.get(call.key) ?? 0) + 1);
    expect(Object.fromEntries(deliveredByKey)).toEqual({ [key]: 1 });
    expect(receiver.answered[0]).toMatchObject({ hook: 'onPaid', paymentId, status: 'succeeded' });

    const events = await store.listEvents(paymentId);
    expect(events.filter((e) => e.type === 'status_changed').map((e) => e.toStatus)).toEqual(['pending', 'succeeded']);
    expect(events.filter((e) => e.type.startsWith('hook_')).map((e) => [e.type, e.source, e.detail])).toEqual([['hook_called', 'poll', { hook: 'onPaid' }]]);
    const [row] = await store.listHookDeliveries(paymentId);
    expect(row).toMatchObject({ key, attempts: 2, lease: null, lastError: null, deliveredAt: expect.any(String) });
    expect(second.log.filter((l) => /"level":"error"/.test(l))).toEqual([]);
  }, 60_000);
});
