import QRCode from 'qrcode';
import { kpaymentChecksum, verifyKpaymentChecksum } from '@payment-checkout/core/signature';
import { describe, expect, it } from 'vitest';
import { crcValid, decodeTlv } from './thai-qr.ts';
import { DAY, MID, call, createOrder, newMerchant, orderWithQr, setSettings, submitPage, useKpaymentAndReceiver } from '../../test/kpayment-kit.ts';

/**
 * Thai QR and WeChat Pay (§4.3, §6.4, §6.5.3, §7.4): the QR an order gets, the QR simulator (page and
 * controls), Inquiry / Void / Cancel QR with their states and failure codes, the QR notify, and the
 * popup's backend.
 */

/** 10:00 in Bangkok on 10 June 2024: far from midnight, so "the same day" is known. */
const START = Date.UTC(2024, 5, 10, 3, 0, 0);

const { h, receiver } = useKpaymentAndReceiver({ startTime: START });

const pay = (sk: string, id: string, json: Record<string, unknown> = {}) => call(h.url, `/_sandbox/kpayment/qr/${id}/pay`, { key: sk, json });
const fail = (sk: string, id: string, json: Record<string, unknown> = {}) => call(h.url, `/_sandbox/kpayment/qr/${id}/fail`, { key: sk, json });
const expire = (sk: string, id: string) => call(h.url, `/_sandbox/kpayment/qr/${id}/expire`, { key: sk, method: 'POST' });
const inquire = (sk: string, id: string) => call(h.url, `/qr/v2/qr/${id}`, { key: sk });
const voidQr = (sk: string, chargeId: string) => call(h.url, `/qr/v2/qr/${chargeId}/void`, { key: sk, method: 'POST' });
const cancel = (sk: string, qrId: string) => call(h.url, `/qr/v2/qr/${qrId}/cancel`, { key: sk, method: 'POST' });

describe('the QR of an order', () => {
  it('is a Thai QR for the order\'s amount, with a valid CRC, the same one every time the order is opened', async () => {
    const m = newMerchant();
    const { order, qr } = await orderWithQr(h.url, m.sk, { amount: 74, reference_order: 'INV-0042' });
    expect(qr).toMatchObject({ object: 'sandbox_qr', order_id: order.id, source_type: 'qr', state: 'pending', amount: 74, currency: 'THB', reference_order: 'INV-0042', seconds_left: 3600, charge_id: null });
    expect(qr.id).toMatch(/^qr_test_[0-9a-f]{35}$/);
    expect(crcValid(qr.payload)).toBe(true);
    const tags = Object.fromEntries(decodeTlv(qr.payload).map((o) => [o.tag, o.value]));
    expect(tags).toMatchObject({ '01': '12', '53': '764', '54': '74.00', '58': 'TH' });
    expect(decodeTlv(tags['30'])).toEqual([
      { tag: '00', value: 'A000000677010112' },
      { tag: '01', value: MID },
      { tag: '02', value: qr.id.slice(8, 28).toUpperCase() },
      { tag: '03', value: 'INV0042' },
    ]);
    const again = await call(h.url, `/_sandbox/kpayment/orders/${order.id}/qr`, { key: m.sk, method: 'POST' });
    expect(again.body.id).toBe(qr.id);
  });

  it('is a WeChat Pay link for a WeChat order', async () => {
    const m = newMerchant();
    const { qr } = await orderWithQr(h.url, m.sk, { source_type: 'wechat' });
    expect(qr.payload).toBe(`weixin://wxpay/bizpayurl?pr=${qr.id.slice(8, 24)}`);
  });
});

