import { verifyOpnWebhook } from '@payment-checkout/core/signature';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, MINUTE, type ReceivedRequest, type Receiver, call, deadUrl, newMerchant, startReceiver, startSandbox } from '../../test/test-kit.ts';
import { createCharge, decide, registerWebhook } from '../../test/opn-kit.ts';

let t: Harness;
let receiver: Receiver | undefined;
afterEach(async () => {
  await t.close();
  await receiver?.close();
  receiver = undefined;
});

const register = (url: string, sk: string) => registerWebhook(t.url, url, sk);

/** What a receiver verifies of a delivery: its bytes and Opn's two signature headers. */
const signatureOf = (request: ReceivedRequest) => ({
  rawBody: request.rawBody,
  signatureHeader: request.headers['omise-signature'] as string,
  timestampHeader: request.headers['omise-signature-timestamp'] as string,
});

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

    const [created, request] = await receiver.waitFor(2);
    expect(created.json).toMatchObject({ key: 'charge.create', data: { id: charge.id } });
    expect(request.headers['content-type']).toContain('application/json');
    expect(request.json).toMatchObject({
      object: 'event',
      livemode: false,
      key: 'charge.complete',
      data: { object: 'charge', id: charge.id, status: 'successful', paid: true },
    });
    expect(request.json.id).toMatch(/^evnt_test_[0-9a-z]{19}$/);

    const signed = signatureOf(request);
    expect(signed.signatureHeader).toMatch(/^[0-9a-f]{64}$/);
    expect(Math.abs(Number(signed.timestampHeader) - Date.now() / 1000)).toBeLessThan(5);
    expect(verifyOpnWebhook({ ...signed, secretBase64: secret })).toEqual({ ok: true });
    expect(verifyOpnWebhook({ ...signed, secretBase64: Buffer.alloc(32, 1).toString('base64') }).ok).toBe(false);
    expect(verifyOpnWebhook({ ...signed, rawBody: signed.rawBody.replace('"successful"', '"failed"'), secretBase64: secret }).ok).toBe(false);

    // The event is stored and readable as delivered.
    const stored = await call(t.url, `/events/${request.json.id}`, { key: m.sk });
    expect(stored.body).toEqual(request.json);
    const events = await call(t.url, '/events', { key: m.sk });
    expect(events.body).toMatchObject({ object: 'list', total: 2, location: '/events' });
  });

  it('sends charge.create, signed, for each new charge with the charge as created, before any charge.complete of it', async () => {
    t = await startSandbox();
    receiver = await startReceiver();
    const m = newMerchant();
    const { secret } = await register(receiver.url, m.sk);
    const kplus = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    // Emitted as the charge is made, before the create answers.
    expect(t.sandbox.opn.events(m.sk).map((e) => [e.key, e.data.id])).toEqual([['charge.create', kplus.id]]);
    const kakao = await createCharge(t.url, m, { type: 'kakaopay', currency: 'SGD' });
    await decide(kplus.authorize_uri, { action: 'successful' });
    await decide(kakao.authorize_uri, { action: 'failed', failure_code: 'insufficient_fund' });
    await receiver.waitFor(4);
    await t.sandbox.opn.flushWebhooks();

    expect(receiver.requests.map((r) => [r.json.key, r.json.data.id])).toEqual([
      ['charge.create', kplus.id],
      ['charge.create', kakao.id],
      ['charge.complete', kplus.id],
      ['charge.complete', kakao.id],
    ]);
    for (const [request, charge] of [[receiver.requests[0], kplus], [receiver.requests[1], kakao]] as const) {
      expect(verifyOpnWebhook({ ...signatureOf(request), secretBase64: secret })).toEqual({ ok: true });
      // The charge as the create answered it: pending, not yet paid.
      expect(request.json.data).toEqual(charge);
      expect(request.json.data).toMatchObject({ status: 'pending', paid: false, authorized: false, failure_code: null });
    }

    // Stored in the order it happened: each charge.create before the charge's charge.complete.
    const stored = t.sandbox.opn.events(m.sk).map((e) => [e.key, e.data.id]);
    for (const charge of [kplus, kakao]) {
      expect(stored.findIndex((e) => e[0] === 'charge.create' && e[1] === charge.id)).toBeLessThan(
        stored.findIndex((e) => e[0] === 'charge.complete' && e[1] === charge.id),
      );
    }
    const attempts = t.sandbox.opn.webhookDeliveries(m.sk);
    expect(attempts.map((d) => [d.event_key, d.attempt, d.status_code]).sort()).toEqual([
      ['charge.complete', 1, 200],
      ['charge.complete', 1, 200],
      ['charge.create', 1, 200],
      ['charge.create', 1, 200],
    ]);
  });

  it('signs with wall-clock seconds even when the sandbox clock is ahead, so receivers can check freshness', async () => {
    t = await startSandbox();
    receiver = await startReceiver();
    const m = newMerchant();
    const { secret } = await register(receiver.url, m.sk);
    await t.sandbox.clock.advance(3 * 60 * MINUTE);
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_bay' });
    await decide(charge.authorize_uri, { action: 'failed', failure_code: 'payment_rejected' });
    const [created, completed] = await receiver.waitFor(2);
    expect(created.json).toMatchObject({ key: 'charge.create', data: { status: 'pending' } });
    expect(completed.json).toMatchObject({ key: 'charge.complete', data: { status: 'failed', failure_code: 'payment_rejected' } });
    for (const request of [created, completed]) {
      expect(verifyOpnWebhook({ ...signatureOf(request), secretBase64: secret })).toEqual({ ok: true });
    }
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
      for (const endpoint of [receiver, second]) {
        expect(endpoint.requests.map((r) => [r.json.key, r.json.data.id])).toEqual([
          ['charge.create', charge.id],
          ['charge.complete', charge.id],
        ]);
      }
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
    expect(receiver.requests.map((r) => [r.json.key, r.json.data.status])).toEqual([
      ['charge.create', 'pending'],
      ['charge.complete', 'expired'],
    ]);
    expect(receiver.requests[1].json.data).toMatchObject({ id: charge.id, failure_code: 'payment_expired' });

    const kakao = await createCharge(t.url, m, { type: 'kakaopay', currency: 'SGD' });
    await decide(kakao.authorize_uri, { action: 'successful' });
    await call(t.url, `/charges/${kakao.id}/refunds`, { key: m.sk, json: { amount: 1000 } });
    await receiver.waitFor(5);
    expect(receiver.requests.slice(2).map((r) => [r.json.key, r.json.data.id])).toEqual([
      ['charge.create', kakao.id],
      ['charge.complete', kakao.id],
      ['refund.create', expect.stringMatching(/^rfnd_test_/)],
    ]);
    expect(receiver.requests[4].json).toMatchObject({ key: 'refund.create', data: { object: 'refund', charge: kakao.id, amount: 1000 } });
  });
});

