import { customerMessage } from '@payment-checkout/core';
import { describe, expect, it } from 'vitest';
import { cardToken, kpaymentApi, kpaymentSettings, postForm, startCard, threeDSecure, tokenFields } from './support/kpayment.ts';
import type { CardStore } from '../src/store/card-store.ts';
import { open, world } from './support/kpayment-world.ts';
import { queryOf } from './support/world.ts';

/**
 * K-Payment cards end to end against the real sandbox: the card form's token posted to the companion, the
 * charge, 3-D Secure and its callback, notifies, every test card of the guide's §7.1 / §7.2, DCC, SmartPay,
 * remembered cards, register-3D and the reconciler.
 */

/** The companion's store as a CardStore (SqliteStore is both). */
const cards = () => world.companion.checkout.store as unknown as CardStore;
const SHOPPER = { id: 'shopper-42', email: 'somrak@example.com', name: 'Somrak Raktrakoon' };

/** Guide §7.1: 3-D Secure, Full MCC and SmartPay (OTP 123456). */
const THREE_DS_CARDS = [
  ['5239620007270264', '00'],
  ['5404888000072727', '00'],
  ['5404888005380836', '00'],
  ['5411768003140872', '00'],
  ['5411768003141953', '00'],
  ['2221000604647064', '01'],
  ['5596886582263266', '05'],
  ['5149504001969007', '51'],
  ['5265434283867885', '51'],
  ['4417706600005830', '00'],
  ['3564580000056476', '00'],
] as const;

/** Guide §7.2: non 3-D Secure, Full MCC and SmartPay. */
const NON_3DS_CARDS = [
  ['5431289719925031', '00'],
  ['5565694828631115', '00'],
  ['2221000604647064', '01'],
  ['5596886582263266', '05'],
  ['5265434283867885', '51'],
  ['5363314260912204', '500'],
  ['4024007134786226', '00'],
  ['4485169016314923', '00'],
  ['4877300371267473', '01'],
  ['4532741632025415', '05'],
  ['4147602662715373', '51'],
  ['4024007121398514', '500'],
  ['3536353014086177', '00'],
  ['3540000981507917', '01'],
  ['3539074482135968', '05'],
  ['3528730936342392', '51'],
  ['3532598050794027', '500'],
] as const;

async function expectResult(paymentId: string, code: string) {
  const payment = await world.paymentOf(paymentId);
  const view = (await world.api(`/checkout/payments/${paymentId}`)).body;
  if (code === '00') {
    expect(payment).toMatchObject({ status: 'succeeded', failureCode: null });
    expect(view).toMatchObject({ status: 'succeeded', failureMessage: null });
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paymentId]);
    expect(world.hooks.onFailed).toEqual([]);
  } else {
    expect(payment).toMatchObject({ status: 'failed', failureCode: code });
    expect(view).toMatchObject({ status: 'failed', failureCode: code, failureMessage: customerMessage(code, 'en') });
    expect((await world.api(`/checkout/payments/${paymentId}?locale=th`)).body.failureMessage).toBe(customerMessage(code, 'th'));
    expect(customerMessage(code)).not.toBe(customerMessage('generic'));
    expect(world.hooks.onFailed.map((p) => [p.id, p.failureCode])).toEqual([[paymentId, code]]);
    expect(world.hooks.onPaid).toEqual([]);
  }
}

