import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, MINUTE, call, newMerchant, startSandbox } from '../../test/test-kit.ts';
import { RETURN_URI, createCharge, decide } from '../../test/opn-kit.ts';

const SEED_FAILURES = {
  payment_expired: 'Payment expired.',
  payment_rejected: 'Payment rejected by issuer.',
  failed_processing: 'General payment processing failure.',
  invalid_account: 'Valid account for payment method not found.',
  insufficient_fund: 'Insufficient funds in the account or the payment method has reached its limit.',
} as const;

const METHODS = [
  { type: 'mobile_banking_kbank', currency: 'THB', platform_type: 'IOS' },
  { type: 'mobile_banking_bay', currency: 'THB', platform_type: 'ANDROID' },
  { type: 'kakaopay', currency: 'SGD', platform_type: 'WEB' },
] as const;

let h: Harness;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.close());

describe('the payer decides on the authorize page', () => {
  it.each(METHODS)('$type: Successful marks the charge paid and sends the browser to return_uri', async (method) => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, method);
    const res = await decide(charge.authorize_uri, { action: 'successful' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(RETURN_URI);

    const after = (await call(h.url, `/charges/${charge.id}`, { key: m.sk })).body;
    expect(after).toMatchObject({
      status: 'successful',
      paid: true,
      authorized: true,
      failure_code: null,
      failure_message: null,
      expired: false,
      source: { charge_status: 'successful' },
    });
    expect(after.paid_at).not.toBeNull();
    expect(after.transaction).toMatch(/^trxn_test_/);
    expect((await call(h.url, `/sources/${charge.source.id}`, { key: m.pk })).body.charge_status).toBe('successful');
  });

  for (const method of METHODS) {
    it.each(Object.entries(SEED_FAILURES))(`${method.type}: Failed with %s sets the seed's failure message`, async (code, message) => {
      const m = newMerchant();
      const charge = await createCharge(h.url, m, method);
      const res = await decide(charge.authorize_uri, { action: 'failed', failure_code: code });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(RETURN_URI);
      const after = (await call(h.url, `/charges/${charge.id}`, { key: m.sk })).body;
      expect(after).toMatchObject({ status: 'failed', failure_code: code, failure_message: message, paid: false, authorized: false });
    });
  }

  it('a decided charge cannot be decided again, on the page or through the control endpoint', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'mobile_banking_kbank' });
    await decide(charge.authorize_uri, { action: 'failed', failure_code: 'insufficient_fund' });
    const again = await decide(charge.authorize_uri, { action: 'successful' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('failed');
    const control = await call(h.url, `/_sandbox/opn/charges/${charge.id}/complete`, { key: m.sk, json: { result: 'successful' } });
    expect(control.status).toBe(400);
    expect(control.body).toMatchObject({ code: 'invalid_charge', message: `charge ${charge.id} is already failed` });
    expect((await call(h.url, `/charges/${charge.id}`, { key: m.sk })).body.status).toBe('failed');
  });

  it('an unknown decision is refused and changes nothing', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'mobile_banking_bay' });
    const res = await decide(charge.authorize_uri, { action: 'maybe' });
    expect(res.status).toBe(400);
    const odd = await decide(charge.authorize_uri, { action: 'failed', failure_code: 'card_stolen' });
    expect(odd.status).toBe(400);
    expect((await call(h.url, `/charges/${charge.id}`, { key: m.sk })).body.status).toBe('pending');
  });

  it('the control endpoint completes a charge like the page does', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'mobile_banking_bay' });
    const res = await call(h.url, `/_sandbox/opn/charges/${charge.id}/complete`, {
      key: m.sk,
      json: { result: 'failed', failure_code: 'invalid_account' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'charge', status: 'failed', failure_code: 'invalid_account', failure_message: SEED_FAILURES.invalid_account });
    const forbidden = await call(h.url, `/_sandbox/opn/charges/${charge.id}/complete`, { key: m.pk, json: { result: 'successful' } });
    expect(forbidden.status).toBe(401);
  });
});

