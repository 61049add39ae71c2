import { describe, expect, it } from 'vitest';
import { type CardFormSettings, formAttributes, readCardForm } from './kpayment-form.ts';

/** The card form's data-* attributes, and the reading of its post-back (decisions.md 4). */

const settings: CardFormSettings = { publicKey: 'pkey_test_a', mid: '401000000000001', dccMid: null, merchantName: null, smartpay: null };
const plan = { planId: '999', ipanMode: '03' as const, productType: '003', supplierNo: '99903', modelNo: '123456' };
const TOKEN = 'tokn_test_abc123';

describe('formAttributes', () => {
  it('writes the order as the script expects it', () => {
    expect(formAttributes(settings, { amount: 150_050, currency: 'THB', installments: false, customerId: null })).toEqual({
      apikey: 'pkey_test_a', amount: '1500.50', currency: 'THB', 'payment-methods': 'card', mid: '401000000000001', 'show-button': 'false',
    });
    expect(formAttributes({ ...settings, merchantName: 'Shop' }, { amount: 1500, currency: 'JPY', installments: false, customerId: 'cust_test_1' })).toMatchObject({
      amount: '1500', currency: 'JPY', name: 'Shop', 'customer-id': 'cust_test_1',
    });
  });

  it('uses the Full DCC merchant id for baht paid in full, the card one otherwise', () => {
    const dcc = { ...settings, dccMid: '451000000000001', smartpay: { smartpayId: '0001' } };
    expect(formAttributes(dcc, { amount: 100, currency: 'THB', installments: false, customerId: null }).mid).toBe('451000000000001');
    expect(formAttributes(dcc, { amount: 100, currency: 'USD', installments: false, customerId: null }).mid).toBe('401000000000001');
    expect(formAttributes(dcc, { amount: 100, currency: 'THB', installments: true, customerId: null })).toMatchObject({ mid: '401000000000001', 'smartpay-id': '0001' });
    expect(formAttributes(dcc, { amount: 100, currency: 'THB', installments: false, customerId: null, register: true }).mid).toBe('401000000000001');
  });

  it('adds the plan fields and a fixed term only for instalments in baht', () => {
    const s = { ...settings, smartpay: { plan, term: 6 } };
    expect(formAttributes(s, { amount: 100, currency: 'THB', installments: true, customerId: null })).toMatchObject({
      'plan-id': '999', 'ipan-mode': '03', 'product-type': '003', 'supplier-no': '99903', 'model-no': '123456', term: '6',
    });
    expect(formAttributes(s, { amount: 100, currency: 'USD', installments: true, customerId: null })).not.toHaveProperty('plan-id');
  });
});

describe('readCardForm', () => {
  it('reads field names in any case and ignores the shop\'s own inputs', () => {
    const card = readCardForm(settings, { TOKEN: TOKEN, PaymentMethods: 'CARD', Mid: '401000000000001', SaveCard: 'TRUE', csrf: 'x' }, { currency: 'THB' });
    expect(card).toEqual({ token: TOKEN, mid: '401000000000001', variant: 'mcc', dccCurrency: null, savecard: true, smartpayId: null, term: null, plan: null });
  });

  it('reads DCC, SmartpayID and Installment Plan post-backs', () => {
    const dcc = { ...settings, dccMid: '451000000000001' };
    expect(readCardForm(dcc, { token: TOKEN, paymentMethods: 'card', mid: '451000000000001', dcc_currency: 'usd' }, { currency: 'THB' })).toMatchObject({ variant: 'dcc', dccCurrency: 'USD' });
    const byId = { ...settings, smartpay: { smartpayId: '0001' } };
    expect(readCardForm(byId, { token: TOKEN, paymentMethods: 'card', mid: '401000000000001', smartpayid: '0001', term: '10' }, { currency: 'THB' })).toMatchObject({ variant: 'smartpay_id', smartpayId: '0001', term: 10 });
    const byPlan = { ...settings, smartpay: { plan } };
    const fields = { token: TOKEN, paymentMethods: 'card', mid: '401000000000001', planid: '999', ipanmode: '03', producttype: '3', supplierno: '99903', modelno: '123456', term: '3' };
    expect(readCardForm(byPlan, fields, { currency: 'THB' })).toMatchObject({ variant: 'installment_plan', plan, term: 3 });
  });

  it.each([
    ['a non-object body', 'x', 'bad_request'],
    ['a missing token', { paymentMethods: 'card', mid: '401000000000001' }, 'bad_request'],
    ['a repeated field', { token: [TOKEN, TOKEN], paymentMethods: 'card', mid: '401000000000001' }, 'bad_request'],
    ['the same field in two cases', { token: TOKEN, Token: TOKEN, paymentMethods: 'card', mid: '401000000000001' }, 'bad_request'],
    ['qr', { token: TOKEN, paymentMethods: 'qr', mid: '401000000000001' }, 'bad_request'],
    ['another mid', { token: TOKEN, paymentMethods: 'card', mid: '401000000000002' }, 'source_mismatch'],
    ['dcc_currency on the card mid', { token: TOKEN, paymentMethods: 'card', mid: '401000000000001', dcc_currency: 'USD' }, 'source_mismatch'],
    ['instalments nobody offered', { token: TOKEN, paymentMethods: 'card', mid: '401000000000001', smartpayId: '0001', term: '3' }, 'source_mismatch'],
    ['a term alone', { token: TOKEN, paymentMethods: 'card', mid: '401000000000001', term: '3' }, 'source_mismatch'],
  ])('refuses %s', (_what, body, code) => {
    expect(() => readCardForm(settings, body, { currency: 'THB' })).toThrow(expect.objectContaining({ code }));
  });

  it('refuses what does not match the offer: another plan or term, DCC in another currency, a registration with extras', () => {
    const s = { ...settings, dccMid: '451000000000001', smartpay: { plan, term: 6 } };
    const base = { token: TOKEN, paymentMethods: 'card', mid: '401000000000001', planid: '999', ipanmode: '03', producttype: '003', supplierno: '99903', modelno: '123456' };
    const refuse = (body: Record<string, string>, currency: 'THB' | 'USD' = 'THB', register = false) =>
      expect(() => readCardForm(s, body, { currency, register })).toThrow(expect.objectContaining({ code: expect.stringMatching(/source_mismatch|bad_request/) }));
    refuse({ ...base, term: '10' });
    refuse({ ...base, modelno: '654321', term: '6' });
    refuse({ ...base, term: '6' }, 'USD');
    refuse({ token: TOKEN, paymentMethods: 'card', mid: '451000000000001', dcc_currency: 'USD' }, 'USD');
    refuse({ token: TOKEN, paymentMethods: 'card', mid: '451000000000001' });
    refuse({ token: TOKEN, paymentMethods: 'card', mid: '451000000000001', dcc_currency: 'THB' }, 'THB', true);
    expect(readCardForm(s, { ...base, term: '6' }, { currency: 'THB' }).term).toBe(6);
  });
});
