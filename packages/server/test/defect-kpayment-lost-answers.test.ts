import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cardToken, kpaymentApi, kpaymentSettings, postForm, showQr, startCard, startQr, threeDSecure, tokenFields } from './support/kpayment.ts';
import { queryOf } from './support/world.ts';
import { open, world } from './support/kpayment-world.ts';

/**
 * K-Payment answers lost on the way (found by trying the demo with the sandbox's faults): what the shopper and the
 * merchant get when Create Order (Thai QR, WeChat Pay) answers 5xx, is reset or times out.
 */

const MINUTE = 60_000;
const OPS = { name: 'ops-test', token: randomBytes(32).toString('base64url') };
const ops = (path: string, method = 'GET') => world.api(`/operations${path}`, { method, headers: { authorization: `Bearer ${OPS.token}` } });
const events = async (paymentId: string) => (await world.companion.checkout.store.listEvents(paymentId)).map((e) => e.type);

describe('a QR order whose answer was lost', () => {
  for (const [name, fault] of [
    ['a 503 before anything was created', { failNext: { count: 1, status: 503, on: 'POST /qr/v2/order' } }],
    ['a reset after the order was created', { failNext: { count: 1, fault: 'reset', after: 'commit', on: 'POST /qr/v2/order' } }],
  ] as const) {
    it(`${name}: the payment ends at once (nobody was shown its QR, so nothing can be paid), and the order can be paid again`, async () => {
      await open();
      const orderId = world.order(150_000);
      world.sandbox.kpayment.setScenario(world.keys.secretKey, fault);
      const failed = await world.createPayment(orderId, 'thai_qr');
      expect([failed.status, failed.body.error.code]).toEqual([502, 'gateway_error']);
      const [lost] = await world.companion.checkout.store.listPaymentsForOrder(orderId);
      expect(lost).toMatchObject({ status: 'failed', sourceId: null, chargeId: null });
      world.sandbox.kpayment.setScenario(world.keys.secretKey, {});

      // Every method of the order is open again, the QR first: a new order, shown and paid.
      const again = await world.createPayment(orderId, 'thai_qr');
      expect(again.status, JSON.stringify(again.body)).toBe(201);
      world.sandbox.kpayment.payQr(world.keys.secretKey, await showQr(world, again.body.next));
      await expect.poll(async () => (await world.paymentOf(again.body.paymentId)).status, { timeout: 5_000 }).toBe('succeeded');
      expect(world.hooks.onFailed.map((p) => p.id)).toEqual([lost.id]);
      expect(world.hooks.onPaid.map((p) => p.id)).toEqual([again.body.paymentId]);
    });
  }

  it('one left pending by an earlier version (its lost answer recorded as unknown) is settled by any lookup: the next create, the reconciler, Check now', async () => {
    let now = Date.now();
    await open({ checkout: { now: () => now, operations: { tokens: [OPS] } } });
    const store = world.companion.checkout.store;
    /** A payment as the lost answer left it before: pending, no order id, its gateway_error outcomeUnknown. */
    const leftPending = async () => {
      const { orderId, paymentId } = await startQr(world);
      await store.updatePayment(paymentId, () => ({ patch: { sourceId: null }, events: [{ source: 'create', type: 'gateway_error', detail: { code: 'network_error', message: 'reset', outcomeUnknown: true } }], result: null }), new Date(now).toISOString());
      return { orderId, paymentId };
    };

    const blocked = await leftPending();
    const retry = await world.createPayment(blocked.orderId, 'card');
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(await world.paymentOf(blocked.paymentId)).toMatchObject({ status: 'canceled', failureCode: 'gateway_error' });

    const forTheReconciler = await leftPending();
    now += 11 * MINUTE;
    const report = await world.companion.checkout.reconcile();
    expect(report.payments).toContainEqual({ id: forTheReconciler.paymentId, from: 'pending', to: 'canceled' });

    const forTheMerchant = await leftPending();
    const checked = await ops(`/payments/${forTheMerchant.paymentId}/check`, 'POST');
    expect([checked.status, checked.body.payment?.status]).toEqual([200, 'canceled']);
    expect(await events(forTheMerchant.paymentId)).toContain('status_changed');
  });
});

describe('a card charge whose answer was lost', () => {
  it('ends once K-Payment has no charge for it and none can still land: the shopper reads it within a minute, Check now answers meanwhile', async () => {
    let now = Date.now();
    await open({ checkout: { now: () => now, operations: { tokens: [OPS] } } });
    kpaymentSettings(world, { threeDSecure: false });
    const { paymentId, next } = await startCard(world, 150_000);
    world.sandbox.kpayment.setScenario(world.keys.secretKey, { failNext: { count: 1, status: 503, on: 'POST /card/v2/charge' } });
    const back = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5431289719925031' }), next.attributes));
    expect(back.status).toBe(303);
    world.sandbox.kpayment.setScenario(world.keys.secretKey, {});

    // While a late charge could still appear (the client's timeout and a margin), finding none proves nothing.
    const status = async () => (await world.api(`/checkout/payments/${paymentId}?locale=en`)).body;
    expect((await status()).status).toBe('pending');
    now += 10_000;
    const checked = await ops(`/payments/${paymentId}/check`, 'POST');
    expect([checked.status, checked.body.payment?.status]).toEqual([200, 'pending']);

    now += 30_000;
    expect(await status()).toMatchObject({ status: 'canceled', failureCode: 'gateway_error' });
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'canceled', chargeId: null });
    expect(world.hooks.onFailed.map((p) => p.id)).toEqual([paymentId]);
    expect((await kpaymentApi(world, `/card/v2/charge/${paymentId}`)).body.code).toBe('charge_id_not_exist');
  });
});

describe('Check now on a card payment whose form the shopper has not sent', () => {
  it('answers the payment as it is, still waiting for the shopper (K-Payment has no charge for it: none was asked for)', async () => {
    let now = Date.now();
    await open({ checkout: { now: () => now, operations: { tokens: [OPS] } } });
    const { paymentId } = await startCard(world, 150_000);
    for (const later of [0, 40_000, 20 * MINUTE]) {
      now += later;
      const checked = await ops(`/payments/${paymentId}/check`, 'POST');
      expect([checked.status, checked.body.payment?.status, checked.body.error?.code], `${later} ms later`).toEqual([200, 'pending', undefined]);
    }
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending', chargeId: null });
    expect(world.hooks.onFailed).toEqual([]);
  });
});

describe('a 3-D Secure charge whose answer was lost', () => {
  it("sends the shopper to the bank's page at once (found by the payment's reference), and the payment is paid there", async () => {
    await open();
    const { paymentId, next } = await startCard(world, 150_000);
    world.sandbox.kpayment.setScenario(world.keys.secretKey, { failNext: { count: 1, status: 502, after: 'commit', on: 'POST /card/v2/charge' } });
    const toBank = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5404888000072727' }), next.attributes));
    world.sandbox.kpayment.setScenario(world.keys.secretKey, {});
    expect(toBank.status).toBe(303);
    const charge = (await kpaymentApi(world, `/card/v2/charge/${paymentId}`)).body;
    expect(toBank.location).toBe(charge.redirect_url);
    const callback = await threeDSecure(toBank.location!, '123456');
    const back = await postForm(callback.action, callback.fields);
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'succeeded' });
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'succeeded', chargeId: charge.id });
  });
});
