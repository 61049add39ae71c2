import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signOpnWebhook } from '@payment-checkout/core/signature';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type World, queryOf, raceTwoCompanions, startWorld } from './support/world.ts';

/** The security invariants of DESIGN.md, each proven against the real sandbox. */

let world: World;
beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

async function pending(method = 'mobile_banking_kbank', amount = 150_000, currency: 'THB' | 'SGD' = 'THB') {
  const orderId = world.order(amount, currency);
  const res = await world.createPayment(orderId, method);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  // Opn's charge.create for it, delivered (and re-fetched) before the test goes on.
  await world.flushWebhooks();
  return { orderId, res: res.body, payment: await world.paymentOf(res.body.paymentId) };
}

async function webhookSecret(): Promise<string> {
  const res = await world.opn('/_sandbox/opn/webhooks');
  return res.body.data[0].secret;
}

function event(chargeId: string, overrides: Record<string, unknown> = {}) {
  return {
    object: 'event',
    id: `evnt_test_${Math.random().toString(36).slice(2, 12)}`,
    livemode: false,
    key: 'charge.complete',
    created_at: new Date().toISOString(),
    data: { object: 'charge', id: chargeId, status: 'successful', paid: true, amount: 150_000, currency: 'thb' },
    ...overrides,
  };
}