describe('the card offer', () => {
  it('is offered only when K-Payment is configured, with what the form needs and no secret', async () => {
    await open();
    const orderId = world.order(150_000);
    const config = (await world.api(`/checkout/config?orderId=${orderId}`)).body;
    expect(config.methods.map((m: { id: string }) => m.id)).toContain('card');
    expect(config.gateways.kpayment).toEqual({ publicKey: world.keys.publicKey, scriptUrl: `${world.sandboxUrl}/ui/v2/kpayment.min.js`, installments: false, savedCards: false });

    const res = await world.createPayment(orderId, 'card');
    expect(res.status).toBe(201);
    const payment = await world.paymentOf(res.body.paymentId);
    expect(res.body).toMatchObject({ status: 'pending', reused: false });
    expect(res.body.next).toEqual({
      type: 'script_form',
      scriptUrl: `${world.sandboxUrl}/ui/v2/kpayment.min.js`,
      formAction: `${world.url}/checkout/kpayment/token/${payment.id}?token=${encodeURIComponent(payment.returnToken)}`,
      attributes: { apikey: world.keys.publicKey, amount: '1500.00', currency: 'THB', 'payment-methods': 'card', mid: '401000000000001', 'show-button': 'false' },
    });
    // Nothing was charged yet: the charge waits for the card form's token.
    expect(payment).toMatchObject({ status: 'pending', chargeId: null, sourceId: null, gateway: 'kpayment', amount: 150_000 });
  });

  it('runs without Opn for a K-Payment-only merchant: only K-Payment methods, no Opn key, Opn methods and webhooks refused', async () => {
    await open({ opn: false });
    expect(world.companion.checkout.gateways.opn?.client).toBeUndefined();
    expect(world.companion.checkout.gateways.opn?.settings).toBeUndefined();
    const orderId = world.order(150_000);
    const config = (await world.api(`/checkout/config?orderId=${orderId}`)).body;
    expect(config.methods.map((m: { id: string }) => m.id)).toEqual(['card', 'thai_qr', 'wechat_pay', 'alipay', 'unionpay']);
    expect(config).toMatchObject({ sandbox: true, gateways: { kpayment: { publicKey: world.keys.publicKey } } });
    expect(config.gateways.opn).toBeUndefined();

    const opnMethod = await world.createPayment(orderId, 'mobile_banking_kbank');
    expect([opnMethod.status, opnMethod.body.error.code]).toEqual([422, 'method_unavailable']);
    const webhook = await world.api('/webhooks/opn', { json: { object: 'event', key: 'charge.complete', data: { object: 'charge', id: 'chrg_test_x' } } });
    expect([webhook.status, webhook.body.error.code]).toEqual([404, 'not_found']);

    // The card still pays: the form's token, the 3-D Secure page, the callback and the notify.
    const { paymentId, next } = await startCard(world, 150_000);
    const toBank = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5404888000072727' }), next.attributes));
    const callback = await threeDSecure(toBank.location!, '123456');
    const back = await postForm(callback.action, callback.fields);
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'succeeded' });
    await world.sandbox.kpayment.flushNotifications();
    await expectResult(paymentId, '00');
  });

  it('is not offered without K-Payment', async () => {
    await open({ kpayment: undefined });
    const orderId = world.order(150_000);
    const config = (await world.api(`/checkout/config?orderId=${orderId}`)).body;
    expect(config.methods.map((m: { id: string }) => m.id)).not.toContain('card');
    expect(config.gateways.kpayment).toBeUndefined();
    const res = await world.createPayment(orderId, 'card');
    expect([res.status, res.body.error.code]).toEqual([422, 'method_unavailable']);
  });

  it('writes amounts as decimals of the order currency (MCC), and the merchant name', async () => {
    await open({ kpayment: { merchantName: 'Siam Market' } });
    expect((await startCard(world, 1_999, 'USD')).next.attributes).toMatchObject({ amount: '19.99', currency: 'USD', mid: '401000000000001', name: 'Siam Market' });
    expect((await startCard(world, 1_500, 'JPY')).next.attributes).toMatchObject({ amount: '1500', currency: 'JPY' });
  });
});

describe('non 3-D Secure cards (guide §7.2): the charge answers at once', () => {
  it.each(NON_3DS_CARDS)('%s → %s', async (number, code) => {
    await open();
    kpaymentSettings(world, { threeDSecure: false });
    const { orderId, paymentId, next } = await startCard(world, 123_450);
    const token = await cardToken(world, { number });
    const back = await postForm(next.formAction, tokenFields(token, next.attributes));
    expect(back.status).toBe(303);
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: code === '00' ? 'succeeded' : 'failed' });

    // The sandbox charged the order's amount, with the payment id as reference_order.
    const charge = (await kpaymentApi(world, `/card/v2/charge/${paymentId}`)).body;
    expect(charge).toMatchObject({ amount: 1234.5, currency: 'THB', reference_order: paymentId, transaction_state: code === '00' ? 'Authorized' : 'Declined' });
    expect((await world.paymentOf(paymentId)).chargeId).toBe(charge.id);
    await world.sandbox.kpayment.flushNotifications();
    await expectResult(paymentId, code);
    expect(world.hooks.onPaid.concat(world.hooks.onFailed).every((p) => p.orderId === orderId)).toBe(true);
  });
});

