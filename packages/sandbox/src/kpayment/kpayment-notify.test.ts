import { kpaymentChecksum, verifyKpaymentChecksum } from '@payment-checkout/core/signature';
import { afterEach, describe, expect, it } from 'vitest';
import { type Receiver, deadUrl, startReceiver } from '../../test/test-kit.ts';
import { notifyWire } from './serialize.ts';
import type { ChargeRecord } from './state.ts';
import { type KpaymentHarness, MINUTE, call, newMerchant, payWithCard, setSettings, startKpayment } from '../../test/kpayment-kit.ts';

/** WebHook Notify (§6.5): the card payload, its checksum (decisions.md 1) and retries driven by the sandbox clock. */

let h: KpaymentHarness | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await h?.close();
  await receiver?.close();
  h = undefined;
  receiver = undefined;
});

describe('checksum', () => {
  it('reproduces the guide\'s worked example (§6.5.1) with the payload the emulator builds', () => {
    const charge = {
      id: 'chrg_prod_12345678',
      amount: 1500,
      currency: 'THB',
      state: 'Authorized',
      status: 'success',
      card: { id: 'card_prod_1', number: '4024007134786226', brand: 'visa', masking: '402400*****6226', name: 'A', expiryMonth: 1, expiryYear: 2030 },
      createdAt: Date.UTC(2018, 2, 22, 5, 19, 44),
      referenceOrder: 'WT123456',
      description: 'TestDescription',
      redirectUrl: null,
      approvalCode: '123456',
      refs: [null, null, null],
      failureCode: null,
      failureMessage: null,
      campaignId: null,
      mpi: null,
    } as unknown as ChargeRecord;
    const body = notifyWire(charge, 'skey_prod_41Bbw6At8dJjVyKV3ZaXghhLpRro5oAtR');
    expect(body).toMatchObject({ id: 'chrg_prod_12345678', amount: 15, currency: 'THB', status: 'success', transaction_state: 'Authorized', created: '20180322121944000', failure_code: '', failure_message: '' });
    expect(body.checksum).toBe('cc1152742bc4a1169341f8fee95baf2d5886510d577fa95e751cdc6c29162a3a');
  });
});

describe('delivery', () => {
  it('notifies a non 3-D Secure result too, as JSON with the guide\'s fields, verifiable with core', async () => {
    h = await startKpayment();
    receiver = await startReceiver();
    const m = newMerchant();
    await setSettings(h.url, m.sk, { threeDSecure: false, notifyUrl: receiver.url });
    const { charge } = await payWithCard(h.url, m, { number: '4532741632025415' }, { amount: 99.99, ref_1: 'r1' });
    const [request] = await receiver.waitFor(1);
    expect(request.headers['content-type']).toContain('application/json');
    expect(Object.keys(request.json)).toEqual([
      'id', 'object', 'amount', 'currency', 'transaction_state', 'source', 'created', 'status', 'reference_order', 'description',
      'redirect_url', 'approval_code', 'ref_1', 'ref_2', 'ref_3', 'livemode', 'failure_code', 'failure_message', 'campaign_id', 'mpi', 'checksum',
    ]);
    expect(request.json).toMatchObject({
      id: charge.id,
      amount: 99.99,
      transaction_state: 'Declined',
      status: 'fail',
      failure_code: '05',
      failure_message: 'Do Not Honor',
      ref_1: 'r1',
      source: { brand: 'visa', card_masking: '453274*****5415' },
    });
    expect(request.json.checksum).toBe(kpaymentChecksum({ id: charge.id, amount: '99.99', currency: 'THB', status: 'fail', transaction_state: 'Declined' }, m.sk));
    expect(verifyKpaymentChecksum(request.json, m.sk)).toBe(true);
    // Another merchant's secret does not verify it; neither does a changed amount.
    expect(verifyKpaymentChecksum(request.json, newMerchant().sk)).toBe(false);
    expect(verifyKpaymentChecksum({ ...request.json, amount: 9.99 }, m.sk)).toBe(false);
  });

  it('sends nothing without a notify URL, or with notify "drop"; twice with "duplicate"', async () => {
    h = await startKpayment();
    receiver = await startReceiver();
    const quiet = newMerchant();
    await setSettings(h.url, quiet.sk, { threeDSecure: false });
    await payWithCard(h.url, quiet, { number: '4024007134786226' });
    const dropped = newMerchant();
    await setSettings(h.url, dropped.sk, { threeDSecure: false, notifyUrl: receiver.url, notify: 'drop' });
    await payWithCard(h.url, dropped, { number: '4024007134786226' });
    const doubled = newMerchant();
    await setSettings(h.url, doubled.sk, { threeDSecure: false, notifyUrl: receiver.url, notify: 'duplicate' });
    const { charge } = await payWithCard(h.url, doubled, { number: '4024007134786226' });
    await h.controls.flushNotifications();
    await receiver.waitFor(2);
    expect(receiver.requests.map((r) => r.json.id)).toEqual([charge.id, charge.id]);
    expect(receiver.requests[0].rawBody).toBe(receiver.requests[1].rawBody);
  });

  it('retries a failed notify at the clock\'s times until it gets a 2xx, and records every attempt', async () => {
    h = await startKpayment({ notifyRetryDelaysMs: [MINUTE, 5 * MINUTE] });
    receiver = await startReceiver([500, 503]);
    const m = newMerchant();
    await setSettings(h.url, m.sk, { threeDSecure: false, notifyUrl: receiver.url });
    await payWithCard(h.url, m, { number: '4024007134786226' });
    await receiver.waitFor(1);
    await h.controls.flushNotifications();
    await h.clock.advance(MINUTE - 1000);
    expect(receiver.requests).toHaveLength(1);
    await h.clock.advance(1000);
    expect(receiver.requests).toHaveLength(2);
    await h.clock.advance(5 * MINUTE);
    expect(receiver.requests).toHaveLength(3);
    await h.clock.advance(60 * MINUTE);
    expect(receiver.requests).toHaveLength(3);
    expect(new Set(receiver.requests.map((r) => r.rawBody)).size).toBe(1);
    const deliveries = await call(h.url, '/_sandbox/kpayment/notify-deliveries', { key: m.sk });
    expect(deliveries.body.data.map((d: { attempt: number; status_code: number }) => [d.attempt, d.status_code])).toEqual([[1, 500], [2, 503], [3, 200]]);
    expect(h.controls.notifyDeliveries(m.sk)).toHaveLength(3);
  });

  it('gives up after the last retry when the receiver stays down', async () => {
    h = await startKpayment({ notifyRetryDelaysMs: [MINUTE] });
    const m = newMerchant();
    await setSettings(h.url, m.sk, { threeDSecure: false, notifyUrl: await deadUrl() });
    await payWithCard(h.url, m, { number: '4024007134786226' });
    await h.controls.flushNotifications();
    await h.clock.advance(10 * MINUTE);
    const attempts = h.controls.notifyDeliveries(m.sk);
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
    expect(attempts.every((a) => a.status_code === null && a.error)).toBe(true);
  });
});
