import { describe, expect, it } from 'vitest';
import { DCC_MID, call, chargeBody, newMerchant, payWithCard, setSettings, tokenize, useKpayment } from '../../test/kpayment-kit.ts';

/**
 * Every test card of the guide's §7.1 and §7.2 gives its documented outcome. The expectations are
 * copied from the guide's tables here, not read from the emulator's data, so a wrong row fails.
 */

type Row = [number: string, brand: string, code: string, result: string];

const THREE_DS_MCC: Row[] = [
  ['5239620007270264', 'mastercard', '00', 'Approval'],
  ['5404888000072727', 'mastercard', '00', 'Approval'],
  ['5404888005380836', 'mastercard', '00', 'Approval'],
  ['5411768003140872', 'mastercard', '00', 'Approval'],
  ['5411768003141953', 'mastercard', '00', 'Approval'],
  ['2221000604647064', 'mastercard', '01', 'Refer to Card Issuer'],
  ['5596886582263266', 'mastercard', '05', 'Do Not Honor'],
  ['5149504001969007', 'mastercard', '51', 'Insufficient Funds'],
  ['5265434283867885', 'mastercard', '51', 'Insufficient Funds'],
  ['4417706600005830', 'visa', '00', 'Approval'],
  ['3564580000056476', 'jcb', '00', 'Approval'],
];

const NON_3DS_MCC: Row[] = [
  ['5431289719925031', 'mastercard', '00', 'Approval'],
  ['5565694828631115', 'mastercard', '00', 'Approval'],
  ['2221000604647064', 'mastercard', '01', 'Refer to Card Issuer'],
  ['5596886582263266', 'mastercard', '05', 'Do Not Honor'],
  ['5265434283867885', 'mastercard', '51', 'Insufficient Funds'],
  ['5363314260912204', 'mastercard', '500', 'Timeout'],
  ['4024007134786226', 'visa', '00', 'Approval'],
  ['4485169016314923', 'visa', '00', 'Approval'],
  ['4877300371267473', 'visa', '01', 'Refer to Card Issuer'],
  ['4532741632025415', 'visa', '05', 'Do Not Honor'],
  ['4147602662715373', 'visa', '51', 'Insufficient Funds'],
  ['4024007121398514', 'visa', '500', 'Timeout'],
  ['3536353014086177', 'jcb', '00', 'Approval'],
  ['3540000981507917', 'jcb', '01', 'Refer to Card Issuer'],
  ['3539074482135968', 'jcb', '05', 'Do Not Honor'],
  ['3528730936342392', 'jcb', '51', 'Insufficient Funds'],
  ['3532598050794027', 'jcb', '500', 'Timeout'],
];

/** Full DCC rows: card, card currency, and what THB 1,000.00 is in it at the sandbox's rates (33.56 THB/USD, 0.2315 THB/JPY). */
const THREE_DS_DCC: Array<[string, string, number]> = [
  ['5239620007270264', 'USD', 29.8],
  ['4417706600005830', 'JPY', 4320],
];
const NON_3DS_DCC: Array<[string, string, number]> = [
  ['5372074248113841', 'USD', 29.8],
  ['4205203648166408', 'JPY', 4320],
];

const h = useKpayment();

function expectOutcome(charge: any, [number, brand, code, result]: Row) {
  expect(charge.source).toMatchObject({ brand, card_masking: `${number.slice(0, 6)}*****${number.slice(-4)}` });
  if (code === '00') {
    expect(charge).toMatchObject({ transaction_state: 'Authorized', status: 'success', failure_code: null });
    expect(charge.approval_code).toMatch(/^\d{6}$/);
  } else {
    expect(charge).toMatchObject({ transaction_state: 'Declined', status: 'fail', failure_code: code, failure_message: result, approval_code: null });
  }
}

