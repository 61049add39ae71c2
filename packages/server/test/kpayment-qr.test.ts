import { customerMessage } from '@payment-checkout/core';
import { kpaymentChecksum } from '@payment-checkout/core/signature';
import { describe, expect, it } from 'vitest';
import { kpaymentSettings, postForm, qrState, scriptPostsCharge, showQr, startQr } from './support/kpayment.ts';
import { open, world } from './support/kpayment-world.ts';
import { queryOf } from './support/world.ts';

/**
 * Thai QR and WeChat Pay end to end against the real sandbox (guide §4.3): the order created on the server,
 * the script's configuration, the QR popup, the simulator's Pay / Fail / Expire, Cancel QR, the `chargeId`
 * post-back checked by Inquiry QR, the QR notify, polling, the reconciler, and what must change nothing.
 */

const MINUTE = 60_000;
const events = (paymentId: string) => world.companion.checkout.store.listEvents(paymentId);
const view = async (paymentId: string, locale = 'en') => (await world.api(`/checkout/payments/${paymentId}?locale=${locale}`)).body;

function qrNotifyBody(charge: { id: string; order_id: string; reference_order: string }, fields: Record<string, unknown> = {}) {
  const body = {
    id: charge.id,
    order_id: charge.order_id,
    object: 'charge',
    amount: 1500,
    currency: 'THB',
    transaction_state: 'Authorized',
    source: { id: 'qr_test_x', object: 'qr', brand: 'ThaiQR' },
    created: '20240101120000000',
    status: 'success',
    reference_order: charge.reference_order,
    description: 'x',
    livemode: false,
    failure_code: '',
    failure_message: '',
    ...fields,
  };
  return { ...body, checksum: kpaymentChecksum(body as Parameters<typeof kpaymentChecksum>[0], world.keys.secretKey) };
}

