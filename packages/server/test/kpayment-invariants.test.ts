import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kpaymentChecksum } from '@payment-checkout/core/signature';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckoutServer } from '../src/server.ts';
import { cardToken, kpaymentApi, kpaymentSettings, postForm, startCard, threeDSecure, tokenFields } from './support/kpayment.ts';
import { type World, queryOf, startWorld } from './support/world.ts';

/** DESIGN.md's security invariants for K-Payment cards, each proven against the real sandbox. */

let world: World;
afterEach(async () => {
  await world?.close();
});

async function open(kpayment: Parameters<typeof startWorld>[0] = {}) {
  world = await startWorld({ kpayment: true, ...kpayment });
  return world;
}

/** A 3-D Secure charge waiting for its OTP. */
async function waitingForOtp(number = '5404888000072727') {
  const started = await startCard(world);
  const toBank = await postForm(started.next.formAction, tokenFields(await cardToken(world, { number }), started.next.attributes));
  const payment = await world.paymentOf(started.paymentId);
  return { ...started, redirectUrl: toBank.location!, chargeId: payment.chargeId! };
}

async function notify(body: Record<string, unknown> | string) {
  return world.api('/webhooks/kpayment', { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

function notifyBody(chargeId: string, fields: { amount?: number; currency?: string; status?: string; transaction_state?: string; failure_code?: string } = {}) {
  const body = { id: chargeId, object: 'charge', amount: 1500, currency: 'THB', status: 'success', transaction_state: 'Authorized', failure_code: '', ...fields };
  return { ...body, checksum: kpaymentChecksum(body, world.keys.secretKey) };
}

describe('3. nothing is paid because a browser said so: the 3-D Secure callback', () => {
  it('a forged callback (status=true, another payment\'s objectId) changes nothing for this payment', async () => {
    await open();
    kpaymentSettings(world, { notify: 'drop' });
    const victim = await waitingForOtp();
    // The forger's own declined charge, with a real objectId.
    const other = await waitingForOtp('2221000604647064');
    world.sandbox.kpayment.authenticate(world.keys.secretKey, other.chargeId, '123456');

    const forged = await postForm(`${world.url}/checkout/kpayment/callback`, { objectId: other.chargeId, status: 'true', token: 'tokn_test_x', saveCard: 'false' });
    expect(forged.status).toBe(303);
    expect(queryOf(forged.location)).toEqual({ payment: other.paymentId, status: 'failed' });
    expect(await world.paymentOf(victim.paymentId)).toMatchObject({ status: 'pending' });
    expect(await world.paymentOf(other.paymentId)).toMatchObject({ status: 'failed', failureCode: '01' });
    expect(world.hooks.onPaid).toEqual([]);
  });

  it('an unknown objectId is refused (404) and changes nothing; a malformed one is a 400', async () => {
    await open();
    const { paymentId } = await waitingForOtp();
    const unknown = await postForm(`${world.url}/checkout/kpayment/callback`, { objectId: 'chrg_test_doesnotexist', status: 'true' });
    expect([unknown.status, JSON.parse(unknown.text).error.code]).toEqual([404, 'not_found']);
    for (const fields of [{ status: 'true' }, { objectId: '../../etc', status: 'true' }, 'objectId=chrg_test_a&objectid=chrg_test_b']) {
      expect((await postForm(`${world.url}/checkout/kpayment/callback`, fields as Record<string, string>)).status).toBe(400);
    }
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending' });
    const events = await world.companion.checkout.store.listEvents(paymentId);
    expect(events.map((e) => e.type)).not.toContain('callback_received');
  });

  it('status=true for a charge whose OTP was never entered leaves it pending (the inquiry says so)', async () => {
    await open();
    const { paymentId, chargeId } = await waitingForOtp();
    const back = await postForm(`${world.url}/checkout/kpayment/callback`, { OBJECTID: chargeId, STATUS: 'true' });
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'pending' });
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending' });
  });

  it('a genuine callback of a declined charge, even rewritten to status=true, fails the payment', async () => {
    await open();
    kpaymentSettings(world, { notify: 'drop' });
    const { paymentId, redirectUrl } = await waitingForOtp('5596886582263266');
    const callback = await threeDSecure(redirectUrl, '123456');
    expect(callback.fields.status).toBe('false');
    const back = await postForm(callback.action, { ...callback.fields, status: 'true' });
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'failed' });
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'failed', failureCode: '05' });
  });

  it('works as a cross-site POST without cookies, and as a GET', async () => {
    await open();
    kpaymentSettings(world, { notify: 'drop' });
    const { paymentId, chargeId } = await waitingForOtp('4417706600005830');
    world.sandbox.kpayment.authenticate(world.keys.secretKey, chargeId, '123456');
    const res = await fetch(`${world.url}/checkout/kpayment/callback?objectId=${chargeId}&status=true`, { redirect: 'manual', headers: { origin: 'https://dev-kpaymentgateway.kasikornbank.com' } });
    expect(res.status).toBe(303);
    expect(queryOf(res.headers.get('location'))).toEqual({ payment: paymentId, status: 'succeeded' });
  });
});

