import { describe, expect, it } from 'vitest';
import { DAY, MID, call, chargeBody, merchantWithout3ds, newMerchant, setSettings, startKpayment, tokenize, useKpayment } from '../../test/kpayment-kit.ts';

/** SmartPay installments (L629–780): SmartpayID or Installment Plan, from the merchant's settings, and their refund rules. */

const CARD = '4024007134786226';
const PLAN = { plan_id: '999', ipan_mode: '03', product_type: '003', payment_term: '6', supplier_no: '99903', model_no: '123456' };

const h = useKpayment();
const merchant = () => merchantWithout3ds(h.url);

async function charge(m: { pk: string; sk: string }, overrides: Record<string, unknown>) {
  const token = await tokenize(h.url, m.pk, { number: CARD });
  return call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token, { amount: 3000, ...overrides }) });
}

describe('SmartpayID', () => {
  it('charges with a configured id and term (term as text or number)', async () => {
    const m = await merchant();
    for (const term of [10, '3']) {
      const res = await charge(m, { additional_data: { mid: MID, smartpay_id: '0001', term } });
      expect(res.body).toMatchObject({ transaction_state: 'Authorized', amount: 3000 });
    }
  });

  it('refuses an unknown id or a term the id does not offer (smartpay_invalid), and installments in USD', async () => {
    const m = await merchant();
    expect((await charge(m, { additional_data: { mid: MID, smartpay_id: '0002', term: 3 } })).body.code).toBe('smartpay_invalid');
    expect((await charge(m, { additional_data: { mid: MID, smartpay_id: '0001', term: 5 } })).body).toMatchObject({ code: 'smartpay_invalid', message: expect.stringContaining('term 5') });
    expect((await charge(m, { currency: 'USD', additional_data: { mid: MID, smartpay_id: '0001', term: 3 } })).body.code).toBe('currency_invalid');
  });

  it('follows the merchant\'s settings', async () => {
    const m = await merchant();
    await setSettings(h.url, m.sk, { smartpayIds: [{ smartpayId: '0777', terms: [24] }] });
    expect((await charge(m, { additional_data: { mid: MID, smartpay_id: '0777', term: 24 } })).body.transaction_state).toBe('Authorized');
    expect((await charge(m, { additional_data: { mid: MID, smartpay_id: '0001', term: 3 } })).body.code).toBe('smartpay_invalid');
  });
});

describe('Installment Plan', () => {
  it('charges with a plan of the settings (product_type "3" and "003" alike)', async () => {
    const m = await merchant();
    expect((await charge(m, { smartpay: PLAN })).body.transaction_state).toBe('Authorized');
    expect((await charge(m, { smartpay: { ...PLAN, product_type: 3, payment_term: 10 } })).body.transaction_state).toBe('Authorized');
  });

  it('refuses a plan not in the settings, a term it does not offer, an amount outside its prices, a missing field', async () => {
    const m = await merchant();
    expect((await charge(m, { smartpay: { ...PLAN, model_no: '999999' } })).body.code).toBe('smartpay_invalid');
    expect((await charge(m, { smartpay: { ...PLAN, payment_term: '12' } })).body.code).toBe('smartpay_invalid');
    expect((await charge(m, { amount: 99, smartpay: PLAN })).body).toMatchObject({ code: 'smartpay_invalid', message: expect.stringContaining('price range') });
    const { model_no: _, ...noModel } = PLAN;
    expect((await charge(m, { smartpay: noModel })).body).toMatchObject({ code: 'mandatory_is_empty', message: expect.stringContaining('smartpay.model_no') });
    expect((await charge(m, { smartpay: { ...PLAN, ipan_mode: '05' } })).body.code).toBe('invalid_parameter');
  });
});

describe('refunds of installments (L3902–3904)', () => {
  async function settledInstallment(ipanMode: '01' | '02' | '03') {
    const t = await startKpayment();
    const m = newMerchant();
    await setSettings(t.url, m.sk, {
      threeDSecure: false,
      installmentPlans: [{ planId: '999', ipanMode, productType: '003', supplierNo: '99903', modelNo: '123456', terms: [6] }],
    });
    const token = await tokenize(t.url, m.pk, { number: CARD });
    const created = await call(t.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token, { amount: 3000, smartpay: { ...PLAN, ipan_mode: ipanMode } }) });
    await call(t.url, `/card/v2/charge/${created.body.id}/settle`, { key: m.sk, json: { amount: 3000, type: 'full' } });
    await t.clock.advance(DAY);
    const refund = (amount: number) => call(t.url, `/card/v2/charge/${created.body.id}/refund`, { key: m.sk, json: { amount, reason: 'return' } });
    return { t, refund };
  }

  it('IPAN 01 (merchant absorbs): no partial and no full refund', async () => {
    const { t, refund } = await settledInstallment('01');
    try {
      expect((await refund(1000)).body).toMatchObject({ code: 'internal_permission_denied', message: expect.stringContaining('Permission denied.') });
      expect((await refund(3000)).body.code).toBe('internal_permission_denied');
    } finally {
      await t.close();
    }
  });

  it('IPAN 02 (cardholder absorbs): one partial refund, no full refund, no second refund', async () => {
    const { t, refund } = await settledInstallment('02');
    try {
      expect((await refund(3000)).body.code).toBe('internal_permission_denied');
      expect((await refund(1000)).body.transaction_state).toBe('Refund Sent');
      expect((await refund(500)).body).toEqual({ object: 'error', code: 'partial_refund_is_not_allowed', message: 'Invalid refund request' });
    } finally {
      await t.close();
    }
  });

  it('IPAN 03 (supplier absorbs): a full refund', async () => {
    const { t, refund } = await settledInstallment('03');
    try {
      expect((await refund(3000)).body.transaction_state).toBe('Refund Sent');
    } finally {
      await t.close();
    }
  });
});