async function notify(body: unknown) {
  return world.api('/webhooks/kpayment', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

describe('the QR offer: a K-Payment order made on the server from the merchant\'s order', () => {
  it('offers Thai QR, WeChat Pay, Alipay and UnionPay for baht only', async () => {
    await open();
    const thb = (await world.api(`/checkout/config?orderId=${world.order(150_000)}`)).body;
    expect(thb.methods.filter((m: { gateway: string }) => m.gateway === 'kpayment').map((m: { id: string }) => m.id)).toEqual(['card', 'thai_qr', 'wechat_pay', 'alipay', 'unionpay']);
    const usdOrder = world.order(5_000, 'USD');
    const usd = (await world.api(`/checkout/config?orderId=${usdOrder}`)).body;
    expect(usd.methods.map((m: { id: string }) => m.id)).not.toContain('thai_qr');
    const refused = await world.createPayment(usdOrder, 'thai_qr');
    expect([refused.status, refused.body.error.code]).toEqual([422, 'method_unavailable']);
    expect(await world.companion.checkout.store.listPaymentsForOrder(usdOrder)).toEqual([]);
  });

  it('creates the order with the order\'s amount and the payment id as reference, and answers the script\'s configuration', async () => {
    await open({ kpayment: { merchantName: 'Siam Market', qrExpireSeconds: 600 } });
    const before = Date.now();
    const { paymentId, next } = await startQr(world, 'thai_qr', 123_456);
    const after = Date.now();
    const payment = await world.paymentOf(paymentId);
    expect(payment).toMatchObject({ status: 'pending', method: 'thai_qr', gateway: 'kpayment', amount: 123_456, chargeId: null, authorizeUri: null });
    expect(payment.sourceId).toMatch(/^order_test_/);

    const order = await world.companion.checkout.gateways.kpayment!.client.retrieveOrder(payment.sourceId!);
    expect(order).toMatchObject({ amount: 1234.56, currency: 'THB', reference_order: paymentId, source_type: 'qr', status: 'success', expire_time_seconds: 600 });

    const { expiresAt, expiresIn, ...rest } = next;
    expect(rest).toEqual({
      type: 'qr',
      scriptUrl: `${world.sandboxUrl}/ui/v2/kpayment.min.js`,
      formAction: `${world.url}/checkout/kpayment/qr/${paymentId}?token=${encodeURIComponent(payment.returnToken)}`,
      attributes: { apikey: world.keys.publicKey, amount: '1234.56', currency: 'THB', 'payment-methods': 'qr', 'order-id': payment.sourceId, name: 'Siam Market', 'show-button': 'false' },
    });
    // The order's own expiry (created + expire_time_seconds), for the element's countdown.
    expect(Date.parse(expiresAt!)).toBeGreaterThanOrEqual(before + 600_000 - 1);
    expect(Date.parse(expiresAt!)).toBeLessThanOrEqual(after + 600_000 + 1);
    // And the seconds left by the companion's clock, which the element counts down (not the device's clock).
    expect(expiresIn).toBe(600);
    expect(JSON.stringify(next)).not.toContain(world.keys.secretKey);
    // The gateway's popup accepts this configuration and shows a QR.
    expect(await showQr(world, next)).toMatch(/^qr_test_/);
  });

  it('WeChat Pay orders are "wechat" orders', async () => {
    await open();
    const { paymentId, next } = await startQr(world, 'wechat_pay');
    expect(next.attributes['payment-methods']).toBe('wechat');
    const order = await world.companion.checkout.gateways.kpayment!.client.retrieveOrder((await world.paymentOf(paymentId)).sourceId!);
    expect(order).toMatchObject({ source_type: 'wechat', amount: 1500, reference_order: paymentId, expire_time_seconds: 3600 });
  });

  it('a shopper who asks again (a refresh, a double click) gets the same order and the same QR, not a new order', async () => {
    await open();
    const { orderId, paymentId, next } = await startQr(world);
    const qrId = await showQr(world, next);
    const again = await world.createPayment(orderId, 'thai_qr');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ paymentId, status: 'pending', next, reused: true });
    const [a, b] = await Promise.all([world.createPayment(orderId, 'thai_qr'), world.createPayment(orderId, 'thai_qr')]);
    expect([a.body.paymentId, b.body.paymentId]).toEqual([paymentId, paymentId]);
    expect(await showQr(world, again.body.next)).toBe(qrId);
    expect(await world.companion.checkout.store.listPaymentsForOrder(orderId)).toHaveLength(1);
  });

  it('switching method leaves the QR to its expiry (no API cancels it unpaid), and coming back shows the same QR', async () => {
    await open();
    const { orderId, paymentId, next } = await startQr(world);
    const alipay = await world.createPayment(orderId, 'alipay');
    expect(alipay.status).toBe(201);
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending', supersededBy: alipay.body.paymentId });
    const back = await world.createPayment(orderId, 'thai_qr');
    expect(back.body).toMatchObject({ paymentId, reused: true, next });
    expect(await world.paymentOf(paymentId)).toMatchObject({ supersededBy: null });
    expect(await world.paymentOf(alipay.body.paymentId)).toMatchObject({ status: 'pending', supersededBy: paymentId });
    expect(world.hooks.onFailed).toEqual([]);
  });

  it('refuses bad input with a 4xx and stores nothing', async () => {
    await open({ kpayment: { smartpay: { smartpayId: '0001' } } });
    const orderId = world.order(150_000);
    const cases: [Record<string, unknown>, number][] = [
      [{ sourceId: 'src_test_abc' }, 400],
      [{ installments: true }, 422],
      [{ amount: 1 }, 400],
      [{ method: 'promptpay' }, 400],
    ];
    for (const [extra, status] of cases) {
      const res = await world.api('/checkout/payments', { json: { orderId, method: 'thai_qr', ...extra } });
      expect(res.status, JSON.stringify(extra)).toBe(status);
    }
    expect((await world.createPayment('no-such-order', 'wechat_pay')).status).toBe(404);
    expect(await world.companion.checkout.store.listPaymentsForOrder(orderId)).toEqual([]);
  });
});