describe('paying a QR (the simulator\'s Pay)', () => {
  it('creates an Authorized charge that Inquiry QR finds by charge id and by order id', async () => {
    const m = newMerchant();
    const metadata = [{ item: 'paper', qty: 6, amount: 10 }];
    const { order, qr } = await orderWithQr(h.url, m.sk, { amount: 1.07, description: 'TestDescription', metadata });
    const paid = await pay(m.sk, qr.id);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ state: 'paid', charge_id: expect.stringMatching(/^chrg_test_/) });
    const expected = {
      id: paid.body.charge_id,
      order_id: order.id,
      object: 'charge',
      amount: 1.07,
      currency: 'THB',
      transaction_state: 'Authorized',
      source: { id: qr.id, object: 'qr', brand: 'ThaiQR' },
      status: 'success',
      reference_order: order.reference_order,
      description: 'TestDescription',
      livemode: false,
      metadata,
      failure_code: null,
      failure_message: null,
    };
    const byCharge = await inquire(m.sk, paid.body.charge_id);
    expect(byCharge.status).toBe(200);
    expect(byCharge.body).toEqual({ ...expected, created: expect.stringMatching(/^20240610\d{9}$/) });
    expect(Object.keys(byCharge.body)).toEqual([
      'id', 'order_id', 'object', 'amount', 'currency', 'transaction_state', 'source', 'created', 'status', 'reference_order', 'description', 'livemode', 'metadata', 'failure_code', 'failure_message',
    ]);
    expect((await inquire(m.sk, order.id)).body).toEqual(byCharge.body);
  });

  it('sends the QR notify (§6.5.3) with a checksum that core verifies', async () => {
    const m = newMerchant();
    await setSettings(h.url, m.sk, { notifyUrl: receiver.url });
    const { order, qr } = await orderWithQr(h.url, m.sk, { amount: 15, description: 'TestDescription' });
    const paid = await pay(m.sk, qr.id);
    const [request] = await receiver.waitFor(1);
    expect(Object.keys(request.json)).toEqual([
      'id', 'order_id', 'object', 'amount', 'currency', 'transaction_state', 'source', 'created', 'status', 'reference_order', 'description', 'livemode', 'failure_code', 'failure_message', 'checksum',
    ]);
    expect(request.json).toMatchObject({
      id: paid.body.charge_id,
      order_id: order.id,
      object: 'charge',
      amount: 15,
      transaction_state: 'Authorized',
      source: { id: qr.id, object: 'qr', brand: 'ThaiQR' },
      status: 'success',
      failure_code: '',
      failure_message: '',
    });
    expect(request.json.checksum).toBe(kpaymentChecksum({ id: paid.body.charge_id, amount: '15.0000', currency: 'THB', status: 'success', transaction_state: 'Authorized' }, m.sk));
    expect(verifyKpaymentChecksum(request.json, m.sk)).toBe(true);
    expect(verifyKpaymentChecksum({ ...request.json, amount: 1500 }, m.sk)).toBe(false);
    expect(verifyKpaymentChecksum(request.json, newMerchant().sk)).toBe(false);
    await h.controls.flushNotifications();
    expect(h.controls.notifyDeliveries(m.sk)).toMatchObject([{ charge_id: paid.body.charge_id, transaction_state: 'Authorized', status_code: 200 }]);
  });

  it('pays an order by its id too (its QR is opened first), with the WeChat channel for WeChat Pay', async () => {
    const m = newMerchant();
    const order = await createOrder(h.url, m.sk, { source_type: 'wechat' });
    const refused = await pay(m.sk, order.id, { channel: 'kplus' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalid_parameter', message: expect.stringContaining('WeChat') });
    const paid = await pay(m.sk, order.id);
    expect(paid.body.state).toBe('paid');
    expect((await inquire(m.sk, order.id)).body.source).toEqual({ id: paid.body.id, object: 'qr', brand: 'WeChat' });
  });

  it('cannot pay, fail or expire a QR twice: qr_paid', async () => {
    const m = newMerchant();
    const { qr } = await orderWithQr(h.url, m.sk);
    await pay(m.sk, qr.id);
    for (const res of [await pay(m.sk, qr.id), await fail(m.sk, qr.id), await expire(m.sk, qr.id)]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ object: 'error', code: 'qr_paid', message: 'QR already paid (EMQRP)' });
    }
  });
});

