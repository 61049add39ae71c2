import { afterEach, describe, expect, it } from 'vitest';
import { type Outcome, attempt, attemptMany, jsonInit, tally } from '../../test/fault-kit.ts';
import {
  type KpaymentHarness,
  MINUTE,
  call,
  chargeBody,
  newMerchant,
  orderBody,
  payWithCard,
  setSettings,
  startKpayment,
  tokenize,
} from '../../test/kpayment-kit.ts';
import { type Receiver, startReceiver } from '../../test/test-kit.ts';

/**
 * The fault scenario (`faults.ts`) on K-Payment: its API answers injected errors in K-Payment's error body,
 * times out or resets before or after the request took effect; the controls and the hosted card form are never
 * faulted; notifies are dropped, duplicated, delayed, reordered or cut off, as seen by a real receiver.
 */

const APPROVE = '4024007134786226';

let h: KpaymentHarness;
let receiver: Receiver | undefined;
afterEach(async () => {
  await h.close();
  await receiver?.close();
  receiver = undefined;
});

const send = (m: { sk: string }, path: string, body?: unknown, timeoutMs?: number) =>
  attempt(`${h.url}${path}`, jsonInit({ 'x-api-key': m.sk }, body), timeoutMs);
const scenario = (m: { sk: string }, json: unknown) => call(h.url, '/_sandbox/kpayment/scenario', { key: m.sk, json });

describe('injected errors', () => {
  it('before the effect: a 5xx in K-Payment\'s error body, no charge, and the token still unused', async () => {
    h = await startKpayment();
    const m = newMerchant();
    const set = await scenario(m, { failNext: { count: 1, status: 503, on: 'POST /card/v2/charge' } });
    expect(set.body).toMatchObject({ object: 'scenario', failNext: { count: 1, status: 503, on: 'POST /card/v2/charge' } });
    const token = await tokenize(h.url, m.pk, { number: APPROVE });
    const body = chargeBody(token);
    const failed = await call(h.url, '/card/v2/charge', { key: m.sk, json: body });
    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({ object: 'error', code: 'internal_error', message: 'injected failure (sandbox scenario failNext, HTTP 503)' });
    expect((await call(h.url, `/card/v2/charge/${body.reference_order}`, { key: m.sk })).status).toBe(404);
    expect((await call(h.url, '/card/v2/charge', { key: m.sk, json: body })).status).toBe(200);
  });

  it('after the effect: the 5xx in place of the answer, yet the charge exists and its token is used', async () => {
    h = await startKpayment();
    const m = newMerchant();
    h.controls.setScenario(m.sk, { failNext: { count: 1, after: 'commit' } });
    const token = await tokenize(h.url, m.pk, { number: APPROVE });
    const body = chargeBody(token);
    const failed = await call(h.url, '/card/v2/charge', { key: m.sk, json: body });
    expect([failed.status, failed.body.code]).toEqual([500, 'internal_error']);
    expect(failed.body.message).toContain('after the request took effect');
    const inquiry = await call(h.url, `/card/v2/charge/${body.reference_order}`, { key: m.sk });
    expect([inquiry.status, inquiry.body.reference_order]).toEqual([200, body.reference_order]);
    expect((await call(h.url, '/card/v2/charge', { key: m.sk, json: body })).body.code).toBe('used_token');
  });

  it('never faults the controls or the hosted card form\'s backend, so a test can always look and reset', async () => {
    h = await startKpayment();
    const m = newMerchant();
    h.controls.setScenario(m.sk, { failNext: { count: 5 } });
    expect((await call(h.url, '/_sandbox/kpayment/settings', { key: m.sk })).status).toBe(200);
    await tokenize(h.url, m.pk, { number: APPROVE });
    expect((await scenario(m, undefined)).body.failNext).toEqual({ count: 5, status: 500 });
    expect((await call(h.url, '/qr/v2/order/order_test_nothing', { key: m.sk })).status).toBe(500);
    expect(h.controls.scenario(m.sk).failNext).toEqual({ count: 4, status: 500 });
    expect((await scenario(m, {})).body).toMatchObject({ latencyMs: 0, webhooks: 'normal', injected: { errors: 0 } });
    expect((await call(h.url, '/qr/v2/order/order_test_nothing', { key: m.sk })).status).toBe(404);
  });
});

