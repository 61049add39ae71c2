import { customerMessage } from '@payment-checkout/core';
import { kpaymentChecksum } from '@payment-checkout/core/signature';
import { describe, expect, it } from 'vitest';
import { type FormAnswer, callbackForm, kpaymentApi, kpaymentSettings, postForm } from './support/kpayment.ts';
import { open, world } from './support/kpayment-world.ts';
import { queryOf } from './support/world.ts';

/**
 * Alipay and UnionPay end to end against the real sandbox (guide §4.4–4.5): the charge created on the server,
 * the shopper sent to `redirect_url`, the hosted pages, the callback verified by inquiry, the notify, every
 * UnionPay test card of §7.3 with its right and wrong answers, and what must change nothing.
 */

const MINUTE = 60_000;
const view = async (paymentId: string, locale = 'en') => (await world.api(`/checkout/payments/${paymentId}?locale=${locale}`)).body;
const events = (paymentId: string) => world.companion.checkout.store.listEvents(paymentId);

/** Starts an Alipay or UnionPay payment for a new order; answers the payment and the hosted page's URL. */
async function startRedirect(method: 'alipay' | 'unionpay', amount = 150_000) {
  const orderId = world.order(amount);
  const res = await world.createPayment(orderId, method);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.next.type).toBe('redirect');
  const payment = await world.paymentOf(res.body.paymentId);
  return { orderId, paymentId: payment.id, chargeId: payment.chargeId!, url: res.body.next.url as string };
}

/** The hosted page's result: its auto-submitted callback form, posted as the browser would. */
async function followCallback(result: FormAnswer): Promise<FormAnswer> {
  expect(result.status, result.text.slice(0, 300)).toBe(200);
  const form = callbackForm(result.text);
  expect(form.action).toBe(`${world.url}/checkout/kpayment/callback`);
  expect(Object.keys(form.fields).sort()).toEqual(['objectId', 'status']);
  return postForm(form.action, form.fields);
}

async function expectOutcome(paymentId: string, code: string | null) {
  await world.sandbox.kpayment.flushNotifications();
  if (code === null) {
    expect(await view(paymentId)).toMatchObject({ status: 'succeeded', failureCode: null, failureMessage: null });
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paymentId]);
    expect(world.hooks.onFailed).toEqual([]);
  } else {
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'failed', failureCode: code });
    expect(await view(paymentId)).toMatchObject({ status: 'failed', failureCode: code, failureMessage: customerMessage(code, 'en') });
    expect((await view(paymentId, 'th')).failureMessage).toBe(customerMessage(code, 'th'));
    expect(customerMessage(code)).not.toBe(customerMessage('generic'));
    expect(world.hooks.onFailed.map((p) => [p.id, p.failureCode])).toEqual([[paymentId, code]]);
    expect(world.hooks.onPaid).toEqual([]);
  }
}

describe('Alipay', () => {
  it('creates the charge from the order and sends the shopper to its page; asking again sends them to the same page', async () => {
    await open();
    const { orderId, paymentId, chargeId, url } = await startRedirect('alipay', 98_765);
    const charge = (await kpaymentApi(world, `/card/v2/charge/${chargeId}`)).body;
    expect(charge).toMatchObject({ amount: 987.65, currency: 'THB', transaction_state: 'Initialize', status: 'success', reference_order: paymentId, redirect_url: url });
    expect(charge.source).toMatchObject({ object: 'redirect', brand: 'Alipay' });
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending', method: 'alipay', amount: 98_765, authorizeUri: url });
    expect((await world.visit(url)).status).toBe(200);

    const again = await world.createPayment(orderId, 'alipay');
    expect([again.status, again.body]).toEqual([200, { paymentId, status: 'pending', next: { type: 'redirect', url }, reused: true }]);
  });

  it('paid on the Alipay page: the callback is verified by inquiry, the hook fires once', async () => {
    await open();
    const { paymentId, url } = await startRedirect('alipay');
    const back = await followCallback(await postForm(`${url}/pay`, {}));
    expect(back.status).toBe(303);
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'succeeded' });
    await expectOutcome(paymentId, null);
  });

  it('declined on the Alipay page: failed with 05 and its message', async () => {
    await open();
    const { paymentId, url } = await startRedirect('alipay');
    const back = await followCallback(await postForm(`${url}/fail`, {}));
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'failed' });
    await expectOutcome(paymentId, '05');
  });

  it('paid with no callback: the notify alone settles it (checksum, then inquiry)', async () => {
    await open();
    const { paymentId, chargeId } = await startRedirect('alipay');
    world.sandbox.kpayment.completeAlipay(world.keys.secretKey, chargeId, 'pay');
    await world.sandbox.kpayment.flushNotifications();
    expect((await events(paymentId)).find((e) => e.toStatus === 'succeeded')?.source).toBe('webhook');
    await expectOutcome(paymentId, null);
  });
});

