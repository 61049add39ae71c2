import fc from 'fast-check';
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
  world = await startWorld({ checkout: { operations: { tokens: [OPERATOR] } } });
  orderId = world.order(150_000);
});
afterAll(async () => {
  await world.close();
});

/** Anything JSON can carry, and the fields our endpoints read, with values of every type. */
const json = fc.jsonValue({ maxDepth: 3 });
const fieldValue = fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), json);
const wrongOrderId = fc.oneof(fc.string({ maxLength: 100 }), fieldValue).filter((v) => v !== orderId);
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
        const res = await world.api('/checkout/payments', { body: JSON.stringify(sent), headers: { 'content-type': 'application/json' } });
        expectRefused(res, JSON.stringify(sent));
      }),
      { numRuns: RUNS },
    );
    // Bodies that are not JSON at all.
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const res = await world.api('/checkout/payments', { body: text, headers: { 'content-type': 'application/json' } });
        if (res.status < 400) expect(() => JSON.parse(text), text).not.toThrow(); // text that happens to be a valid body
        else expectRefused(res, text);
      }),
      { numRuns: RUNS },
    );
    expect(await snapshot()).toBe(before);
  });

  it('GET /checkout/config, /checkout/payments/:id and /checkout/texts: any query or id is answered or refused, never a 5xx', LIMIT, async () => {
    const text = fc.string({ maxLength: 120 });
    // "." and ".." are not ids: the URL itself drops them (the request is for another path, the merchant's to answer).
    const id = text.filter((s) => !/^\.{1,2}$/.test(s));
    await fc.assert(
      fc.asyncProperty(text, id, text, async (order, payment, locale) => {
        const config = await world.api(`/checkout/config?orderId=${encodeURIComponent(order)}`);
        if (config.status !== 200) expectRefused(config, `config ${order}`);
        const view = await world.api(`/checkout/payments/${encodeURIComponent(payment) || 'x'}`);
        if (view.status !== 200) expectRefused(view, `payment ${payment}`);
        const texts = await world.api(`/checkout/texts?locale=${encodeURIComponent(locale)}`);
        if (texts.status !== 200) expectRefused(texts, `texts ${locale}`);
      }),
      { numRuns: RUNS },
    );
  });

  it('webhooks and notifies: any body is refused (or ignored) with a 4xx or a 2xx, never a 5xx, and pays nothing', LIMIT, async () => {
    const before = await snapshot();
    const forged = fc.oneof(
      json,
      fc.record({ key: fieldValue, object: fc.constantFrom('event', 'charge'), data: fc.oneof(json, fc.record({ id: fieldValue, object: fc.constant('charge'), status: fieldValue })) }),
      fc.record({ id: fieldValue, object: fc.constant('charge'), order_id: fieldValue, status: fieldValue, checksum: fieldValue, amount: fieldValue }),
    );
    await fc.assert(
      fc.asyncProperty(forged, fc.constantFrom('/webhooks/opn', '/webhooks/kpayment'), async (sent, path) => {
        const res = await world.api(path, { body: JSON.stringify(sent), headers: { 'content-type': 'application/json' } });
        expect(res.status, `${path} ${JSON.stringify(sent)} → ${res.status} ${res.text.slice(0, 200)}`).toBeLessThan(500);
      }),
      { numRuns: RUNS },
    );
    await world.flushWebhooks();
    expect(await snapshot()).toBe(before);
  });

  it('the operations API: any token, query, payment id, operation or body is answered or refused, never a 5xx', LIMIT, async () => {
    // A live payment of ours, for the operations to be tried on with bodies of every shape.
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    const paymentId = created.body.paymentId as string;
    const auth = { authorization: `Bearer ${OPERATOR.token}` };
    const call = (path: string, init: { method?: string; body?: string; headers?: Record<string, string> }) => world.api(`/operations${path}`, init);
    const segment = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => !/^\.{1,2}$/.test(s));
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
});
