import { CheckoutError, type PaymentMethodId } from '@payment-checkout/core';
import { describe, expect, it } from 'vitest';
import type { PaymentRecord } from '../../store/store.ts';
import { KpaymentClient } from './kpayment-client.ts';
import { KpaymentQrPayments } from './kpayment-qr.ts';
import { startRedirectCharge } from './kpayment-redirects.ts';

/**
 * The QR and redirect adapters against answers the sandbox never gives (a scripted K-Payment): what is not
 * `Initialize` + `success` with a page never sends the shopper anywhere, and a charge or order that is not the
 * payment's is refused.
 */

const PAYMENT_ID = `pay_${'a'.repeat(32)}`;

function payment(method: PaymentMethodId, patch: Partial<PaymentRecord> = {}): PaymentRecord {
  return {
    id: PAYMENT_ID,
    orderId: 'order-1',
    method,
    gateway: 'kpayment',
    amount: 150_000,
    currency: 'THB',
    platform: null,
    chargeId: null,
    sourceId: null,
    status: 'created',
    failureCode: null,
    failureMessage: null,
    returnToken: 't'.repeat(43),
    authorizeUri: null,
    supersededBy: null,
    needsRefund: false,
    refundedAmount: 0,
    settledAmount: null,
    chargedAmount: null,
    chargedCurrency: null,
    installmentTerm: null,
    chargeCreatedAt: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...patch,
  };
}

