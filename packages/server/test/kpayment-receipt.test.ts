import { describe, expect, it } from 'vitest';
import { cardToken, kpaymentSettings, postForm, startCard, threeDSecure, tokenFields } from './support/kpayment.ts';
import { open, world } from './support/kpayment-world.ts';
import { queryOf } from './support/world.ts';

/**
 * What the result says was paid (issue 11, defect 3), against the real sandbox: the amount and currency the card
 * was really charged in (Full DCC), the instalments the shopper chose (SmartPay), in English and Thai; the same
 * on the receipt of a paid order's checkout.
 */

const DCC_MID = '451000000000001';

/** The payment's summary as the result page asks for it, in each locale. */
async function summaries(paymentId: string) {
  const en = (await world.api(`/checkout/payments/${paymentId}`)).body;
  const th = (await world.api(`/checkout/payments/${paymentId}?locale=th`)).body;
  return { en: en.summary, th: th.summary };
}

describe('Full DCC: the result says what the card was charged in its own currency', () => {
  it.each([
    ['3-D Secure', '5239620007270264', 'USD', true, 'US$44.70', { chargedAmount: 4470, chargedCurrency: 'USD' }],
    ['non 3-D Secure', '4205203648166408', 'JPY', false, '¥6,479', { chargedAmount: 6479, chargedCurrency: 'JPY' }],
  ] as const)('%s %s: %s', async (_kind, number, currency, threeDs, charged, recorded) => {
    await open({ kpayment: { dccMid: DCC_MID } });
    kpaymentSettings(world, { threeDSecure: threeDs });
    const { orderId, paymentId, next } = await startCard(world, 150_000);
    let back = await postForm(next.formAction, tokenFields(await cardToken(world, { number }), next.attributes, { dcc_currency: currency }));
    if (threeDs) {
      const callback = await threeDSecure(back.location!, '123456');
      back = await postForm(callback.action, callback.fields);
    }
    expect(queryOf(back.location).status).toBe('succeeded');
    expect(await world.paymentOf(paymentId)).toMatchObject({ amount: 150_000, currency: 'THB', ...recorded, installmentTerm: null });
    expect(await summaries(paymentId)).toEqual({
      en: `${charged} (฿1,500.00) with Credit / debit card`,
      th: `${charged} (฿1,500.00) ผ่าน บัตรเครดิต / เดบิต`,
    });
    // The shopper back at the paid order's checkout reads the same receipt.
    expect((await world.api(`/checkout/config?orderId=${orderId}`)).body.paid.summary).toBe(`${charged} (฿1,500.00) with Credit / debit card`);
  });

  it('says baht for a shopper who kept baht on the DCC merchant id', async () => {
    await open({ kpayment: { dccMid: DCC_MID } });
    kpaymentSettings(world, { threeDSecure: false });
    const { paymentId, next } = await startCard(world, 150_000);
    const back = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5372074248113841' }), next.attributes, { dcc_currency: 'THB' }));
    expect(queryOf(back.location).status).toBe('succeeded');
    expect(await world.paymentOf(paymentId)).toMatchObject({ chargedAmount: null, chargedCurrency: null });
    expect(await summaries(paymentId)).toEqual({ en: '฿1,500.00 with Credit / debit card', th: '฿1,500.00 ผ่าน บัตรเครดิต / เดบิต' });
  });
});

describe('SmartPay: the result says the instalments and the monthly amount', () => {
  it('by SmartpayID, 6 months of ฿1,500.00 (3-D Secure)', async () => {
    await open({ kpayment: { smartpay: { smartpayId: '0001' } } });
    const { paymentId, next } = await startCard(world, 150_000, 'THB', { installments: true });
    const toBank = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5411768003140872' }), next.attributes, { smartpayId: '0001', term: '6' }));
    const callback = await threeDSecure(toBank.location!, '123456');
    expect(queryOf((await postForm(callback.action, callback.fields)).location).status).toBe('succeeded');
    expect(await world.paymentOf(paymentId)).toMatchObject({ installmentTerm: 6, chargedAmount: null });
    expect(await summaries(paymentId)).toEqual({
      en: '฿1,500.00 with KBank credit card in instalments: 6 monthly payments of ฿250.00',
      th: '฿1,500.00 ผ่าน บัตรเครดิตกสิกรไทยแบบผ่อนชำระ: 6 เดือน เดือนละ ฿250.00',
    });
  });

  it('by Installment Plan, 10 months (non 3-D Secure)', async () => {
    const plan = { planId: '999', ipanMode: '03', productType: '003', supplierNo: '99903', modelNo: '123456' } as const;
    await open({ kpayment: { smartpay: { plan, term: 10 } } });
    kpaymentSettings(world, { threeDSecure: false });
    const { paymentId, next } = await startCard(world, 300_000, 'THB', { installments: true });
    const fields = { planid: '999', ipanmode: '03', producttype: '003', supplierno: '99903', modelno: '123456', term: '10' };
    const back = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226' }), next.attributes, fields));
    expect(queryOf(back.location).status).toBe('succeeded');
    expect((await summaries(paymentId)).en).toBe('฿3,000.00 with KBank credit card in instalments: 10 monthly payments of ฿300.00');
  });

  it('says what a refused instalment payment would have charged', async () => {
    await open({ kpayment: { smartpay: { smartpayId: '0001' } } });
    kpaymentSettings(world, { threeDSecure: false, smartpayIds: [{ smartpayId: '0001', terms: [3, 6] }] });
    const { paymentId, next } = await startCard(world, 300_000, 'THB', { installments: true });
    const back = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226' }), next.attributes, { smartpayId: '0001', term: '10' }));
    expect(queryOf(back.location).status).toBe('failed');
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'failed', installmentTerm: 10 });
    expect((await summaries(paymentId)).en).toBe('฿3,000.00 with KBank credit card in instalments: 10 monthly payments of ฿300.00');
  });

  it('keeps the instalments chosen when the charge\'s answer timed out and its notify settled the payment first', async () => {
    await open({ kpayment: { smartpay: { smartpayId: '0001' }, timeoutMs: 1_000 } });
    kpaymentSettings(world, { threeDSecure: false, smartpayIds: [{ smartpayId: '0001', terms: [3, 6] }] });
    const { paymentId, next } = await startCard(world, 300_000, 'THB', { installments: true });
    world.sandbox.kpayment.setScenario(world.keys.secretKey, { failNext: { count: 1, fault: 'timeout', after: 'commit', on: 'POST /card/v2/charge' } });
    const back = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226' }), next.attributes, { smartpayId: '0001', term: '6' }));
    expect(back.status).toBe(303);
    await expect.poll(async () => (await world.paymentOf(paymentId)).status, { timeout: 5_000 }).toBe('succeeded');
    expect(await world.paymentOf(paymentId)).toMatchObject({ installmentTerm: 6 });
    expect((await summaries(paymentId)).en).toBe('฿3,000.00 with KBank credit card in instalments: 6 monthly payments of ฿500.00');
  });

  it('says a card paid in full plainly', async () => {
    await open({ kpayment: { smartpay: { smartpayId: '0001' } } });
    kpaymentSettings(world, { threeDSecure: false });
    const { paymentId, next } = await startCard(world, 150_000);
    expect(queryOf((await postForm(next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226' }), next.attributes))).location).status).toBe('succeeded');
    expect(await world.paymentOf(paymentId)).toMatchObject({ installmentTerm: null, chargedAmount: null });
    expect(await summaries(paymentId)).toEqual({ en: '฿1,500.00 with Credit / debit card', th: '฿1,500.00 ผ่าน บัตรเครดิต / เดบิต' });
  });
});
