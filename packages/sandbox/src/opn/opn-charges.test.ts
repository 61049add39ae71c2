import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, call, newMerchant, startSandbox } from '../../test/test-kit.ts';
import { RETURN_URI, createCharge, createSource } from '../../test/opn-kit.ts';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.close());

/** Every field of the seeds' sample charges (000, 002, 004), in their union. */
const SEED_CHARGE_FIELDS = [
  'object', 'id', 'location', 'amount', 'acquirer_reference_number', 'net', 'fee', 'fee_vat', 'interest', 'interest_vat',
  'funding_amount', 'refunded_amount', 'transaction_fees', 'platform_fee', 'currency', 'funding_currency', 'ip', 'refunds',
  'link', 'description', 'metadata', 'card', 'source', 'schedule', 'customer', 'dispute', 'transaction', 'failure_code',
  'failure_message', 'status', 'authorize_uri', 'return_uri', 'created_at', 'paid_at', 'expires_at', 'expired_at',
  'reversed_at', 'zero_interest_installments', 'branch', 'terminal', 'device', 'authorized', 'capturable', 'capture',
  'disputable', 'livemode', 'refundable', 'partially_refundable', 'reversed', 'reversible', 'voided', 'paid', 'expired',
  'can_perform_void', 'approval_code',
];
const SEED_SOURCE_FIELDS = [
  'object', 'id', 'livemode', 'location', 'amount', 'barcode', 'bank', 'created_at', 'currency', 'email', 'flow',
  'installment_term', 'ip', 'absorption_type', 'name', 'mobile_number', 'phone_number', 'platform_type', 'scannable_code',
  'billing', 'shipping', 'items', 'references', 'provider_references', 'store_id', 'store_name', 'terminal_id', 'type',
  'zero_interest_installments', 'charge_status', 'receipt_amount', 'discounts',
];

/** Creates a charge with an inline source (one call), as the seeds' "source and charge" examples do. */
function inlineCharge(sk: string, params: Record<string, unknown>) {
  return call(h.url, '/charges', {
    key: sk,
    json: { amount: 150000, currency: 'THB', return_uri: RETURN_URI, ...params },
  });
}

