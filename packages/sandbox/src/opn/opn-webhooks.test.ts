import { verifyOpnWebhook } from '@payment-checkout/core/signature';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, MINUTE, type Receiver, call, deadUrl, newMerchant, startReceiver, startSandbox } from '../../test/test-kit.ts';
import { createCharge, decide } from '../../test/opn-kit.ts';

let t: Harness;
let receiver: Receiver | undefined;
afterEach(async () => {
  await t.close();
  await receiver?.close();
  receiver = undefined;
});

async function register(url: string, sk: string) {
  const res = await call(t.url, '/_sandbox/opn/webhooks', { key: sk, json: { url } });
  expect(res.status).toBe(200);
  return res.body as { object: string; url: string; secret: string };
}

describe('webhook endpoints', () => {
  it('registers an endpoint per merchant with one base64 secret, kept on re-registration', async () => {
    t = await startSandbox();
    const m = newMerchant();
    const first = await register('http://127.0.0.1:9/webhooks/opn', m.sk);
    expect(first).toMatchObject({ object: 'webhook_endpoint', url: 'http://127.0.0.1:9/webhooks/opn' });
    expect(Buffer.from(first.secret, 'base64')).toHaveLength(32);
    const again = await register('http://127.0.0.1:9/webhooks/opn', m.sk);
    expect(again.secret).toBe(first.secret);
    const other = await register('http://127.0.0.1:9/other', m.sk);
    expect(other.secret).toBe(first.secret);
    const list = await call(t.url, '/_sandbox/opn/webhooks', { key: m.sk });
    expect(list.body.data.map((e: { url: string }) => e.url)).toEqual(['http://127.0.0.1:9/webhooks/opn', 'http://127.0.0.1:9/other']);

    const stranger = await register('http://127.0.0.1:9/webhooks/opn', newMerchant().sk);
    expect(stranger.secret).not.toBe(first.secret);
  });

  it('needs the secret key and an http(s) URL', async () => {
    t = await startSandbox();
    const m = newMerchant();
    expect((await call(t.url, '/_sandbox/opn/webhooks', { key: m.pk, json: { url: 'http://127.0.0.1:9/' } })).status).toBe(401);
    const bad = await call(t.url, '/_sandbox/opn/webhooks', { key: m.sk, json: { url: 'ftp://127.0.0.1/' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'bad_request', message: 'url must be an http(s) URL' });
  });
});

describe('signed deliveries', () => {
  it('POSTs charge.complete signed with Omise-Signature, verifiable with core\'s verifyOpnWebhook', async () => {
    t = await startSandbox();
    receiver = await startReceiver();
    const m = newMerchant();
    const { secret } = await register(receiver.url, m.sk);
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    await decide(charge.authorize_uri, { action: 'successful' });

    const [request] = await receiver.waitFor(1);
    expect(request.headers['content-type']).toContain('application/json');
    expect(request.json).toMatchObject({
      object: 'event',
      livemode: false,
      key: 'charge.complete',
      data: { object: 'charge', id: charge.id, status: 'successful', paid: true },
    });
    expect(request.json.id).toMatch(/^evnt_test_[0-9a-z]{19}$/);

    const signed = {
      rawBody: request.rawBody,
      signatureHeader: request.headers['omise-signature'] as string,
      timestampHeader: request.headers['omise-signature-timestamp'] as string,
    };
    expect(signed.signatureHeader).toMatch(/^[0-9a-f]{64}$/);
    expect(Math.abs(Number(signed.timestampHeader) - Date.now() / 1000)).toBeLessThan(5);
    expect(verifyOpnWebhook({ ...signed, secretBase64: secret })).toEqual({ ok: true });
    expect(verifyOpnWebhook({ ...signed, secretBase64: Buffer.alloc(32, 1).toString('base64') }).ok).toBe(false);
    expect(verifyOpnWebhook({ ...signed, rawBody: signed.rawBody.replace('"successful"', '"failed"'), secretBase64: secret }).ok).toBe(false);

    // The event is stored and readable as delivered.
    const stored = await call(t.url, `/events/${request.json.id}`, { key: m.sk });
    expect(stored.body).toEqual(request.json);
    const events = await call(t.url, '/events', { key: m.sk });
    expect(events.body).toMatchObject({ object: 'list', total: 1, location: '/events' });
  });

  it('signs with wall-clock seconds even when the sandbox clock is ahead, so receivers can check freshness', async () => {
    t = await startSandbox();
    receiver = await startReceiver();
    const m = newMerchant();
    const { secret } = await register(receiver.url, m.sk);
    await t.sandbox.clock.advance(3 * 60 * MINUTE);
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_bay' });
    await decide(charge.authorize_uri, { action: 'failed', failure_code: 'payment_rejected' });
    const [request] = await receiver.waitFor(1);
    expect(request.json.data).toMatchObject({ status: 'failed', failure_code: 'payment_rejected' });
    const check = verifyOpnWebhook({
      rawBody: request.rawBody,
      signatureHeader: request.headers['omise-signature'] as string,
      timestampHeader: request.headers['omise-signature-timestamp'] as string,
      secretBase64: secret,
    });
    expect(check).toEqual({ ok: true });
  });

  it('delivers to every endpoint of the merchant, and nothing to other merchants\' endpoints', async () => {
    t = await startSandbox();
    receiver = await startReceiver();
    const second = await startReceiver();
    const bystander = await startReceiver();
    try {
      const m = newMerchant();
      await register(receiver.url, m.sk);
      await register(second.url, m.sk);
      await register(bystander.url, newMerchant().sk);
      const charge = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
      await decide(charge.authorize_uri, { action: 'successful' });
      await t.sandbox.opn.flushWebhooks();
      expect(receiver.requests).toHaveLength(1);
      expect(second.requests).toHaveLength(1);
      expect(bystander.requests).toHaveLength(0);
    } finally {
      await second.close();
      await bystander.close();
    }
  });

  it('sends charge.complete when a charge expires on the clock, and refund.create for refunds', async () => {
    t = await startSandbox();
    receiver = await startReceiver();
    const m = newMerchant();
    await register(receiver.url, m.sk);
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    await t.sandbox.clock.advance(10 * MINUTE);
    expect(receiver.requests.map((r) => [r.json.key, r.json.data.status])).toEqual([['charge.complete', 'expired']]);
    expect(receiver.requests[0].json.data).toMatchObject({ id: charge.id, failure_code: 'payment_expired' });

    const kakao = await createCharge(t.url, m, { type: 'kakaopay', currency: 'SGD' });
    await decide(kakao.authorize_uri, { action: 'successful' });
    await call(t.url, `/charges/${kakao.id}/refunds`, { key: m.sk, json: { amount: 1000 } });
    await receiver.waitFor(3);
    expect(receiver.requests[2].json).toMatchObject({ key: 'refund.create', data: { object: 'refund', charge: kakao.id, amount: 1000 } });
  });
});

describe('retries on the sandbox clock', () => {
  it('retries a failed attempt after each configured delay, then stops at the first 2xx', async () => {
    // Minutes apart, so that the real milliseconds a test takes cannot blur the edges.
    t = await startSandbox({ webhookRetryDelaysMs: [MINUTE, 5 * MINUTE, 30 * MINUTE] });
    receiver = await startReceiver([500, 503]);
    const m = newMerchant();
    await register(receiver.url, m.sk);
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_bay' });
    await decide(charge.authorize_uri, { action: 'successful' });
    await receiver.waitFor(1);
    await t.sandbox.opn.flushWebhooks();

    await t.sandbox.clock.advance(MINUTE - 1000);
    expect(receiver.requests).toHaveLength(1);
    await t.sandbox.clock.advance(1000);
    expect(receiver.requests).toHaveLength(2);
    await t.sandbox.clock.advance(5 * MINUTE - 1000);
    expect(receiver.requests).toHaveLength(2);
    await t.sandbox.clock.advance(1000);
    expect(receiver.requests).toHaveLength(3);
    await t.sandbox.clock.advance(120 * MINUTE);
    expect(receiver.requests).toHaveLength(3);

    const ids = new Set(receiver.requests.map((r) => r.json.id));
    expect(ids.size).toBe(1);
    expect(new Set(receiver.requests.map((r) => r.rawBody)).size).toBe(1);

    const log = await call(t.url, '/_sandbox/opn/webhook-deliveries', { key: m.sk });
    expect(log.body.data.map((d: { attempt: number; status_code: number }) => [d.attempt, d.status_code])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(log.body.data[0]).toMatchObject({ object: 'webhook_delivery', event_key: 'charge.complete', url: receiver.url, event_id: [...ids][0] });
  });

  it('treats a network error as a failure and gives up after the last delay', async () => {
    t = await startSandbox({ webhookRetryDelaysMs: [1000, 2000] });
    const m = newMerchant();
    const url = await deadUrl();
    await register(url, m.sk);
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_bay' });
    await decide(charge.authorize_uri, { action: 'successful' });
    await t.sandbox.opn.flushWebhooks();
    // One advance walks through every retry at its own time.
    await t.sandbox.clock.advance(60 * MINUTE);
    const log = t.sandbox.opn.webhookDeliveries(m.sk);
    expect(log.map((d) => [d.attempt, d.status_code])).toEqual([
      [1, null],
      [2, null],
      [3, null],
    ]);
    expect(log[0].error).toBeTruthy();
    expect(Date.parse(log[2].attempted_at) - Date.parse(log[0].attempted_at)).toBeGreaterThanOrEqual(2000);
  });

  it('retries by default after 1 s, 5 s, 30 s and 2 min', async () => {
    t = await startSandbox();
    receiver = await startReceiver([500, 500, 500, 500, 500, 500]);
    const m = newMerchant();
    await register(receiver.url, m.sk);
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    await decide(charge.authorize_uri, { action: 'successful' });
    await receiver.waitFor(1);
    await t.sandbox.opn.flushWebhooks();
    const counts: number[] = [];
    for (const step of [1000, 5000, 30_000, 120_000, 10 * 60_000]) {
      await t.sandbox.clock.advance(step);
      counts.push(receiver.requests.length);
    }
    expect(counts).toEqual([2, 3, 4, 5, 5]);
  });
});

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
    expect((await call(t.url, '/events', { key: m.sk })).body.total).toBe(1);

    await call(t.url, '/_sandbox/scenario', { key: m.sk, json: {} });
    const next = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    await decide(next.authorize_uri, { action: 'successful' });
    await receiver.waitFor(1);
    expect(receiver.requests[0].json.data.id).toBe(next.id);
  });

  it('duplicate: every event arrives twice, byte for byte', async () => {
    t = await startSandbox();
    receiver = await startReceiver();
    const m = newMerchant();
    await register(receiver.url, m.sk);
    t.sandbox.opn.setScenario(m.sk, { webhooks: 'duplicate' });
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_bay' });
    await decide(charge.authorize_uri, { action: 'successful' });
    await receiver.waitFor(2);
    await t.sandbox.opn.flushWebhooks();
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[0].rawBody).toBe(receiver.requests[1].rawBody);
    expect(receiver.requests[0].json.key).toBe('charge.complete');
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
    expect(receiver.requests).toHaveLength(1);
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
    await receiver.waitFor(1, 3000);
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