describe('3-D Secure cards (guide §7.1): OTP, callback, inquiry', () => {
  it.each(THREE_DS_CARDS)('%s → %s', async (number, code) => {
    await open();
    const { paymentId, next } = await startCard(world, 150_000);
    const token = await cardToken(world, { number });
    const toBank = await postForm(next.formAction, tokenFields(token, next.attributes));
    expect(toBank.status).toBe(303);
    expect(toBank.location).toMatch(new RegExp(`^${world.sandboxUrl}/KPGW-Auth3d-Webapi/Authorize/auth_test_\\w+$`));
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending', authorizeUri: toBank.location });

    const callback = await threeDSecure(toBank.location!, '123456');
    expect(callback.action).toBe(`${world.url}/checkout/kpayment/callback`);
    const back = await postForm(callback.action, callback.fields);
    expect(back.status).toBe(303);
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: code === '00' ? 'succeeded' : 'failed' });
    await world.sandbox.kpayment.flushNotifications();
    await expectResult(paymentId, code);
  });

  it('fails on a wrong OTP with the failed-authentication message (code 50)', async () => {
    await open();
    const { paymentId, next } = await startCard(world);
    const toBank = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5404888000072727' }), next.attributes));
    const callback = await threeDSecure(toBank.location!, '000000');
    expect(callback.fields.status).toBe('false');
    const back = await postForm(callback.action, callback.fields);
    expect(queryOf(back.location).status).toBe('failed');
    await world.sandbox.kpayment.flushNotifications();
    await expectResult(paymentId, '50');
  });

  it('decides from the callback alone when no notify comes, and from the notify alone when the shopper never comes back', async () => {
    await open();
    kpaymentSettings(world, { notify: 'drop' });
    const first = await startCard(world);
    const toBank = await postForm(first.next.formAction, tokenFields(await cardToken(world, { number: '4417706600005830' }), first.next.attributes));
    const callback = await threeDSecure(toBank.location!, '123456');
    await postForm(callback.action, callback.fields);
    const events = await world.companion.checkout.store.listEvents(first.paymentId);
    expect(events.find((e) => e.toStatus === 'succeeded')?.source).toBe('return');
    expect(events.map((e) => e.type)).toContain('callback_received');

    kpaymentSettings(world, { notify: 'normal' });
    const second = await startCard(world);
    const payment = (await world.paymentOf(second.paymentId)).id;
    const toBank2 = await postForm(second.next.formAction, tokenFields(await cardToken(world, { number: '4417706600005830' }), second.next.attributes));
    const chargeId = (await world.paymentOf(payment)).chargeId!;
    world.sandbox.kpayment.authenticate(world.keys.secretKey, chargeId, '123456'); // the cardholder on the bank's page; the browser is lost
    await world.sandbox.kpayment.flushNotifications();
    expect(toBank2.status).toBe(303);
    const after = await world.companion.checkout.store.listEvents(payment);
    expect(after.find((e) => e.toStatus === 'succeeded')?.source).toBe('webhook');
    expect(after.map((e) => e.type)).not.toContain('callback_received');
  });

  it('opens a new card form for a shopper who backs out of 3-D Secure and asks again (here in instalments), and still pays the order once', async () => {
    await open({ kpayment: { smartpay: { smartpayId: '0001' } } });
    const { orderId, paymentId, next } = await startCard(world);
    const toBank = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5404888000072727' }), next.attributes));
    expect(toBank.status).toBe(303);

    // Not the old 3-D Secure page of the card paid in full: a new form, with the SmartPay attributes asked for.
    const again = await world.createPayment(orderId, 'card', { installments: true });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ reused: false, next: { type: 'script_form', attributes: { 'smartpay-id': '0001' } } });
    expect(again.body.paymentId).not.toBe(paymentId);
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending', supersededBy: again.body.paymentId });

    // The first card's OTP completed after all (another tab): that payment pays the order, once.
    const callback = await threeDSecure(toBank.location!, '123456');
    const back = await postForm(callback.action, callback.fields);
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'succeeded' });
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paymentId]);
    // The second form can no longer charge: the order is paid.
    const late = await postForm(
      again.body.next.formAction,
      tokenFields(await cardToken(world, { number: '4024007134786226' }), again.body.next.attributes, { smartpayid: '0001', term: '6' }),
    );
    expect(late.status).toBe(409);
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paymentId]);
    expect(world.hooks.onNeedsRefund).toEqual([]);
    // Back at the checkout, the shopper gets the paid order's receipt, not an error.
    const config = await world.api(`/checkout/config?orderId=${orderId}&locale=th`);
    expect(config.status).toBe(200);
    expect(config.body).toMatchObject({ orderId, methods: [], gateways: {}, paid: { id: paymentId, orderId, status: 'succeeded', failureMessage: null } });
    expect(config.body.texts.paid).toMatch(/[\u0E00-\u0E7F]/);
  });
});