interface UnionpayCard {
  number: string;
  network: 'TPN' | 'UPI';
  cvn2: string;
  expiry: string;
  sms: string;
  pin: string;
}

/** Guide §7.3, as the sandbox takes them: card → expiry, CVN2, SMS code (UPI only), PIN. */
const UNIONPAY_CARDS: readonly UnionpayCard[] = [
  { number: '6210947764000027', network: 'TPN', cvn2: '456', expiry: '10/30', sms: '', pin: '111111' },
  { number: '9100009764000010', network: 'TPN', cvn2: '123', expiry: '03/25', sms: '', pin: '111111' },
  { number: '9100008764000025', network: 'TPN', cvn2: '123', expiry: '03/25', sms: '', pin: '111111' },
  { number: '9100009764000015', network: 'TPN', cvn2: '123', expiry: '03/25', sms: '', pin: '111111' },
  { number: '6250947000000014', network: 'UPI', cvn2: '123', expiry: '12/33', sms: '111111', pin: '111111' },
  { number: '6250946000000016', network: 'UPI', cvn2: '123', expiry: '12/33', sms: '123456', pin: '111111' },
];

/** The UnionPay pages as the cardholder uses them: the card number (TPN), then the card's details. */
async function payUnionpay(url: string, card: UnionpayCard): Promise<FormAnswer> {
  const numbered = await postForm(`${url}/card`, { card_number: card.number });
  if (numbered.status === 200) return numbered; // declined at the number: the result page
  expect(numbered.status, numbered.text.slice(0, 300)).toBe(303);
  return postForm(`${url}/pay`, { expiry: card.expiry, cvn2: card.cvn2, sms_code: card.sms, pin: card.pin });
}

describe('UnionPay: every test card of §7.3', () => {
  for (const card of UNIONPAY_CARDS) {
    const wrong: [string, Partial<UnionpayCard>, string][] = [
      ['expiry', { expiry: '01/29' }, '54'],
      ['CVN2', { cvn2: '999' }, 'N7'],
      ...(card.network === 'UPI' ? [['SMS code', { sms: '000000' }, '50'] as [string, Partial<UnionpayCard>, string]] : []),
      ['PIN', { pin: '222222' }, '55'],
    ];

    it(`${card.number} (${card.network}) pays with its documented details`, async () => {
      await open();
      const { paymentId, url } = await startRedirect('unionpay');
      const back = await followCallback(await payUnionpay(url, card));
      expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'succeeded' });
      await expectOutcome(paymentId, null);
    });

    it(`${card.number} (${card.network}) is declined for a wrong ${wrong.map(([what]) => what).join(', ')}`, async () => {
      await open();
      for (const [, change, code] of wrong) {
        world.hooks.onFailed.length = 0;
        const { paymentId, url } = await startRedirect('unionpay');
        const back = await followCallback(await payUnionpay(url, { ...card, ...change }));
        expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'failed' });
        await expectOutcome(paymentId, code);
      }
    });
  }

  it('a number that is no test card is declined 14', async () => {
    await open();
    const { paymentId, url } = await startRedirect('unionpay');
    const back = await followCallback(await payUnionpay(url, { ...UNIONPAY_CARDS[0], number: '6210940000000000' }));
    expect(queryOf(back.location)).toEqual({ payment: paymentId, status: 'failed' });
    await expectOutcome(paymentId, '14');
  });

  it('sends the merchant id with UnionPay charges (as the guide\'s sample)', async () => {
    await open();
    const { chargeId, paymentId } = await startRedirect('unionpay', 1_000);
    const charge = (await kpaymentApi(world, `/card/v2/charge/${chargeId}`)).body;
    expect(charge).toMatchObject({ amount: 10, currency: 'THB', reference_order: paymentId, source: expect.objectContaining({ brand: 'UnionPay' }) });
  });
});