describe('Thai QR paid through the QR simulator', () => {
  it('is paid by the notify; the script\'s chargeId then only leads to the result; the hook fires once', async () => {
    await open();
    const { paymentId, next } = await startQr(world);
    const qrId = await showQr(world, next);
    world.sandbox.kpayment.payQr(world.keys.secretKey, qrId);
    await world.sandbox.kpayment.flushNotifications();
    const paid = await world.paymentOf(paymentId);
    expect(paid).toMatchObject({ status: 'succeeded', failureCode: null });
    expect(paid.chargeId).toMatch(/^chrg_test_/);
    expect((await events(paymentId)).find((e) => e.toStatus === 'succeeded')?.source).toBe('webhook');

    const back = await scriptPostsCharge(world, next, qrId);
    expect(back.status).toBe(303);
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'succeeded' });
    expect(await view(paymentId)).toMatchObject({ status: 'succeeded', failureMessage: null });
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paymentId]);
    // A paid order is final: asking again is refused, no new order.
    expect((await world.createPayment(paid.orderId, 'thai_qr')).status).toBe(409);
  });

  it('with no notify, the chargeId post-back is verified by Inquiry QR and pays', async () => {
    await open();
    kpaymentSettings(world, { notify: 'drop' });
    const { paymentId, next } = await startQr(world);
    const qrId = await showQr(world, next);
    world.sandbox.kpayment.payQr(world.keys.secretKey, qrId, 'other_bank');
    const back = await scriptPostsCharge(world, next, qrId);
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'succeeded' });
    const payment = await world.paymentOf(paymentId);
    expect(payment.chargeId).toBe((await qrState(world, qrId)).charge_id);
    expect((await events(paymentId)).find((e) => e.toStatus === 'succeeded')?.source).toBe('return');
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paymentId]);
  });

  it('answers a post-back into the checkout page\'s hidden frame with 204 (the page shows the result itself), having paid', async () => {
    await open();
    kpaymentSettings(world, { notify: 'drop' });
    const { paymentId, next } = await startQr(world);
    const qrId = await showQr(world, next);
    world.sandbox.kpayment.payQr(world.keys.secretKey, qrId, 'other_bank');
    const back = await scriptPostsCharge(world, next, qrId, { 'sec-fetch-dest': 'iframe' });
    expect(back).toMatchObject({ status: 204, location: null, text: '' });
    expect((await world.paymentOf(paymentId)).status).toBe('succeeded');
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paymentId]);
  });

  it('with neither notify nor post-back, polling finds the order\'s charge by Inquiry QR', async () => {
    await open();
    kpaymentSettings(world, { notify: 'drop' });
    const { paymentId, next } = await startQr(world);
    const qrId = await showQr(world, next);
    expect(await view(paymentId)).toMatchObject({ status: 'pending' });
    world.sandbox.kpayment.payQr(world.keys.secretKey, qrId);
    expect(await view(paymentId)).toMatchObject({ status: 'succeeded' });
    expect((await world.paymentOf(paymentId)).chargeId).toBe((await qrState(world, qrId)).charge_id);
    expect(world.hooks.onPaid).toHaveLength(1);
  });

  it('WeChat Pay is paid the same way', async () => {
    await open();
    const { paymentId, next } = await startQr(world, 'wechat_pay', 9_900);
    const qrId = await showQr(world, next);
    world.sandbox.kpayment.payQr(world.keys.secretKey, qrId, 'wechat');
    await world.sandbox.kpayment.flushNotifications();
    expect(queryOf((await scriptPostsCharge(world, next, qrId)).location)).toEqual({ payment: paymentId, status: 'succeeded' });
    expect(world.hooks.onPaid.map((p) => [p.id, p.method, p.amount])).toEqual([[paymentId, 'wechat_pay', 9_900]]);
  });
});