describe('Full DCC (guide §4.1.1.1 b): foreign Visa / Mastercard in their own currency', () => {
  const DCC_MID = '451000000000001';
  it.each([
    ['3-D Secure', '5239620007270264', 'USD', true],
    ['3-D Secure', '4417706600005830', 'JPY', true],
    ['non 3-D Secure', '5372074248113841', 'USD', false],
    ['non 3-D Secure', '4205203648166408', 'JPY', false],
  ] as const)('%s %s pays in %s', async (_kind, number, currency, threeDs) => {
    await open({ kpayment: { dccMid: DCC_MID } });
    kpaymentSettings(world, { threeDSecure: threeDs });
    const { paymentId, next } = await startCard(world, 100_000);
    expect(next.attributes).toMatchObject({ mid: DCC_MID, amount: '1000.00', currency: 'THB' });
    const token = await cardToken(world, { number });
    let back = await postForm(next.formAction, tokenFields(token, next.attributes, { dcc_currency: currency }));
    if (threeDs) {
      const callback = await threeDSecure(back.location!, '123456');
      back = await postForm(callback.action, callback.fields);
    }
    expect(queryOf(back.location).status).toBe('succeeded');
    const charge = (await kpaymentApi(world, `/card/v2/charge/${paymentId}`)).body;
    expect(charge).toMatchObject({ amount: 1000, currency: 'THB', transaction_state: 'Authorized', dcc_data: { converted_currency_code: currency } });
    expect((await world.companion.checkout.store.listEvents(paymentId)).find((e) => e.type === 'token_received')?.detail).toMatchObject({ variant: 'dcc', dccCurrency: currency });
  });

  it('lets a Thai card, or a shopper who keeps baht, pay in THB on the DCC merchant id', async () => {
    await open({ kpayment: { dccMid: DCC_MID } });
    kpaymentSettings(world, { threeDSecure: false });
    const { paymentId, next } = await startCard(world, 100_000);
    const back = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5372074248113841' }), next.attributes, { dcc_currency: 'THB' }));
    expect(queryOf(back.location).status).toBe('succeeded');
    expect((await kpaymentApi(world, `/card/v2/charge/${paymentId}`)).body.dcc_data).toBeNull();
  });

  it('keeps the card merchant id for other currencies (MCC)', async () => {
    await open({ kpayment: { dccMid: DCC_MID } });
    expect((await startCard(world, 5_000, 'USD')).next.attributes.mid).toBe('401000000000001');
  });
});