async function postWebhook(body: string, headers: Record<string, string>) {
  return world.api('/webhooks/opn', { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
}

async function signed(body: string, secret?: string, timestamp = Math.floor(Date.now() / 1000)) {
  const key = secret ?? (await webhookSecret());
  return { 'omise-signature': signOpnWebhook(body, key, timestamp), 'omise-signature-timestamp': String(timestamp) };
}

describe('1. the amount comes from resolveOrder, never from the browser', () => {
  it('refuses a source created for another amount, currency or method, and stores and charges nothing', async () => {
    const orderId = world.order(150_000);
    const cases = [
      { type: 'mobile_banking_kbank', amount: 2_000, currency: 'THB' }, // cheaper than the order
      { type: 'kakaopay', amount: 150_000, currency: 'SGD' }, // other currency
      { type: 'mobile_banking_bay', amount: 150_000, currency: 'THB' }, // other method
    ];
    for (const source of cases) {
      const created = await world.opn('/sources', { key: world.keys.publicKey, json: source });
      const res = await world.createPayment(orderId, 'mobile_banking_kbank', { sourceId: created.body.id });
      expect(res.status, JSON.stringify(source)).toBe(422);
      expect(res.body.error.code).toBe('source_mismatch');
    }
    expect(await world.companion.checkout.store.listPaymentsForOrder(orderId)).toEqual([]);
    expect(await world.chargeCount()).toBe(0);
  });

  it('refuses an unknown source, and a source already charged', async () => {
    const orderId = world.order(150_000);
    const unknown = await world.createPayment(orderId, 'mobile_banking_kbank', { sourceId: 'src_test_doesnotexist' });
    expect([unknown.status, unknown.body.error.code]).toEqual([422, 'source_mismatch']);
    const source = await world.opn('/sources', { key: world.keys.publicKey, json: { type: 'mobile_banking_kbank', amount: 150_000, currency: 'THB' } });
    await world.opn('/charges', { json: { amount: 150_000, currency: 'THB', source: source.body.id, return_uri: 'https://elsewhere.example/r' } });
    const used = await world.createPayment(orderId, 'mobile_banking_kbank', { sourceId: source.body.id });
    expect([used.status, used.body.error.code]).toEqual([422, 'source_mismatch']);
    expect(await world.companion.checkout.store.listPaymentsForOrder(orderId)).toEqual([]);
  });

  it('does not even accept an amount field from the browser', async () => {
    const orderId = world.order(150_000);
    const res = await world.createPayment(orderId, 'mobile_banking_kbank', { amount: 2_000 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_request', issues: [expect.objectContaining({ message: expect.stringContaining('amount') })] });
    expect(await world.chargeCount()).toBe(0);
  });

  it('charges what resolveOrder answers at the time of the request', async () => {
    const orderId = world.order(150_000);
    world.orders.set(orderId, { amount: 99_900, currency: 'THB' });
    const res = await world.createPayment(orderId, 'mobile_banking_kbank');
    const charge = await world.opn(`/charges/${(await world.paymentOf(res.body.paymentId)).chargeId}`);
    expect(charge.body.amount).toBe(99_900);
  });
});

describe('2. secret keys never leave the server', () => {
  it('is absent from config responses, API answers, error bodies, pages and logs, through a whole payment', async () => {
    const orderId = world.order(150_000);
    const texts: string[] = [];
    const config = await world.api(`/checkout/config?orderId=${orderId}`);
    texts.push(config.text);
    expect(config.body.gateways.opn).toEqual({ publicKey: world.keys.publicKey, scriptUrl: `${world.sandboxUrl}/omise.js` });
    const created = await world.createPayment(orderId, 'mobile_banking_kbank');
    texts.push(JSON.stringify(created.body));
    const payment = await world.paymentOf(created.body.paymentId);
    texts.push((await world.api(`/checkout/payments/${payment.id}`)).text);
    texts.push((await world.visit(`${world.url}/checkout/return/${payment.id}?token=wrong`, { accept: 'text/html' })).text);
    texts.push((await world.createPayment('nope', 'mobile_banking_kbank')).body.error.message);
    await world.scenario({ failNext: { count: 1, status: 500 } });
    texts.push(JSON.stringify((await world.createPayment(world.order(150_000), 'mobile_banking_kbank')).body));
    texts.push(await world.authorize(created.body.next.url, 'successful'));
    await world.flushWebhooks();
    texts.push(JSON.stringify(world.logs));
    texts.push(JSON.stringify(Object.values(world.companion.checkout.gateways).map((g) => g.settings)));
    expect(world.logs.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).not.toContain(world.keys.secretKey);
    expect(texts.join('\n')).not.toMatch(/skey_test_/);
  });
});

describe('3. nothing is paid because a browser said so', () => {
  it('ignores a made-up status on the return URL', async () => {
    const { payment } = await pending();
    const back = await world.visit(`${world.url}/checkout/return/${payment.id}?token=${payment.returnToken}&status=successful&paid=true`);
    expect(back.status).toBe(302);
    expect(queryOf(back.location).status).toBe('pending');
    expect((await world.paymentOf(payment.id)).status).toBe('pending');
    expect(world.hooks.onPaid).toEqual([]);
    const events = await world.companion.checkout.store.listEvents(payment.id);
    expect(events.find((e) => e.type === 'shopper_returned')?.detail).toEqual({ ignoredParams: ['status', 'paid'] });
  });

  it('refuses a wrong, missing, repeated or borrowed token with 403, and changes nothing even for a paid charge', async () => {
    const { payment } = await pending();
    const other = await pending('mobile_banking_bay');
    await world.scenario({ webhooks: 'drop' });
    await world.complete(payment.chargeId!, 'successful');
    const before = await world.companion.checkout.store.listEvents(payment.id);
    const base = `${world.url}/checkout/return/${payment.id}`;
    for (const query of ['?token=wrong', '', '?token=', `?token=${other.payment.returnToken}`, `?token=${payment.returnToken}&token=${payment.returnToken}`, `?status=successful`]) {
      const res = await world.visit(`${base}${query}`);
      expect(res.status, query).toBe(403);
      expect(JSON.parse(res.text).error.code).toBe('invalid_token');
    }
    const page = await world.visit(`${base}?token=nope`, { accept: 'text/html,application/xhtml+xml' });
    expect(page.status).toBe(403);
    expect(page.text).toContain('This link is not valid or has expired.');
    expect((await world.paymentOf(payment.id)).status).toBe('pending');
    expect(await world.companion.checkout.store.listEvents(payment.id)).toEqual(before);
    expect(world.hooks.onPaid).toEqual([]);
  });

  it('answers 404 for return URLs of unknown or malformed payment ids', async () => {
    expect((await world.visit(`${world.url}/checkout/return/pay_00000000000000000000000000000000?token=x`)).status).toBe(404);
    expect((await world.visit(`${world.url}/checkout/return/..%2Fconfig?token=x`)).status).toBe(404);
  });

  it('does not mark a pending charge paid when a correctly signed webhook body says successful (re-fetch)', async () => {
    const { payment } = await pending();
    const body = JSON.stringify(event(payment.chargeId!));
    const res = await postWebhook(body, await signed(body));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: true, paymentId: payment.id, status: 'pending' });
    expect((await world.paymentOf(payment.id)).status).toBe('pending');
    expect(world.hooks.onPaid).toEqual([]);
  });

  it('does not trust a webhook body when no secret is configured either', async () => {
    await world.close();
    world = await startWorld({ sandboxMode: false });
    const { payment } = await pending();
    const res = await postWebhook(JSON.stringify(event(payment.chargeId!)), {});
    expect(res.body).toMatchObject({ received: true, status: 'pending' });
    expect((await world.paymentOf(payment.id)).status).toBe('pending');
    expect(world.logs.some((l) => l.level === 'warn' && /unsigned/.test(l.message))).toBe(true);
  });

  it('refuses forged, missing, stale and re-keyed signatures with 401 and changes nothing', async () => {
    const { payment } = await pending();
    await world.scenario({ webhooks: 'drop' });
    await world.complete(payment.chargeId!, 'successful');
    const body = JSON.stringify(event(payment.chargeId!));
    const received = async () => (await world.companion.checkout.store.listEvents(payment.id)).filter((e) => e.type === 'webhook_received').map((e) => e.detail?.key);
    expect(await received()).toEqual(['charge.create']);
    const now = Math.floor(Date.now() / 1000);
    const attempts: Record<string, string>[] = [
      {},
      { 'omise-signature': 'ab'.repeat(32), 'omise-signature-timestamp': String(now) },
      await signed(body, Buffer.from('not the secret at all').toString('base64')),
      await signed(body, undefined, now - 3600),
      { ...(await signed(body)), 'omise-signature-timestamp': String(now + 1) },
      { ...(await signed(body)), 'omise-signature-timestamp': 'soon' },
    ];
    for (const headers of attempts) {
      const res = await postWebhook(body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
    }
    // A body changed after signing.
    const good = await signed(body);
    expect((await postWebhook(body.replace('charge.complete', 'charge.create'), good)).status).toBe(401);
    expect((await world.paymentOf(payment.id)).status).toBe('pending');
    expect(await received()).toEqual(['charge.create']);
    // The genuine one still works (and re-fetches the paid charge).
    expect((await postWebhook(body, good)).body).toMatchObject({ status: 'succeeded' });
  });

  it('acknowledges and ignores events for unknown charges or other objects', async () => {
    const unknown = JSON.stringify(event('chrg_test_unknown123'));
    expect((await postWebhook(unknown, await signed(unknown))).body).toEqual({ received: true, ignored: 'unknown charge' });
    const customer = JSON.stringify(event('x', { key: 'customer.create', data: { object: 'customer', id: 'cust_test_1' } }));
    expect((await postWebhook(customer, await signed(customer))).body).toMatchObject({ received: true, ignored: expect.stringContaining('customer.create') });
  });

  it('refuses a signed webhook that is not JSON or not an event with 400', async () => {
    for (const body of ['{not json', JSON.stringify({ hello: 'world' })]) {
      const res = await postWebhook(body, await signed(body));
      expect(res.status).toBe(400);
      expect(['invalid_json', 'bad_request']).toContain(res.body.error.code);
    }
  });

  it('fires onPaid once for duplicated webhooks', async () => {
    await world.scenario({ webhooks: 'duplicate' });
    const { payment } = await pending('kakaopay', 20_000);
    await world.complete(payment.chargeId!, 'successful');
    await world.flushWebhooks();
    const deliveries = (await world.opn('/_sandbox/opn/webhook-deliveries')).body.data;
    // charge.create and charge.complete, each twice.
    expect(deliveries.map((d: { event_key: string; status_code: number }) => [d.event_key, d.status_code])).toEqual([
      ['charge.create', 200],
      ['charge.create', 200],
      ['charge.complete', 200],
      ['charge.complete', 200],
    ]);
    // And once more, replayed by hand.
    const replay = JSON.stringify(event(payment.chargeId!));
    await postWebhook(replay, await signed(replay));
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([payment.id]);
    expect((await world.companion.checkout.store.listEvents(payment.id)).filter((e) => e.type === 'status_changed' && e.toStatus === 'succeeded')).toHaveLength(1);
  });

  it('a replayed old event changes nothing once a payment is final, whatever its body says', async () => {
    // A paid payment: its own charge.complete, replayed byte for byte, and a forged "failed" body.
    const paid = await pending('mobile_banking_kbank');
    await world.complete(paid.payment.chargeId!, 'successful');
    await world.flushWebhooks();
    // A failed payment of another order: a replayed body claiming success.
    const failed = await pending('mobile_banking_bay');
    await world.complete(failed.payment.chargeId!, 'failed', 'insufficient_fund');
    await world.flushWebhooks();
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paid.payment.id]);
    expect(world.hooks.onFailed.map((p) => p.id)).toEqual([failed.payment.id]);

    const events = (await world.opn('/events')).body.data as { id: string; data: { id: string } }[];
    const original = events.find((e) => e.data.id === paid.payment.chargeId)!;
    const replays = [
      JSON.stringify((await world.opn(`/events/${original.id}`)).body),
      JSON.stringify(event(paid.payment.chargeId!, { data: { object: 'charge', id: paid.payment.chargeId, status: 'failed', failure_code: 'payment_rejected' } })),
      JSON.stringify(event(paid.payment.chargeId!, { key: 'charge.expire', data: { object: 'charge', id: paid.payment.chargeId, status: 'expired' } })),
      JSON.stringify(event(failed.payment.chargeId!)),
    ];
    for (const body of replays) {
      const res = await postWebhook(body, await signed(body));
      expect(res.status, body).toBe(200);
    }
    expect(await world.paymentOf(paid.payment.id)).toMatchObject({ status: 'succeeded', failureCode: null });
    expect(await world.paymentOf(failed.payment.id)).toMatchObject({ status: 'failed', failureCode: 'insufficient_fund' });
    expect((await world.api(`/checkout/payments/${paid.payment.id}`)).body.status).toBe('succeeded');
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paid.payment.id]);
    expect(world.hooks.onFailed.map((p) => p.id)).toEqual([failed.payment.id]);
    const changes = async (id: string) => (await world.companion.checkout.store.listEvents(id)).filter((e) => e.type === 'status_changed');
    expect((await changes(paid.payment.id)).map((e) => e.toStatus)).toEqual(['pending', 'succeeded']);
    expect((await changes(failed.payment.id)).map((e) => e.toStatus)).toEqual(['pending', 'failed']);
  });

  it('answers 502 to a webhook when the charge cannot be re-fetched, so the gateway retries', async () => {
    const { payment } = await pending();
    await world.scenario({ failNext: { count: 1, status: 503 }, webhooks: 'drop' });
    await world.complete(payment.chargeId!, 'successful');
    const body = JSON.stringify(event(payment.chargeId!));
    const first = await postWebhook(body, await signed(body));
    expect([first.status, first.body.error.code]).toEqual([502, 'gateway_error']);
    expect((await world.paymentOf(payment.id)).status).toBe('pending');
    expect((await postWebhook(body, await signed(body))).body.status).toBe('succeeded');
  });
});