describe('a failed QR payment (the simulator\'s Fail)', () => {
  it('leaves a Declined charge with the QR failure code, found by order id; no notify (the QR notify is Authorized only)', async () => {
    const m = newMerchant();
    await setSettings(h.url, m.sk, { notifyUrl: receiver.url });
    const { order, qr } = await orderWithQr(h.url, m.sk);
    const failed = await fail(m.sk, qr.id);
    expect(failed.body).toMatchObject({ state: 'failed', charge_id: expect.stringMatching(/^chrg_test_/) });
    const charge = await inquire(m.sk, order.id);
    expect(charge.body).toMatchObject({ id: failed.body.charge_id, transaction_state: 'Declined', status: 'fail', failure_code: 'invalid_account', failure_message: 'Invalid account and/or card status (EMACST)' });
    await h.controls.flushNotifications();
    expect(receiver.requests).toHaveLength(0);
    expect((await pay(m.sk, qr.id)).body.message).toContain('already failed');
  });

  it('takes another failure code of the appendix, and refuses one it does not know', async () => {
    const m = newMerchant();
    const { qr } = await orderWithQr(h.url, m.sk);
    expect((await fail(m.sk, qr.id, { failure_code: 'bogus' })).body.code).toBe('invalid_parameter');
    const failed = await fail(m.sk, qr.id, { failure_code: 'account_error' });
    expect((await inquire(m.sk, failed.body.charge_id)).body).toMatchObject({ failure_code: 'account_error', failure_message: 'Account is closed (EMAC)' });
  });
});

describe('expiry', () => {
  it('the simulator\'s Expire ends the QR now: qr_expired for paying and inquiring', async () => {
    const m = newMerchant();
    const { order, qr } = await orderWithQr(h.url, m.sk);
    const expired = await expire(m.sk, qr.id);
    expect(expired.body).toMatchObject({ state: 'expired', seconds_left: 0 });
    expect((await pay(m.sk, qr.id)).body).toMatchObject({ code: 'qr_expired' });
    expect((await inquire(m.sk, order.id)).body).toMatchObject({ code: 'qr_expired' });
  });

  it('a QR expires with its order on the sandbox clock', async () => {
    const m = newMerchant();
    const { qr } = await orderWithQr(h.url, m.sk, { expire_time_seconds: 600 });
    await h.clock.advance(300_000);
    expect((await call(h.url, `/_sandbox/kpayment/qr/${qr.id}`, { key: m.sk })).body).toMatchObject({ state: 'pending', seconds_left: 300 });
    await h.clock.advance(300_000);
    expect((await call(h.url, `/_sandbox/kpayment/qr/${qr.id}`, { key: m.sk })).body).toMatchObject({ state: 'expired', seconds_left: 0 });
    expect((await pay(m.sk, qr.id)).body.code).toBe('qr_expired');
  });
});

describe('Cancel QR', () => {
  it('cancels a QR waiting to be paid; it can then not be paid: qr_cancelled', async () => {
    const m = newMerchant();
    const { order, qr } = await orderWithQr(h.url, m.sk);
    const res = await cancel(m.sk, qr.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: qr.id, object: 'qr', created: expect.stringMatching(/^\d{17}$/), livemode: false, status: 'success', failure_code: null, failure_message: null });
    expect((await pay(m.sk, qr.id)).body).toMatchObject({ code: 'qr_cancelled', message: 'QR is cancelled (EMQRC)' });
    expect((await inquire(m.sk, order.id)).body.code).toBe('qr_cancelled');
    expect((await cancel(m.sk, qr.id)).body).toMatchObject({ status: 'fail', failure_code: 'qr_cancelled' });
  });

  it('refuses, inside the answer, to cancel a paid, expired or failed QR', async () => {
    const m = newMerchant();
    const paid = (await orderWithQr(h.url, m.sk)).qr;
    await pay(m.sk, paid.id);
    const expired = (await orderWithQr(h.url, m.sk)).qr;
    await expire(m.sk, expired.id);
    const failed = (await orderWithQr(h.url, m.sk)).qr;
    await fail(m.sk, failed.id);
    const answers = await Promise.all([paid, expired, failed].map((qr) => cancel(m.sk, qr.id)));
    expect(answers.map((a) => [a.status, a.body.status, a.body.failure_code, a.body.failure_message])).toEqual([
      [200, 'fail', 'qr_paid', 'QR already paid (EMQRP)'],
      [200, 'fail', 'qr_expired', 'QR has expired (EMQRE)'],
      [200, 'fail', 'cancel_state_invalid', 'Transaction status is not eligible for cancel'],
    ]);
    expect((await inquire(m.sk, (await call(h.url, `/_sandbox/kpayment/qr/${paid.id}`, { key: m.sk })).body.charge_id)).body.transaction_state).toBe('Authorized');
  });

  it('answers no_transaction_found for an unknown QR or another merchant\'s', async () => {
    const m = newMerchant();
    const { qr } = await orderWithQr(h.url, m.sk);
    for (const [key, id] of [[m.sk, 'qr_test_nothing'], [newMerchant().sk, qr.id]]) {
      const res = await cancel(key, id);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('no_transaction_found');
    }
    expect((await call(h.url, `/_sandbox/kpayment/qr/${qr.id}`, { key: m.sk })).body.state).toBe('pending');
  });
});

