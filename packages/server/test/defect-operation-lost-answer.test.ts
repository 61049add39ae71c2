import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckoutOptions } from '../src/index.ts';
import { type World, startOtherCompanion, startWorld } from './support/world.ts';

/**
 * A refund whose answer was lost (found by trying the merchant's page with the sandbox's faults): Opn refunded,
 * answered 502, and its refund.create webhook was dropped. The page went on showing the payment unrefunded, and the
 * merchant's second try refunded the shopper twice. The merchant decides from what the companion shows: money that
 * moved at the gateway meanwhile must be shown before any more moves.
 */

const OPS = { name: 'ops-dana', token: randomBytes(32).toString('base64url') };
let world: World;
afterEach(async () => {
  await world?.close();
});

const ops = (path: string, json?: unknown) =>
  world.api(`/operations${path}`, { method: json === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${OPS.token}` }, ...(json !== undefined ? { json } : {}) });

async function paidKakaoPay(checkout: Partial<CheckoutOptions> = {}) {
  world = await startWorld({ checkout: { operations: { tokens: [OPS] }, ...checkout } });
  const res = await world.createPayment(world.order(150_000), 'kakaopay');
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await world.visit(await world.authorize(res.body.next.url, 'successful'));
  return world.paymentOf(res.body.paymentId);
}

const refundedAtOpn = async (chargeId: string) => (await world.opn(`/charges/${chargeId}`)).body.refunded_amount as number;

describe('an operation the gateway could not be read for first', () => {
  it('answers that nothing was sent (not the shopper\'s sentence, not "may have happened"), and sends nothing', async () => {
    const payment = await paidKakaoPay();
    await world.scenario({ failNext: { count: 1, status: 503, on: 'GET /charges/*' } });
    const res = await ops(`/payments/${payment.id}/refund`, { amount: 10_000 });
    expect([res.status, res.body.error.code]).toEqual([502, 'gateway_error']);
    expect(res.body.error.message).toMatch(/^The payment could not be read from the gateway first, so nothing was sent\. Try again in a moment\./);
    expect(await refundedAtOpn(payment.chargeId!)).toBe(0);
  });
});

describe('a refund whose answer was lost', () => {
  it('is read back at once: the 502 says to check, and the payment shows what Opn refunded', async () => {
    const payment = await paidKakaoPay();
    await world.scenario({ failNext: { count: 1, status: 502, after: 'commit', on: 'POST /charges/*/refunds' }, webhooks: 'drop' });
    const lost = await ops(`/payments/${payment.id}/refund`, { amount: 10_000 });
    expect([lost.status, lost.body.error.code]).toEqual([502, 'gateway_error']);
    expect(lost.body.error.message).toContain('check the payment before trying again');
    expect(await refundedAtOpn(payment.chargeId!)).toBe(10_000);
    expect((await ops(`/payments/${payment.id}`)).body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 10_000 });
  });

  it('is never repeated blind: money Opn moved that the companion had not recorded is shown first, and nothing is sent', async () => {
    const payment = await paidKakaoPay();
    // Refunded where the companion cannot see it (a lost answer whose read-back failed too, or the dashboard), unheard of.
    await world.scenario({ webhooks: 'drop' });
    expect((await world.opn(`/charges/${payment.chargeId}/refunds`, { method: 'POST', json: { amount: 10_000 } })).status).toBe(200);
    await world.scenario({});
    expect((await ops(`/payments/${payment.id}`)).body.payment).toMatchObject({ status: 'succeeded', refundedAmount: 0 });

    const refused = await ops(`/payments/${payment.id}/refund`, { amount: 10_000 });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'operation_not_allowed']);
    expect(refused.body.error.message).toContain('100.00 THB more was refunded');
    expect(await refundedAtOpn(payment.chargeId!)).toBe(10_000);
    const shown = (await ops(`/payments/${payment.id}`)).body;
    expect(shown.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 10_000 });
    expect(shown.events.filter((e: { type: string }) => e.type.startsWith('operation_')).map((e: { type: string; detail: { code?: string } }) => [e.type, e.detail.code])).toEqual([
      ['operation_requested', undefined],
      ['operation_failed', 'operation_not_allowed'],
    ]);

    // Asked again, from what is shown now: done.
    const again = await ops(`/payments/${payment.id}/refund`, { amount: 10_000 });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.payment).toMatchObject({ refundedAmount: 20_000 });
    expect(await refundedAtOpn(payment.chargeId!)).toBe(20_000);
  });

  it('asked while the gateway cannot be read: nothing is sent, and the attempt is in the payment\'s log with who asked', async () => {
    const payment = await paidKakaoPay();
    await world.scenario({ failNext: { count: 1, status: 503, on: 'GET /charges/*' } });
    const stopped = await ops(`/payments/${payment.id}/refund`, { amount: 10_000 });
    expect([stopped.status, stopped.body.error.code]).toEqual([502, 'gateway_error']);
    expect(await refundedAtOpn(payment.chargeId!)).toBe(0);
    const log = (await ops(`/payments/${payment.id}`)).body.events.filter((e: { type: string }) => e.type.startsWith('operation_'));
    expect(log.map((e: { type: string; detail: Record<string, unknown> }) => [e.type, e.detail.operation, e.detail.by, e.detail.code])).toEqual([
      ['operation_requested', 'refund', 'ops-dana', undefined],
      ['operation_failed', 'refund', 'ops-dana', 'gateway_error'],
    ]);
    expect(log[1].detail.message).toContain('nothing was sent');
  });
});

describe('a refund cut short by the companion dying', () => {
  it('is recorded without anyone asking: once the dead request\'s lease ends, any process reads the payment back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkout-cut-refund-'));
    const file = join(dir, 'shop.db');
    let now = Date.now();
    try {
      const payment = await paidKakaoPay({ store: file, now: () => now });
      await world.scenario({ webhooks: 'drop' });
      // The process "dies" once Opn has refunded: nothing after the gateway's answer runs, the request never answers.
      const client = world.companion.checkout.gateways.opn!.client;
      const refund = client.createRefund.bind(client);
      client.createRefund = async (...args) => (await refund(...args), new Promise(() => {}));
      const request = new AbortController();
      const asking = fetch(`${world.url}/operations/payments/${payment.id}/refund`, {
        method: 'POST',
        headers: { authorization: `Bearer ${OPS.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 10_000 }),
        signal: request.signal,
      }).catch(() => null);
      await expect.poll(() => refundedAtOpn(payment.chargeId!), { timeout: 5_000 }).toBe(10_000);
      request.abort();
      await asking;
      expect(await world.paymentOf(payment.id)).toMatchObject({ status: 'succeeded', refundedAmount: 0 });

      // The operator asks another process to check the payment meanwhile (its own request, with no outcome logged).
      const other = await startOtherCompanion(world, file, { now: () => now, operations: { tokens: [OPS] } });
      try {
        const check = await fetch(`${other.url}/operations/payments/${payment.id}/check`, { method: 'POST', headers: { authorization: `Bearer ${OPS.token}` } });
        expect(check.status).toBe(200);
        // Once the dead request's hold has ended (10 minutes at least), any process reads the payment back for it.
        now += 10 * 60_000 + 1_000;
        await other.checkout.deliverHooks();
      } finally {
        await other.close();
      }
      expect(await world.paymentOf(payment.id)).toMatchObject({ status: 'partially_refunded', refundedAmount: 10_000 });
      const log = (await world.companion.checkout.store.listEvents(payment.id)).filter((e) => e.type.startsWith('operation_'));
      expect(log.map((e) => [e.type, e.detail?.operation, e.detail?.by, e.detail?.outcomeUnknown])).toEqual([
        ['operation_requested', 'refund', 'ops-dana', undefined],
        ['operation_requested', 'check', 'ops-dana', undefined],
        ['operation_failed', 'refund', 'ops-dana', true],
      ]);
      // The refund's own outcome, not the check's.
      expect(log[2].detail?.operationId).toBe(log[0].detail?.operationId);
      expect(log[2].detail?.message).toContain('the companion stopped during the operation');
    } finally {
      await world.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a refund still under way past the hooks\' lease is not read back as cut by another process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkout-slow-refund-'));
    const file = join(dir, 'shop.db');
    let now = Date.now();
    try {
      const payment = await paidKakaoPay({ store: file, now: () => now, hookDelivery: { leaseMs: 1_000 } });
      await world.scenario({ webhooks: 'drop' });
      // Opn takes its time to answer the refund; meanwhile six minutes pass and another process runs its outbox.
      const client = world.companion.checkout.gateways.opn!.client;
      const refund = client.createRefund.bind(client);
      let answer = () => {};
      const answered = new Promise<void>((resolve) => (answer = resolve));
      client.createRefund = async (...args) => {
        const made = await refund(...args);
        await answered;
        return made;
      };
      const asking = world.api(`/operations/payments/${payment.id}/refund`, { method: 'POST', headers: { authorization: `Bearer ${OPS.token}` }, json: { amount: 10_000 } });
      await expect.poll(() => refundedAtOpn(payment.chargeId!), { timeout: 5_000 }).toBe(10_000);
      now += 6 * 60_000;
      const other = await startOtherCompanion(world, file, { now: () => now, hookDelivery: { leaseMs: 1_000 } });
      try {
        await other.checkout.deliverHooks();
      } finally {
        await other.close();
      }
      answer();
      expect((await asking).status).toBe(200);
      const log = (await world.companion.checkout.store.listEvents(payment.id)).filter((e) => e.type.startsWith('operation_'));
      expect(log.map((e) => [e.type, e.detail?.operation])).toEqual([
        ['operation_requested', 'refund'],
        ['operation_succeeded', 'refund'],
      ]);
    } finally {
      await world.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
