import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CheckoutOptions } from '../src/index.ts';
import { SqliteStore } from '../src/store/sqlite-store.ts';
import { type World, startOtherCompanion, startWorld } from './support/world.ts';

/**
 * A money operation sent again under the same `Idempotency-Key` (found by a merchant's pass: the API had no such key,
 * so a request repeated after a lost answer, a page submitted twice or a script retried refunded twice): answered from
 * what the first request did, never sent to the gateway again.
 */

const OPS = { name: 'ops-erin', token: randomBytes(32).toString('base64url') };
let world: World;
afterEach(async () => {
  await world?.close();
});

/** POST …/refund to the companion at `base` (the world's unless said): status, headers and the JSON answer. */
async function refund(paymentId: string, key: string | null, json: unknown = { amount: 10_000 }, base = world.url) {
  const res = await fetch(`${base}/operations/payments/${paymentId}/refund`, {
    method: 'POST',
    headers: { authorization: `Bearer ${OPS.token}`, 'content-type': 'application/json', ...(key === null ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(json),
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

async function paid(method: string, checkout: Partial<CheckoutOptions> = {}) {
  world = await startWorld({ checkout: { operations: { tokens: [OPS] }, ...checkout } });
  const res = await world.createPayment(world.order(150_000), method);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  await world.visit(await world.authorize(res.body.next.url, 'successful'));
  return world.paymentOf(res.body.paymentId);
}

const refundsAtOpn = async (chargeId: string) => ((await world.opn(`/charges/${chargeId}/refunds`)).body.data as { amount: number }[]).map((r) => r.amount);
const requests = async (paymentId: string) => (await world.companion.checkout.store.listEvents(paymentId)).filter((e) => e.type === 'operation_requested').length;

describe('a money operation sent again with the same Idempotency-Key', () => {
  it('after it was done: answers the payment as it is, marked replayed, and refunds once', async () => {
    const payment = await paid('kakaopay');
    const first = await refund(payment.id, 'refund-0001');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await refund(payment.id, 'refund-0001');
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 10_000 });
    // Without an amount it means the same request too.
    expect((await refund(payment.id, 'refund-0001', {})).status).toBe(200);
    expect(await refundsAtOpn(payment.chargeId!)).toEqual([10_000]);
    expect(await requests(payment.id)).toBe(1);
    // Another key is another refund.
    expect((await refund(payment.id, 'refund-0002')).body.payment).toMatchObject({ refundedAmount: 20_000 });
    expect(await refundsAtOpn(payment.chargeId!)).toEqual([10_000, 10_000]);
  });

  it('after the gateway refunded but its answer was lost: answers it done (read from the gateway), and refunds once', async () => {
    const payment = await paid('kakaopay');
    await world.scenario({ failNext: { count: 1, status: 502, after: 'commit', on: 'POST /charges/*/refunds' }, webhooks: 'drop' });
    const lost = await refund(payment.id, 'refund-lost');
    expect([lost.status, lost.body.error.code]).toEqual([502, 'gateway_error']);
    const again = await refund(payment.id, 'refund-lost');
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(again.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 10_000 });
    expect((await refund(payment.id, 'refund-lost')).headers.get('idempotent-replayed')).toBe('true');
    expect(await refundsAtOpn(payment.chargeId!)).toEqual([10_000]);
    const log = (await world.companion.checkout.store.listEvents(payment.id)).filter((e) => e.type.startsWith('operation_'));
    expect(log.map((e) => [e.type, e.detail?.outcomeUnknown ?? e.detail?.learnt ?? null])).toEqual([
      ['operation_requested', null],
      ['operation_failed', true],
      ['operation_succeeded', 'The payment read from the gateway shows it done.'],
    ]);
  });

  it('after the gateway failed before refunding: sends it again under the same key, once', async () => {
    const payment = await paid('kakaopay');
    await world.scenario({ failNext: { count: 1, status: 500, on: 'POST /charges/*/refunds' }, webhooks: 'drop' });
    const lost = await refund(payment.id, 'refund-unsent');
    expect([lost.status, lost.body.error.code]).toEqual([502, 'gateway_error']);
    expect(await refundsAtOpn(payment.chargeId!)).toEqual([]);
    const again = await refund(payment.id, 'refund-unsent');
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, null]);
    expect(again.body.payment).toMatchObject({ status: 'partially_refunded', refundedAmount: 10_000 });
    expect((await refund(payment.id, 'refund-unsent')).headers.get('idempotent-replayed')).toBe('true');
    expect(await refundsAtOpn(payment.chargeId!)).toEqual([10_000]);
    expect(await requests(payment.id)).toBe(2);
  });

  it('after no answer, sends it again with the amount it was sent with, whatever the retry says', async () => {
    const payment = await paid('kakaopay');
    await world.scenario({ failNext: { count: 1, status: 500, on: 'POST /charges/*/refunds' }, webhooks: 'drop' });
    expect((await refund(payment.id, 'refund-part', { amount: 10_000 })).status).toBe(502);
    const again = await refund(payment.id, 'refund-part', {});
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(await refundsAtOpn(payment.chargeId!)).toEqual([10_000]);
  });

  it('after no answer, neither answers it done nor sends it again when the payment moved another way (a refund made elsewhere)', async () => {
    const payment = await paid('kakaopay');
    await world.scenario({ failNext: { count: 1, status: 500, on: 'POST /charges/*/refunds' }, webhooks: 'drop' });
    expect((await refund(payment.id, 'refund-moved')).status).toBe(502);
    expect((await world.opn(`/charges/${payment.chargeId}/refunds`, { json: { amount: 5_000 } })).status).toBe(200);
    const again = await refund(payment.id, 'refund-moved');
    expect([again.status, again.body.error.code]).toEqual([409, 'idempotency_conflict']);
    expect(again.body.error.message).toContain('the payment has changed since in another way: it is not sent again');
    expect(await refundsAtOpn(payment.chargeId!)).toEqual([5_000]);
  });

  it('when the process fails after the gateway acted: the guard stays, the payment is read back, and the key then answers done', async () => {
    let now = Date.now();
    const payment = await paid('kakaopay', { now: () => now });
    await world.scenario({ webhooks: 'drop' });
    const store = world.companion.checkout.store;
    const append = store.appendEvent.bind(store);
    let broken = true;
    store.appendEvent = async (id, event, at) => {
      if (broken && event.type === 'operation_succeeded') {
        broken = false;
        throw new Error('the disk went away');
      }
      return append(id, event, at);
    };
    expect((await refund(payment.id, 'refund-cut')).status).toBe(500);
    expect(await refundsAtOpn(payment.chargeId!)).toEqual([10_000]);
    expect((await refund(payment.id, 'refund-cut')).body.error.code).toBe('idempotency_conflict');
    now += 10 * 60_000 + 1_000;
    await world.companion.checkout.deliverHooks();
    const again = await refund(payment.id, 'refund-cut');
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
    expect(await refundsAtOpn(payment.chargeId!)).toEqual([10_000]);
  });

  it('answers a refusal with the same refusal, and refuses a key used for another amount or operation: nothing sent', async () => {
    const kplus = await paid('mobile_banking_kbank');
    const refused = await refund(kplus.id, 'kplus-1');
    expect([refused.status, refused.body.error.code]).toEqual([409, 'operation_not_allowed']);
    const again = await refund(kplus.id, 'kplus-1');
    expect([again.status, again.body.error]).toEqual([409, refused.body.error]);

    const res = await world.createPayment(world.order(150_000), 'kakaopay');
    await world.visit(await world.authorize(res.body.next.url, 'successful'));
    const kakao = await world.paymentOf(res.body.paymentId);
    expect((await refund(kakao.id, 'k-1', { amount: 5_000 })).status).toBe(200);
    const other = await refund(kakao.id, 'k-1', { amount: 6_000 });
    expect([other.status, other.body.error.code]).toEqual([409, 'idempotency_conflict']);
    expect(other.body.error.message).toBe('This Idempotency-Key was used for a refund of 50.00 THB of this payment: send another key for another request.');
    const voided = await world.api(`/operations/payments/${kakao.id}/void`, { method: 'POST', headers: { authorization: `Bearer ${OPS.token}`, 'idempotency-key': 'k-1' }, json: {} });
    expect([voided.status, voided.body.error.code]).toEqual([409, 'idempotency_conflict']);
    expect(await refundsAtOpn(kakao.chargeId!)).toEqual([5_000]);
  });

  it('refuses a malformed key (400) before anything is logged or sent', async () => {
    const payment = await paid('kakaopay');
    for (const key of ['has space', 'x'.repeat(256), 'caf\u00e9']) {
      const res = await refund(payment.id, key);
      expect([res.status, res.body.error.code], key).toEqual([400, 'bad_request']);
    }
    expect(await requests(payment.id)).toBe(0);
    expect(await refundsAtOpn(payment.chargeId!)).toEqual([]);
  });

  it('sent to a second process that read the log before the first wrote it: refused as a conflict, never as the refusal that would invite a new key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkout-idempotency-'));
    try {
      const file = join(dir, 'shop.db');
      const payment = await paid('kakaopay', { store: file });
      const slow = new SqliteStore({ path: file });
      const list = slow.listEvents.bind(slow);
      let first = true;
      slow.listEvents = async (id) => {
        const events = await list(id);
        if (first) {
          first = false;
          await new Promise((r) => setTimeout(r, 1_500));
        }
        return events;
      };
      const other = await startOtherCompanion(world, file, { store: slow, operations: { tokens: [OPS] } });
      try {
        const late = refund(payment.id, 'stale-1', undefined, other.url);
        await new Promise((r) => setTimeout(r, 300));
        expect((await refund(payment.id, 'stale-1')).status).toBe(200);
        const answer = await late;
        expect([answer.status, answer.body.error?.code]).toEqual([409, 'idempotency_conflict']);
        expect((await refund(payment.id, 'stale-1')).headers.get('idempotent-replayed')).toBe('true');
        expect(await refundsAtOpn(payment.chargeId!)).toEqual([10_000]);
      } finally {
        await other.close();
        await slow.close();
      }
    } finally {
      await world.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sent to two processes at the same moment: one refund', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkout-idempotency-'));
    try {
      const payment = await paid('kakaopay', { store: join(dir, 'shop.db') });
      const other = await startOtherCompanion(world, join(dir, 'shop.db'), { operations: { tokens: [OPS] } });
      try {
        await world.scenario({ latencyMs: 200 });
        const answers = await Promise.all([refund(payment.id, 'both-1'), refund(payment.id, 'both-1', undefined, other.url)]);
        await world.scenario({});
        expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
        expect(answers.find((a) => a.status === 409)?.body.error.code).toBe('idempotency_conflict');
        expect(await refundsAtOpn(payment.chargeId!)).toEqual([10_000]);
        expect((await refund(payment.id, 'both-1')).headers.get('idempotent-replayed')).toBe('true');
      } finally {
        await other.close();
      }
    } finally {
      await world.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
