import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, MINUTE, type Receiver, call, newMerchant, startReceiver, startSandbox } from '../../test/test-kit.ts';
import { createCharge, decide, registerWebhook } from '../../test/opn-kit.ts';

let t: Harness;
let receiver: Receiver | undefined;
afterEach(async () => {
  await t.close();
  await receiver?.close();
  receiver = undefined;
});

const register = (url: string, sk: string) => registerWebhook(t.url, url, sk);

/** The merchant's webhook and API fault scenarios (`/_sandbox/scenario`): drop, duplicate, delay, failNext, latency. */

describe('webhook scenarios', () => {
  it('drop: the event exists but nobody is told; back to normal, the next one is delivered', async () => {
    t = await startSandbox();
    receiver = await startReceiver();
    const m = newMerchant();
    await register(receiver.url, m.sk);
    const set = await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { webhooks: 'drop' } });
    expect(set.body).toMatchObject({ object: 'scenario', webhooks: 'drop', latencyMs: 0 });
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    await decide(charge.authorize_uri, { action: 'successful' });
    await t.sandbox.opn.flushWebhooks();
    await t.sandbox.clock.advance(60 * MINUTE);
    expect(receiver.requests).toHaveLength(0);
    expect((await call(t.url, '/events', { key: m.sk })).body.total).toBe(2);

    await call(t.url, '/_sandbox/scenario', { key: m.sk, json: {} });
    const next = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    await decide(next.authorize_uri, { action: 'successful' });
    await receiver.waitFor(2);
    await t.sandbox.opn.flushWebhooks();
    expect(receiver.requests.map((r) => [r.json.key, r.json.data.id])).toEqual([
      ['charge.create', next.id],
      ['charge.complete', next.id],
    ]);
  });

  it('duplicate: every event arrives twice, byte for byte', async () => {
    t = await startSandbox();
    receiver = await startReceiver();
    const m = newMerchant();
    await register(receiver.url, m.sk);
    t.sandbox.opn.setScenario(m.sk, { webhooks: 'duplicate' });
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_bay' });
    await decide(charge.authorize_uri, { action: 'successful' });
    await receiver.waitFor(4);
    await t.sandbox.opn.flushWebhooks();
    expect(receiver.requests).toHaveLength(4);
    const copies = new Map<string, number>();
    for (const r of receiver.requests) copies.set(r.rawBody, (copies.get(r.rawBody) ?? 0) + 1);
    expect([...copies.values()]).toEqual([2, 2]);
    expect(receiver.requests.map((r) => r.json.key)).toEqual(['charge.create', 'charge.create', 'charge.complete', 'charge.complete']);
  });

  it('delay: the first attempt waits webhookDelayMs of sandbox time', async () => {
    t = await startSandbox();
    receiver = await startReceiver();
    const m = newMerchant();
    await register(receiver.url, m.sk);
    await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { webhooks: 'delay', webhookDelayMs: 60_000 } });
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_bay' });
    await decide(charge.authorize_uri, { action: 'successful' });
    await t.sandbox.clock.advance(59_000);
    expect(receiver.requests).toHaveLength(0);
    await t.sandbox.clock.advance(1000);
    expect(receiver.requests.map((r) => r.json.key)).toEqual(['charge.create', 'charge.complete']);
  });

  it('the real-time ticker delivers a delayed webhook without anyone advancing the clock', async () => {
    t = await startSandbox();
    receiver = await startReceiver();
    const m = newMerchant();
    await register(receiver.url, m.sk);
    t.sandbox.opn.setScenario(m.sk, { webhooks: 'delay', webhookDelayMs: 200 });
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_bay' });
    await decide(charge.authorize_uri, { action: 'successful' });
    expect(receiver.requests).toHaveLength(0);
    await receiver.waitFor(2, 3000);
    expect(receiver.requests.map((r) => r.json.key)).toEqual(['charge.create', 'charge.complete']);
  });
});

describe('API fault scenarios', () => {
  it('failNext answers the next requests with the given status and Opn\'s error body, with no effect', async () => {
    t = await startSandbox();
    const m = newMerchant();
    await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { failNext: { count: 2, status: 503 } } });
    const params = { amount: 150000, currency: 'THB', source: { type: 'mobile_banking_kbank' }, return_uri: 'https://shop.example/r' };
    const first = await call(t.url, '/charges', { key: m.sk, json: params });
    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ object: 'error', code: 'service_unavailable' });
    const second = await call(t.url, '/sources', { key: m.pk, json: { type: 'kakaopay', amount: 100, currency: 'SGD' } });
    expect(second.status).toBe(503);
    // Control endpoints are never faulted, so a test can always inspect and reset.
    expect((await call(t.url, '/_sandbox/scenario', { key: m.sk })).body.failNext).toEqual({ count: 0, status: 503 });
    const third = await call(t.url, '/charges', { key: m.sk, json: params });
    expect(third.status).toBe(200);
    expect((await call(t.url, '/charges', { key: m.sk })).body.total).toBe(1);
  });

  it('failNext defaults to 500 internal_error and only touches its own merchant', async () => {
    t = await startSandbox();
    const m = newMerchant();
    const other = newMerchant();
    t.sandbox.opn.setScenario(m.sk, { failNext: { count: 1 } });
    expect((await call(t.url, '/charges', { key: other.sk })).status).toBe(200);
    const failed = await call(t.url, '/charges', { key: m.sk });
    expect(failed.status).toBe(500);
    expect(failed.body.code).toBe('internal_error');
    expect((await call(t.url, '/charges', { key: m.sk })).status).toBe(200);
  });

  it('latencyMs slows every API answer of the merchant', async () => {
    t = await startSandbox();
    const m = newMerchant();
    await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { latencyMs: 300 } });
    const started = Date.now();
    expect((await call(t.url, '/charges', { key: m.sk })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const fast = Date.now();
    await call(t.url, '/charges', { key: newMerchant().sk });
    expect(Date.now() - fast).toBeLessThan(250);
  });

  it('refuses a malformed scenario', async () => {
    t = await startSandbox();
    const m = newMerchant();
    const res = await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { webhooks: 'sometimes' } });
    expect(res.status).toBe(400);
    const unknown = await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { latency: 5 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('latency');
    expect((await call(t.url, '/_sandbox/scenario', { key: m.pk, json: {} })).status).toBe(401);
  });
});
