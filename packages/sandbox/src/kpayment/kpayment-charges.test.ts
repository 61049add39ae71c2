import { describe, expect, it } from 'vitest';
import {
  DCC_MID,
  MID,
  MINUTE,
  call,
  chargeBody,
  merchantWithout3ds,
  newMerchant,
  payWithCard,
  reference,
  setSettings,
  startKpayment,
  tokenize,
  useKpayment,
} from '../../test/kpayment-kit.ts';

/** The Charge API (§6.1): authentication, the required fields, tokens, inquiry; void, settle and refund in kpayment-settle-refund.test.ts. */

const APPROVE = '4024007134786226'; // VISA 00 (§7.2)
const DECLINE_05 = '4532741632025415'; // VISA 05

const h = useKpayment();
const non3dsMerchant = () => merchantWithout3ds(h.url);

describe('authentication', () => {
  it('refuses a missing, malformed, production or public key with 401 authentication_failure', async () => {
    const m = newMerchant();
    const token = await tokenize(h.url, m.pk, { number: APPROVE });
    for (const key of [undefined, 'skey_test_', 'skey_prod_abc', 'sk_test_abc', m.pk, 'skey_test_a-b']) {
      const res = await call(h.url, '/card/v2/charge', { key, json: chargeBody(token) });
      expect(res.status, String(key)).toBe(401);
      expect(res.body).toEqual({ object: 'error', code: 'authentication_failure', message: 'Failure to properly authenticate yourself in the request' });
    }
    // Nothing was charged: the token is still usable.
    const ok = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token) });
    expect(ok.status).toBe(200);
  });

  it('accepts the key with the spaces of the guide\'s curl samples (`x-api-key : skey…`)', async () => {
    const m = await non3dsMerchant();
    const token = await tokenize(h.url, m.pk, { number: APPROVE });
    const res = await call(h.url, '/card/v2/charge', { key: `  ${m.sk} `, json: chargeBody(token) });
    expect(res.status).toBe(200);
  });

  it('tokenises only with the public key', async () => {
    const m = newMerchant();
    const res = await call(h.url, '/ui/v2/token', { key: m.sk, json: { number: APPROVE, expiry_month: 1, expiry_year: 2099, cvv: '123', name: 'A' } });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('authentication_failure');
  });
});

describe('create charge, non 3-D Secure (§4.2)', () => {
  it('answers Authorized + success with the guide\'s fields and formats', async () => {
    const m = await non3dsMerchant();
    const ref = reference();
    const { charge } = await payWithCard(h.url, m, { number: APPROVE }, {
      amount: '1500.50',
      reference_order: ref,
      ref_1: 'ref1',
      ref_2: '123456',
      additional_data: { mid: MID, tid: '12345678', campaign_id: '00000001' },
    });
    expect(charge).toMatchObject({
      object: 'charge',
      amount: 1500.5,
      currency: 'THB',
      transaction_state: 'Authorized',
      status: 'success',
      livemode: false,
      source: { object: 'card', brand: 'visa', card_masking: '402400*****6226', issuer_bank: 'Kasikornbank Public Company Limited' },
      failure_code: null,
      failure_message: null,
      description: 'TEST PRODUCT',
      redirect_url: null,
      settlement_info: null,
      refund_info: null,
      ref_1: 'ref1',
      ref_2: '123456',
      ref_3: null,
      dcc_data: null,
      reference_order: ref,
      campaign_id: '00000001',
      mpi: null,
    });
    expect(charge.id).toMatch(/^chrg_test_[0-9a-f]{35}$/);
    expect(charge.source.id).toMatch(/^card_test_[0-9a-f]{35}$/);
    expect(charge.created).toMatch(/^\d{17}$/);
    expect(charge.approval_code).toMatch(/^\d{6}$/);
  });

  it('writes `created` as YYYYMMDDHHmmSSsss in Bangkok time', async () => {
    const t = await startKpayment({ startTime: Date.UTC(2022, 2, 7, 14, 24, 51, 7) });
    try {
      const m = newMerchant();
      await setSettings(t.url, m.sk, { threeDSecure: false });
      const { charge } = await payWithCard(t.url, m, { number: APPROVE });
      // 14:24:51 UTC is 21:24:51 in Bangkok, as in the guide's sample "20220307212451000".
      expect(charge.created.slice(0, 12)).toBe('202203072124');
    } finally {
      await t.close();
    }
  });

  it('answers a decline as Declined + fail with the card\'s failure code', async () => {
    const m = await non3dsMerchant();
    const { charge } = await payWithCard(h.url, m, { number: DECLINE_05 });
    expect(charge).toMatchObject({ transaction_state: 'Declined', status: 'fail', failure_code: '05', failure_message: 'Do Not Honor', approval_code: null });
  });

  it('declines a Luhn-valid card that is in no test table with 14 Invalid Card Number', async () => {
    const m = await non3dsMerchant();
    const { charge } = await payWithCard(h.url, m, { number: '4111111111111111' });
    expect(charge).toMatchObject({ transaction_state: 'Declined', status: 'fail', failure_code: '14', failure_message: 'Invalid Card Number' });
  });

  it('charges in another currency of the MCC merchant id (USD) and refuses one it does not know', async () => {
    const m = await non3dsMerchant();
    const { charge } = await payWithCard(h.url, m, { number: APPROVE }, { amount: 1, currency: 'usd' });
    expect(charge).toMatchObject({ amount: 1, currency: 'USD', transaction_state: 'Authorized' });
    const token = await tokenize(h.url, m.pk, { number: APPROVE });
    const res = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token, { currency: 'XXX' }) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('currency_invalid');
  });
});