describe('3. K-Payment notifies need a valid checksum, and only trigger an inquiry', () => {
  it('refuses a bad checksum with 401 and changes nothing', async () => {
    await open();
    const { paymentId, chargeId } = await waitingForOtp();
    const good = notifyBody(chargeId);
    for (const body of [
      { ...good, checksum: '0'.repeat(64) },
      { ...good, checksum: kpaymentChecksum(good, 'skey_test_someoneelse') },
      { ...good, amount: 1 }, // the checksum no longer matches the amount
    ]) {
      const res = await notify(body);
      expect([res.status, res.body.error.code]).toEqual([401, 'invalid_signature']);
    }
    expect((await notify({ ...good, checksum: 'not hex' })).status).toBe(400);
    expect((await notify('{')).status).toBe(400);
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending' });
    expect((await world.companion.checkout.store.listEvents(paymentId)).map((e) => e.type)).not.toContain('webhook_received');
  });

  it('a valid checksum over a lie (Authorized while the OTP is outstanding) still goes by the inquiry', async () => {
    await open();
    const { paymentId, chargeId } = await waitingForOtp();
    const res = await notify(notifyBody(chargeId));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: true, paymentId, status: 'pending' });
    expect(world.hooks.onPaid).toEqual([]);
  });

  it('accepts the checksum with failure_code appended (the guide\'s Java sample), records a replayed notify once', async () => {
    await open();
    kpaymentSettings(world, { notify: 'drop' });
    const { paymentId, chargeId } = await waitingForOtp('5265434283867885');
    world.sandbox.kpayment.authenticate(world.keys.secretKey, chargeId, '123456');
    const fields = { id: chargeId, amount: 1500, currency: 'THB', status: 'fail', transaction_state: 'Declined', failure_code: '51' };
    const javaStyle = { ...fields, checksum: kpaymentChecksum(fields, world.keys.secretKey, true) };
    for (let i = 0; i < 3; i++) {
      const res = await notify(javaStyle);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ paymentId, status: 'failed' });
    }
    expect(world.hooks.onFailed.map((p) => p.failureCode)).toEqual(['51']);
    const events = await world.companion.checkout.store.listEvents(paymentId);
    expect(events.filter((e) => e.type === 'webhook_received')).toHaveLength(3);
    expect(events.filter((e) => e.type === 'status_changed' && e.toStatus === 'failed')).toHaveLength(1);
  });

  it('the sandbox\'s duplicated notifies pay the order once', async () => {
    await open();
    kpaymentSettings(world, { notify: 'duplicate', threeDSecure: false });
    const { paymentId, next } = await startCard(world);
    await postForm(next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226' }), next.attributes));
    await world.sandbox.kpayment.flushNotifications();
    expect(world.sandbox.kpayment.notifyDeliveries(world.keys.secretKey).map((d) => d.status_code)).toEqual([200, 200]);
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paymentId]);
  });

  it('verifies the guide\'s own checksum example (§6.5.1, decisions.md 1) and nothing altered', async () => {
    // The guide's merchant: its secret key and worked example. The charge is unknown here: acknowledged, ignored.
    const guide = await startCheckoutServer({
      resolveOrder: () => null,
      resultUrl: '/r',
      store: ':memory:',
      logger: { info() {}, warn() {}, error() {} },
      opn: { publicKey: 'pkey_test_guide', secretKey: 'skey_test_guide', apiUrl: 'http://127.0.0.1:9', sandbox: false },
      kpayment: { publicKey: 'pkey_prod_guide', secretKey: 'skey_prod_41Bbw6At8dJjVyKV3ZaXghhLpRro5oAtR', apiUrl: 'http://127.0.0.1:9', mid: '401001001001001' },
    });
    try {
      const example = {
        id: 'chrg_prod_12345678', order_id: 'order_prod_12345678', object: 'qr', amount: 15, currency: 'THB', transaction_state: 'Authorized',
        source: { id: 'qr_prod_12345678', object: 'qr', brand: 'ThaiQR' }, created: '20180322121944000', status: 'success', reference_order: 'WT123456',
        description: 'TestDescription', livemode: true, failure_code: '', failure_message: '', checksum: 'cc1152742bc4a1169341f8fee95baf2d5886510d577fa95e751cdc6c29162a3a',
      };
      const send = (body: unknown) => fetch(`${guide.url}/webhooks/kpayment`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const ok = await send(example);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ received: true, ignored: 'unknown charge' });
      expect((await send({ ...example, amount: 15.01 })).status).toBe(401);
      expect((await send({ ...example, transaction_state: 'Declined' })).status).toBe(401);
    } finally {
      await guide.close();
    }
  });
});

