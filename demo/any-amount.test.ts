import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, startDemo } from './app.ts';
import { describeAmountProblem } from './web/i18n.ts';

/**
 * Orders of any amount (`POST /api/orders {"amount", "currency"}`): a tester tries the methods' limits. The server
 * validates the amount the shopper typed; the companion offers only the methods that take it.
 */

let demo: Demo;
beforeAll(async () => {
  demo = await startDemo({ port: 0, sandboxPort: 0, db: ':memory:' });
}, 60_000);
afterAll(async () => {
  await demo?.close();
});

async function orderOf(body: unknown) {
  const res = await fetch(`${demo.url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

async function offered(orderId: string): Promise<string[]> {
  const res = await fetch(`${demo.url}/checkout/config?orderId=${orderId}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { methods: { id: string }[] }).methods.map((m) => m.id);
}

describe('an order of any amount', () => {
  it('is made for the amount and currency typed, in minor units', async () => {
    const res = await orderOf({ amount: ' 15.5 ', currency: 'THB' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ productId: null, name: 'Any amount', amount: 1_550, currency: 'THB', state: 'awaiting_payment' });
    expect((await fetch(`${demo.url}/api/orders/${res.json.id}`).then((r) => r.json())).amount).toBe(1_550);
  });

  it('is offered only the methods whose limits take it: nothing of Opn under ฿20.00, nothing at all under S$1.00', async () => {
    const kpayment = ['card', 'thai_qr', 'wechat_pay', 'alipay', 'unionpay'];
    expect(await offered((await orderOf({ amount: '19.99', currency: 'THB' })).json.id)).toEqual(kpayment);
    expect(await offered((await orderOf({ amount: '20.00', currency: 'THB' })).json.id)).toEqual(['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay', ...kpayment]);
    expect(await offered((await orderOf({ amount: '0.99', currency: 'SGD' })).json.id)).toEqual([]);
    expect(await offered((await orderOf({ amount: '1', currency: 'SGD' })).json.id)).toEqual(['kakaopay', 'card']);
    // Above K PLUS's ฿150,000.00: K-Payment's methods only.
    expect(await offered((await orderOf({ amount: '150000.01', currency: 'THB' })).json.id)).toEqual(kpayment);
  });

  it.each([
    ['letters', { amount: 'fifteen', currency: 'THB' }, '"fifteen" is not an amount: write digits with a decimal point, e.g. 15.00.'],
    ['a comma', { amount: '1,500', currency: 'THB' }, '"1,500" is not an amount: write digits with a decimal point, e.g. 15.00.'],
    ['a negative amount', { amount: '-5.00', currency: 'THB' }, 'The amount must be more than zero.'],
    ['zero', { amount: '0.00', currency: 'SGD' }, 'The amount must be more than zero.'],
    ['too many decimals', { amount: '15.001', currency: 'THB' }, 'THB amounts have at most 2 decimals: "15.001".'],
    ['nothing', { amount: '  ', currency: 'THB' }, 'Enter an amount, e.g. 15.00.'],
    ['too much', { amount: '1000000000', currency: 'THB' }, 'The demo takes orders of at most ฿999,999,999.99.'],
    ['a number, not text', { amount: 15, currency: 'THB' }, 'Send the amount as text, e.g. "15.00".'],
    ['a currency the shop does not sell in', { amount: '15.00', currency: 'USD' }, 'The shop sells in THB and SGD only.'],
    ['no currency', { amount: '15.00' }, 'The shop sells in THB and SGD only.'],
  ])('with %s is refused with a 400 that says why, and no order is made', async (_name, body, message) => {
    const before = demo.orders.size;
    const res = await orderOf(body);
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'invalid_amount', message });
    expect(demo.orders.size).toBe(before);
  });

  it('is refused with the reason as well, for the shop page to say it in the shopper’s language', async () => {
    const res = await orderOf({ amount: '15 baht', currency: 'THB' });
    expect(res.json.error.problem).toEqual({ reason: 'not_a_number', written: '15 baht' });
    expect(describeAmountProblem(res.json.error.problem, 'th')).toBe('"15 baht" ไม่ใช่จำนวนเงิน กรุณาใส่ตัวเลขและใช้จุดทศนิยม เช่น 15.00');
    expect((await orderOf({ amount: '1'.repeat(33), currency: 'THB' })).json.error).toMatchObject({ message: 'That amount is too long.', problem: { reason: 'too_long' } });
  });
});