describe('SmartPay instalments (guide §4.1.1.1 c, d)', () => {
  it('by SmartpayID: the attributes, then additional_data.smartpay_id and term on the charge', async () => {
    await open({ kpayment: { smartpay: { smartpayId: '0001' } } });
    kpaymentSettings(world, { threeDSecure: false });
    const orderId = world.order(300_000);
    expect((await world.api(`/checkout/config?orderId=${orderId}`)).body.gateways.kpayment.installments).toBe(true);
    const full = await world.createPayment(orderId, 'card');
    expect(full.body.next.attributes).not.toHaveProperty('smartpay-id');
    const res = await world.createPayment(orderId, 'card', { installments: true });
    expect(res.body.next.attributes).toMatchObject({ 'smartpay-id': '0001', mid: '401000000000001', amount: '3000.00' });
    expect(res.body.next.attributes).not.toHaveProperty('term');

    const back = await postForm(res.body.next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226' }), res.body.next.attributes, { smartpayid: '0001', term: '6' }));
    expect(queryOf(back.location).status).toBe('succeeded');
    const events = await world.companion.checkout.store.listEvents(res.body.paymentId);
    expect(events.find((e) => e.type === 'token_received')?.detail).toMatchObject({ variant: 'smartpay_id', term: 6 });
  });

  it('by SmartpayID: the gateway sees the term (a term the id does not offer is refused there)', async () => {
    await open({ kpayment: { smartpay: { smartpayId: '0001' } } });
    kpaymentSettings(world, { threeDSecure: false, smartpayIds: [{ smartpayId: '0001', terms: [3, 6] }] });
    const { paymentId, next } = await startCard(world, 300_000, 'THB', { installments: true });
    const back = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226' }), next.attributes, { smartpayId: '0001', term: '10' }));
    expect(queryOf(back.location).status).toBe('failed');
    expect(await world.paymentOf(paymentId)).toMatchObject({ failureCode: 'smartpay_invalid' });
    expect((await world.api(`/checkout/payments/${paymentId}`)).body.failureMessage).toBe(customerMessage('smartpay_invalid'));
  });

  it('by Installment Plan: the plan attributes, then the smartpay object on the charge (3-D Secure)', async () => {
    const plan = { planId: '999', ipanMode: '03', productType: '003', supplierNo: '99903', modelNo: '123456' } as const;
    await open({ kpayment: { smartpay: { plan, term: 10 } } });
    const { paymentId, next } = await startCard(world, 300_000, 'THB', { installments: true });
    expect(next.attributes).toMatchObject({ 'plan-id': '999', 'ipan-mode': '03', 'product-type': '003', 'supplier-no': '99903', 'model-no': '123456', term: '10' });
    const fields = { planid: '999', ipanmode: '03', producttype: '003', supplierno: '99903', modelno: '123456', term: '10' };
    const toBank = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5404888000072727' }), next.attributes, fields));
    const callback = await threeDSecure(toBank.location!, '123456');
    expect(queryOf((await postForm(callback.action, callback.fields)).location).status).toBe('succeeded');
    expect((await world.companion.checkout.store.listEvents(paymentId)).find((e) => e.type === 'token_received')?.detail).toMatchObject({ variant: 'installment_plan', term: 10 });
  });

  it('by Installment Plan: a plan the sandbox does not have is refused by the gateway (the smartpay object reached it)', async () => {
    const plan = { planId: '999', ipanMode: '03', productType: '003', supplierNo: '99903', modelNo: '123456' } as const;
    await open({ kpayment: { smartpay: { plan } } });
    kpaymentSettings(world, { threeDSecure: false, installmentPlans: [{ ...plan, planId: '998', terms: [3] }] });
    const { paymentId, next } = await startCard(world, 300_000, 'THB', { installments: true });
    const fields = { planid: '999', ipanmode: '03', producttype: '003', supplierno: '99903', modelno: '123456', term: '3' };
    await postForm(next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226' }), next.attributes, fields));
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'failed', failureCode: 'smartpay_invalid' });
  });

  it('by Installment Plan: offered only within the plan\'s MinPrice and MaxPrice (baht, as the report gives them)', async () => {
    const plan = { planId: '999', ipanMode: '03', productType: '003', supplierNo: '99903', modelNo: '123456', minPrice: 100, maxPrice: 20_000.5 } as const;
    await open({ kpayment: { smartpay: { plan } } });
    const offered = async (amount: number) => (await world.api(`/checkout/config?orderId=${world.order(amount)}`)).body.gateways.kpayment.installments;
    expect([await offered(9_999), await offered(10_000), await offered(2_000_050), await offered(2_000_051)]).toEqual([false, true, true, false]);
    // Asked for all the same, below the plan's MinPrice: refused before anything is stored (the gateway would refuse it).
    const small = world.order(9_999);
    const refused = await world.createPayment(small, 'card', { installments: true });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'method_unavailable']);
    expect(await world.companion.checkout.store.listPaymentsForOrder(small)).toEqual([]);
    // Paid in full, the card is still there.
    expect((await world.createPayment(small, 'card')).status).toBe(201);
  });

  it('by Installment Plan: offered only on the days of its ValidFrom and ValidTo (Bangkok days, as the report gives them)', async () => {
    const plan = { planId: '999', ipanMode: '03', productType: '003', supplierNo: '99903', modelNo: '123456', validFrom: '01/03/2030', validTo: '31/03/2030' } as const;
    let now = Date.parse('2030-02-28T16:59:00Z'); // 23:59 on 28 February in Bangkok
    await open({ kpayment: { smartpay: { plan } }, checkout: { now: () => now } });
    const offered = async () => (await world.api(`/checkout/config?orderId=${world.order(150_000)}`)).body.gateways.kpayment.installments;
    expect(await offered()).toBe(false);
    const early = world.order(150_000);
    expect((await world.createPayment(early, 'card', { installments: true })).status).toBe(422);
    now = Date.parse('2030-02-28T17:00:00Z'); // midnight: 1 March in Bangkok
    expect(await offered()).toBe(true);
    now = Date.parse('2030-03-31T16:59:00Z'); // 23:59 on 31 March in Bangkok
    expect(await offered()).toBe(true);
    now = Date.parse('2030-03-31T17:00:00Z');
    expect(await offered()).toBe(false);
  });

  it('is not offered for other currencies, nor without a SmartPay setting', async () => {
    await open({ kpayment: { smartpay: { smartpayId: '0001' } } });
    const usd = world.order(5_000, 'USD');
    expect((await world.api(`/checkout/config?orderId=${usd}`)).body.gateways.kpayment.installments).toBe(false);
    const refused = await world.createPayment(usd, 'card', { installments: true });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'method_unavailable']);
    expect(await world.companion.checkout.store.listPaymentsForOrder(usd)).toEqual([]);
  });
});

