import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckoutConfigError, parseCheckoutOptions } from '../src/options.ts';
import type { GatewayPlugin } from '../src/gateways/module.ts';
import type { NewPayment, PaymentRecord } from '../src/store/store.ts';
import { type World, startWorld } from './support/world.ts';

/**
 * Issue 9, "Merchant operations", first slice: the operations API (list and search, one payment with its log,
 * an order's payments, check now) behind the merchant's bearer tokens, apart from the shopper's routes.
 */

const ALICE = { name: 'ops-alice', token: randomBytes(32).toString('base64url') };
const BOB = { name: 'ops-bob', token: randomBytes(32).toString('base64url') };

let world: World;
beforeAll(async () => {
  world = await startWorld({ checkout: { operations: { tokens: [ALICE, BOB] } } });
});
afterAll(async () => {
  await world?.close();
});

const ops = (path: string, init: { method?: string; token?: string | null; headers?: Record<string, string> } = {}) => {
  const token = init.token === undefined ? ALICE.token : init.token;
  return world.api(`/operations${path}`, {
    method: init.method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...init.headers },
  });
};

/** A payment written straight into the companion's store, at a chosen time (searching needs many, at known times). */
async function seed(overrides: Partial<NewPayment>): Promise<PaymentRecord> {
  return world.companion.checkout.store.createPayment({
    id: `pay_${randomBytes(16).toString('hex')}`, orderId: world.order(150_000), method: 'mobile_banking_kbank', gateway: 'opn',
    amount: 150_000, currency: 'THB', platform: null, chargeId: null, sourceId: null, status: 'failed', failureCode: null,
    failureMessage: null, returnToken: randomBytes(32).toString('base64url'), authorizeUri: null, createdAt: '2031-01-01T00:00:00.000Z',
    ...overrides,
  });
}

const expectNoReturnToken = (text: string, ...payments: PaymentRecord[]) => {
  expect(text).not.toContain('returnToken');
  for (const p of payments) expect(text).not.toContain(p.returnToken);
};

