import { describe, expect, it } from 'vitest';
import { MID, call, createOrder, newMerchant, orderBody, setSettings, useKpayment } from '../../test/kpayment-kit.ts';

/** The Order API (§6.3, digest §3.7): Create Order and Inquiry Order, their rules and errors, expiry on the sandbox clock. */

/** 10:00 in Bangkok on 10 June 2024, so that dates in the answers are known. */
const START = Date.UTC(2024, 5, 10, 3, 0, 0);

const h = useKpayment({ startTime: START });

describe('Create Order', () => {
  it('creates a Thai QR order: order_test_ id, the sample\'s fields, an hour to pay', async () => {
    const m = newMerchant();
    const res = await call(h.url, '/qr/v2/order', { key: m.sk, json: orderBody({ amount: 200, reference_order: 'WT1234567', description: 'TESTPRODUCT' }) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'order',
      amount: 200,
      currency: 'THB',
      reference_order: 'WT1234567',
      source_type: 'qr',
      description: 'TESTPRODUCT',
      status: 'success',
      livemode: false,
      failure_code: null,
      failure_message: null,
      expire_time_seconds: 3600,
    });
    expect(res.body.id).toMatch(/^order_test_[0-9a-f]{35}$/);
    expect(res.body.created).toMatch(/^2024061010\d{7}$/);
    // The sample's fields come first, in its order.
    expect(Object.keys(res.body).slice(0, 13)).toEqual([
      'id', 'object', 'amount', 'currency', 'reference_order', 'source_type', 'description', 'status', 'created', 'livemode', 'failure_code', 'failure_message', 'expire_time_seconds',
    ]);
  });

  it('creates a WeChat Pay order and echoes source_type "wechat" (§10.19), decimals, metadata, customer and additional data', async () => {
    const m = newMerchant();
    const metadata = [{ item: 'paper', qty: 6, amount: 10 }];
    const order = await createOrder(h.url, m.sk, {
      source_type: 'WeChat',
      amount: '1.07',
      metadata,
      customer: { customer_id: 'cust_test_1' },
      additional_data: { mid: MID, tid: '7063773' },
      ref_1: '0888888888',
      info1: 'Product Info1',
      shop_image_url: 'https://shop.example/logo.png',
    });
    expect(order).toMatchObject({
      source_type: 'wechat',
      amount: 1.07,
      metadata,
      customer: { customer_id: 'cust_test_1' },
      additional_data: { mid: MID, tid: '7063773', term: null, smartpay_id: null, campaign_id: null },
    });
  });

  it('refuses a reference_order the merchant already used with order_id_is_already_used; another merchant may use it', async () => {
    const m = newMerchant();
    const first = await createOrder(h.url, m.sk, { reference_order: 'INV000000005' });
    const again = await call(h.url, '/qr/v2/order', { key: m.sk, json: orderBody({ reference_order: 'INV000000005', amount: 999 }) });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ object: 'error', code: 'order_id_is_already_used', message: expect.stringContaining(first.id) });
    // Even as a WeChat order, and even once the first one expired: still used.
    await h.clock.advance(2 * 3600_000);
    const wechat = await call(h.url, '/qr/v2/order', { key: m.sk, json: orderBody({ reference_order: 'INV000000005', source_type: 'wechat' }) });
    expect(wechat.body.code).toBe('order_id_is_already_used');
    const other = await call(h.url, '/qr/v2/order', { key: newMerchant().sk, json: orderBody({ reference_order: 'INV000000005' }) });
    expect(other.status).toBe(200);
  });

  const refused: Array<[string, Record<string, unknown>, string, string]> = [
    ['no amount', { amount: undefined }, 'mandatory_is_empty', 'amount'],
    ['no currency', { currency: undefined }, 'mandatory_is_empty', 'currency'],
    ['no description', { description: '' }, 'mandatory_is_empty', 'description'],
    ['no source_type', { source_type: undefined }, 'mandatory_is_empty', 'source_type'],
    ['no reference_order', { reference_order: undefined }, 'mandatory_is_empty', 'reference_order'],
    ['source_type card', { source_type: 'card' }, 'invalid_parameter', 'source_type'],
    ['source_type redirect', { source_type: 'redirect' }, 'invalid_parameter', 'source_type'],
    ['a currency other than baht', { currency: 'USD' }, 'currency_invalid', 'THB'],
    ['an unknown currency', { currency: 'XXX' }, 'currency_invalid', 'XXX'],
    ['a zero amount', { amount: 0 }, 'amount_invalid', 'positive'],
    ['three decimals', { amount: 1.005 }, 'amount_invalid', 'decimals'],
    ['another merchant id', { additional_data: { mid: '409999999999001' } }, 'mid_and_tid_not_exist', '409999999999001'],
    ['an expiry under a minute', { expire_time_seconds: 10 }, 'invalid_parameter', 'expire_time_seconds'],
    ['a reference_order over 50 characters', { reference_order: 'x'.repeat(51) }, 'invalid_parameter', 'reference_order'],
  ];
  for (const [name, change, code, mentions] of refused) {
    it(`refuses ${name} with ${code}, and creates nothing`, async () => {
      const m = newMerchant();
      const body = orderBody(change);
      const res = await call(h.url, '/qr/v2/order', { key: m.sk, json: body });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ object: 'error', code });
      expect(res.body.message).toContain(mentions);
      // Nothing was stored: the same reference can be used once the body is right.
      if (typeof body.reference_order === 'string' && body.reference_order.length <= 50) {
        const ok = await call(h.url, '/qr/v2/order', { key: m.sk, json: orderBody({ reference_order: body.reference_order }) });
        expect(ok.status).toBe(200);
      }
    });
  }

  it('needs the secret key in x-api-key', async () => {
    const m = newMerchant();
    for (const key of [undefined, m.pk, 'skey_test_']) {
      const res = await call(h.url, '/qr/v2/order', { key, json: orderBody() });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('authentication_failure');
    }
  });

  it('takes expire_time_seconds from the request, else from the merchant\'s setting', async () => {
    const m = newMerchant();
    expect((await createOrder(h.url, m.sk, { expire_time_seconds: 900 })).expire_time_seconds).toBe(900);
    await setSettings(h.url, m.sk, { orderExpireSeconds: 300 });
    expect((await createOrder(h.url, m.sk)).expire_time_seconds).toBe(300);
    await expect(setSettings(h.url, m.sk, { orderExpireSeconds: 5 })).rejects.toThrow(/orderExpireSeconds/);
  });
});