describe('remembered cards (guide §4.6)', () => {
  it('saves the card of a paid charge for the signed-in shopper, shows it next time, and pays with it', async () => {
    await open({ checkout: { resolveCustomer: () => SHOPPER } });
    kpaymentSettings(world, { threeDSecure: false });
    const first = await startCard(world);
    expect(first.next.attributes).not.toHaveProperty('customer-id');
    const token = await cardToken(world, { number: '4024007134786226', savecard: true });
    const back = await postForm(first.next.formAction, tokenFields(token, first.next.attributes, { savecard: 'true' }));
    expect(queryOf(back.location).status).toBe('succeeded');

    const mapping = await cards().getShopperCustomer('kpayment', SHOPPER.id);
    expect(mapping?.customerId).toMatch(/^cust_test_/);
    const customer = await world.companion.checkout.gateways.kpayment!.client.retrieveCustomer(mapping!.customerId);
    expect(customer).toMatchObject({ email: SHOPPER.email, name: SHOPPER.name, cards: [{ masked: '402400*****6226' }] });
    const saved = (await world.companion.checkout.store.listEvents(first.paymentId)).find((e) => e.type === 'card_saved');
    expect(saved?.detail).toMatchObject({ customerId: mapping!.customerId, customerCreated: true });

    // Next order: the form lists the saved card; paying with it sends the customer with the token.
    const orderId = world.order(50_000);
    expect((await world.api(`/checkout/config?orderId=${orderId}`)).body.gateways.kpayment.savedCards).toBe(true);
    const res = await world.createPayment(orderId, 'card');
    expect(res.body.next.attributes['customer-id']).toBe(mapping!.customerId);
    const savedToken = await cardToken(world, { customerId: mapping!.customerId, cardId: customer.cards[0].id });
    const paid = await postForm(res.body.next.formAction, tokenFields(savedToken, res.body.next.attributes));
    expect(queryOf(paid.location).status).toBe('succeeded');
    expect((await kpaymentApi(world, `/card/v2/charge/${res.body.paymentId}`)).body).toMatchObject({ amount: 500, source: { card_masking: '402400*****6226' } });

    // A second card with "Remember card" goes to the same customer.
    const third = await startCard(world, 20_000);
    await postForm(third.next.formAction, tokenFields(await cardToken(world, { number: '4485169016314923', savecard: true }), third.next.attributes, { savecard: 'true' }));
    const after = await world.companion.checkout.gateways.kpayment!.client.retrieveCustomer(mapping!.customerId);
    expect(after.cards.map((c) => c.masked)).toEqual(['402400*****6226', '448516*****4923']);
    expect((await cards().getShopperCustomer('kpayment', SHOPPER.id))?.customerId).toBe(mapping!.customerId);
  });

  it('charges a card typed in when the shopper\'s customer was deleted at the gateway, and remembers the next card on a new customer', async () => {
    await open({ checkout: { resolveCustomer: () => SHOPPER } });
    kpaymentSettings(world, { threeDSecure: false });
    const first = await startCard(world);
    await postForm(first.next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226', savecard: true }), first.next.attributes, { savecard: 'true' }));
    const dead = (await cards().getShopperCustomer('kpayment', SHOPPER.id))!.customerId;
    await world.companion.checkout.gateways.kpayment!.client.deleteCustomer(dead);

    const next = await startCard(world, 30_000);
    const paid = await postForm(next.next.formAction, tokenFields(await cardToken(world, { number: '4485169016314923', savecard: true }), next.next.attributes, { savecard: 'true' }));
    expect(queryOf(paid.location).status).toBe('succeeded');
    const mapping = await cards().getShopperCustomer('kpayment', SHOPPER.id);
    expect(mapping?.customerId).not.toBe(dead);
    expect((await world.companion.checkout.gateways.kpayment!.client.retrieveCustomer(mapping!.customerId)).cards.map((c) => c.masked)).toEqual(['448516*****4923']);
  });

  it('saves the card only once the 3-D Secure charge is paid', async () => {
    await open({ checkout: { resolveCustomer: () => SHOPPER } });
    const { paymentId, next } = await startCard(world);
    const toBank = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5404888000072727', savecard: true }), next.attributes, { savecard: 'true' }));
    expect(await cards().getShopperCustomer('kpayment', SHOPPER.id)).toBeNull();
    const callback = await threeDSecure(toBank.location!, '123456');
    expect(callback.fields.saveCard).toBe('true');
    await postForm(callback.action, callback.fields);
    await world.sandbox.kpayment.flushNotifications();
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'succeeded' });
    const mapping = await cards().getShopperCustomer('kpayment', SHOPPER.id);
    expect((await world.companion.checkout.gateways.kpayment!.client.retrieveCustomer(mapping!.customerId)).cards).toHaveLength(1);
    expect((await world.companion.checkout.store.listEvents(paymentId)).filter((e) => e.type === 'card_saved')).toHaveLength(1);
  });

  it('saves nothing for a declined card, for a guest, or without "Remember card"', async () => {
    let shopper: typeof SHOPPER | null = SHOPPER;
    await open({ checkout: { resolveCustomer: () => shopper } });
    kpaymentSettings(world, { threeDSecure: false });
    const declined = await startCard(world);
    await postForm(declined.next.formAction, tokenFields(await cardToken(world, { number: '4147602662715373', savecard: true }), declined.next.attributes, { savecard: 'true' }));
    const plain = await startCard(world);
    await postForm(plain.next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226' }), plain.next.attributes));
    expect(await cards().getShopperCustomer('kpayment', SHOPPER.id)).toBeNull();

    shopper = null;
    const guest = await startCard(world);
    await postForm(guest.next.formAction, tokenFields(await cardToken(world, { number: '4024007134786226', savecard: true }), guest.next.attributes, { savecard: 'true' }));
    expect(await world.paymentOf(guest.paymentId)).toMatchObject({ status: 'succeeded' });
    expect((await world.companion.checkout.store.listEvents(guest.paymentId)).find((e) => e.type === 'card_not_saved')?.detail).toEqual({ reason: 'no signed-in shopper' });
    expect(await cards().getShopperCustomer('kpayment', SHOPPER.id)).toBeNull();
  });
});

