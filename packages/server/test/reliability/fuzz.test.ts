import fc from 'fast-check';
import { kpaymentChecksum, signOpnWebhook } from '@payment-checkout/core/signature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sized } from '../support/soak.ts';
import { type World, startWorld } from '../support/world.ts';

/**
 * Property-based inputs for the companion's public endpoints (issue 12, "Fuzz"): whatever a browser or a forger
 * sends, the answer is a 4xx with an error code (never a 5xx, never a crash), and nothing is stored or charged. A
 * bounded number of runs in `npm test` (60 per property); `npm run soak` runs 5,000 (`FUZZ_RUNS` sets another).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? sized(60, 5_000));
/** Each property's time limit: a few milliseconds a request, a handful of requests a run. */
const LIMIT = { timeout: 20_000 + RUNS * 30 };

const OPERATOR = { name: 'ops-fuzz', token: 'f'.repeat(43) };

let world: World;
let orderId: string;
beforeAll(async () => {
  // Both gateways and saved cards, so that K-Payment's notify and browser routes are the real ones (not refusals of
  // what is not configured).
  world = await startWorld({
    kpayment: { registrationResultUrl: 'https://shop.example/cards?registration={registrationId}' },
    // A shopper for the shop's own orders only, as a shop's session would (any other order id has none: a card
    // registration for it is refused, as the routes' property expects; found by the soak's fuzzing, seed 49587561).
    checkout: { operations: { tokens: [OPERATOR] }, resolveCustomer: (id) => (world.orders.has(id) ? { id: 'shopper-fuzz', email: 'fuzz@example.com', name: 'Fuzz Shopper' } : null) },
  });
  orderId = world.order(150_000);
  webhookSecret = (await world.opn<{ data: { secret: string }[] }>('/_sandbox/opn/webhooks')).body.data[0].secret;
});
afterAll(async () => {
  // Nor in anything the companion logged meanwhile, refusals included.
  const logged = JSON.stringify(world.logs);
  for (const secret of secrets()) expect(logged.includes(secret), 'the logs hold a secret').toBe(false);
  await world.close();
});

/** The secrets no byte a browser can get may hold: the gateways' secret key, the Opn webhook secret, the operations token. */
let webhookSecret: string;
const secrets = () => [world.keys.secretKey, webhookSecret, OPERATOR.token];

/** A companion call whose every answer (headers, body, redirect) is also checked for the secrets (issue 12, "Secrets"). */
async function api<T = any>(path: string, init?: Parameters<World['api']>[1]) {
  const res = await world.api<T>(path, init);
  const bytes = `${[...res.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${res.text}`;
  for (const secret of secrets()) expect(bytes.includes(secret), `the answer to ${path} holds a secret`).toBe(false);
  return res;
}

/** Anything JSON can carry, and the fields our endpoints read, with values of every type. */
const json = fc.jsonValue({ maxDepth: 3 });
const fieldValue = fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), json);
const wrongOrderId = fc.oneof(fc.string({ maxLength: 100 }), fieldValue).filter((v) => v !== orderId);
/** A path segment ("." and ".." are not ids: the URL itself drops them, and the request is for another path). */
const segment = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/^\.{1,2}$/.test(s));
/** A gateway charge id as both gateways write them (`chrg_…`): past the routes' shape checks, unknown to the gateway. */
const chargeIdLike = fc.stringMatching(/^chrg_test_[a-z0-9]{1,24}$/);
const method = fc.oneof(fc.constantFrom('mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay', 'card', 'thai_qr', 'nope', ''), fieldValue);

/** What the companion holds and the sandbox charged: a refused request changes neither. */
async function snapshot(): Promise<string> {
  const payments = await world.companion.checkout.store.listPaymentsForOrder(orderId);
  return JSON.stringify([payments.length, await world.chargeCount()]);
}