describe('expiry on the sandbox clock', () => {
  let t: Harness;
  afterEach(() => t.close());

  it('K PLUS: still pending just before 10 minutes, expired at 10 minutes', async () => {
    t = await startSandbox({ startTime: Date.parse('2024-03-19T09:35:00Z') });
    const m = newMerchant();
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });

    await t.sandbox.clock.advance(10 * MINUTE - 1000);
    expect((await call(t.url, `/charges/${charge.id}`, { key: m.sk })).body.status).toBe('pending');

    await t.sandbox.clock.advance(1000);
    const after = (await call(t.url, `/charges/${charge.id}`, { key: m.sk })).body;
    expect(after).toMatchObject({
      status: 'expired',
      expired: true,
      expired_at: charge.expires_at,
      failure_code: 'payment_expired',
      failure_message: 'Payment expired.',
      paid: false,
      source: { charge_status: 'expired' },
    });
    // The payer arrives too late: the page shows the state and refuses a decision.
    const page = await fetch(charge.authorize_uri);
    const text = await page.text();
    expect(text).toContain('expired');
    expect(text).not.toContain('value="successful"');
    const late = await decide(charge.authorize_uri, { action: 'successful' });
    expect(late.status).toBe(409);
    expect((await call(t.url, `/charges/${charge.id}`, { key: m.sk })).body.status).toBe('expired');
    const control = await call(t.url, `/_sandbox/opn/charges/${charge.id}/complete`, { key: m.sk, json: { result: 'successful' } });
    expect(control.body).toMatchObject({ code: 'expired_charge' });
  });

  it('KMA: pending at 14:59, expired at 15:00, and the clock can be advanced over HTTP', async () => {
    t = await startSandbox();
    const m = newMerchant();
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_bay' });
    const before = await call(t.url, '/_sandbox/clock/advance', { json: { ms: 15 * MINUTE - 1000 } });
    expect(before.body.object).toBe('clock');
    expect((await call(t.url, `/charges/${charge.id}`, { key: m.sk })).body.status).toBe('pending');
    await call(t.url, '/_sandbox/clock/advance', { json: { ms: 1000 } });
    expect((await call(t.url, `/charges/${charge.id}`, { key: m.sk })).body).toMatchObject({ status: 'expired', expired: true });
    const bad = await call(t.url, '/_sandbox/clock/advance', { json: { ms: -5 } });
    expect(bad.status).toBe(400);
    const malformed = await fetch(`${t.url}/_sandbox/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ object: 'error', code: 'bad_request' });
  });

  it('the sweep expires charges nobody reads, and lists see it', async () => {
    t = await startSandbox();
    const m = newMerchant();
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    await t.sandbox.clock.advance(11 * MINUTE);
    const events = t.sandbox.opn.events(m.sk);
    expect(events.map((e) => [e.key, e.data.status])).toEqual([
      ['charge.create', 'pending'],
      ['charge.complete', 'expired'],
    ]);
    const list = await call(t.url, '/charges', { key: m.sk });
    expect(list.body.data[0]).toMatchObject({ id: charge.id, status: 'expired' });
  });

  it('KakaoPay has no timer: still pending after a day', async () => {
    t = await startSandbox();
    const m = newMerchant();
    const charge = await createCharge(t.url, m, { type: 'kakaopay', currency: 'SGD' });
    await t.sandbox.clock.advance(24 * 60 * MINUTE);
    expect((await call(t.url, `/charges/${charge.id}`, { key: m.sk })).body.status).toBe('pending');
  });
});

describe('POST /charges/:id/expire', () => {
  it('KMA: expires a pending charge early', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'mobile_banking_bay' });
    const res = await call(h.url, `/charges/${charge.id}/expire`, { key: m.sk, method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'charge', id: charge.id, status: 'expired', expired: true, failure_code: 'payment_expired' });
    expect(res.body.expired_at).not.toBeNull();
    const late = await decide(charge.authorize_uri, { action: 'successful' });
    expect(late.status).toBe(409);
    expect(h.sandbox.opn.events(m.sk).map((e) => e.key)).toEqual(['charge.create', 'charge.expire']);
  });

  it('refuses to expire a final charge (failed_expire)', async () => {
    const m = newMerchant();
    const paid = await createCharge(h.url, m, { type: 'mobile_banking_bay' });
    await decide(paid.authorize_uri, { action: 'successful' });
    const res = await call(h.url, `/charges/${paid.id}/expire`, { key: m.sk, method: 'POST' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      object: 'error',
      location: 'https://www.omise.co/api-errors#failed-expire',
      code: 'failed_expire',
      message: `charge ${paid.id} cannot be expired: it is successful`,
    });
    expect((await call(h.url, `/charges/${paid.id}`, { key: m.sk })).body.status).toBe('successful');

    const expired = await createCharge(h.url, m, { type: 'mobile_banking_bay' });
    await call(h.url, `/charges/${expired.id}/expire`, { key: m.sk, method: 'POST' });
    const twice = await call(h.url, `/charges/${expired.id}/expire`, { key: m.sk, method: 'POST' });
    expect(twice.body.code).toBe('failed_expire');
  });

  it('refuses K PLUS and KakaoPay: only KMA documents an early expiry', async () => {
    const m = newMerchant();
    for (const type of ['mobile_banking_kbank', 'kakaopay'] as const) {
      const charge = await createCharge(h.url, m, { type });
      const res = await call(h.url, `/charges/${charge.id}/expire`, { key: m.sk, method: 'POST' });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'failed_expire', message: `${type} charges cannot be expired early` });
      expect((await call(h.url, `/charges/${charge.id}`, { key: m.sk })).body.status).toBe('pending');
    }
  });
});

describe('KakaoPay manual capture', () => {
  it('capture: false → authorized and capturable after the payer approves; capture makes it successful', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'kakaopay', currency: 'THB', capture: false });
    expect(charge).toMatchObject({ capture: false, authorized: false, capturable: false });
    const early = await call(h.url, `/charges/${charge.id}/capture`, { key: m.sk, method: 'POST' });
    expect(early.body).toMatchObject({ code: 'failed_capture', message: `charge ${charge.id} cannot be captured: it is not authorized yet` });

    await decide(charge.authorize_uri, { action: 'successful' });
    const authorized = (await call(h.url, `/charges/${charge.id}`, { key: m.sk })).body;
    expect(authorized).toMatchObject({ status: 'pending', authorized: true, capturable: true, reversible: true, paid: false });
    const refund = await call(h.url, `/charges/${charge.id}/refunds`, { key: m.sk, json: { amount: 100 } });
    expect(refund.body).toMatchObject({ code: 'failed_refund', message: `charge ${charge.id} is not captured; reverse it instead` });

    const captured = await call(h.url, `/charges/${charge.id}/capture`, { key: m.sk, method: 'POST' });
    expect(captured.status).toBe(200);
    expect(captured.body).toMatchObject({ status: 'successful', paid: true, authorized: true, capturable: false, reversible: false });
    expect(captured.body.paid_at).not.toBeNull();
    const twice = await call(h.url, `/charges/${charge.id}/capture`, { key: m.sk, method: 'POST' });
    expect(twice.status).toBe(400);
    expect(twice.body.code).toBe('failed_capture');
    expect(h.sandbox.opn.events(m.sk).map((e) => e.key)).toEqual(['charge.create', 'charge.complete', 'charge.capture']);
  });

  it('reverse releases an authorized charge; it can then be neither captured nor reversed again', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'kakaopay', currency: 'SGD', capture: false });
    await decide(charge.authorize_uri, { action: 'successful' });
    const reversed = await call(h.url, `/charges/${charge.id}/reverse`, { key: m.sk, method: 'POST' });
    expect(reversed.status).toBe(200);
    expect(reversed.body).toMatchObject({ status: 'reversed', reversed: true, reversible: false, capturable: false, paid: false, source: { charge_status: 'reversed' } });
    expect(reversed.body.reversed_at).not.toBeNull();
    expect((await call(h.url, `/charges/${charge.id}/reverse`, { key: m.sk, method: 'POST' })).status).toBe(400);
    expect((await call(h.url, `/charges/${charge.id}/capture`, { key: m.sk, method: 'POST' })).body.code).toBe('failed_capture');
    expect(h.sandbox.opn.events(m.sk).map((e) => e.key)).toEqual(['charge.create', 'charge.complete', 'charge.reverse']);
  });

  it('a captured (auto) charge cannot be captured or reversed', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'kakaopay', currency: 'SGD' });
    await decide(charge.authorize_uri, { action: 'successful' });
    expect((await call(h.url, `/charges/${charge.id}/capture`, { key: m.sk, method: 'POST' })).body.message).toBe(
      `charge ${charge.id} cannot be captured: it is successful`,
    );
    expect((await call(h.url, `/charges/${charge.id}/reverse`, { key: m.sk, method: 'POST' })).body.code).toBe('bad_request');
  });
});

describe('refunds and the void window (KakaoPay)', () => {
  let t: Harness;
  afterEach(() => t.close());
  // 17:35 in GMT+8: the void window closes at 00:15 GMT+8 the next day, 6 h 40 min later.
  const START = Date.parse('2024-03-19T09:35:00Z');
  const WINDOW_CLOSES = Date.parse('2024-03-19T16:15:00Z');

  async function paidKakao(m: ReturnType<typeof newMerchant>, amount = 150000) {
    const charge = await createCharge(t.url, m, { type: 'kakaopay', currency: 'THB', amount });
    await decide(charge.authorize_uri, { action: 'successful' });
    return charge;
  }

  it('a full refund inside the window is a void; after 00:15 GMT+8 it is a refund', async () => {
    t = await startSandbox({ startTime: START });
    const m = newMerchant();
    const a = await paidKakao(m);
    const b = await paidKakao(m);
    expect((await call(t.url, `/charges/${a.id}`, { key: m.sk })).body).toMatchObject({ refundable: true, can_perform_void: true });

    await t.sandbox.clock.advance(WINDOW_CLOSES - t.sandbox.clock.now() - MINUTE);
    const voided = await call(t.url, `/charges/${a.id}/refunds`, { key: m.sk, json: { amount: 150000 } });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ object: 'refund', amount: 150000, currency: 'THB', charge: a.id, voided: true });
    expect(voided.body.id).toMatch(/^rfnd_test_/);
    expect((await call(t.url, `/charges/${a.id}`, { key: m.sk })).body).toMatchObject({
      status: 'successful',
      voided: true,
      refunded_amount: 150000,
      refundable: false,
      can_perform_void: false,
    });

    await t.sandbox.clock.advance(2 * MINUTE);
    expect((await call(t.url, `/charges/${b.id}`, { key: m.sk })).body.can_perform_void).toBe(false);
    const refunded = await call(t.url, `/charges/${b.id}/refunds`, { key: m.sk, json: { amount: 150000 } });
    expect(refunded.body).toMatchObject({ object: 'refund', voided: false, amount: 150000 });
    expect((await call(t.url, `/charges/${b.id}`, { key: m.sk })).body).toMatchObject({ voided: false, refunded_amount: 150000, refundable: false });
    const keys = t.sandbox.opn.events(m.sk).map((e) => e.key);
    expect(keys.filter((k) => k === 'refund.create')).toHaveLength(2);
  });

  it('partial refunds add up (never a void) and an over-refund is refused', async () => {
    t = await startSandbox({ startTime: START });
    const m = newMerchant();
    const charge = await paidKakao(m, 150000);
    for (const amount of [50000, 40000]) {
      const res = await call(t.url, `/charges/${charge.id}/refunds`, { key: m.sk, form: { amount: String(amount) } });
      expect(res.status).toBe(200);
      expect(res.body.voided).toBe(false);
    }
    const over = await call(t.url, `/charges/${charge.id}/refunds`, { key: m.sk, json: { amount: 60001 } });
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ code: 'failed_refund', message: 'amount 60001 exceeds the refundable amount 60000' });
    const rest = await call(t.url, `/charges/${charge.id}/refunds`, { key: m.sk, json: { amount: 60000 } });
    expect(rest.status).toBe(200);
    const after = (await call(t.url, `/charges/${charge.id}`, { key: m.sk })).body;
    expect(after).toMatchObject({ refunded_amount: 150000, refundable: false, voided: false });
    expect(after.refunds.total).toBe(3);
    const list = await call(t.url, `/charges/${charge.id}/refunds`, { key: m.sk });
    expect(list.body).toMatchObject({ object: 'list', total: 3 });
    expect(list.body.data.map((r: { amount: number }) => r.amount)).toEqual([50000, 40000, 60000]);
    const one = await call(t.url, `/charges/${charge.id}/refunds/${rest.body.id}`, { key: m.sk });
    expect(one.body).toEqual(rest.body);
    expect((await call(t.url, `/charges/${charge.id}/refunds`, { key: m.sk, json: { amount: 1 } })).body.code).toBe('failed_refund');
  });

  it('refuses refunds of charges that were not paid', async () => {
    t = await startSandbox();
    const m = newMerchant();
    const charge = await createCharge(t.url, m, { type: 'kakaopay', currency: 'SGD' });
    const pending = await call(t.url, `/charges/${charge.id}/refunds`, { key: m.sk, json: { amount: 100 } });
    expect(pending.body).toMatchObject({ code: 'failed_refund', message: `charge ${charge.id} is pending; only a successful charge can be refunded` });
    await decide(charge.authorize_uri, { action: 'failed', failure_code: 'payment_rejected' });
    const failed = await call(t.url, `/charges/${charge.id}/refunds`, { key: m.sk, json: { amount: 100 } });
    expect(failed.body.code).toBe('failed_refund');
  });
});

describe('mobile banking cannot be voided or refunded (seeds 000, 002)', () => {
  it.each(['mobile_banking_kbank', 'mobile_banking_bay'] as const)('%s refuses a refund even right after payment', async (type) => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type });
    await decide(charge.authorize_uri, { action: 'successful' });
    const paid = (await call(h.url, `/charges/${charge.id}`, { key: m.sk })).body;
    expect(paid).toMatchObject({ refundable: false, partially_refundable: false, can_perform_void: false });
    const res = await call(h.url, `/charges/${charge.id}/refunds`, { key: m.sk, json: { amount: 150000 } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ object: 'error', code: 'failed_refund', message: `${type} charges cannot be voided or refunded` });
    expect((await call(h.url, `/charges/${charge.id}`, { key: m.sk })).body).toMatchObject({ refunded_amount: 0, voided: false });
  });
});