describe('register-3D: saving a card before buying (guide §4.6 b)', () => {
  it('verifies the card with THB 1.00 that the bank voids, then saves it for the shopper', async () => {
    await open({ checkout: { resolveCustomer: () => SHOPPER }, kpayment: { registrationResultUrl: 'https://shop.example/cards?registration={registrationId}&status={status}' } });
    const orderId = world.order(150_000);
    const started = await world.api('/checkout/kpayment/registrations', { json: { orderId } });
    expect(started.status).toBe(201);
    const { registrationId, next } = started.body;
    expect(next.attributes).toEqual({ apikey: world.keys.publicKey, amount: '1.00', currency: 'THB', 'payment-methods': 'card', mid: '401000000000001', 'show-button': 'false' });
    expect(next.formAction).toMatch(new RegExp(`^${world.url}/checkout/kpayment/registrations/${registrationId}/token\\?token=`));

    const token = await cardToken(world, { number: '5404888000072727', savecard: true });
    const toBank = await postForm(next.formAction, tokenFields(token, next.attributes, { savecard: 'true' }));
    expect(toBank.location).toMatch(/\/KPGW-Auth3d-Webapi\/Authorize\//);
    const callback = await threeDSecure(toBank.location!, '123456');
    const back = await postForm(callback.action, callback.fields);
    expect(back.status).toBe(303);
    expect(queryOf(back.location)).toEqual({ registration: registrationId, status: 'saved' });

    const charge = (await kpaymentApi(world, `/card/v2/charge/${callback.fields.objectId}`)).body;
    expect(charge).toMatchObject({ amount: 1, currency: 'THB', transaction_state: 'Voided', status: 'success', reference_order: registrationId });
    const mapping = await cards().getShopperCustomer('kpayment', SHOPPER.id);
    expect((await world.companion.checkout.gateways.kpayment!.client.retrieveCustomer(mapping!.customerId)).cards.map((c) => c.masked)).toEqual(['540488*****2727']);
    expect((await world.api(`/checkout/kpayment/registrations/${registrationId}`)).body).toMatchObject({ status: 'saved', failureMessage: null });
    // The order was not paid by it: no payment, no hook.
    expect(await world.companion.checkout.store.listPaymentsForOrder(orderId)).toEqual([]);
    expect(world.hooks.onPaid).toEqual([]);
    await world.sandbox.kpayment.flushNotifications();
    expect(world.sandbox.kpayment.notifyDeliveries(world.keys.secretKey).map((d) => d.status_code)).toEqual([200]);
  });

  it('fails on a wrong OTP and saves nothing; needs a signed-in shopper', async () => {
    let shopper: typeof SHOPPER | null = SHOPPER;
    await open({ checkout: { resolveCustomer: () => shopper }, kpayment: { registrationResultUrl: '/cards/{registrationId}?status={status}' } });
    const { registrationId, next } = (await world.api('/checkout/kpayment/registrations', { json: { orderId: world.order(1_000) } })).body;
    const toBank = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '5404888000072727', savecard: true }), next.attributes, { savecard: 'true' }));
    const callback = await threeDSecure(toBank.location!, '111111');
    const back = await postForm(callback.action, callback.fields);
    expect(back.location).toBe(`/cards/${registrationId}?status=failed`);
    expect((await world.api(`/checkout/kpayment/registrations/${registrationId}`)).body).toMatchObject({ status: 'failed', failureCode: '50', failureMessage: customerMessage('50') });
    expect(await cards().getShopperCustomer('kpayment', SHOPPER.id)).toBeNull();

    shopper = null;
    const guest = await world.api('/checkout/kpayment/registrations', { json: { orderId: world.order(1_000) } });
    expect([guest.status, guest.body.error.code]).toEqual([401, 'unauthorized']);
  });
});