describe('what changes nothing', () => {
  it('a forged callback (status=true for a charge nobody paid) leaves the payment pending: only the inquiry decides', async () => {
    await open();
    const { paymentId, chargeId } = await startRedirect('alipay');
    const forged = await postForm(`${world.url}/checkout/kpayment/callback`, { objectId: chargeId, status: 'true' });
    expect(queryOf(forged.location)).toEqual({ payment: paymentId, status: 'pending' });
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending' });
    expect(world.hooks.onPaid).toEqual([]);
  });

  it('a callback naming another payment\'s declined charge changes only that payment; an unknown one is a 404', async () => {
    await open();
    kpaymentSettings(world, { notify: 'drop' });
    const victim = await startRedirect('alipay');
    const other = await startRedirect('unionpay');
    world.sandbox.kpayment.completeUnionpay(world.keys.secretKey, other.chargeId, { card_number: '6210947764000027', expiry: '10/30', cvn2: '000', sms_code: '', pin: '111111' });
    const forged = await postForm(`${world.url}/checkout/kpayment/callback`, { objectId: other.chargeId, status: 'true' });
    expect(queryOf(forged.location)).toEqual({ payment: other.paymentId, status: 'failed' });
    expect(await world.paymentOf(victim.paymentId)).toMatchObject({ status: 'pending' });
    const unknown = await postForm(`${world.url}/checkout/kpayment/callback`, { objectId: 'chrg_test_nobody', status: 'true' });
    expect(unknown.status).toBe(404);
    expect((await events(victim.paymentId)).map((e) => e.type)).not.toContain('callback_received');
  });

  it('a notify with a bad checksum is refused (401) and changes nothing', async () => {
    await open();
    kpaymentSettings(world, { notify: 'drop' });
    const { paymentId, chargeId } = await startRedirect('alipay');
    world.sandbox.kpayment.completeAlipay(world.keys.secretKey, chargeId, 'pay');
    const body = { id: chargeId, object: 'charge', amount: 1500, currency: 'THB', transaction_state: 'Authorized', status: 'success', reference_order: paymentId, failure_code: '' };
    const signed = { ...body, checksum: kpaymentChecksum(body, world.keys.secretKey) };
    for (const bad of [{ ...signed, checksum: '0'.repeat(64) }, { ...signed, amount: 15 }, { ...body, checksum: kpaymentChecksum(body, 'skey_test_someoneelse') }]) {
      const res = await world.api('/webhooks/kpayment', { method: 'POST', body: JSON.stringify(bad), headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(401);
    }
    expect(await world.paymentOf(paymentId)).toMatchObject({ status: 'pending' });
    expect(world.hooks.onPaid).toEqual([]);
    // The genuine notify is accepted, and the inquiry it triggers pays.
    const ok = await world.api('/webhooks/kpayment', { method: 'POST', body: JSON.stringify(signed), headers: { 'content-type': 'application/json' } });
    expect(ok.body).toMatchObject({ paymentId, status: 'succeeded' });
  });

  it('bad input is a 4xx and stores nothing', async () => {
    await open();
    const orderId = world.order(150_000);
    expect((await world.createPayment(orderId, 'alipay', { sourceId: 'src_test_x' })).status).toBe(400);
    expect((await world.createPayment(orderId, 'unionpay', { installments: true })).status).toBe(422);
    const usd = world.order(1_000, 'USD');
    expect((await world.createPayment(usd, 'unionpay')).status).toBe(422);
    expect(await world.companion.checkout.store.listPaymentsForOrder(orderId)).toEqual([]);
    expect(await world.companion.checkout.store.listPaymentsForOrder(usd)).toEqual([]);
  });
});

describe('the reconciler covers redirect payments (decisions.md 11)', () => {
  it('settles a payment whose notify and callback never came', async () => {
    let now = Date.now();
    await open({ checkout: { now: () => now } });
    kpaymentSettings(world, { notify: 'drop' });
    const paid = await startRedirect('unionpay');
    const waiting = await startRedirect('alipay');
    world.sandbox.kpayment.completeUnionpay(world.keys.secretKey, paid.chargeId, { card_number: '6250946000000016', expiry: '12/33', cvn2: '123', sms_code: '111111', pin: '111111' });
    now += 11 * MINUTE;
    const report = await world.companion.checkout.reconcile();
    expect(report).toMatchObject({ checked: 2, updated: 1, errors: 0 });
    expect(report.payments).toEqual([{ id: paid.paymentId, from: 'pending', to: 'succeeded' }]);
    expect(await world.paymentOf(waiting.paymentId)).toMatchObject({ status: 'pending' });
    expect(world.hooks.onPaid.map((p) => p.id)).toEqual([paid.paymentId]);
  });
});