describe('a charge as the API returns it', () => {
  it('has every field of the seeds\' samples, pending, with the sandbox authorize_uri', async () => {
    const m = newMerchant();
    const source = await createSource(h.url, m.pk, { type: 'mobile_banking_kbank', amount: 150000, currency: 'THB', platform_type: 'IOS' });
    expect(Object.keys(source)).toEqual(SEED_SOURCE_FIELDS);
    expect(source).toMatchObject({ object: 'source', livemode: false, location: `/sources/${source.id}`, charge_status: 'unknown', provider_references: null });

    const res = await call(h.url, '/charges', {
      key: m.sk,
      json: { amount: 150000, currency: 'THB', return_uri: 'http://example.com/orders/345678/complete', source: source.id },
    });
    expect(res.status).toBe(200);
    const charge = res.body;
    expect(Object.keys(charge)).toEqual(SEED_CHARGE_FIELDS);
    expect(Object.keys(charge.source)).toEqual(SEED_SOURCE_FIELDS);
    expect(charge.id).toMatch(/^chrg_test_[0-9a-z]{19}$/);
    expect(charge.authorize_uri).toMatch(new RegExp(`^${h.url}/payments/pay2_test_[0-9a-z]{19}/authorize$`));
    expect(charge).toMatchObject({
      object: 'charge',
      location: `/charges/${charge.id}`,
      amount: 150000,
      currency: 'THB',
      status: 'pending',
      return_uri: 'http://example.com/orders/345678/complete',
      // The seeds' fee arithmetic: THB 10.00 + 7% VAT.
      fee: 1000,
      fee_vat: 70,
      net: 148930,
      transaction_fees: { fee_flat: '10.0', fee_rate: '0.0', vat_rate: '7.0' },
      refunds: { object: 'list', data: [], total: 0, location: `/charges/${charge.id}/refunds` },
      failure_code: null,
      failure_message: null,
      paid: false,
      authorized: false,
      capture: true,
      capturable: false,
      refundable: false,
      reversible: false,
      voided: false,
      expired: false,
      livemode: false,
      source: { id: source.id, type: 'mobile_banking_kbank', platform_type: 'IOS', charge_status: 'pending' },
    });
    expect(charge.source.provider_references).toEqual({ reference_number_1: expect.stringMatching(/^\S{16}$/), reference_number_2: null });
    expect(charge.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const read = await call(h.url, `/charges/${charge.id}`, { key: m.sk });
    expect(read.body).toMatchObject({ id: charge.id, status: 'pending', authorize_uri: charge.authorize_uri, expires_at: charge.expires_at });
    const sourceNow = await call(h.url, `/sources/${source.id}`, { key: m.pk });
    expect(sourceNow.body.charge_status).toBe('pending');
  });

  it.each([
    ['mobile_banking_kbank', 10],
    ['mobile_banking_bay', 15],
  ] as const)('%s expires_at is %i minutes after created_at (decisions.md 12)', async (type, minutes) => {
    const charge = await createCharge(h.url, newMerchant(), { type });
    expect(Date.parse(charge.expires_at) - Date.parse(charge.created_at)).toBe(minutes * 60_000);
  });

  it('KakaoPay sets no expiry timer, and its fees follow the seed (2.9%, no VAT in SGD)', async () => {
    const charge = await createCharge(h.url, newMerchant(), { type: 'kakaopay', currency: 'SGD', platform_type: 'WEB' });
    expect(charge.expires_at).toBeNull();
    expect(charge).toMatchObject({ fee: 4350, fee_vat: 0, net: 145650, transaction_fees: { fee_flat: '0.0', fee_rate: '2.9', vat_rate: '0.0' } });
  });

  it('lower-case currency is accepted and answered upper-case', async () => {
    const m = newMerchant();
    const source = await createSource(h.url, m.pk, { type: 'kakaopay', amount: 500, currency: 'sgd' });
    expect(source.currency).toBe('SGD');
  });

  it('keeps description and metadata', async () => {
    const m = newMerchant();
    const res = await inlineCharge(m.sk, { source: { type: 'mobile_banking_kbank' }, description: 'Order 42', metadata: { order_id: '42' } });
    expect(res.body).toMatchObject({ description: 'Order 42', metadata: { order_id: '42' } });
  });
});

describe('amount limits (per method and currency, from the catalog)', () => {
  const cases = [
    ['mobile_banking_kbank', 'THB', 2000, 15_000_000],
    ['mobile_banking_bay', 'THB', 2000, 15_000_000],
    ['kakaopay', 'THB', 2000, 15_000_000],
    ['kakaopay', 'SGD', 100, 2_000_000],
  ] as const;

  it.each(cases)('%s in %s: accepts %i and the maximum, refuses one below and one above (source)', async (type, currency, min, max) => {
    const m = newMerchant();
    for (const amount of [min, max]) {
      const ok = await call(h.url, '/sources', { key: m.pk, json: { type, amount, currency } });
      expect(ok.status, `amount ${amount}`).toBe(200);
      expect(ok.body.amount).toBe(amount);
    }
    const low = await call(h.url, '/sources', { key: m.pk, json: { type, amount: min - 1, currency } });
    expect(low.status).toBe(400);
    expect(low.body).toMatchObject({ object: 'error', code: 'bad_request' });
    expect(low.body.message).toContain(`at least ${min}`);
    const high = await call(h.url, '/sources', { key: m.pk, json: { type, amount: max + 1, currency } });
    expect(high.status).toBe(400);
    expect(high.body.message).toContain(`at most ${max}`);
  });

  it.each(cases)('%s in %s: the same limits on a one-call charge, refused as invalid_charge', async (type, currency, min, max) => {
    const m = newMerchant();
    const base = { currency, source: { type }, return_uri: RETURN_URI };
    for (const amount of [min, max]) {
      const ok = await inlineCharge(m.sk, { ...base, amount });
      expect(ok.status, `amount ${amount}`).toBe(200);
      expect(ok.body).toMatchObject({ amount, currency, status: 'pending' });
    }
    for (const amount of [min - 1, max + 1]) {
      const refused = await inlineCharge(m.sk, { ...base, amount });
      expect(refused.status, `amount ${amount}`).toBe(400);
      expect(refused.body).toMatchObject({ object: 'error', code: 'invalid_charge', location: 'https://www.omise.co/api-errors#invalid-charge' });
      expect(refused.body.message).toMatch(/amount must be at (least|most)/);
    }
    // Refused attempts leave nothing behind.
    expect((await call(h.url, '/charges', { key: m.sk })).body.total).toBe(2);
  });
});

describe('validation rules', () => {
  it('refuses a currency the method does not take', async () => {
    const m = newMerchant();
    const source = await call(h.url, '/sources', { key: m.pk, json: { type: 'mobile_banking_kbank', amount: 150000, currency: 'SGD' } });
    expect(source.status).toBe(400);
    expect(source.body.message).toBe('currency SGD is not supported by mobile_banking_kbank (supported: THB)');
    const charge = await inlineCharge(m.sk, { currency: 'USD', source: { type: 'kakaopay' } });
    expect(charge.status).toBe(400);
    expect(charge.body).toMatchObject({ code: 'invalid_charge', message: 'currency USD is not supported by kakaopay (supported: SGD, THB)' });
  });

  it('refuses an unknown source type', async () => {
    const m = newMerchant();
    const res = await call(h.url, '/sources', { key: m.pk, json: { type: 'promptpay', amount: 150000, currency: 'THB' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('source type promptpay is not supported');
  });

  it('allows platform_type IOS and ANDROID for mobile banking, not WEB (decisions.md 13)', async () => {
    const m = newMerchant();
    for (const type of ['mobile_banking_kbank', 'mobile_banking_bay'] as const) {
      for (const platform_type of ['IOS', 'ANDROID']) {
        const ok = await call(h.url, '/sources', { key: m.pk, json: { type, amount: 150000, currency: 'THB', platform_type } });
        expect(ok.status).toBe(200);
        expect(ok.body.platform_type).toBe(platform_type);
      }
      const web = await call(h.url, '/sources', { key: m.pk, json: { type, amount: 150000, currency: 'THB', platform_type: 'WEB' } });
      expect(web.status).toBe(400);
      expect(web.body.message).toBe(`platform_type WEB is not supported by ${type} (allowed: IOS, ANDROID)`);
      const inline = await inlineCharge(m.sk, { source: { type, platform_type: 'WEB' } });
      expect(inline.status).toBe(400);
      expect(inline.body.code).toBe('invalid_charge');
    }
    const none = await call(h.url, '/sources', { key: m.pk, json: { type: 'mobile_banking_kbank', amount: 150000, currency: 'THB' } });
    expect(none.body.platform_type).toBeNull();
  });

  it('allows IOS, ANDROID and WEB for KakaoPay, and nothing else', async () => {
    const m = newMerchant();
    for (const platform_type of ['IOS', 'ANDROID', 'WEB']) {
      const ok = await call(h.url, '/sources', { key: m.pk, json: { type: 'kakaopay', amount: 150000, currency: 'SGD', platform_type } });
      expect(ok.status).toBe(200);
    }
    const odd = await call(h.url, '/sources', { key: m.pk, json: { type: 'kakaopay', amount: 150000, currency: 'SGD', platform_type: 'WINDOWS' } });
    expect(odd.status).toBe(400);
  });

  it('needs the charge\'s amount and currency to equal the source\'s', async () => {
    const m = newMerchant();
    const source = await createSource(h.url, m.pk, { type: 'kakaopay', amount: 150000, currency: 'THB' });
    const amount = await call(h.url, '/charges', { key: m.sk, json: { amount: 150001, currency: 'THB', source: source.id, return_uri: RETURN_URI } });
    expect(amount.status).toBe(400);
    expect(amount.body).toMatchObject({ code: 'invalid_charge', message: "amount 150001 does not match the source's amount 150000" });
    const currency = await call(h.url, '/charges', { key: m.sk, json: { amount: 150000, currency: 'SGD', source: source.id, return_uri: RETURN_URI } });
    expect(currency.status).toBe(400);
    expect(currency.body).toMatchObject({ code: 'invalid_charge', message: "currency SGD does not match the source's currency THB" });
    // The source is still unused: the right amount charges it.
    const ok = await call(h.url, '/charges', { key: m.sk, json: { amount: 150000, currency: 'THB', source: source.id, return_uri: RETURN_URI } });
    expect(ok.status).toBe(200);
  });

  it('charges a source only once (used_token, Opn\'s code for a re-used single-use object)', async () => {
    const m = newMerchant();
    const source = await createSource(h.url, m.pk, { type: 'mobile_banking_bay', amount: 150000, currency: 'THB' });
    const params = { amount: 150000, currency: 'THB', source: source.id, return_uri: RETURN_URI };
    expect((await call(h.url, '/charges', { key: m.sk, json: params })).status).toBe(200);
    const again = await call(h.url, '/charges', { key: m.sk, json: params });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      object: 'error',
      location: 'https://www.omise.co/api-errors#used-token',
      code: 'used_token',
      message: `source ${source.id} was already used`,
    });
    expect((await call(h.url, '/charges', { key: m.sk })).body.total).toBe(1);
  });

  it('answers not_found for a source id that does not exist', async () => {
    const m = newMerchant();
    const res = await inlineCharge(m.sk, { source: 'src_test_000000000000000000' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', message: 'source src_test_000000000000000000 was not found' });
  });

  it('KakaoPay needs an HTTPS return_uri; loopback hosts count as secure', async () => {
    const m = newMerchant();
    for (const uri of ['http://shop.example/return', 'http://localhost.shop.example/return', 'http://127.0.0.2/return']) {
      const res = await inlineCharge(m.sk, { source: { type: 'kakaopay' }, return_uri: uri });
      expect(res.status, uri).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_charge', message: 'return_uri must be an HTTPS URL for kakaopay' });
    }
    for (const uri of ['https://shop.example/return', 'http://localhost:3000/r', 'http://127.0.0.1:8080/r', 'http://[::1]:8080/r']) {
      const res = await inlineCharge(m.sk, { source: { type: 'kakaopay' }, return_uri: uri });
      expect(res.status, uri).toBe(200);
      expect(res.body.return_uri).toBe(uri);
    }
    // Mobile banking takes plain http (seed 000's example uses http://example.com).
    const kbank = await inlineCharge(m.sk, { source: { type: 'mobile_banking_kbank' }, return_uri: 'http://shop.example/return' });
    expect(kbank.status).toBe(200);
  });

  it('needs a return_uri, and a real http(s) one', async () => {
    const m = newMerchant();
    const missing = await inlineCharge(m.sk, { source: { type: 'mobile_banking_kbank' }, return_uri: undefined });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'bad_request', message: 'return_uri is required for mobile_banking_kbank' });
    const script = await inlineCharge(m.sk, { source: { type: 'mobile_banking_kbank' }, return_uri: 'javascript:alert(1)' });
    expect(script.status).toBe(400);
    expect(script.body.message).toBe('return_uri must be an absolute http(s) URL');
  });

  it('refuses capture=false for methods without manual capture', async () => {
    const m = newMerchant();
    const res = await inlineCharge(m.sk, { source: { type: 'mobile_banking_kbank' }, capture: false });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_charge', message: 'capture=false is not supported by mobile_banking_kbank' });
    const kakao = await inlineCharge(m.sk, { source: { type: 'kakaopay' }, capture: 'false' });
    expect(kakao.status).toBe(200);
    expect(kakao.body.capture).toBe(false);
  });

  it.each([
    [{ amount: undefined }, 'amount is required'],
    [{ amount: '12.5' }, 'amount must be an integer'],
    [{ amount: 12.5 }, 'amount must be an integer'],
    [{ amount: -100 }, 'amount must be at least 1'],
    [{ currency: undefined }, 'currency is required'],
    [{ currency: 'BAHT' }, 'currency must be a three-letter ISO 4217 code'],
    [{ source: undefined }, 'source is required'],
    [{ card: 'tokn_test_x' }, 'card and customer charges are not emulated by the sandbox; pass a source'],
  ])('answers bad_request for %j', async (change, message) => {
    const m = newMerchant();
    const res = await inlineCharge(m.sk, { source: { type: 'mobile_banking_kbank' }, ...change });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ object: 'error', code: 'bad_request', message });
  });
});