describe('Thai QR that does not pay', () => {
  for (const code of ['invalid_account', 'account_error', 'invalid_txn_amount', 'internal_error']) {
    it(`fails with ${code} and its customer message`, async () => {
      await open();
      const { paymentId, next } = await startQr(world);
      const qrId = await showQr(world, next);
      world.sandbox.kpayment.failQr(world.keys.secretKey, qrId, code);
      const back = await scriptPostsCharge(world, next, qrId);
      expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'failed' });
      expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'failed', failureCode: code });
      expect(await view(paymentId)).toMatchObject({ status: 'failed', failureCode: code, failureMessage: customerMessage(code, 'en') });
      expect((await view(paymentId, 'th')).failureMessage).toBe(customerMessage(code, 'th'));
      expect(customerMessage(code)).not.toBe(customerMessage('generic'));
      expect(world.hooks.onFailed.map((p) => [p.id, p.failureCode])).toEqual([[paymentId, code]]);
      expect(world.hooks.onPaid).toEqual([]);
    });
  }

  it('expires with its order on the sandbox clock; asking again then makes a new order', async () => {
    await open({ kpayment: { qrExpireSeconds: 600 } });
    const { orderId, paymentId, next } = await startQr(world);
    await showQr(world, next);
    await world.sandbox.clock.advance(9 * MINUTE);
    expect(await view(paymentId)).toMatchObject({ status: 'pending' });
    await world.sandbox.clock.advance(2 * MINUTE);
    expect(await view(paymentId)).toMatchObject({ status: 'expired', failureCode: 'qr_expired', failureMessage: customerMessage('qr_expired') });
    expect(world.hooks.onFailed.map((p) => p.id)).toEqual([paymentId]);

    const fresh = await world.createPayment(orderId, 'thai_qr');
    expect(fresh.status).toBe(201);
    expect(fresh.body.paymentId).not.toBe(paymentId);
    expect(fresh.body.next.attributes['order-id']).not.toBe(next.attributes['order-id']);
  });

  it('expires at once with the simulator\'s Expire', async () => {
    await open();
    const { paymentId, next } = await startQr(world);
    world.sandbox.kpayment.expireQr(world.keys.secretKey, await showQr(world, next));
    expect(await view(paymentId, 'th')).toMatchObject({ status: 'expired', failureMessage: customerMessage('qr_expired', 'th') });
  });

  it('is called expired by the companion\'s own clock when the gateway does not say so', async () => {
    let now = Date.now();
    await open({ kpayment: { qrExpireSeconds: 600 }, checkout: { now: () => now } });
    const { paymentId } = await startQr(world);
    now += 11 * MINUTE; // past the order's 10 minutes, within the grace for clock skew
    await world.companion.checkout.reconcile();
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending' });
    now += 2 * MINUTE;
    const report = await world.companion.checkout.reconcile();
    expect(report.payments).toEqual([{ id: paymentId, from: 'pending', to: 'expired' }]);
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'expired', failureCode: 'qr_expired' });
  });

  it('is cancelled with Cancel QR (by the QR id the popup shows): the payment ends canceled', async () => {
    await open();
    const { paymentId, next } = await startQr(world);
    const qrId = await showQr(world, next);
    expect(await world.companion.checkout.gateways.kpayment!.client.cancelQr(qrId)).toMatchObject({ id: qrId, object: 'qr', status: 'success' });
    expect(await view(paymentId)).toMatchObject({ status: 'canceled', failureCode: 'qr_cancelled', failureMessage: customerMessage('qr_cancelled') });
    expect(world.hooks.onFailed.map((p) => p.id)).toEqual([paymentId]);
    // A cancelled QR cannot be paid any more.
    expect(() => world.sandbox.kpayment.payQr(world.keys.secretKey, qrId)).toThrow();
  });
});