describe('the reconciler: no notify after 10 minutes → inquiry (decisions.md 11)', () => {
  const MINUTE = 60_000;

  it('settles a 3-D Secure payment whose notify and callback never came, and ends forms never sent', async () => {
    let now = Date.now();
    await open({ checkout: { now: () => now } });
    kpaymentSettings(world, { notify: 'drop' });
    const { paymentId, next } = await startCard(world);
    const toBank = await postForm(next.formAction, tokenFields(await cardToken(world, { number: '3564580000056476' }), next.attributes));
    world.sandbox.kpayment.authenticate(world.keys.secretKey, (await world.paymentOf(paymentId)).chargeId!, '123456');
    expect(toBank.status).toBe(303);
    const abandoned = await startCard(world);

    now += 9 * MINUTE;
    expect((await world.companion.checkout.reconcile()).checked).toBe(0);
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending' });

    now += 2 * MINUTE;
    const report = await world.companion.checkout.reconcile();
    expect(report.payments).toEqual([{ id: paymentId, from: 'pending', to: 'succeeded' }]);
    expect((await world.companion.checkout.store.listEvents(paymentId)).find((e) => e.toStatus === 'succeeded')?.source).toBe('reconciler');
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paymentId]);
    // A card form never sent waits an hour (the shopper may still be typing), then ends.
    expect(await world.paymentOf(abandoned.paymentId)).toMatchObject({ status: 'pending' });
    now += 60 * MINUTE;
    await world.companion.checkout.reconcile();
    expect(await world.paymentOf(abandoned.paymentId)).toMatchObject({ status: 'canceled', failureCode: 'gateway_error' });
  });

  it('finds by reference_order a charge whose create answer was lost, and ends the payment when there is none', async () => {
    let now = Date.now();
    await open({ checkout: { now: () => now } });
    kpaymentSettings(world, { threeDSecure: false, notify: 'drop' });
    const store = world.companion.checkout.store;
    const claim = (id: string, token: string) =>
      store.updatePayment(id, () => ({ patch: { sourceId: token }, events: [{ source: 'create', type: 'token_received', detail: {} }], result: null }), new Date(now).toISOString());

    // The companion claimed the token and sent Create Charge; the gateway charged, the answer never came.
    const lost = await startCard(world, 77_700);
    const token = await cardToken(world, { number: '4024007134786226' });
    await claim(lost.paymentId, token);
    const charge = await world.companion.checkout.gateways.kpayment!.client.createCharge({
      amount: 777, currency: 'THB', description: 'x', source_type: 'card', mode: 'token', token, reference_order: lost.paymentId, additional_data: { mid: '401000000000001' },
    });
    // Polling already finds it by reference.
    expect((await world.api(`/checkout/payments/${lost.paymentId}`)).body.status).toBe('succeeded');
    expect(await world.paymentOf(lost.paymentId)).toMatchObject({ chargeId: charge.id, status: 'succeeded' });
    // Its timeline says who found the charge: the poll, not the create that lost its answer.
    expect((await store.listEvents(lost.paymentId)).find((e) => e.type === 'charge_created')).toMatchObject({ source: 'poll', detail: { foundByReference: true } });

    const never = await startCard(world, 10_000);
    await claim(never.paymentId, await cardToken(world, { number: '4024007134786226' }));
    now += 11 * MINUTE;
    const report = await world.companion.checkout.reconcile();
    expect(report.payments).toEqual([{ id: never.paymentId, from: 'pending', to: 'canceled' }]);
  });
});