describe('latency', () => {
  it('slows every API answer of the merchant, and no other merchant\'s', async () => {
    h = await startKpayment();
    const m = newMerchant();
    await scenario(m, { latencyMs: 300 });
    const started = Date.now();
    expect((await call(h.url, '/qr/v2/order/order_test_none', { key: m.sk })).status).toBe(404);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const other = Date.now();
    await call(h.url, '/qr/v2/order/order_test_none', { key: newMerchant().sk });
    expect(Date.now() - other).toBeLessThan(250);
  });
});

describe('timeouts and resets', () => {
  it('a QR order whose create timed out exists only if the timeout came after the effect', async () => {
    h = await startKpayment();
    const m = newMerchant();
    const before = orderBody();
    h.controls.setScenario(m.sk, { failNext: { count: 1, fault: 'timeout' } });
    expect(await send(m, '/qr/v2/order', before, 300)).toEqual({ kind: 'timeout' });
    expect((await call(h.url, '/qr/v2/order', { key: m.sk, json: before })).status).toBe(200);

    const after = orderBody();
    h.controls.setScenario(m.sk, { failNext: { count: 1, fault: 'timeout', after: 'commit' } });
    expect(await send(m, '/qr/v2/order', after, 300)).toEqual({ kind: 'timeout' });
    expect((await call(h.url, '/qr/v2/order', { key: m.sk, json: after })).body.code).toBe('order_id_is_already_used');
  });

  it('a reset rejects the client\'s fetch; after the effect the order exists', async () => {
    h = await startKpayment();
    const m = newMerchant();
    const before = orderBody();
    h.controls.setScenario(m.sk, { failNext: { count: 1, fault: 'reset' } });
    expect((await send(m, '/qr/v2/order', before)).kind).toBe('socket');
    expect((await call(h.url, '/qr/v2/order', { key: m.sk, json: before })).status).toBe(200);

    const after = orderBody();
    h.controls.setScenario(m.sk, { failNext: { count: 1, fault: 'reset', after: 'commit' } });
    expect(await send(m, '/qr/v2/order', after)).toEqual({ kind: 'socket', code: expect.stringMatching(/ECONNRESET|closed/) });
    expect((await call(h.url, '/qr/v2/order', { key: m.sk, json: after })).body.code).toBe('order_id_is_already_used');
  });
});

describe('random faults', () => {
  it('hold their rates over 400 inquiries, only on the endpoint named, and replay with the seed', async () => {
    h = await startKpayment();
    const random = { failRate: 0.2, timeoutRate: 0.05, resetRate: 0.05, on: 'GET /qr/v2/order/*' };
    const run = async (m: { sk: string }): Promise<Outcome[]> => {
      h.controls.setScenario(m.sk, { random, seed: 31 });
      const created = await call(h.url, '/qr/v2/order', { key: m.sk, json: orderBody() });
      expect(created.status).toBe(200);
      return attemptMany(400, 20, () => send(m, `/qr/v2/order/${created.body.id}`, undefined, 1500));
    };
    const m = newMerchant();
    const first = tally(await run(m));
    const { injected } = h.controls.scenario(m.sk);
    expect(first).toEqual({ ok: 400 - injected.errors - injected.timeouts - injected.resets, errors: injected.errors, timeouts: injected.timeouts, resets: injected.resets });
    expect(first.errors).toBeGreaterThan(60);
    expect(first.errors).toBeLessThan(100);
    expect(first.timeouts + first.resets).toBeGreaterThan(20);
    expect(first.timeouts + first.resets).toBeLessThan(60);
    expect(tally(await run(newMerchant()))).toEqual(first);
  });

  it('refuses a scenario it cannot mean with a 400 naming the field', async () => {
    h = await startKpayment();
    const m = newMerchant();
    const rate = await scenario(m, { random: { timeoutRate: 1.5 } });
    expect([rate.status, rate.body.code, rate.body.message]).toEqual([400, 'invalid_parameter', 'random.timeoutRate: random.timeoutRate must be a number from 0 to 1']);
    const on = await scenario(m, { random: { failRate: 0.1, on: 'charge' } });
    expect([on.status, on.body.message]).toEqual([400, expect.stringContaining("random.on must be a method and a path, e.g. 'POST /charges'")]);
    expect((await scenario(m, { failNext: {} })).body).toMatchObject({ code: 'mandatory_is_empty', message: expect.stringContaining('failNext.count') });
    expect(h.controls.scenario(m.sk).random).toBeUndefined();
  });
});

