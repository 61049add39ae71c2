import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type World, startWorld } from './support/world.ts';

/**
 * Issue 9, defect 7: a `resolveOrder` answer that is not a valid amount and currency (or a throw) gave a generic
 * 500. It must be a clear error that names the merchant's function, and nothing is charged or stored.
 */

const BAD_ANSWERS: [string, () => unknown][] = [
  ['a zero amount', () => ({ amount: 0, currency: 'THB' })],
  ['a negative amount', () => ({ amount: -100, currency: 'THB' })],
  ['a fractional amount', () => ({ amount: 150_000.5, currency: 'THB' })],
  ['NaN', () => ({ amount: Number.NaN, currency: 'THB' })],
  ['an amount as a string', () => ({ amount: '150000', currency: 'THB' })],
  ['an unknown currency', () => ({ amount: 150_000, currency: 'XYZ' })],
  ['a bare number', () => 150_000],
  ['a throw', () => {
    throw new Error('orders database down');
  }],
];

let world: World;
let answer: () => unknown = () => null;
beforeAll(async () => {
  world = await startWorld({ checkout: { resolveOrder: async () => answer() as never } });
});
afterAll(async () => world?.close());

describe("a resolveOrder answer that is not an order's amount and currency", () => {
  for (const [what, bad] of BAD_ANSWERS) {
    it(`${what}: a clear 502 naming resolveOrder, for the config and for a payment; nothing charged or stored`, async () => {
      answer = bad;
      const orderId = `bad-order-${what.replace(/\W+/g, '-')}`;
      const charges = await world.chargeCount();
      const config = await world.api(`/checkout/config?orderId=${orderId}`);
      const created = await world.createPayment(orderId, 'mobile_banking_kbank');
      for (const res of [config, created]) {
        expect(res.status, what).toBe(502);
        expect(res.body.error.code, what).toBe('order_lookup_failed');
        expect(res.body.error.message, what).toMatch(/resolveOrder/);
        expect(res.text, what).not.toMatch(/orders database down/);
      }
      expect(await world.companion.checkout.store.listPaymentsForOrder(orderId)).toEqual([]);
      expect(await world.chargeCount()).toBe(charges);
      expect(world.logs.some((l) => l.level === 'error' && /resolveOrder/.test(l.message))).toBe(true);
    });
  }

  it("the shop's own order record, with more fields than amount and currency (as the type allows), is read for those two", async () => {
    answer = () => ({ id: 'order-with-items', amount: 42_000, currency: 'THB', items: [{ sku: 'rice', qty: 2 }], customer: { email: 'somchai@example.com' } });
    const config = await world.api('/checkout/config?orderId=order-with-items');
    expect([config.status, config.body.amount, config.body.currency]).toEqual([200, 42_000, 'THB']);
    const created = await world.createPayment('order-with-items', 'mobile_banking_kbank');
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await world.paymentOf(created.body.paymentId)).toMatchObject({ amount: 42_000, currency: 'THB' });
  });

  it('an order it does not know (null) is still a 404 order_not_found', async () => {
    answer = () => null;
    const res = await world.api('/checkout/config?orderId=unknown-order');
    expect([res.status, res.body.error.code]).toEqual([404, 'order_not_found']);
  });
});

describe('a resolveOrder that never answers (the shop\'s database hung)', () => {
  let slow: World;
  let hang = false;
  beforeAll(async () => {
    slow = await startWorld({
      checkout: {
        orderLookupTimeoutMs: 200,
        resolveOrder: (orderId) => (hang ? new Promise<never>(() => undefined) : Promise.resolve(slow.orders.get(orderId) ?? null)),
      },
    });
  });
  afterAll(async () => slow?.close());

  it('answers the config and a payment with a clear 502 after orderLookupTimeoutMs; nothing charged or stored', async () => {
    hang = true;
    const orderId = slow.order(150_000);
    const charges = await slow.chargeCount();
    const started = performance.now();
    const config = await slow.api(`/checkout/config?orderId=${orderId}&locale=th`);
    const created = await slow.createPayment(orderId, 'mobile_banking_kbank');
    expect(performance.now() - started).toBeLessThan(2_000);
    for (const res of [config, created]) {
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('order_lookup_failed');
      expect(res.body.error.message).toMatch(/resolveOrder\) did not answer within 200 ms/);
    }
    expect(config.body.error.customerMessage).toBe('ร้านค้าไม่สามารถดึงยอดชำระของคำสั่งซื้อนี้ได้ในขณะนี้ ไม่มีการเรียกเก็บเงิน กรุณาลองอีกครั้งในภายหลัง');
    expect(await slow.companion.checkout.store.listPaymentsForOrder(orderId)).toEqual([]);
    expect(await slow.chargeCount()).toBe(charges);
    expect(slow.logs.some((l) => l.level === 'error' && /resolveOrder did not answer within 200 ms/.test(l.message))).toBe(true);
  });

  it("still settles a paid payment when the lookup hangs at the shopper's return: paid, decided as when the lookup fails", async () => {
    hang = false;
    const created = await slow.createPayment(slow.order(150_000), 'mobile_banking_kbank');
    expect(created.status).toBe(201);
    const returnUrl = await slow.authorize(created.body.next.url, 'successful');
    hang = true;
    const started = performance.now();
    const back = await slow.visit(returnUrl);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(back.status).toBe(302);
    expect(back.location).toContain('status=succeeded');
    expect((await slow.paymentOf(created.body.paymentId)).status).toBe('succeeded');
    expect(slow.hooks.onPaid.map((p) => p.id)).toContain(created.body.paymentId);
  });
});