describe('required fields (§4.1.1.3 matrix, §10.10–12)', () => {
  const cases: Array<[string, (body: Record<string, any>) => void, string, string]> = [
    ['amount', (b) => delete b.amount, 'mandatory_is_empty', 'amount'],
    ['currency', (b) => delete b.currency, 'mandatory_is_empty', 'currency'],
    ['description', (b) => delete b.description, 'mandatory_is_empty', 'description'],
    ['source_type', (b) => delete b.source_type, 'mandatory_is_empty', 'source_type'],
    ['mode', (b) => delete b.mode, 'mandatory_is_empty', 'mode'],
    ['reference_order', (b) => (b.reference_order = ''), 'mandatory_is_empty', 'reference_order'],
    ['token', (b) => delete b.token, 'mandatory_is_empty', 'token'],
    ['additional_data', (b) => delete b.additional_data, 'mandatory_is_empty', 'additional_data.mid'],
    ['additional_data.mid', (b) => (b.additional_data = {}), 'mandatory_is_empty', 'additional_data.mid'],
    ['a bad mode', (b) => (b.mode = 'card'), 'invalid_parameter', 'mode'],
    ['a card token with source_type alipay', (b) => (b.source_type = 'alipay'), 'invalid_parameter', 'alipay'],
    ['source_type wechat (orders only)', (b) => (b.source_type = 'wechat'), 'invalid_parameter', 'source_type'],
    ['an unknown mid', (b) => (b.additional_data = { mid: '409999999999001' }), 'mid_and_tid_not_exist', '409999999999001'],
    ['a negative amount', (b) => (b.amount = -5), 'amount_invalid', 'positive'],
    ['a zero amount', (b) => (b.amount = '0.00'), 'amount_invalid', 'positive'],
    ['three decimals', (b) => (b.amount = 10.005), 'amount_invalid', 'decimals'],
    ['decimals in JPY', (b) => Object.assign(b, { amount: 100.5, currency: 'JPY' }), 'float_not_support', 'JPY'],
    ['a text amount', (b) => (b.amount = 'ten'), 'amount_invalid', 'decimal'],
    ['both SmartPay ways', (b) => Object.assign(b, { additional_data: { mid: MID, smartpay_id: '0001', term: 3 }, smartpay: { plan_id: '999', ipan_mode: '03', product_type: '003', payment_term: '3', supplier_no: '99903', model_no: '123456' } }), 'invalid_parameter', 'not both'],
    ['smartpay_id without term', (b) => (b.additional_data = { mid: MID, smartpay_id: '0001' }), 'mandatory_is_empty', 'additional_data.term'],
    ['dcc_data on the MCC mid', (b) => (b.dcc_data = { dcc_currency: 'USD' }), 'mid_and_tid_not_exist', 'dcc_data'],
    ['the DCC mid without dcc_data', (b) => (b.additional_data = { mid: DCC_MID }), 'mandatory_is_empty', 'dcc_data.dcc_currency'],
    ['mode customer without card_id', (b) => Object.assign(b, { mode: 'customer', customer: { customer_id: 'cust_test_x' } }), 'mandatory_is_empty', 'customer.card_id'],
    ['mode customer without customer', (b) => Object.assign(b, { mode: 'customer' }), 'mandatory_is_empty', 'customer.customer_id'],
    ['a body that is not an object', (b) => Object.keys(b).forEach((k) => delete b[k]), 'mandatory_is_empty', 'amount'],
  ];
  for (const [name, change, code, mentions] of cases) {
    it(`refuses ${name} with 400 ${code}, and the token stays unused`, async () => {
      const m = await non3dsMerchant();
      const token = await tokenize(h.url, m.pk, { number: APPROVE });
      const body: Record<string, any> = chargeBody(token);
      change(body);
      const res = await call(h.url, '/card/v2/charge', { key: m.sk, json: body });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ object: 'error', code });
      expect(res.body.message).toContain(mentions);
      const ok = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token) });
      expect(ok.body.transaction_state).toBe('Authorized');
    });
  }

  it('refuses invalid JSON with 400 invalid_parameter', async () => {
    const m = newMerchant();
    const res = await fetch(`${h.url}/card/v2/charge`, { method: 'POST', headers: { 'x-api-key': m.sk, 'content-type': 'application/json' }, body: '{"amount": ' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ object: 'error', code: 'invalid_parameter' });
  });

  it('accepts `mode: "register3D"` in any case and `savecard` as the string "true"', async () => {
    const m = newMerchant();
    const token = await tokenize(h.url, m.pk, { number: '5404888000072727', savecard: true });
    const res = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token, { mode: 'register3D', amount: 1, savecard: 'true' }) });
    expect(res.status).toBe(200);
    expect(res.body.transaction_state).toBe('Pre-Authorized');
  });

  it('requires savecard when the card form returned it (L1346)', async () => {
    const m = await non3dsMerchant();
    const token = await tokenize(h.url, m.pk, { number: APPROVE, savecard: true });
    const res = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'mandatory_is_empty', message: expect.stringContaining('savecard') });
  });
});