describe('retries on the sandbox clock', () => {
  it('retries a failed attempt after each configured delay, then stops at the first 2xx', async () => {
    // Minutes apart, so that the real milliseconds a test takes cannot blur the edges.
    t = await startSandbox({ webhookRetryDelaysMs: [MINUTE, 5 * MINUTE, 30 * MINUTE] });
    // charge.create is answered 200; then charge.complete fails twice.
    receiver = await startReceiver([200, 500, 503]);
    const m = newMerchant();
    await register(receiver.url, m.sk);
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_bay' });
    await receiver.waitFor(1);
    await decide(charge.authorize_uri, { action: 'successful' });
    await receiver.waitFor(2);
    await t.sandbox.opn.flushWebhooks();
    const completes = () => receiver!.requests.filter((r) => r.json.key === 'charge.complete');

    await t.sandbox.clock.advance(MINUTE - 1000);
    expect(completes()).toHaveLength(1);
    await t.sandbox.clock.advance(1000);
    expect(completes()).toHaveLength(2);
    await t.sandbox.clock.advance(5 * MINUTE - 1000);
    expect(completes()).toHaveLength(2);
    await t.sandbox.clock.advance(1000);
    expect(completes()).toHaveLength(3);
    await t.sandbox.clock.advance(120 * MINUTE);
    expect(receiver.requests).toHaveLength(4);

    const ids = new Set(completes().map((r) => r.json.id));
    expect(ids.size).toBe(1);
    expect(new Set(completes().map((r) => r.rawBody)).size).toBe(1);

    const log = await call(t.url, '/_sandbox/opn/webhook-deliveries', { key: m.sk });
    expect(log.body.data.map((d: { event_key: string; attempt: number; status_code: number }) => [d.event_key, d.attempt, d.status_code])).toEqual([
      ['charge.create', 1, 200],
      ['charge.complete', 1, 500],
      ['charge.complete', 2, 503],
      ['charge.complete', 3, 200],
    ]);
    expect(log.body.data[1]).toMatchObject({ object: 'webhook_delivery', event_key: 'charge.complete', url: receiver.url, event_id: [...ids][0] });
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
    const all = t.sandbox.opn.webhookDeliveries(m.sk);
    expect(all).toHaveLength(6);
    // charge.create and charge.complete are each tried three times.
    for (const key of ['charge.create', 'charge.complete']) {
      const log = all.filter((d) => d.event_key === key);
      expect(log.map((d) => [d.attempt, d.status_code])).toEqual([
        [1, null],
        [2, null],
        [3, null],
      ]);
      expect(log[0].error).toBeTruthy();
      expect(Date.parse(log[2].attempted_at) - Date.parse(log[0].attempted_at)).toBeGreaterThanOrEqual(2000);
    }
  });

  it('retries by default after 1 s, 5 s, 30 s and 2 min', async () => {
    t = await startSandbox();
    // charge.create is answered 200; then charge.complete fails every time.
    receiver = await startReceiver([200, 500, 500, 500, 500, 500, 500]);
    const m = newMerchant();
    await register(receiver.url, m.sk);
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    await receiver.waitFor(1);
    await decide(charge.authorize_uri, { action: 'successful' });
    await receiver.waitFor(2);
    await t.sandbox.opn.flushWebhooks();
    const counts: number[] = [];
    for (const step of [1000, 5000, 30_000, 120_000, 10 * 60_000]) {
      await t.sandbox.clock.advance(step);
      counts.push(receiver.requests.filter((r) => r.json.key === 'charge.complete').length);
    }
    expect(counts).toEqual([2, 3, 4, 5, 5]);
    expect(receiver.requests.filter((r) => r.json.key === 'charge.create')).toHaveLength(1);
  });
});