describe('Void QR', () => {
  it('voids a payment made with K PLUS on the same day: Voided, and a second void is refused (EMQRV)', async () => {
    const m = newMerchant();
    const { qr } = await orderWithQr(h.url, m.sk);
    const paid = await pay(m.sk, qr.id, { channel: 'kplus' });
    await h.clock.advance(3600_000);
    const res = await voidQr(m.sk, paid.body.charge_id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: paid.body.charge_id, transaction_state: 'Voided', status: 'success', failure_code: null });
    expect((await inquire(m.sk, paid.body.charge_id)).body).toMatchObject({ transaction_state: 'Voided', status: 'success' });
    expect((await voidQr(m.sk, paid.body.charge_id)).body).toMatchObject({ transaction_state: 'Voided', status: 'fail', failure_code: 'qr_void', failure_message: 'QR already voided (EMQRV)' });
  });

  it('refuses a payment made with another bank\'s app or WeChat (EMQRVOTCH): it stays Authorized', async () => {
    const m = newMerchant();
    const other = (await orderWithQr(h.url, m.sk)).qr;
    const wechat = (await orderWithQr(h.url, m.sk, { source_type: 'wechat' })).qr;
    for (const [qr, channel] of [[other, 'other_bank'], [wechat, 'wechat']] as const) {
      const paid = await pay(m.sk, qr.id, { channel });
      const res = await voidQr(m.sk, paid.body.charge_id);
      expect(res.body).toMatchObject({ transaction_state: 'Authorized', status: 'fail', failure_code: 'qr_void', failure_message: 'Cannot void other channel (EMQRVOTCH)' });
      expect((await inquire(m.sk, paid.body.charge_id)).body).toMatchObject({ transaction_state: 'Authorized', status: 'success', failure_code: null });
    }
  });

  it('refuses a failed payment (EMQSNP) and an unknown charge (no_transaction_found)', async () => {
    const m = newMerchant();
    const { qr } = await orderWithQr(h.url, m.sk);
    const failed = await fail(m.sk, qr.id);
    expect((await voidQr(m.sk, failed.body.charge_id)).body).toMatchObject({ transaction_state: 'Declined', status: 'fail', failure_message: 'QR status is not paid (EMQSNP)' });
    const unknown = await voidQr(m.sk, 'chrg_test_nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ object: 'error', code: 'no_transaction_found', message: 'Transaction does not exist in the system' });
  });

  it('refuses after the day of payment (EMQRVOD): the payment is Settled from the next Bangkok midnight', async () => {
    const m = newMerchant();
    const { qr } = await orderWithQr(h.url, m.sk);
    const paid = await pay(m.sk, qr.id);
    await h.clock.advance(DAY);
    expect((await inquire(m.sk, paid.body.charge_id)).body.transaction_state).toBe('Settled');
    expect((await voidQr(m.sk, paid.body.charge_id)).body).toMatchObject({ transaction_state: 'Settled', status: 'fail', failure_message: 'Cannot void over the day (EMQRVOD)' });
  });
});

