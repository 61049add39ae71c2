import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { operationEvents, operationsCaller } from './support/operations.ts';
import { type World, type WorldOptions, startWorld } from './support/world.ts';

/**
 * A shopper who pays one order twice, or leaves a payment for another method: the companion reverses the later payment
 * where its gateway allows (decisions C15, C16), reports it to the merchant's hook as it ends, and tells the shopper.
 */

const OPS = { name: 'ops-carol', token: randomBytes(32).toString('base64url') };

let world: World;
afterEach(async () => {
  await world?.close();
});

async function open(options: WorldOptions = {}): Promise<void> {
  world = await startWorld({ ...options, checkout: { ...options.checkout, operations: { tokens: [OPS] } } });
}

const ops = operationsCaller(() => world, OPS.token);

describe('paying twice', () => {
  it('an authorised KakaoPay payment the shopper left for another method is reversed at Opn (its hold released)', async () => {
    await open({ checkout: { opn: { manualCapture: true } } });
    const orderId = world.order(150_000);
    const kakao = await world.createPayment(orderId, 'kakaopay');
    await world.visit(await world.authorize(kakao.body.next.url, 'successful'));
    expect((await world.paymentOf(kakao.body.paymentId)).status).toBe('authorized');

    const kplus = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect(kplus.status, JSON.stringify(kplus.body)).toBe(201);
    expect((await world.paymentOf(kakao.body.paymentId)).status).toBe('canceled');
    await world.visit(await world.authorize(kplus.body.next.url, 'successful'));
    // The shopper's first tab, still on the KakaoPay payment, learns the order is paid: nothing to choose again.
    expect((await world.api(`/checkout/payments/${kakao.body.paymentId}?locale=en`)).body).toMatchObject({
      status: 'canceled',
      notice: { kind: 'paid_by_other', message: 'It was paid with another payment method. Nothing was taken with this one.' },
    });
    expect((await world.paymentOf(kplus.body.paymentId)).status).toBe('succeeded');
    const left = await world.paymentOf(kakao.body.paymentId);
    expect(left.status).toBe('canceled');
    expect((await world.opn(`/charges/${left.chargeId}`)).body).toMatchObject({ status: 'reversed' });
  });
});