describe('GET /charges', () => {
  it('lists the merchant\'s charges with limit, offset, total and order', async () => {
    const m = newMerchant();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createCharge(h.url, m, { type: 'mobile_banking_kbank', amount: 2000 + i })).id);

    const all = await call(h.url, '/charges', { key: m.sk });
    expect(all.body).toMatchObject({ object: 'list', limit: 20, offset: 0, total: 5, order: 'chronological', location: '/charges', from: '1970-01-01T00:00:00Z' });
    expect(all.body.data.map((c: { id: string }) => c.id)).toEqual(ids);

    const page = await call(h.url, '/charges', { key: m.sk, query: { limit: 2, offset: 1 } });
    expect(page.body).toMatchObject({ limit: 2, offset: 1, total: 5 });
    expect(page.body.data.map((c: { amount: number }) => c.amount)).toEqual([2001, 2002]);

    const reversed = await call(h.url, '/charges', { key: m.sk, query: { order: 'reverse_chronological', limit: 1 } });
    expect(reversed.body.data[0].id).toBe(ids[4]);
    expect(reversed.body.order).toBe('reverse_chronological');

    const beyond = await call(h.url, '/charges', { key: m.sk, query: { offset: 10 } });
    expect(beyond.body).toMatchObject({ total: 5, data: [] });
  });

  it('filters by creation time with from and to', async () => {
    const m = newMerchant();
    await createCharge(h.url, m, { type: 'mobile_banking_kbank' });
    const future = new Date(h.sandbox.clock.now() + 3600_000).toISOString();
    expect((await call(h.url, '/charges', { key: m.sk, query: { from: future } })).body.total).toBe(0);
    expect((await call(h.url, '/charges', { key: m.sk, query: { to: future } })).body.total).toBe(1);
  });

  it.each([
    [{ limit: 0 }, 'limit must be at least 1'],
    [{ limit: 101 }, 'limit must be at most 100'],
    [{ offset: -1 }, 'offset must be at least 0'],
    [{ order: 'newest' }, 'order must be chronological or reverse_chronological'],
    [{ from: 'yesterday' }, 'from must be an ISO 8601 date-time'],
  ])('answers bad_request for %j', async (query, message) => {
    const res = await call(h.url, '/charges', { key: newMerchant().sk, query: query as Record<string, string | number> });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'bad_request', message });
  });
});