describe('Inquiry QR errors', () => {
  it('answers charge_id_not_exist for an unknown charge or another merchant\'s, invalid_order_id for an unknown order', async () => {
    const m = newMerchant();
    const { qr } = await orderWithQr(h.url, m.sk);
    const paid = await pay(m.sk, qr.id);
    const stranger = await inquire(newMerchant().sk, paid.body.charge_id);
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe('charge_id_not_exist');
    expect((await inquire(m.sk, 'chrg_test_nothing')).body.code).toBe('charge_id_not_exist');
    expect((await inquire(m.sk, 'order_test_nothing')).body).toMatchObject({ code: 'invalid_order_id' });
    expect((await inquire(m.pk, paid.body.charge_id)).status).toBe(401);
  });
});

describe('the QR popup\'s backend (what kpayment.min.js opens)', () => {
  const popup = (params: Record<string, string>) => fetch(`${h.url}/ui/v2/qr-popup?${new URLSearchParams({ parent: 'http://shop.example', ...params })}`);

  it('shows the order\'s QR as a PNG of its payload, with the QR id and amount, in a frameable page', async () => {
    const m = newMerchant();
    const order = await createOrder(h.url, m.sk, { amount: 74 });
    const res = await popup({ apikey: m.pk, amount: '74.00', 'payment-methods': 'qr', 'order-id': order.id, name: 'Awesome Shop' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain('frame-ancestors *');
    const page = await res.text();
    const qr = (await call(h.url, `/_sandbox/kpayment/orders/${order.id}/qr`, { key: m.sk, method: 'POST' })).body;
    expect(page).toContain(`<code id="qr-id">${qr.id}</code>`);
    expect(page).toContain('<p class="amount" id="amount">฿74.00</p>');
    const src = /<img id="qr-image" src="([^"]+)"/.exec(page)![1];
    expect(src).toBe(await QRCode.toDataURL(qr.payload, { margin: 1, width: 260, errorCorrectionLevel: 'M' }));
    // The same QR on a second visit (a refresh).
    expect(await (await popup({ apikey: m.pk, amount: '74', 'payment-methods': 'qr', 'order-id': order.id })).text()).toContain(qr.id);
  });

  it('refuses an amount or payment method that is not the order\'s, an unknown order, a secret key, an expired order', async () => {
    const m = newMerchant();
    const order = await createOrder(h.url, m.sk, { amount: 74 });
    const base = { apikey: m.pk, amount: '74.00', 'payment-methods': 'qr', 'order-id': order.id };
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ amount: '1.00' }, 400, 'amount_invalid'],
      [{ 'payment-methods': 'wechat' }, 400, 'invalid_parameter'],
      [{ 'order-id': 'order_test_nothing' }, 404, 'invalid_order_id'],
      [{ apikey: m.sk }, 401, 'authentication_failure'],
      [{ 'order-id': '' }, 400, 'mandatory_is_empty'],
    ];
    for (const [change, status, code] of cases) {
      const res = await popup({ ...base, ...change });
      expect(res.status).toBe(status);
      expect(await res.text()).toContain(`<code>${code}</code>`);
    }
    expect((await call(h.url, `/qr/v2/qr/${order.id}`, { key: m.sk })).body.code).toBe('no_transaction_found');
    const old = await createOrder(h.url, m.sk, { amount: 74, expire_time_seconds: 60 });
    await h.clock.advance(60_000);
    const expired = await popup({ ...base, 'order-id': old.id });
    expect(expired.status).toBe(400);
    expect(await expired.text()).toContain('This QR code has expired');
  });

  it('tells the popup the QR\'s state, time left and charge with the public key only', async () => {
    const m = newMerchant();
    const { qr } = await orderWithQr(h.url, m.sk);
    const state = (key: string) => call(h.url, `/ui/v2/qr/${qr.id}`, { key });
    expect((await state(m.pk)).body).toEqual({ object: 'qr_status', id: qr.id, state: 'pending', seconds_left: 3600, charge_id: null, failure_code: null, failure_message: null, failure_reason: null });
    expect((await state(m.sk)).status).toBe(401);
    expect((await state(newMerchant().pk)).status).toBe(404);
    const paid = await pay(m.sk, qr.id);
    expect((await state(m.pk)).body).toMatchObject({ state: 'paid', seconds_left: 0, charge_id: paid.body.charge_id });
  });
});