/** A K-Payment that answers each `METHOD /path` from the script, and records what it was asked. */
function scripted(answers: Record<string, unknown>) {
  const asked: { method: string; path: string; body: unknown }[] = [];
  const fetch = (async (url: string | URL, init?: RequestInit) => {
    const { pathname } = new URL(url);
    const method = init?.method ?? 'GET';
    asked.push({ method, path: pathname, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const answer = answers[`${method} ${pathname}`];
    if (answer === undefined) return new Response(JSON.stringify({ object: 'error', code: 'not_found', message: 'not scripted' }), { status: 404 });
    return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { client: new KpaymentClient({ secretKey: 'skey_test_x', apiUrl: 'https://kpayment.test', fetch }), asked };
}

const charge = (fields: Record<string, unknown>) => ({
  id: 'chrg_test_1',
  object: 'charge',
  amount: 1500,
  currency: 'THB',
  transaction_state: 'Initialize',
  status: 'success',
  reference_order: PAYMENT_ID,
  redirect_url: 'https://kpayment.test/kpgw/alipay/redr_test_1',
  ...fields,
});

describe('Alipay / UnionPay Create Charge: only Initialize + success with a page sends the shopper there', () => {
  it('redirects for Initialize + success, and sends the amount and reference of the payment', async () => {
    const k = scripted({ 'POST /card/v2/charge': charge({}) });
    const started = await startRedirectCharge(k.client, '401000000000001', payment('unionpay'), 'unionpay');
    expect(started).toMatchObject({ status: 'pending', authorizeUri: 'https://kpayment.test/kpgw/alipay/redr_test_1', next: { type: 'redirect' } });
    expect(k.asked[0].body).toEqual({
      amount: 1500,
      currency: 'THB',
      description: 'Order order-1',
      source_type: 'unionpay',
      reference_order: PAYMENT_ID,
      additional_data: { mid: '401000000000001' },
    });
  });

  const refused: [string, Record<string, unknown>, string][] = [
    ['Initialize + fail', { status: 'fail', failure_code: 'mid_and_tid_not_exist' }, 'mid_and_tid_not_exist'],
    ['no redirect_url', { redirect_url: null }, 'gateway_error'],
    ['a redirect_url that is not http(s)', { redirect_url: 'javascript:alert(1)' }, 'gateway_error'],
    ['Pre-Authorized', { transaction_state: 'Pre-Authorized' }, 'gateway_error'],
    ['Declined', { transaction_state: 'Declined', status: 'fail', failure_code: '05' }, '05'],
  ];
  for (const [what, fields, code] of refused) {
    it(`does not redirect for ${what}: the payment fails with ${code}`, async () => {
      const k = scripted({ 'POST /card/v2/charge': charge(fields) });
      const started = await startRedirectCharge(k.client, '401000000000001', payment('alipay'), 'alipay');
      expect(started).toMatchObject({ status: 'failed', failureCode: code, authorizeUri: null, next: { type: 'done', status: 'failed' }, gatewayIds: { chargeId: 'chrg_test_1' } });
    });
  }

  it('refuses a charge for another amount or reference', async () => {
    for (const fields of [{ amount: 15 }, { currency: 'USD' }, { reference_order: 'someone-else' }]) {
      const k = scripted({ 'POST /card/v2/charge': charge(fields) });
      await expect(startRedirectCharge(k.client, '401000000000001', payment('alipay'), 'alipay')).rejects.toMatchObject({ code: 'gateway_error' });
    }
  });
});

function qr(client: KpaymentClient, now = () => Date.UTC(2024, 0, 1, 5, 0, 0)) {
  return new KpaymentQrPayments({ client, publicKey: 'pkey_test_x', scriptUrl: 'https://kpayment.test/ui/v2/kpayment.min.js', merchantName: null, expireSeconds: null, publicBaseUrl: 'https://shop.test', now });
}

const order = (fields: Record<string, unknown> = {}) => ({
  id: 'order_test_1',
  object: 'order',
  amount: 1500,
  currency: 'THB',
  reference_order: PAYMENT_ID,
  source_type: 'card', // the guide's sample answers "card" for a "qr" order (§10.19)
  status: 'success',
  created: '20240101120000000', // Bangkok time: 05:00 UTC
  expire_time_seconds: 3600,
  ...fields,
});

describe('Thai QR / WeChat Pay orders', () => {
  it('counts a new order\'s expiry by our clock, from when it asked (expire_time_seconds), whatever the gateway\'s clock says', async () => {
    // The gateway's clock is an hour ahead of ours (a sandbox whose clock was moved): its `created` is 06:00 UTC.
    const k = scripted({ 'POST /qr/v2/order': order({ created: '20240101130000000' }) });
    const started = await qr(k.client).start(payment('thai_qr'), 'thai_qr');
    expect(started).toMatchObject({ status: 'pending', gatewayIds: { chargeId: null, sourceId: 'order_test_1' } });
    expect(started.next).toMatchObject({
      type: 'qr',
      expiresAt: '2024-01-01T06:00:00.000Z',
      expiresIn: 3600,
      attributes: { 'order-id': 'order_test_1', 'payment-methods': 'qr' },
    });
    expect(k.asked[0].body).toEqual({ amount: 1500, currency: 'THB', description: 'Order order-1', source_type: 'qr', reference_order: PAYMENT_ID });
    // Without an expiry in the answer there is no countdown, rather than a wrong one.
    const untimed = await qr(scripted({ 'POST /qr/v2/order': order({ expire_time_seconds: null }) }).client).start(payment('wechat_pay'), 'wechat_pay');
    expect(untimed.next).not.toHaveProperty('expiresAt');
    expect(untimed.next).not.toHaveProperty('expiresIn');
  });

  it('takes the expiry of an order it did not create (another process) from its created time (Bangkok) and expire_time_seconds', async () => {
    const k = scripted({ 'GET /qr/v2/order/order_test_1': order() });
    const p = { ...payment('thai_qr'), sourceId: 'order_test_1' };
    expect(await qr(k.client, () => Date.UTC(2024, 0, 1, 5, 30, 0)).resume(p)).toMatchObject({ type: 'qr', expiresAt: '2024-01-01T06:00:00.000Z', expiresIn: 1800 });
  });

  it('fails the payment when Create Order answers fail, and refuses an order for another amount', async () => {
    const failed = await qr(scripted({ 'POST /qr/v2/order': order({ status: 'fail', failure_code: 'invalid_merchant' }) }).client).start(payment('thai_qr'), 'thai_qr');
    expect(failed).toMatchObject({ status: 'failed', failureCode: 'invalid_merchant', next: { type: 'done' } });
    await expect(qr(scripted({ 'POST /qr/v2/order': order({ amount: 15 }) }).client).start(payment('thai_qr'), 'thai_qr')).rejects.toBeInstanceOf(CheckoutError);
  });

  it('does not show an order again once it is about to expire', async () => {
    const k = scripted({ 'GET /qr/v2/order/order_test_1': order() });
    const p = payment('thai_qr', { status: 'pending', sourceId: 'order_test_1' });
    expect(await qr(k.client, () => Date.UTC(2024, 0, 1, 5, 59, 0)).resume(p)).toMatchObject({ type: 'qr' });
    expect(await qr(k.client, () => Date.UTC(2024, 0, 1, 5, 59, 45)).resume(p)).toBeNull();
    expect(await qr(k.client).resume({ ...p, chargeId: 'chrg_test_1' })).toBeNull();
  });

  it('counts a charge only when it names this payment\'s order or reference', async () => {
    const p = payment('thai_qr', { status: 'pending', sourceId: 'order_test_1' });
    const qrCharge = (fields: Record<string, unknown>) => charge({ transaction_state: 'Authorized', order_id: 'order_test_1', redirect_url: null, ...fields });
    const verify = (fields: Record<string, unknown>) => qr(scripted({ 'GET /qr/v2/qr/chrg_test_1': qrCharge(fields) }).client).verifyCharge(p, 'chrg_test_1');
    expect(await verify({})).toMatchObject({ status: 'succeeded', chargeId: 'chrg_test_1' });
    expect(await verify({ order_id: undefined })).toMatchObject({ status: 'succeeded' });
    expect(await verify({ reference_order: null })).toMatchObject({ status: 'succeeded' });
    for (const fields of [{ order_id: 'order_test_2' }, { reference_order: 'other' }, { order_id: null, reference_order: null }, { amount: 1 }]) {
      await expect(verify(fields), JSON.stringify(fields)).rejects.toMatchObject({ code: 'source_mismatch', status: 422 });
    }
    // Voided is read as voided whatever its spelling (decisions.md 6).
    const voided = await qr(scripted({ 'GET /qr/v2/qr/chrg_test_1': qrCharge({ transaction_state: 'VOID' }) }).client).fetchStatus({ ...p, chargeId: 'chrg_test_1' });
    expect(voided.status).toBe('voided');
  });
});