describe('4. one order, one live charge', () => {
  it('five concurrent requests create one charge at the gateway', async () => {
    await world.scenario({ latencyMs: 100 });
    const orderId = world.order(150_000);
    const results = await Promise.all(Array.from({ length: 5 }, () => world.createPayment(orderId, 'mobile_banking_kbank')));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.paymentId)).size).toBe(1);
    expect(new Set(results.map((r) => r.body.next.url)).size).toBe(1);
    expect(results.filter((r) => r.body.reused)).toHaveLength(4);
    expect(await world.chargeCount()).toBe(1);
    expect(await world.companion.checkout.store.listPaymentsForOrder(orderId)).toHaveLength(1);
  });

  it('a repeated request (double click, refresh) returns the same pending payment', async () => {
    const { orderId, res } = await pending();
    const again = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...res, reused: true });
    expect(await world.chargeCount()).toBe(1);
  });

  it('two companions on one database (two processes) still create one charge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkout-two-'));
    try {
      await raceTwoCompanions(world, join(dir, 'shared.db'), async (statuses) => {
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        expect(statuses.every((s) => [200, 201, 409].includes(s))).toBe(true);
        expect(await world.chargeCount()).toBe(1);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('switching from KMA to another method expires the KMA charge at the gateway', async () => {
    const { orderId, payment: kma } = await pending('mobile_banking_bay');
    const switched = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect(switched.status).toBe(201);
    expect(switched.body.paymentId).not.toBe(kma.id);
    expect((await world.opn(`/charges/${kma.chargeId}`)).body).toMatchObject({ status: 'expired', expired: true });
    expect(await world.paymentOf(kma.id)).toMatchObject({ status: 'expired', supersededBy: switched.body.paymentId });
    await world.flushWebhooks();
    // The shopper moved on: that is not a failed order.
    expect(world.hooks.onFailed).toEqual([]);
    expect(await world.chargeCount()).toBe(2);
  });

  it('switching away from K PLUS leaves its charge to expire, and switching back reuses it', async () => {
    const { orderId, payment: kplus, res } = await pending('mobile_banking_kbank');
    const kakao = await world.createPayment(orderId, 'kakaopay');
    expect(kakao.status).toBe(201);
    expect((await world.opn(`/charges/${kplus.chargeId}`)).body.status).toBe('pending');
    expect(await world.paymentOf(kplus.id)).toMatchObject({ status: 'pending', supersededBy: kakao.body.paymentId });

    const back = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect(back.body).toEqual({ ...res, reused: true });
    expect((await world.paymentOf(kplus.id)).supersededBy).toBeNull();
    expect((await world.paymentOf(kakao.body.paymentId)).supersededBy).toBe(kplus.id);
    expect(await world.chargeCount()).toBe(2);
  });

  it('pays an order once when two of its payments succeed; the second is reported as needing a refund', async () => {
    const { orderId, payment: kplus } = await pending('mobile_banking_kbank');
    const kakao = await world.createPayment(orderId, 'kakaopay');
    await world.complete(await chargeOf(kakao.body.paymentId), 'successful');
    await world.flushWebhooks();
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([kakao.body.paymentId]);

    // The shopper also paid the abandoned K PLUS charge in the bank app.
    await world.complete(kplus.chargeId!, 'successful');
    await world.flushWebhooks();
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([kakao.body.paymentId]);
    expect(world.hooks.onNeedsRefund.map((p) => [p.id, p.needsRefund, p.amount])).toEqual([[kplus.id, true, 150_000]]);
    expect(await world.paymentOf(kplus.id)).toMatchObject({ status: 'succeeded', needsRefund: true });

    const again = await world.createPayment(orderId, 'mobile_banking_bay');
    expect([again.status, again.body.error.code]).toEqual([409, 'payment_final']);
  });

  it('a late failure or expiry of an older charge never unpays an order another charge paid', async () => {
    // 1. The abandoned K PLUS charge fails in the bank app after KakaoPay paid the order.
    const first = await pending('mobile_banking_kbank');
    const kakao = await world.createPayment(first.orderId, 'kakaopay');
    await world.complete(await chargeOf(kakao.body.paymentId), 'successful');
    await world.flushWebhooks();
    await world.complete(first.payment.chargeId!, 'failed', 'payment_rejected');
    await world.flushWebhooks();
    expect(await world.paymentOf(first.payment.id)).toMatchObject({ status: 'failed', failureCode: 'payment_rejected' });

    // 2. The shopper went back to K PLUS (it is the order's current payment again), but the KakaoPay charge
    //    was paid in the wallet app meanwhile; then the K PLUS charge expires on the gateway's clock.
    const second = await pending('mobile_banking_kbank');
    const wallet = await world.createPayment(second.orderId, 'kakaopay');
    expect((await world.createPayment(second.orderId, 'mobile_banking_kbank')).body).toMatchObject({ paymentId: second.payment.id, reused: true });
    expect((await world.paymentOf(second.payment.id)).supersededBy).toBeNull();
    await world.complete(await chargeOf(wallet.body.paymentId), 'successful');
    await world.flushWebhooks();
    await world.sandbox.clock.advance(10 * 60_000 + 1_000);
    await world.flushWebhooks();
    expect((await world.paymentOf(second.payment.id)).status).toBe('expired');

    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([kakao.body.paymentId, wallet.body.paymentId]);
    expect(world.hooks.onFailed).toEqual([]);
    for (const [orderId, paidBy] of [[first.orderId, kakao.body.paymentId], [second.orderId, wallet.body.paymentId]]) {
      expect((await world.paymentOf(paidBy)).status).toBe('succeeded');
      expect((await world.api(`/checkout/payments/${paidBy}`)).body.status).toBe('succeeded');
      const again = await world.createPayment(orderId, 'mobile_banking_bay');
      expect([again.status, again.body.error.code]).toEqual([409, 'payment_final']);
    }
  });

  it('ends the order’s other KMA charge once the order is paid', async () => {
    const { orderId, payment: kplus } = await pending('mobile_banking_kbank');
    const kma = await world.createPayment(orderId, 'mobile_banking_bay');
    await world.complete(kplus.chargeId!, 'successful');
    await world.flushWebhooks();
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([kplus.id]);
    expect((await world.opn(`/charges/${await chargeOf(kma.body.paymentId)}`)).body.status).toBe('expired');
    expect((await world.paymentOf(kma.body.paymentId)).status).toBe('expired');
    expect(world.hooks.onFailed).toEqual([]);
  });

  it('refuses a new payment for a paid order with 409 payment_final', async () => {
    const { orderId, res } = await pending('mobile_banking_bay');
    await world.visit(await world.authorize(res.next.url, 'successful'));
    for (const method of ['mobile_banking_bay', 'kakaopay']) {
      const again = await world.createPayment(orderId, method);
      expect([again.status, again.body.error.code]).toEqual([409, 'payment_final']);
    }
    expect(await world.chargeCount()).toBe(1);
  });

  it('starts a new payment after a failed one', async () => {
    const { orderId, res, payment } = await pending('mobile_banking_bay');
    await world.visit(await world.authorize(res.next.url, 'failed', 'payment_rejected'));
    const retry = await world.createPayment(orderId, 'mobile_banking_bay');
    expect(retry.status).toBe(201);
    expect(retry.body.paymentId).not.toBe(payment.id);
  });
});

async function chargeOf(paymentId: string): Promise<string> {
  return (await world.paymentOf(paymentId)).chargeId!;
}