describe('paid twice: the later payment is reversed by the companion where the gateway allows, and reported', () => {
  /**
   * A KakaoPay payment left pending, its order then paid with K PLUS, and the KakaoPay charge paid after all
   * (`beforeSecond` runs just before: a fault scenario for the companion's reversal).
   */
  async function payTwice(beforeSecond: () => Promise<void> = async () => undefined) {
    const orderId = world.order(150_000);
    const kakao = await world.createPayment(orderId, 'kakaopay');
    const kplus = await world.createPayment(orderId, 'mobile_banking_kbank');
    await world.visit(await world.authorize(kplus.body.next.url, 'successful'));
    const chargeId = (await world.paymentOf(kakao.body.paymentId)).chargeId!;
    await beforeSecond();
    await world.complete(chargeId, 'successful');
    await world.flushWebhooks();
    return { kplus: kplus.body.paymentId as string, kakao: kakao.body.paymentId as string, chargeId };
  }

  it('voids a KakaoPay payment that paid an order already paid; onNeedsRefund reports it voided', async () => {
    await open();
    const { kplus, kakao, chargeId } = await payTwice();
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([kplus]);
    expect(world.hooks.onNeedsRefund.map((p) => [p.id, p.status, p.needsRefund])).toEqual([[kakao, 'voided', true]]);
    expect((await world.opn(`/charges/${chargeId}`)).body).toMatchObject({ voided: true });
    const detail = (await ops(`/payments/${kakao}`)).body;
    expect(detail.payment).toMatchObject({ status: 'voided', needsRefund: true });
    expect(operationEvents(detail)).toEqual([['operation_requested', 'void', 'companion'], ['operation_succeeded', 'void', 'companion']]);
    expect(detail.events.filter((e: { type: string }) => e.type === 'hook_called')).toHaveLength(1);
    // The shopper who paid twice is told so, and that the money is back; the first payment's view says nothing of it.
    expect((await world.api(`/checkout/payments/${kakao}?locale=en`)).body.notice).toEqual({
      kind: 'paid_twice_refunded',
      headline: 'This order was already paid',
      message: 'This second payment has been given back to you. It can take a few days to show on your statement.',
    });
    expect((await world.api(`/checkout/payments/${kplus}?locale=en`)).body).not.toHaveProperty('notice');
  });

  it("voids it even when the void's answer is lost (read back at once): onNeedsRefund reports it voided, not succeeded", async () => {
    await open();
    const { kakao, chargeId } = await payTwice(() => world.scenario({ failNext: { count: 1, status: 500, after: 'commit', on: ['POST /charges/*/refunds', 'POST /charges/*/reverse'] } }));
    await world.scenario({});
    expect((await world.opn(`/charges/${chargeId}`)).body).toMatchObject({ voided: true });
    expect(await world.paymentOf(kakao)).toMatchObject({ status: 'voided', needsRefund: true });
    expect(world.hooks.onNeedsRefund.map((p) => [p.id, p.status])).toEqual([[kakao, 'voided']]);
  });

  it('with reverseDuplicatePayments: false, leaves it to the merchant: reported as succeeded', async () => {
    await open({ checkout: { reverseDuplicatePayments: false } });
    const { kakao, chargeId } = await payTwice();
    expect(world.hooks.onNeedsRefund.map((p) => [p.id, p.status])).toEqual([[kakao, 'succeeded']]);
    expect((await world.opn(`/charges/${chargeId}`)).body).toMatchObject({ voided: false, refunded_amount: 0 });
    const view = (await world.api(`/checkout/payments/${kakao}?locale=th`)).body;
    expect(view).toMatchObject({ status: 'succeeded', notice: { kind: 'paid_twice_to_refund', headline: 'คำสั่งซื้อนี้ชำระเงินไปแล้ว' } });
  });

  it('tells the shopper of a payment left open when another one paid the order not to complete it', async () => {
    await open();
    const orderId = world.order(150_000);
    const kakao = await world.createPayment(orderId, 'kakaopay');
    const kplus = await world.createPayment(orderId, 'mobile_banking_kbank');
    await world.visit(await world.authorize(kplus.body.next.url, 'successful'));
    // KakaoPay's charge stays open at Opn (no cancel): the shopper is told not to complete it.
    const view = (await world.api(`/checkout/payments/${kakao.body.paymentId}?locale=en`)).body;
    expect(view).toMatchObject({
      status: 'pending',
      notice: { kind: 'paid_by_other_open', message: 'It was paid with another payment method. Do not complete this payment: if you do, it will be refunded.' },
    });
  });

  it('a K PLUS payment that paid twice cannot be reversed at Opn: reported as succeeded, the log says why', async () => {
    await open();
    const orderId = world.order(150_000);
    const kplus = await world.createPayment(orderId, 'mobile_banking_kbank');
    const kakao = await world.createPayment(orderId, 'kakaopay');
    await world.visit(await world.authorize(kakao.body.next.url, 'successful'));
    await world.complete((await world.paymentOf(kplus.body.paymentId)).chargeId!, 'successful');
    await world.flushWebhooks();
    expect(world.hooks.onNeedsRefund.map((p) => [p.id, p.status])).toEqual([[kplus.body.paymentId, 'succeeded']]);
    const detail = (await ops(`/payments/${kplus.body.paymentId}`)).body;
    expect(detail.events.find((e: { type: string }) => e.type === 'operation_failed')?.detail).toMatchObject({ by: 'companion', automatic: true, message: expect.stringContaining('cannot void or refund') });
  });
});