describe('authentication', () => {
  it('refuses a missing, wrong, short or differently-schemed token with 401 and changes nothing', async () => {
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    const id = created.body.paymentId as string;
    // Opn's charge.create for it handled first: only the refused requests may (and must not) change anything.
    await world.flushWebhooks();
    const before = await world.companion.checkout.store.listEvents(id);
    const refusals = [
      await ops('/payments', { token: null }),
      await ops('/payments', { token: 'x'.repeat(43) }),
      await ops('/payments', { token: ALICE.token.slice(0, 20) }),
      await ops('/payments', { token: `${ALICE.token}x` }),
      await ops('/payments', { token: null, headers: { authorization: `Basic ${Buffer.from(`${ALICE.name}:${ALICE.token}`).toString('base64')}` } }),
      await ops(`/payments/${id}/check`, { method: 'POST', token: 'y'.repeat(40) }),
      await ops(`/payments/${id}`, { token: null }),
      await ops('/no-such-path', { token: null }),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect(await world.companion.checkout.store.listEvents(id)).toEqual(before);
  });

  it("never takes a shopper's return token, in the header or the query", async () => {
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    const payment = await world.paymentOf(created.body.paymentId);
    expect((await ops(`/payments/${payment.id}`, { token: payment.returnToken })).status).toBe(401);
    expect((await ops(`/payments/${payment.id}?token=${payment.returnToken}`, { token: null })).status).toBe(401);
  });

  it('accepts each configured token, case-insensitive scheme', async () => {
    expect((await ops('/payments?limit=1')).status).toBe(200);
    expect((await ops('/payments?limit=1', { token: null, headers: { authorization: `bearer ${BOB.token}` } })).status).toBe(200);
  });

  it('never logs a token', () => {
    const logs = JSON.stringify(world.logs);
    expect(logs).not.toContain(ALICE.token);
    expect(logs).not.toContain(BOB.token);
    expect(world.logs.some((l) => l.message.startsWith('operations API on'))).toBe(true);
  });
});

describe('without tokens', () => {
  it.each([{ label: 'no operations option', checkout: {} }, { label: 'an empty token list', checkout: { operations: { tokens: [] } } }])(
    'with $label the routes are not mounted, and the start-up log says so',
    async ({ checkout }) => {
      const bare = await startWorld({ checkout });
      try {
        expect((await bare.api('/operations/payments', { headers: { authorization: `Bearer ${ALICE.token}` } })).status).toBe(404);
        expect(bare.logs.some((l) => l.message.startsWith('operations API off'))).toBe(true);
      } finally {
        await bare.close();
      }
    },
  );

  it('refuses short, repeated or badly named tokens at configuration', () => {
    const base = {
      resolveOrder: async () => null,
      publicBaseUrl: 'https://shop.example',
      resultUrl: '/result',
      gateways: [{ id: 'fake', create: () => { throw new Error('not built'); } } as unknown as GatewayPlugin],
    };
    const bad = [
      { tokens: [{ name: 'a', token: 'short' }] },
      { tokens: [ALICE, { ...BOB, name: ALICE.name }] },
      { tokens: [ALICE, { ...BOB, token: ALICE.token }] },
      { tokens: [{ name: 'has space', token: ALICE.token }] },
      { tokens: [ALICE], basePath: '/checkout/ops' },
    ];
    for (const operations of bad) expect(() => parseCheckoutOptions({ ...base, operations }), JSON.stringify(operations)).toThrow(CheckoutConfigError);
    expect(parseCheckoutOptions({ ...base, operations: { tokens: [ALICE] } }).operations?.basePath).toBe('/operations');
  });
});

describe('listing and searching payments', () => {
  const at = (minute: number) => `2031-02-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
  let seeded: PaymentRecord[];
  const gateway = `ops_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    seeded = [];
    const specs: [PaymentRecord['status'], PaymentRecord['method'], number][] = [
      ['failed', 'mobile_banking_kbank', 1], ['succeeded', 'thai_qr', 2], ['pending', 'card', 3], ['expired', 'thai_qr', 4],
      ['failed', 'card', 5], ['pending', 'kakaopay', 6], ['succeeded', 'card', 7],
    ];
    for (const [status, method, minute] of specs) seeded.push(await seed({ gateway, status, method, createdAt: at(minute) }));
  });
  const newestFirst = (ps: PaymentRecord[]) => [...ps].reverse().map((p) => p.id);
  const list = async (query: string) => {
    const res = await ops(`/payments?gateway=${gateway}&${query}`);
    expect(res.status, res.text).toBe(200);
    expectNoReturnToken(res.text, ...seeded);
    return res.body as { data: { id: string }[]; nextCursor: string | null };
  };

  it('answers newest first, 20 by default, with no return token', async () => {
    const page = await list('');
    expect(page.data.map((p) => p.id)).toEqual(newestFirst(seeded));
    expect(page.nextCursor).toBeNull();
    expect(page.data[0]).toMatchObject({ id: seeded[6].id, status: 'succeeded', method: 'card', gateway, amount: 150_000, currency: 'THB' });
    const all = await ops('/payments');
    expect(all.body.data.length).toBeLessThanOrEqual(20);
  });

  it('filters by order id, status, method, gateway and creation time', async () => {
    expect((await list(`orderId=${seeded[2].orderId}`)).data.map((p) => p.id)).toEqual([seeded[2].id]);
    // Read as the create reads an order id: trimmed.
    expect((await list(`orderId=%20${seeded[2].orderId}%20`)).data.map((p) => p.id)).toEqual([seeded[2].id]);
    expect((await ops(`/orders/%20${seeded[2].orderId}%20/payments`)).body.data.map((p: { id: string }) => p.id)).toEqual([seeded[2].id]);
    expect((await list('status=failed')).data.map((p) => p.id)).toEqual(newestFirst([seeded[0], seeded[4]]));
    expect((await list('method=thai_qr')).data.map((p) => p.id)).toEqual(newestFirst([seeded[1], seeded[3]]));
    expect((await list(`createdFrom=${at(3)}&createdTo=${encodeURIComponent('2031-02-01T07:05:00+07:00')}`)).data.map((p) => p.id)).toEqual(newestFirst(seeded.slice(2, 4)));
    expect((await list('status=pending&method=card')).data.map((p) => p.id)).toEqual([seeded[2].id]);
    expect((await ops('/payments?gateway=ops_nobody')).body).toEqual({ data: [], nextCursor: null });
  });

  it('pages through three pages with an opaque cursor, no repeats and no gaps', async () => {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(page.data.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor && pages.length < 5);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(newestFirst(seeded));
  });

  it.each([
    'limit=0', 'limit=101', 'limit=abc', 'limit=2.5', 'status=paid', 'method=cash', 'gateway=Not-A-Gateway', 'createdFrom=yesterday',
    'createdTo=2031-13-01T00:00:00Z', 'cursor=not-a-cursor', `cursor=${Buffer.from('2031-01-01T00:00:00.000Z pay_x').toString('base64url')}`,
    'status=failed&status=pending', 'stauts=failed', 'orderId=%20',
  ])('refuses %s with 400 bad_request', async (query) => {
    const res = await ops(`/payments?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('bad_request');
  });
});

describe('one payment, an order, check now', () => {
  it('answers one payment with its event log, without its return token; 404 for an unknown one', async () => {
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    const payment = await world.paymentOf(created.body.paymentId);
    const res = await ops(`/payments/${payment.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expectNoReturnToken(res.text, payment);
    expect(res.body.payment).toMatchObject({ id: payment.id, orderId: payment.orderId, status: 'pending', chargeId: payment.chargeId });
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['created', 'charge_created']));
    expect(res.body.events[0]).toMatchObject({ paymentId: payment.id, type: 'created' });
    expect((await ops('/payments/pay_00000000000000000000000000000000')).status).toBe(404);
    expect((await ops('/payments/nonsense')).status).toBe(404);
    expect((await ops('/nothing-here')).body.error.code).toBe('not_found');
  });

  it("answers an order's payments, oldest first", async () => {
    const orderId = world.order(150_000);
    const first = await seed({ orderId, createdAt: '2031-03-01T00:00:00.000Z' });
    const second = await seed({ orderId, createdAt: '2031-03-01T00:01:00.000Z', status: 'succeeded', method: 'card' });
    const res = await ops(`/orders/${orderId}/payments`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((p: { id: string }) => p.id)).toEqual([first.id, second.id]);
    expectNoReturnToken(res.text, first, second);
    expect((await ops('/orders/unknown-order/payments')).body).toEqual({ data: [] });
  });

  it('check settles a payment paid at the gateway whose webhook was dropped, and records who asked', async () => {
    await world.scenario({ webhooks: 'drop' });
    try {
      const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
      const payment = await world.paymentOf(created.body.paymentId);
      await world.complete(payment.chargeId!, 'successful');
      await world.flushWebhooks();
      expect((await world.paymentOf(payment.id)).status).toBe('pending');

      const res = await ops(`/payments/${payment.id}/check`, { method: 'POST', token: BOB.token });
      expect(res.status).toBe(200);
      expectNoReturnToken(res.text, payment);
      expect(res.body.payment).toMatchObject({ id: payment.id, status: 'succeeded' });
      const events = res.body.events as { type: string; source: string; detail: unknown; toStatus: string | null }[];
      expect(events).toContainEqual(expect.objectContaining({ type: 'operation_requested', source: 'operations', detail: { operation: 'check', by: BOB.name } }));
      expect(events).toContainEqual(expect.objectContaining({ type: 'status_changed', source: 'operations', toStatus: 'succeeded' }));
      expect(await world.paymentOf(payment.id)).toMatchObject({ status: 'succeeded' });
      expect(world.hooks.onPaid.map((p) => p.id)).toContain(payment.id);
    } finally {
      await world.scenario({ webhooks: 'normal' });
    }
  });

  it("check says in the merchant's words that the gateway could not be read, and logs the outcome", async () => {
    const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
    await world.scenario({ failNext: { count: 1, status: 503, on: 'GET /charges/*' } });
    try {
      const res = await ops(`/payments/${created.body.paymentId}/check`, { method: 'POST' });
      expect([res.status, res.body.error]).toEqual([502, { code: 'gateway_error', message: 'The payment could not be read from the gateway: nothing changed. Try again in a moment.' }]);
      const log = (await world.companion.checkout.store.listEvents(created.body.paymentId)).filter((e) => e.type.startsWith('operation_'));
      expect(log.map((e) => [e.type, e.detail?.operation, e.detail?.code])).toEqual([['operation_requested', 'check', undefined], ['operation_failed', 'check', 'gateway_error']]);
    } finally {
      await world.scenario({});
    }
  });
});