describe('§7.1 3-D Secure, Full MCC and SmartPay', () => {
  for (const row of THREE_DS_MCC) {
    it(`${row[0]} ${row[1]}: Pre-Authorized, then after OTP 123456 → ${row[2]} ${row[3]}`, async () => {
      const m = newMerchant();
      const { charge } = await payWithCard(h.url, m, { number: row[0] });
      expect(charge).toMatchObject({ transaction_state: 'Pre-Authorized', status: 'success', failure_code: null });
      expect(charge.redirect_url).toMatch(new RegExp(`^${h.url}/KPGW-Auth3d-Webapi/Authorize/auth_test_[0-9a-f]{35}$`));
      const done = h.controls.authenticate(m.sk, charge.id, '123456');
      expectOutcome(done, row);
      expect(done.mpi).toMatchObject({ kbank_mpi: true, eci: row[1] === 'visa' ? '05' : '02' });
      expectOutcome((await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body, row);
    });
  }

  it('installments on a 3-D Secure merchant go through the same OTP (SmartpayID)', async () => {
    const m = newMerchant();
    const { charge } = await payWithCard(h.url, m, { number: '5404888000072727' }, { amount: 3000, additional_data: { mid: '401000000000001', smartpay_id: '0001', term: 10 } });
    expect(charge.transaction_state).toBe('Pre-Authorized');
    expect(h.controls.authenticate(m.sk, charge.id, '123456')).toMatchObject({ transaction_state: 'Authorized', amount: 3000 });
  });
});

describe('§7.2 non 3-D Secure, Full MCC and SmartPay', () => {
  for (const row of NON_3DS_MCC) {
    it(`${row[0]} ${row[1]} → ${row[2]} ${row[3]}, in the Create Charge answer`, async () => {
      const m = newMerchant();
      await setSettings(h.url, m.sk, { threeDSecure: false });
      const { charge } = await payWithCard(h.url, m, { number: row[0] });
      expect(charge.redirect_url).toBeNull();
      expect(charge.mpi).toBeNull();
      expectOutcome(charge, row);
    });
  }
});

describe('Full DCC test cards', () => {
  async function dccCharge(m: { pk: string; sk: string }, number: string, dccCurrency: string) {
    const token = await tokenize(h.url, m.pk, { number });
    return call(h.url, '/card/v2/charge', {
      key: m.sk,
      json: chargeBody(token, { amount: 1000, currency: 'THB', additional_data: { mid: DCC_MID }, dcc_data: { dcc_currency: dccCurrency } }),
    });
  }

  for (const [number, currency, converted] of THREE_DS_DCC) {
    it(`§7.1 ${number}: 3-D Secure approval in ${currency}`, async () => {
      const m = newMerchant();
      const res = await dccCharge(m, number, currency);
      expect(res.body.transaction_state).toBe('Pre-Authorized');
      const done = h.controls.authenticate(m.sk, res.body.id, '123456');
      expect(done).toMatchObject({
        transaction_state: 'Authorized',
        status: 'success',
        amount: 1000,
        currency: 'THB',
        dcc_data: { baht_amount: 1000, converted_amount: converted, converted_currency_code: currency, mid: DCC_MID },
      });
    });
  }

  for (const [number, currency, converted] of NON_3DS_DCC) {
    it(`§7.2 ${number}: approval in ${currency}`, async () => {
      const m = newMerchant();
      await setSettings(h.url, m.sk, { threeDSecure: false });
      const res = await dccCharge(m, number, currency);
      expect(res.body).toMatchObject({
        transaction_state: 'Authorized',
        dcc_data: { rate: currency === 'USD' ? 33.56 : 0.2315, converted_amount: converted, converted_currency_code: currency, converted_currency_name: currency === 'USD' ? 'US Dollar' : 'Japanese Yen' },
      });
    });
  }

  it('offers DCC on the card form backend only for a foreign card on the DCC merchant id', async () => {
    const m = newMerchant();
    const offer = (number: string, mid: string) => call(h.url, '/ui/v2/dcc-offer', { key: m.pk, json: { number, mid, amount: '1.00', currency: 'THB' } });
    expect((await offer('5239620007270264', DCC_MID)).body).toEqual({
      object: 'dcc_offer',
      eligible: true,
      currency: 'USD',
      currency_name: 'US Dollar',
      rate: 33.56,
      baht_amount: 1,
      converted_amount: 0.03,
      converted_label: '0.03 USD',
    });
    // The label keeps the currency's decimals, which the number drops: 10 USD is "10.00 USD", yen have none.
    const tenDollars = await call(h.url, '/ui/v2/dcc-offer', { key: m.pk, json: { number: '5239620007270264', mid: DCC_MID, amount: '335.60', currency: 'THB' } });
    expect(tenDollars.body).toMatchObject({ converted_amount: 10, converted_label: '10.00 USD' });
    const yen = await call(h.url, '/ui/v2/dcc-offer', { key: m.pk, json: { number: '4417706600005830', mid: DCC_MID, amount: '1000.00', currency: 'THB' } });
    expect(yen.body).toMatchObject({ currency: 'JPY', converted_label: '4320 JPY' });
    expect((await offer('5239620007270264', '401000000000001')).body).toEqual({ object: 'dcc_offer', eligible: false });
    expect((await offer('5404888000072727', DCC_MID)).body).toEqual({ object: 'dcc_offer', eligible: false });
  });

  it('pays a foreign card in baht when the shopper declines the offer (dcc_currency THB)', async () => {
    const m = newMerchant();
    await setSettings(h.url, m.sk, { threeDSecure: false });
    const res = await dccCharge(m, '5372074248113841', 'THB');
    expect(res.body).toMatchObject({ transaction_state: 'Authorized', amount: 1000, currency: 'THB', dcc_data: null });
  });

  it('refuses a DCC currency that is not the card\'s, and DCC for a domestic card', async () => {
    const m = newMerchant();
    await setSettings(h.url, m.sk, { threeDSecure: false });
    expect((await dccCharge(m, '5372074248113841', 'JPY')).body.code).toBe('currency_invalid');
    expect((await dccCharge(m, '5431289719925031', 'USD')).body.code).toBe('currency_invalid');
  });

  it('keeps the same card an MCC approval in THB on the MCC merchant id (§10.36)', async () => {
    const m = newMerchant();
    await setSettings(h.url, m.sk, { threeDSecure: false });
    const { charge } = await payWithCard(h.url, m, { number: '5372074248113841' }, { amount: 1000 });
    expect(charge).toMatchObject({ transaction_state: 'Authorized', dcc_data: null, currency: 'THB' });
  });
});