describe('Inquiry Order', () => {
  it('answers the order as created', async () => {
    const m = newMerchant();
    const order = await createOrder(h.url, m.sk, { ref_2: 'r2' });
    const res = await call(h.url, `/qr/v2/order/${order.id}`, { key: m.sk });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(order);
  });

  it('answers invalid_order_id for an unknown order or another merchant\'s', async () => {
    const m = newMerchant();
    const order = await createOrder(h.url, m.sk);
    for (const [key, id] of [[m.sk, 'order_test_nothing'], [newMerchant().sk, order.id]]) {
      const res = await call(h.url, `/qr/v2/order/${id}`, { key });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ object: 'error', code: 'invalid_order_id', message: expect.stringContaining('Order ID cannot found in system') });
    }
  });
});

describe('expiry on the sandbox clock', () => {
  it('an order not paid within expire_time_seconds can no longer be shown or paid: qr_expired', async () => {
    const m = newMerchant();
    const order = await createOrder(h.url, m.sk, { expire_time_seconds: 120 });
    const waiting = await call(h.url, `/qr/v2/qr/${order.id}`, { key: m.sk });
    expect(waiting.status).toBe(404);
    expect(waiting.body.code).toBe('no_transaction_found');
    await h.clock.advance(119_000);
    expect((await call(h.url, `/qr/v2/qr/${order.id}`, { key: m.sk })).body.code).toBe('no_transaction_found');
    await h.clock.advance(1_000);
    const expired = await call(h.url, `/qr/v2/qr/${order.id}`, { key: m.sk });
    expect(expired.status).toBe(400);
    expect(expired.body).toMatchObject({ code: 'qr_expired', message: 'QR has expired (EMQRE)' });
    const open = await call(h.url, `/_sandbox/kpayment/orders/${order.id}/qr`, { key: m.sk, method: 'POST' });
    expect(open.body.code).toBe('qr_expired');
    const pay = await call(h.url, `/_sandbox/kpayment/qr/${order.id}/pay`, { key: m.sk, json: {} });
    expect(pay.body.code).toBe('qr_expired');
    // The order itself still reads as created, with its expiry.
    expect((await call(h.url, `/qr/v2/order/${order.id}`, { key: m.sk })).body).toMatchObject({ status: 'success', expire_time_seconds: 120 });
  });
});