describe('what changes nothing', () => {
  /** Two QR payments of two orders; B's QR is paid (no notify). */
  async function twoOrders() {
    kpaymentSettings(world, { notify: 'drop' });
    const a = await startQr(world);
    const b = await startQr(world);
    const qrA = await showQr(world, a.next);
    const qrB = await showQr(world, b.next);
    world.sandbox.kpayment.payQr(world.keys.secretKey, qrB);
    const chargeB = (await qrState(world, qrB)).charge_id!;
    return { a, b, qrA, qrB, chargeB };
  }

  it('a chargeId of another order is refused (4xx): the payment stays pending and records nothing', async () => {
    await open();
    const { a, chargeB } = await twoOrders();
    const eventsBefore = await events(a.paymentId);
    const forged = await postForm(a.next.formAction, { chargeId: chargeB });
    expect([forged.status, JSON.parse(forged.text).error.code]).toEqual([422, 'source_mismatch']);
    expect(await world.paymentOf(a.paymentId)).toMatchObject({ status: 'pending', chargeId: null });
    expect(await events(a.paymentId)).toEqual(eventsBefore);
    expect(world.hooks.onPaid).toEqual([]);
  });

  it('an unknown or non-QR charge id is a 404; a malformed one, a wrong token or a JSON body a 4xx; nothing is recorded', async () => {
    await open();
    const { a } = await twoOrders();
    const alipay = await world.createPayment(world.order(150_000), 'alipay');
    const alipayCharge = (await world.paymentOf(alipay.body.paymentId)).chargeId!;
    const eventsBefore = await events(a.paymentId);
    const url = new URL(a.next.formAction);
    const base = `${url.origin}${url.pathname}`;
    const token = url.searchParams.get('token')!;
    const answers = [
      await postForm(a.next.formAction, { chargeId: 'chrg_test_doesnotexist' }),
      await postForm(a.next.formAction, { chargeId: alipayCharge }),
      await postForm(a.next.formAction, { chargeId: '../order' }),
      await postForm(a.next.formAction, { chargeId: a.next.attributes['order-id'] }),
      await postForm(a.next.formAction, 'chargeId=chrg_test_a&CHARGEID=chrg_test_b'),
      await postForm(a.next.formAction, {}),
      await postForm(`${base}?token=${token.slice(0, -2)}xx`, { chargeId: 'chrg_test_doesnotexist' }),
      await postForm(base, { chargeId: 'chrg_test_doesnotexist' }),
      await postForm(`${world.url}/checkout/kpayment/qr/pay_${'0'.repeat(32)}?token=${token}`, { chargeId: 'chrg_test_doesnotexist' }),
      await world.api(`/checkout/kpayment/qr/${a.paymentId}?token=${token}`, { json: { chargeId: 'chrg_test_doesnotexist' } }),
    ].map((r) => r.status);
    expect(answers).toEqual([404, 404, 400, 400, 400, 400, 403, 403, 404, 400]);
    expect(await world.paymentOf(a.paymentId)).toMatchObject({ status: 'pending', chargeId: null });
    expect(await events(a.paymentId)).toEqual(eventsBefore);
  });

  it('a QR notify with a bad checksum is refused (401) and changes nothing', async () => {
    await open();
    const { b, chargeB } = await twoOrders();
    const charge = { id: chargeB, order_id: b.next.attributes['order-id'], reference_order: b.paymentId };
    const body = qrNotifyBody(charge);
    for (const bad of [{ ...body, checksum: 'f'.repeat(64) }, { ...body, amount: 1 }, { ...body, transaction_state: 'Settled' }]) {
      const res = await notify(bad);
      expect([res.status, res.body.error.code]).toEqual([401, 'invalid_signature']);
    }
    expect(await world.paymentOf(b.paymentId)).toMatchObject({ status: 'pending', chargeId: null });
    expect((await events(b.paymentId)).map((e) => e.type)).not.toContain('webhook_received');
  });

  it('a genuine notify pays only the payment its stored order says: a rewritten reference changes nothing', async () => {
    await open();
    const { a, b, chargeB } = await twoOrders();
    // The checksum does not cover reference_order: rewritten to A's payment, it must not pay A.
    const rewritten = qrNotifyBody({ id: chargeB, order_id: b.next.attributes['order-id'], reference_order: a.paymentId });
    expect((await notify(rewritten)).status).toBe(200);
    expect(await world.paymentOf(a.paymentId)).toMatchObject({ status: 'pending', chargeId: null });
    // The genuine one pays B, once, however often it comes.
    const genuine = qrNotifyBody({ id: chargeB, order_id: b.next.attributes['order-id'], reference_order: b.paymentId });
    expect((await notify(genuine)).body).toMatchObject({ paymentId: b.paymentId, status: 'succeeded' });
    expect((await notify(genuine)).body).toMatchObject({ paymentId: b.paymentId, status: 'succeeded' });
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([b.paymentId]);
  });

  it('a card form posted to a QR payment, or a chargeId to a card payment, is refused', async () => {
    await open();
    const qr = await startQr(world);
    const asCard = await postForm(qr.next.formAction.replace('/kpayment/qr/', '/kpayment/token/'), { token: 'tokn_test_abc', paymentMethods: 'card', mid: '401000000000001' });
    expect(asCard.status).toBe(404);
    const card = await world.createPayment(world.order(150_000), 'card');
    const asQr = await postForm(card.body.next.formAction.replace('/kpayment/token/', '/kpayment/qr/'), { chargeId: 'chrg_test_abc' });
    expect(asQr.status).toBe(404);
    expect(await world.paymentOf(qr.paymentId)).toMatchObject({ status: 'pending', chargeId: null });
  });
});

describe('the reconciler covers QR payments (decisions.md 11)', () => {
  it('settles a QR paid with no notify and no post-back, and leaves a waiting QR pending', async () => {
    let now = Date.now();
    await open({ checkout: { now: () => now } });
    kpaymentSettings(world, { notify: 'drop' });
    const paid = await startQr(world);
    const waiting = await startQr(world);
    world.sandbox.kpayment.payQr(world.keys.secretKey, await showQr(world, paid.next));
    await showQr(world, waiting.next);
    now += 11 * MINUTE;
    const report = await world.companion.checkout.reconcile();
    expect(report).toMatchObject({ checked: 2, updated: 1, errors: 0 });
    expect(report.payments).toEqual([{ id: paid.paymentId, from: 'pending', to: 'succeeded' }]);
    expect((await events(paid.paymentId)).find((e) => e.toStatus === 'succeeded')?.source).toBe('reconciler');
    expect(await world.paymentOf(waiting.paymentId)).toMatchObject({ status: 'pending' });
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paid.paymentId]);
  });
});