describe('notify faults', () => {
  async function merchantWithReceiver() {
    receiver = await startReceiver();
    const m = newMerchant();
    await setSettings(h.url, m.sk, { threeDSecure: false, notifyUrl: receiver.url });
    return m;
  }

  it('delay: the notify waits webhookDelayMs of sandbox time', async () => {
    h = await startKpayment();
    const m = await merchantWithReceiver();
    h.controls.setScenario(m.sk, { webhooks: 'delay', webhookDelayMs: 10 * MINUTE });
    const { charge } = await payWithCard(h.url, m, { number: APPROVE });
    await h.clock.advance(10 * MINUTE - 1000);
    expect(receiver!.requests).toHaveLength(0);
    await h.clock.advance(1000);
    await receiver!.waitFor(1);
    expect(receiver!.requests[0].json.id).toBe(charge.id);
  });

  it('reorder: every notify arrives, not in the order the payments were made', async () => {
    h = await startKpayment();
    const m = await merchantWithReceiver();
    h.controls.setScenario(m.sk, { webhooks: 'reorder', webhookDelayMs: MINUTE, seed: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await payWithCard(h.url, m, { number: APPROVE })).charge.id);
    await h.clock.advance(MINUTE);
    await receiver!.waitFor(6);
    const arrived = receiver!.requests.map((r) => r.json.id as string);
    expect([...arrived].sort()).toEqual([...ids].sort());
    expect(arrived).not.toEqual(ids);
  });

  it('the scenario\'s drop wins over the older notify setting; with the scenario normal, the setting still duplicates', async () => {
    h = await startKpayment();
    const m = await merchantWithReceiver();
    await setSettings(h.url, m.sk, { notify: 'duplicate' });
    h.controls.setScenario(m.sk, { webhooks: 'drop' });
    await payWithCard(h.url, m, { number: APPROVE });
    h.controls.setScenario(m.sk, {});
    const { charge } = await payWithCard(h.url, m, { number: APPROVE });
    await receiver!.waitFor(2);
    await h.controls.flushNotifications();
    expect(receiver!.requests.map((r) => r.json.id)).toEqual([charge.id, charge.id]);
  });

  it('webhookFailRate: the notify reaches the receiver, the attempt is recorded failed and retried', async () => {
    h = await startKpayment({ notifyRetryDelaysMs: [MINUTE] });
    const m = await merchantWithReceiver();
    h.controls.setScenario(m.sk, { random: { webhookFailRate: 1 } });
    await payWithCard(h.url, m, { number: APPROVE });
    await receiver!.waitFor(1);
    await h.controls.flushNotifications();
    await h.clock.advance(MINUTE);
    await receiver!.waitFor(2);
    await h.controls.flushNotifications();
    // Both attempts were cut off after sending: the receiver has two identical notifies and the log no 200.
    expect(receiver!.requests[1].rawBody).toBe(receiver!.requests[0].rawBody);
    expect(h.controls.notifyDeliveries(m.sk).map((d) => [d.attempt, d.status_code])).toEqual([[1, null], [2, null]]);
    expect(h.controls.scenario(m.sk).injected.webhookAttemptsFailed).toBe(2);
  });
});