describe('tokens (decisions.md 10)', () => {
  it('refuses a second use with used_token, even after a decline', async () => {
    const m = await non3dsMerchant();
    const token = await tokenize(h.url, m.pk, { number: DECLINE_05 });
    const first = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token) });
    expect(first.body.transaction_state).toBe('Declined');
    const again = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token) });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ object: 'error', code: 'used_token', message: 'Token was already used' });
  });

  it('expires a token 10 minutes after creation (token_invalid), and not before', async () => {
    const t = await startKpayment();
    try {
      const m = newMerchant();
      await setSettings(t.url, m.sk, { threeDSecure: false });
      const early = await tokenize(t.url, m.pk, { number: APPROVE });
      const late = await tokenize(t.url, m.pk, { number: APPROVE });
      await t.clock.advance(10 * MINUTE - 1000);
      expect((await call(t.url, '/card/v2/charge', { key: m.sk, json: chargeBody(early) })).body.transaction_state).toBe('Authorized');
      await t.clock.advance(1000);
      const res = await call(t.url, '/card/v2/charge', { key: m.sk, json: chargeBody(late) });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ object: 'error', code: 'token_invalid', message: 'Token was expired or cannot be found' });
    } finally {
      await t.close();
    }
  });

  it('does not let one merchant charge another merchant\'s token', async () => {
    const a = newMerchant();
    const b = await non3dsMerchant();
    const token = await tokenize(h.url, a.pk, { number: APPROVE });
    const res = await call(h.url, '/card/v2/charge', { key: b.sk, json: chargeBody(token) });
    expect(res.body.code).toBe('token_invalid');
  });

  it('checks the card on tokenisation: Luhn, brand, expiry, CVV', async () => {
    const m = newMerchant();
    const base = { name: 'A', expiry_month: 12, expiry_year: 2099, cvv: '123' };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ number: '4024007134786227' }, 'invalid_parameter', 'card number is invalid'],
      [{ number: '6011111111111117' }, 'card_error', 'Card type is not supported'],
      [{ number: APPROVE, expiry_month: 1, expiry_year: 2001 }, 'invalid_parameter', 'expired'],
      [{ number: APPROVE, cvv: '12' }, 'invalid_parameter', 'cvv'],
      [{ number: APPROVE, name: undefined }, 'mandatory_is_empty', 'name'],
    ];
    for (const [card, code, message] of cases) {
      const res = await call(h.url, '/ui/v2/token', { key: m.pk, json: { ...base, ...card } });
      expect(res.status, JSON.stringify(card)).toBe(400);
      expect(res.body.code).toBe(code);
      expect(res.body.message).toContain(message);
    }
    const ok = await call(h.url, '/ui/v2/token', { key: m.pk, json: { ...base, number: '4024 0071 3478 6226', expiry_year: 99 } });
    expect(ok.body).toMatchObject({ object: 'token', used: false, card: { brand: 'visa', card_masking: '402400*****6226', expiration_year: 2099 } });
    expect(ok.body.id).toMatch(/^tokn_test_[0-9a-f]{35}$/);
  });
});

