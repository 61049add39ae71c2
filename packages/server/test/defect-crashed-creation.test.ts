import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PaymentMethodId } from '@payment-checkout/core';
import { startCard } from './support/kpayment.ts';
import { type World, startWorld } from './support/world.ts';

/**
 * Issue 9, defect 5: a payment left `created` (the process died between the insert and the gateway's answer)
 * must not block its order. It blocks new payments only for the in-progress window (another process may still
 * be creating it), and the reconciler ends it on its next run — whatever the method: the card form's grace is
 * for a card payment waiting for the shopper's form, not for a creation that never finished.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

let world: World | undefined;
let now = Date.now();
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function open() {
  now = Date.now();
  world = await startWorld({ kpayment: true, checkout: { now: () => now } });
  return world;
}

/** The row a crash during creation leaves: `created`, no charge, no gateway reference, created `ago` ms before now. */
async function crashedCreation(w: World, method: PaymentMethodId, ago: number, orderId = w.order(150_000)) {
  const id = `pay_${randomBytes(16).toString('hex')}`;
  await w.companion.checkout.store.createPayment({
    id, orderId, method, gateway: 'kpayment', amount: 150_000, currency: 'THB', platform: null, chargeId: null, sourceId: null,
    status: 'created', failureCode: null, failureMessage: null, returnToken: randomBytes(24).toString('base64url'), authorizeUri: null,
    createdAt: new Date(now - ago).toISOString(),
  });
  return { id, orderId };
}

const NO_CHARGE = { status: 'canceled', failureCode: 'gateway_error', failureMessage: 'no charge was created' };

describe('defect 5: a payment left created by a crash during creation', () => {
  it('blocks a new payment for the order only within the in-progress window, then the shopper can pay at once', async () => {
    const w = await open();
    const { id, orderId } = await crashedCreation(w, 'thai_qr', 10 * SECOND);
    const busy = await w.createPayment(orderId, 'thai_qr');
    expect([busy.status, busy.body.error?.code]).toEqual([409, 'payment_in_progress']);

    now += 21 * SECOND;
    const fresh = await w.createPayment(orderId, 'thai_qr');
    expect(fresh.status).toBe(201);
    expect(fresh.body.next.type).toBe('qr');
    expect(await w.paymentOf(id)).toMatchObject({ status: 'created', supersededBy: fresh.body.paymentId });
  });

  it('is ended by the reconciler on its next run, for a QR payment too (no card-form grace)', async () => {
    const w = await open();
    const qr = await crashedCreation(w, 'thai_qr', 11 * MINUTE);
    const wechat = await crashedCreation(w, 'wechat_pay', 31 * SECOND);
    const card = await crashedCreation(w, 'card', 11 * MINUTE);
    const inFlight = await crashedCreation(w, 'thai_qr', 10 * SECOND);

    const report = await w.companion.checkout.reconcile();
    expect(report.errors).toBe(0);
    expect(report.payments).toEqual(
      expect.arrayContaining([qr, wechat, card].map(({ id }) => ({ id, from: 'created', to: 'canceled' }))),
    );
    for (const { id } of [qr, wechat, card]) expect(await w.paymentOf(id)).toMatchObject(NO_CHARGE);
    // Still within the in-progress window: another process may be creating it right now, even when asked to check all.
    await w.companion.checkout.reconcile({ olderThanMs: 0 });
    expect(await w.paymentOf(inFlight.id)).toMatchObject({ status: 'created' });
    // The orders are free: a new payment starts at once.
    expect((await w.createPayment(qr.orderId, 'thai_qr')).status).toBe(201);
  });

  it('is settled from the charge the gateway finds by its reference, when the charge was created before the crash', async () => {
    const w = await open();
    const { id } = await crashedCreation(w, 'alipay', 11 * MINUTE);
    // The gateway created the charge (reference_order = the payment id); its answer never reached the companion.
    const charge = await w.companion.checkout.gateways.kpayment!.client.createRedirectCharge({
      amount: 1500, currency: 'THB', description: 'x', source_type: 'alipay', reference_order: id,
    });
    w.sandbox.kpayment.completeAlipay(w.keys.secretKey, charge.id, 'pay');

    const report = await w.companion.checkout.reconcile();
    expect(report.payments).toEqual([{ id, from: 'created', to: 'succeeded' }]);
    expect(await w.paymentOf(id)).toMatchObject({ status: 'succeeded', chargeId: charge.id });
    expect(w.hooks.onPaid.map((p) => p.id)).toEqual([id]);
  });

  it('keeps the grace for a card payment waiting for the shopper\'s card form', async () => {
    const w = await open();
    const waiting = await startCard(w);
    now += 11 * MINUTE;
    const report = await w.companion.checkout.reconcile();
    expect(report.payments).toEqual([]);
    expect(await w.paymentOf(waiting.paymentId)).toMatchObject({ status: 'pending' });
    now += 60 * MINUTE;
    await w.companion.checkout.reconcile();
    expect(await w.paymentOf(waiting.paymentId)).toMatchObject(NO_CHARGE);
  });
});