/** A refusal: a 4xx whose JSON body names an error code. */
function expectRefused(res: { status: number; body: unknown; text: string }, what: string): void {
  expect(res.status, `${what} → ${res.status} ${res.text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${what} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
  expect((res.body as { error?: { code?: unknown } }).error?.code, what).toEqual(expect.any(String));
}

describe('fuzzing the companion (bounded)', () => {
  it('POST /checkout/payments: any body, of any shape, for no order of ours, is refused and changes nothing', LIMIT, async () => {
    const before = await snapshot();
    const body = fc.oneof(
      json,
      fc.record({ orderId: wrongOrderId, method, sourceId: fc.option(fieldValue), platform: fc.option(fieldValue), installments: fc.option(fieldValue) }, { requiredKeys: [] }),
      // Our order, with a method, or extra fields, of the wrong kind.
      fc.record({ orderId: fc.constant(orderId), method: fieldValue.filter((m) => typeof m !== 'string' || !/^(mobile_banking_|kakaopay)/.test(m)) }),
      fc.record({ orderId: fc.constant(orderId), method: fc.constant('mobile_banking_kbank'), sourceId: fieldValue, extra: fieldValue }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (sent) => {
        const res = await api('/checkout/payments', { body: JSON.stringify(sent), headers: { 'content-type': 'application/json' } });
        expectRefused(res, JSON.stringify(sent));
      }),
      { numRuns: RUNS },
    );
    // Bodies that are not JSON at all.
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const res = await api('/checkout/payments', { body: text, headers: { 'content-type': 'application/json' } });
        if (res.status < 400) expect(() => JSON.parse(text), text).not.toThrow(); // text that happens to be a valid body
        else expectRefused(res, text);
      }),
      { numRuns: RUNS },
    );
    expect(await snapshot()).toBe(before);
  });

  it('GET /checkout/config, /checkout/payments/:id and /checkout/texts: any query or id is answered or refused, never a 5xx', LIMIT, async () => {
    const text = fc.string({ maxLength: 120 });
    const id = text.filter((s) => !/^\.{1,2}$/.test(s));
    await fc.assert(
      fc.asyncProperty(text, id, text, async (order, payment, locale) => {
        const config = await api(`/checkout/config?orderId=${encodeURIComponent(order)}`);
        if (config.status !== 200) expectRefused(config, `config ${order}`);
        const view = await api(`/checkout/payments/${encodeURIComponent(payment) || 'x'}`);
        if (view.status !== 200) expectRefused(view, `payment ${payment}`);
        const texts = await api(`/checkout/texts?locale=${encodeURIComponent(locale)}`);
        if (texts.status !== 200) expectRefused(texts, `texts ${locale}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('webhooks and notifies: any body, signed or not, is refused (or ignored) with a 4xx or a 2xx, never a 5xx, and pays nothing', LIMIT, async () => {
    // A live K PLUS payment whose charge the signed bodies name among others: only the re-fetch may change it.
    const live = await world.paymentOf((await world.createPayment(world.order(150_000), 'mobile_banking_kbank')).body.paymentId);
    const everything = async () => JSON.stringify([await snapshot(), (await world.paymentOf(live.id)).status, world.hooks]);
    const before = await everything();
    const forged = fc.oneof(
      json,
      fc.record({ key: fieldValue, object: fc.constantFrom('event', 'charge'), data: fc.oneof(json, fc.record({ id: fieldValue, object: fc.constant('charge'), status: fieldValue })) }),
      fc.record({ id: fieldValue, object: fc.constant('charge'), order_id: fieldValue, status: fieldValue, checksum: fieldValue, amount: fieldValue }),
    );
    const unsigned = fc.record({ path: fc.constantFrom('/webhooks/opn', '/webhooks/kpayment'), body: forged.map((b) => JSON.stringify(b)), headers: fc.constant({}) });
    // Past the signature: events of any shape signed with the merchant's webhook secret, as only Opn can sign them.
    // Mostly a well-formed envelope (so the charge is looked up and re-fetched), with anything inside it.
    const chargeId = fc.oneof(fc.constant(live.chargeId!), chargeIdLike, fc.string({ maxLength: 30 }));
    const often = <T, U>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<U>) => fc.oneof({ arbitrary: usual, weight: 4 }, { arbitrary: odd, weight: 1 });
    const event = fc.record({
      object: often(fc.constant('event'), fieldValue),
      id: often(fc.stringMatching(/^evnt_test_[a-z0-9]{1,20}$/), fieldValue),
      livemode: often(fc.boolean(), fieldValue),
      key: fc.oneof(fc.constantFrom('charge.complete', 'charge.create', 'charge.update', 'refund.create', 'charge.expire'), fc.string({ maxLength: 20 })),
      created_at: often(fc.constant(new Date().toISOString()), fieldValue),
      data: often(
        fc.record(
          {
            object: fc.oneof(fc.constantFrom('charge', 'refund', 'source'), fc.string({ maxLength: 10 })),
            id: chargeId,
            charge: chargeId,
            status: fc.oneof(fc.constantFrom('successful', 'failed', 'expired', 'pending', 'reversed'), fieldValue),
            amount: fieldValue,
            paid: fieldValue,
            metadata: fc.oneof(fieldValue, fc.record({ payment_id: fc.oneof(fc.constant(live.id), fieldValue) })),
          },
          { requiredKeys: ['object', 'id'] },
        ),
        json,
      ),
    });
    const signed = event.map((e) => {
      const body = JSON.stringify(e);
      const timestamp = Math.floor(Date.now() / 1000);
      return { path: '/webhooks/opn', body, headers: { 'omise-signature': signOpnWebhook(body, webhookSecret, timestamp), 'omise-signature-timestamp': String(timestamp) } };
    });
    // Past the checksum: notifies of any values whose checksum holds for the merchant's secret key.
    const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('success', 'fail', 'Authorized', 'Voided', 'THB'));
    const notify = fc
      .record({
        id: fc.oneof(fc.string({ maxLength: 40 }), chargeIdLike),
        amount: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 12 })),
        currency: text,
        status: text,
        transaction_state: text,
        object: fc.oneof(fc.constant('charge'), fieldValue),
        reference_order: fieldValue,
        source: fieldValue,
      })
      .map((n) => ({ path: '/webhooks/kpayment', body: JSON.stringify({ ...n, checksum: kpaymentChecksum(n, world.keys.secretKey) }), headers: {} }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(unsigned, signed, notify), async ({ path, body, headers }) => {
        const res = await api(path, { body, headers: { 'content-type': 'application/json', ...headers } });
        expect(res.status, `${path} ${body} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
    await world.flushWebhooks();
    expect(await everything()).toBe(before);
  });

  it('the operations API: any token, query, payment id, operation or body is answered or refused, never a 5xx', LIMIT, async () => {
    // A live payment of ours, for the operations to be tried on with bodies of every shape.
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    const paymentId = created.body.paymentId as string;
    const auth = { authorization: `Bearer ${OPERATOR.token}` };
    const call = (path: string, init: { method?: string; body?: string; headers?: Record<string, string> }) => api(`/operations${path}`, init);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 80 }), fc.constant(`Bearer ${OPERATOR.token.slice(1)}`), fc.constant('Basic Zm9vOmJhcg==')),
        fc.dictionary(fc.oneof(fc.constantFrom('status', 'method', 'orderId', 'from', 'to', 'limit', 'cursor', 'gateway'), fc.string({ maxLength: 12 })), fc.string({ maxLength: 30 })),
        fc.oneof(segment, fc.constant(paymentId)),
        fc.oneof(fc.constantFrom('refund', 'void', 'capture', 'settle', 'expire', 'check'), segment),
        fc.oneof(json, fc.record({ amount: fieldValue, reason: fieldValue }, { requiredKeys: [] })),
        async (authorization, query, id, operation, body) => {
          const unauthorized = await call('/payments', { headers: { authorization } });
          expectRefused(unauthorized, `token ${authorization}`);
          const list = await call(`/payments?${new URLSearchParams(query)}`, { headers: auth });
          if (list.status !== 200) expectRefused(list, `list ${JSON.stringify(query)}`);
          const one = await call(`/payments/${encodeURIComponent(id)}`, { headers: auth });
          if (one.status !== 200) expectRefused(one, `payment ${id}`);
          const operated = await call(`/payments/${encodeURIComponent(id)}/${encodeURIComponent(operation)}`, {
            method: 'POST',
            body: JSON.stringify(body),
            headers: { ...auth, 'content-type': 'application/json' },
          });
          if (operated.status >= 300) expectRefused(operated, `${operation} ${id} ${JSON.stringify(body)}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("the shopper's browser routes (the return, K-Payment's form posts, callback and card registrations): without the payment's token nothing is accepted, nothing changes, never a 5xx", LIMIT, async () => {
    // Live payments of each kind the routes act on: their ids are tried with tokens that are not theirs.
    const live = await Promise.all(
      ['mobile_banking_kbank', 'card', 'thai_qr'].map(async (m) => world.paymentOf((await world.createPayment(world.order(150_000), m)).body.paymentId)),
    );
    // A card registration started, whose form is tried with tokens that are not its own.
    const registration = await api('/checkout/kpayment/registrations', { json: { orderId: world.order(150_000) } });
    expect(registration.status).toBe(201);
    const registrationId = registration.body.registrationId as string;
    const tokens = new Set([...live.map((p) => p.returnToken), new URL(registration.body.next.formAction).searchParams.get('token')]);
    const everything = async () => {
      const payments = await Promise.all(live.map((p) => world.paymentOf(p.id)));
      const events = await Promise.all(live.map((p) => world.companion.checkout.store.listEvents(p.id)));
      const card = (await api(`/checkout/kpayment/registrations/${registrationId}`)).body;
      return JSON.stringify({ payments: payments.map((p) => [p.status, p.chargeId, p.authorizeUri]), events: events.map((e) => e.length), card, charges: await world.chargeCount(), hooks: world.hooks });
    };
    const before = await everything();

    const id = fc.oneof(segment, fc.constantFrom(...live.map((p) => p.id)));
    const token = fc.option(fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom(...live.map((p) => `${p.returnToken.slice(0, -1)}x`))), { nil: undefined }).filter((t) => t === undefined || !tokens.has(t));
    // The fields these routes read, in any case, with values of every kind (K-Payment's charge ids among them).
    const name = fc.oneof(fc.constantFrom('chargeId', 'CHARGEID', 'objectId', 'objectid', 'status', 'saveCard', 'token', 'paymentMethods', 'mid', 'smartpayId', 'term', 'dcc_currency', 'orderId'), fc.string({ maxLength: 12 }));
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('chrg_test_0000000000000000000000', 'tokn_test_000', 'true', 'success', 'Authorized', ''));
    const fields = fc.oneof(
      fc.dictionary(name, value, { maxKeys: 6 }),
      // Shaped as the script's and the bank's posts are, so that the checks past the form's shape are reached.
      fc.record({ chargeId: chargeIdLike }),
      fc.record({ objectId: chargeIdLike, status: value, saveCard: value }, { requiredKeys: ['objectId'] }),
      fc.record({ token: fc.constantFrom('tokn_test_000', 'tokn_test_fuzz'), paymentMethods: fc.constantFrom('card', 'qr'), mid: fc.constantFrom('401000000000001', '') }),
    );
    const contentType = fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', undefined);
    const accept = fc.constantFrom('text/html', 'application/json', '*/*');
    const withToken = (path: string, t: string | undefined) => (t === undefined ? path : `${path}?token=${encodeURIComponent(t)}`);
    const route = fc.oneof(
      fc.record({ method: fc.constant('GET'), path: fc.tuple(id, token).map(([i, t]) => withToken(`/checkout/return/${encodeURIComponent(i)}`, t)) }),
      fc.record({ method: fc.constant('POST'), path: fc.tuple(id, token).map(([i, t]) => withToken(`/checkout/kpayment/token/${encodeURIComponent(i)}`, t)) }),
      fc.record({ method: fc.constant('POST'), path: fc.tuple(id, token).map(([i, t]) => withToken(`/checkout/kpayment/qr/${encodeURIComponent(i)}`, t)) }),
      fc.record({ method: fc.constantFrom('GET', 'POST'), path: fc.constant('/checkout/kpayment/callback') }),
      fc.record({ method: fc.constant('POST'), path: fc.constant('/checkout/kpayment/registrations') }),
      // (A registration's status is read by its id alone, as a payment's is: only unknown ids here.)
      fc.record({ method: fc.constant('GET'), path: segment.map((i) => `/checkout/kpayment/registrations/${encodeURIComponent(i)}`) }),
      fc.record({ method: fc.constant('POST'), path: fc.tuple(fc.oneof(segment, fc.constant(registrationId)), token).map(([i, t]) => withToken(`/checkout/kpayment/registrations/${encodeURIComponent(i)}/token`, t)) }),
    );
    await fc.assert(
      fc.asyncProperty(route, fields, contentType, accept, async ({ method, path }, sent, type, acceptType) => {
        const form = new URLSearchParams(sent).toString();
        const query = method === 'GET' && path.endsWith('/callback') ? `?${form}` : '';
        const body = method === 'GET' ? undefined : type === 'application/json' ? JSON.stringify(sent) : form;
        const res = await api(`${path}${query}`, { method, body, headers: { accept: acceptType, ...(type && body !== undefined ? { 'content-type': type } : {}) } });
        const what = `${method} ${path}${query} ${type ?? ''} ${body ?? ''} (accept ${acceptType}) → ${res.status} ${res.text.slice(0, 200)}`;
        // A page for a browser that asked for one, a JSON error otherwise: a refusal either way.
        expect(res.status, what).toBeGreaterThanOrEqual(400);
        expect(res.status, what).toBeLessThan(500);
        if (res.headers.get('content-type')?.includes('text/html')) expect(res.text, what).toContain('</html>');
        else expectRefused(res, what);
      }),
      { numRuns: RUNS },
    );
    expect(await everything()).toBe(before);
  });
});