describe('the QR Simulator page (§7.4)', () => {
  const simulator = (query = '') => fetch(`${h.url}/_sandbox/kpayment/qr-simulator${query}`).then(async (r) => ({ status: r.status, text: await r.text() }));

  it('lists QR codes, finds one by id and pays it with the Pay button; the shopper\'s state follows', async () => {
    const m = newMerchant();
    const { order, qr } = await orderWithQr(h.url, m.sk, { amount: 250, reference_order: 'SIM-1' });
    const list = await simulator();
    expect(list.status).toBe(200);
    expect(list.text).toContain(`?qr=${qr.id}`);
    const found = await simulator(`?qr=${qr.id}`);
    expect(found.text).toContain('<dd class="amount" id="detail-amount">฿250.00</dd>');
    expect(found.text).toContain('<dd id="detail-state">pending</dd>');
    expect(found.text).toContain(`action="/_sandbox/kpayment/qr-simulator/${qr.id}/pay"`);
    const res = await submitPage(`${h.url}/_sandbox/kpayment/qr-simulator/${qr.id}/pay`, { channel: 'other_bank' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/_sandbox/kpayment/qr-simulator?qr=${qr.id}&done=paid`);
    const after = await simulator(`?qr=${qr.id}&done=paid`);
    expect(after.text).toContain('<dd id="detail-state">paid</dd>');
    expect(after.text).not.toContain('id="pay"');
    const charge = await inquire(m.sk, order.id);
    expect(charge.body).toMatchObject({ transaction_state: 'Authorized', amount: 250 });
    // Paid with another bank's app: not voidable.
    expect((await voidQr(m.sk, charge.body.id)).body.failure_message).toContain('EMQRVOTCH');
    const again = await submitPage(`${h.url}/_sandbox/kpayment/qr-simulator/${qr.id}/pay`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('QR already paid (EMQRP) (qr_paid)');
  });

  it('makes a QR fail or expire', async () => {
    const m = newMerchant();
    const failed = (await orderWithQr(h.url, m.sk)).qr;
    const expired = (await orderWithQr(h.url, m.sk)).qr;
    expect((await submitPage(`${h.url}/_sandbox/kpayment/qr-simulator/${failed.id}/fail`, { failure_code: 'internal_error' })).status).toBe(303);
    expect((await submitPage(`${h.url}/_sandbox/kpayment/qr-simulator/${expired.id}/expire`)).status).toBe(303);
    expect((await call(h.url, `/ui/v2/qr/${failed.id}`, { key: m.pk })).body).toMatchObject({ state: 'failed', failure_code: 'internal_error', failure_message: 'System unavailable (EMIU)' });
    expect((await call(h.url, `/ui/v2/qr/${expired.id}`, { key: m.pk })).body).toMatchObject({ state: 'expired' });
  });

  it('narrows the list to one merchant with ?pkey=, and says so for an unknown QR', async () => {
    const a = newMerchant();
    const b = newMerchant();
    const qrA = (await orderWithQr(h.url, a.sk)).qr;
    const qrB = (await orderWithQr(h.url, b.sk)).qr;
    const page = await simulator(`?pkey=${a.pk}`);
    expect(page.text).toContain(qrA.id);
    expect(page.text).not.toContain(qrB.id);
    const missing = await simulator('?qr=qr_test_nothing');
    expect(missing.text).toContain('No QR code qr_test_nothing in this sandbox.');
    expect((await submitPage(`${h.url}/_sandbox/kpayment/qr-simulator/qr_test_nothing/pay`)).status).toBe(404);
  });
});