describe('inquiry (§6.1.2, §10.8)', () => {
  it('finds a charge by id, by reference_order and by order_id, with the creation date or not', async () => {
    const t = await startKpayment({ startTime: Date.UTC(2024, 0, 15, 3, 0, 0) });
    try {
      const m = newMerchant();
      await setSettings(t.url, m.sk, { threeDSecure: false });
      const ref = reference();
      const { charge } = await payWithCard(t.url, m, { number: APPROVE }, { reference_order: ref, order_id: 'order_test_abc123' });
      for (const key of [charge.id, ref, 'order_test_abc123', `${charge.id}/20240115`, `${ref}/20240115`]) {
        const res = await call(t.url, `/card/v2/charge/${key}`, { key: m.sk });
        expect(res.status, key).toBe(200);
        expect(res.body).toMatchObject({ id: charge.id, transaction_state: 'Authorized', status: 'success', reference_order: ref });
      }
      const wrongDate = await call(t.url, `/card/v2/charge/${charge.id}/20240116`, { key: m.sk });
      expect(wrongDate.body).toMatchObject({ code: 'invalid_parameter', message: 'Invalid Charge ID or Transaction date value' });
      const badDate = await call(t.url, `/card/v2/charge/${charge.id}/2024-01-15`, { key: m.sk });
      expect(badDate.body.code).toBe('transaction_date_invalid');
    } finally {
      await t.close();
    }
  });

  it('answers 404 charge_id_not_exist for an unknown id and for another merchant\'s charge', async () => {
    const m = await non3dsMerchant();
    const { charge } = await payWithCard(h.url, m, { number: APPROVE });
    const stranger = newMerchant();
    for (const [key, id] of [[m.sk, 'chrg_test_nothere'], [stranger.sk, charge.id]]) {
      const res = await call(h.url, `/card/v2/charge/${id}`, { key });
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ object: 'error', code: 'charge_id_not_exist', message: 'Charge ID does not exist or invalid' });
    }
  });
});

describe('merchant isolation and settings', () => {
  it('keeps each key pair\'s charges, settings and mids apart', async () => {
    const a = newMerchant();
    const b = newMerchant();
    await setSettings(h.url, a.sk, { threeDSecure: false, mid: '401555555555001' });
    const token = await tokenize(h.url, b.pk, { number: APPROVE });
    // b still has the default mid and 3-D Secure on.
    const refused = await call(h.url, '/card/v2/charge', { key: b.sk, json: chargeBody(token, { additional_data: { mid: '401555555555001' } }) });
    expect(refused.body.code).toBe('mid_and_tid_not_exist');
    const ok = await call(h.url, '/card/v2/charge', { key: b.sk, json: chargeBody(token) });
    expect(ok.body.transaction_state).toBe('Pre-Authorized');
    const settingsA = await call(h.url, '/_sandbox/kpayment/settings', { key: a.sk });
    expect(settingsA.body).toMatchObject({ object: 'kpayment_settings', threeDSecure: false, mid: '401555555555001', dccMid: DCC_MID });
    expect((await call(h.url, '/_sandbox/kpayment/settings', { key: b.sk })).body).toMatchObject({ threeDSecure: true, mid: MID });
  });

  it('validates settings: secret key, http(s) URLs, known fields', async () => {
    const m = newMerchant();
    expect((await call(h.url, '/_sandbox/kpayment/settings', { key: m.pk, json: { threeDSecure: false } })).status).toBe(401);
    const badUrl = await call(h.url, '/_sandbox/kpayment/settings', { key: m.sk, json: { notifyUrl: 'ftp://x/' } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.message).toContain('notifyUrl');
    const unknown = await call(h.url, '/_sandbox/kpayment/settings', { key: m.sk, json: { secure: true } });
    expect(unknown.body).toMatchObject({ code: 'invalid_parameter', message: 'unknown parameter secure' });
    const kept = await setSettings(h.url, m.sk, { callbackUrl: 'http://127.0.0.1:9/cb' });
    expect(kept).toMatchObject({ callbackUrl: 'http://127.0.0.1:9/cb', notifyUrl: null, threeDSecure: true });
  });

  it('takes the same settings in process, by secret key', async () => {
    const m = newMerchant();
    expect(h.controls.setSettings(m.sk, { threeDSecure: false, dccMid: '451777777777001' })).toMatchObject({ threeDSecure: false, dccMid: '451777777777001', mid: MID });
    expect(h.controls.settings(m.sk).threeDSecure).toBe(false);
    const { charge } = await payWithCard(h.url, m, { number: APPROVE });
    expect(charge.transaction_state).toBe('Authorized');
    expect(() => h.controls.setSettings(m.pk, { threeDSecure: true })).toThrow('authenticate');
    expect(() => h.controls.setSettings(m.sk, { mid: 'abc' })).toThrow('mid must be digits');
  });

  it('answers unknown K-Payment paths with a JSON 404', async () => {
    const res = await call(h.url, '/card/v2/charges', { key: newMerchant().sk });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ object: 'error', code: 'not_found' });
  });
});