describe('4. one charge per payment: a replayed token creates no second charge', () => {
  it('the same form posted twice (and twice at once) charges once and lands on the same page', async () => {
    await open();
    kpaymentSettings(world, { threeDSecure: false });
    const { paymentId, next } = await startCard(world);
    const fields = tokenFields(await cardToken(world, { number: '4024007134786226' }), next.attributes);
    const [a, b] = await Promise.all([postForm(next.formAction, fields), postForm(next.formAction, fields)]);
    const c = await postForm(next.formAction, fields);
    for (const res of [a, b, c]) expect(queryOf(res.location)).toEqual({ payment: paymentId, status: 'succeeded' });
    await world.sandbox.kpayment.flushNotifications();
    expect(new Set(world.sandbox.kpayment.notifyDeliveries(world.keys.secretKey).map((d) => d.charge_id)).size).toBe(1);
    const events = await world.companion.checkout.store.listEvents(paymentId);
    expect(events.filter((e) => e.type === 'charge_created')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'token_replayed')).toHaveLength(2);
    expect(world.hooks.onPaid).toHaveLength(1);
  });

  it('two companions on one database, each given the same form at the same moment, charge once', async () => {
    await open();
    kpaymentSettings(world, { threeDSecure: false });
    const dir = mkdtempSync(join(tmpdir(), 'kpayment-two-'));
    const orderId = 'order-two-processes';
    // Both requests pass their own checks before either claims the token: resolveOrder waits for the other.
    let arrived = 0;
    let release!: () => void;
    const bothArrived = new Promise<void>((resolve) => (release = resolve));
    let gate = false;
    const resolveOrder = async () => {
      if (gate && ++arrived === 2) release();
      if (gate) await bothArrived;
      return { amount: 150_000, currency: 'THB' as const };
    };
    const companion = () =>
      startCheckoutServer({
        resolveOrder,
        resultUrl: 'https://shop.example/result?payment={paymentId}&status={status}',
        store: join(dir, 'payments.db'),
        logger: { info() {}, warn() {}, error() {} },
        opn: { ...world.keys, apiUrl: world.sandboxUrl, sandbox: false },
        kpayment: { ...world.keys, apiUrl: world.sandboxUrl, sandbox: false, mid: '401000000000001' },
      });
    const [a, b] = [await companion(), await companion()];
    try {
      const created = await fetch(`${a.url}/checkout/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId, method: 'card' }) });
      const { paymentId, next } = (await created.json()) as { paymentId: string; next: { formAction: string; attributes: Record<string, string> } };
      const fields = tokenFields(await cardToken(world, { number: '4024007134786226' }), next.attributes);
      gate = true;
      const answers = await Promise.all([postForm(next.formAction, fields), postForm(next.formAction.replace(a.url, b.url), fields)]);
      // One made the charge; the other saw the token claimed while that charge was in flight: no second charge.
      const results = answers.map((answer) => queryOf(answer.location));
      expect(results.every((r) => r.payment === paymentId && ['pending', 'succeeded'].includes(r.status))).toBe(true);
      expect(results.some((r) => r.status === 'succeeded')).toBe(true);
      expect(await a.checkout.store.getPayment(paymentId)).toMatchObject({ status: 'succeeded' });
      const events = await a.checkout.store.listEvents(paymentId);
      expect(events.filter((e) => e.type === 'charge_created')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'token_received')).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a replay during 3-D Secure goes back to the same bank page', async () => {
    await open();
    const { next, redirectUrl } = await waitingForOtp();
    const replay = await postForm(next.formAction, tokenFields('tokn_test_another', next.attributes));
    expect([replay.status, replay.location]).toEqual([303, redirectUrl]);
  });

  it('a token already used for another payment is refused by the gateway; the first payment is untouched', async () => {
    await open();
    kpaymentSettings(world, { threeDSecure: false });
    const first = await startCard(world);
    const token = await cardToken(world, { number: '4024007134786226' });
    await postForm(first.next.formAction, tokenFields(token, first.next.attributes));
    const second = await startCard(world);
    const back = await postForm(second.next.formAction, tokenFields(token, second.next.attributes));
    expect(queryOf(back.location).status).toBe('failed');
    expect(await world.paymentOf(second.paymentId)).toMatchObject({ status: 'failed', failureCode: 'used_token' });
    expect(await world.paymentOf(first.paymentId)).toMatchObject({ status: 'succeeded' });
  });

  it('refuses a form for a payment that is over, or superseded by another method, or an order already paid', async () => {
    await open();
    kpaymentSettings(world, { threeDSecure: false });
    const { orderId, next } = await startCard(world);
    // The shopper switched to K PLUS: the card payment is superseded and ended (no charge existed).
    const opn = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect(opn.status).toBe(201);
    const late = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226' }), next.attributes));
    expect([late.status, JSON.parse(late.text).error.code]).toEqual([409, 'payment_final']);

    const paid = await startCard(world);
    await postForm(paid.next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226' }), paid.next.attributes));
    const again = await world.createPayment(paid.orderId, 'card');
    expect([again.status, again.body.error.code]).toEqual([409, 'payment_final']);
  });
});

describe('5. bad input is a clear 4xx and changes nothing', () => {
  it('refuses malformed forms, wrong types, another merchant id and a wrong form token', async () => {
    await open({ kpayment: { smartpay: { smartpayId: '0001' } } });
    const { paymentId, next } = await startCard(world, 150_000, 'THB', { installments: true });
    const token = await cardToken(world, { number: '4024007134786226' });
    const base = tokenFields(token, next.attributes, { smartpayId: '0001', term: '6' });
    const cases: [Record<string, string> | string, number, string][] = [
      [{ ...base, token: '' }, 400, 'bad_request'],
      [{ ...base, token: 'tokn_test_<script>' }, 400, 'bad_request'],
      [{ ...base, paymentMethods: 'qr' }, 400, 'bad_request'],
      [{ ...base, mid: 'abc' }, 400, 'bad_request'],
      [{ ...base, term: 'six' }, 400, 'bad_request'],
      [{ ...base, savecard: 'yes' }, 400, 'bad_request'],
      [`${new URLSearchParams(base)}&TOKEN=tokn_test_other`, 400, 'bad_request'],
      [{ ...base, mid: '402000000000001' }, 422, 'source_mismatch'],
      [{ ...base, smartpayId: '0002' }, 422, 'source_mismatch'],
      [{ ...base, dcc_currency: 'USD' }, 422, 'source_mismatch'],
      [{ ...base, planid: '999' }, 422, 'source_mismatch'],
    ];
    for (const [fields, status, code] of cases) {
      const res = await postForm(next.formAction, fields);
      expect([res.status, JSON.parse(res.text).error.code], JSON.stringify(fields)).toEqual([status, code]);
    }
    const json = await fetch(next.formAction, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(base), redirect: 'manual' });
    expect(json.status).toBe(400);
    const wrongToken = await postForm(next.formAction.replace(/token=[^&]+/, 'token=guess'), base);
    expect([wrongToken.status, JSON.parse(wrongToken.text).error.code]).toEqual([403, 'invalid_token']);
    const noToken = await postForm(next.formAction.split('?')[0], base);
    expect(noToken.status).toBe(403);
    expect((await postForm(`${world.url}/checkout/kpayment/token/pay_${'0'.repeat(32)}?token=x`, base)).status).toBe(404);
    expect((await postForm(`${world.url}/checkout/kpayment/token/%E0%A4%A?token=x`, base)).status).toBe(400);

    // Nothing stored, nothing charged: the form still works afterwards.
    const payment = await world.paymentOf(paymentId);
    expect(payment).toMatchObject({ status: 'pending', sourceId: null, chargeId: null });
    expect((await kpaymentApi(world, `/card/v2/charge/${paymentId}`)).body.code).toBe('charge_id_not_exist');
    expect((await postForm(next.formAction, base)).status).toBe(303);
  });

  it('answers a browser with an error page, an API client with JSON', async () => {
    await open();
    const { next } = await startCard(world);
    const page = await postForm(next.formAction.replace(/token=[^&]+/, 'token=guess'), { token: 'tokn_test_x', paymentMethods: 'card', mid: '401000000000001' }, { accept: 'text/html' });
    expect(page.status).toBe(403);
    expect(page.text).toContain('<p role="alert">This link is not valid or has expired.</p>');
    expect(page.text).not.toContain('This payment form is not valid.');
  });

  it('the amount is the order\'s: an amount in the form is ignored, a changed order is refused', async () => {
    await open();
    kpaymentSettings(world, { threeDSecure: false });
    const { orderId, paymentId, next } = await startCard(world, 150_000);
    const token = await cardToken(world, { number: '4024007134786226' });
    world.orders.set(orderId, { amount: 100, currency: 'THB' });
    const changed = await postForm(next.formAction, tokenFields(token, next.attributes));
    expect([changed.status, JSON.parse(changed.text).error.code]).toEqual([422, 'source_mismatch']);
    world.orders.set(orderId, { amount: 150_000, currency: 'THB' });
    await postForm(next.formAction, tokenFields(token, next.attributes, { amount: '1.00' }));
    expect((await kpaymentApi(world, `/card/v2/charge/${paymentId}`)).body).toMatchObject({ amount: 1500, currency: 'THB' });
  });
});

describe('2. the secret key never leaves the server', () => {
  it('is in no config, attribute, page, setting or log', async () => {
    await open({ checkout: { resolveCustomer: () => ({ id: 's1', email: 'a@example.com', name: 'A' }) } });
    kpaymentSettings(world, { threeDSecure: false });
    const secret = world.keys.secretKey;
    const orderId = world.order(150_000);
    const config = await world.api(`/checkout/config?orderId=${orderId}`);
    const { next, paymentId } = await startCard(world);
    const back = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226', savecard: true }), next.attributes, { savecard: 'true' }));
    const error = await postForm(next.formAction, { token: 'bad' });
    const view = await world.api(`/checkout/payments/${paymentId}`);
    await world.sandbox.kpayment.flushNotifications();
    const seen = [config.text, JSON.stringify(next), back.text, back.location, error.text, view.text, JSON.stringify(Object.values(world.companion.checkout.gateways).map((g) => g.settings)), JSON.stringify(world.logs)];
    for (const text of seen) expect(text).not.toContain(secret);
    expect(world.companion.checkout.gateways.kpayment?.settings).not.toHaveProperty('secretKey');
    expect(JSON.stringify(await world.companion.checkout.store.listEvents(paymentId))).not.toContain(secret);
  });
});

describe('Opn still works beside K-Payment', () => {
  it('pays an Opn method through its return URL in a world with cards', async () => {
    await open();
    const orderId = world.order(150_000);
    const config = (await world.api(`/checkout/config?orderId=${orderId}`)).body;
    expect(config.methods.map((m: { id: string }) => m.id)).toEqual(['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay', 'card', 'thai_qr', 'wechat_pay', 'alipay', 'unionpay']);
    const res = await world.createPayment(orderId, 'mobile_banking_kbank');
    const payment = await world.paymentOf(res.body.paymentId);
    const back = await world.visit(await world.authorize(res.body.next.url, 'successful'));
    expect(queryOf(back.location)).toEqual({ payment: payment.id, status: 'succeeded' });
    await world.flushWebhooks();
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([payment.id]);
  });
});
