import QRCode from 'qrcode';
import { kpaymentChecksum, verifyKpaymentChecksum } from '@payment-checkout/core/signature';
import { describe, expect, it } from 'vitest';
import { alipayPayload } from './thai-qr.ts';
import { MID, call, callbackForm, newMerchant, redirectChargeBody, setSettings, submitPage, useKpaymentAndReceiver } from '../../test/kpayment-kit.ts';

/**
 * Alipay and UnionPay (§4.4, §4.5, §6.5.4, §7.3): Create Charge answers Initialize + redirect_url; the
 * hosted pages decide; the notify goes out and the browser is form-POSTed to the callback URL.
 */

const CALLBACK = 'https://shop.example/checkout/kpayment/callback';

const { h, receiver } = useKpaymentAndReceiver();

/** A merchant with callback and notify URLs. */
async function shop() {
  const m = newMerchant();
  await setSettings(h.url, m.sk, { callbackUrl: CALLBACK, notifyUrl: receiver.url });
  return m;
}

async function createRedirectCharge(sk: string, sourceType: 'alipay' | 'unionpay', overrides: Record<string, unknown> = {}) {
  const res = await call(h.url, '/card/v2/charge', { key: sk, json: redirectChargeBody(sourceType, overrides) });
  if (res.status !== 200) throw new Error(`charge not created: ${JSON.stringify(res.body)}`);
  return res.body;
}

const page = (url: string) => fetch(url).then(async (r) => ({ status: r.status, text: await r.text() }));

describe('Create Charge with source_type alipay / unionpay', () => {
  it('answers Initialize + success with the hosted page in redirect_url (Alipay sample, no additional_data)', async () => {
    const m = newMerchant();
    const charge = await createRedirectCharge(m.sk, 'alipay', { reference_order: '20200530175602', ref_1: 'reference_1' });
    expect(charge).toMatchObject({
      object: 'charge',
      amount: 15,
      currency: 'THB',
      transaction_state: 'Initialize',
      status: 'success',
      source: { object: 'redirect', brand: 'Alipay', card_masking: null },
      reference_order: '20200530175602',
      description: 'TEST ALIPAY',
      ref_1: 'reference_1',
      failure_code: null,
      approval_code: null,
    });
    expect(charge.id).toMatch(/^chrg_test_/);
    expect(charge.source.id).toMatch(/^redr_test_[0-9a-f]{35}$/);
    expect(charge.redirect_url).toBe(`${h.url}/kpgw/alipay/${charge.source.id}`);
  });

  it('answers the same for UnionPay (sample with additional_data.mid), and an inquiry finds it by id, reference and date', async () => {
    const m = newMerchant();
    const charge = await createRedirectCharge(m.sk, 'unionpay', { reference_order: '20200530175601' });
    expect(charge).toMatchObject({ transaction_state: 'Initialize', status: 'success', source: { brand: 'UnionPay' } });
    expect(charge.redirect_url).toBe(`${h.url}/kpgw/unionpay/${charge.source.id}`);
    for (const key of [charge.id, '20200530175601', `${charge.id}/${charge.created.slice(0, 8)}`]) {
      expect((await call(h.url, `/card/v2/charge/${key}`, { key: m.sk })).body).toEqual(charge);
    }
    const wrongDay = await call(h.url, `/card/v2/charge/${charge.id}/19990101`, { key: m.sk });
    expect(wrongDay.body.code).toBe('invalid_parameter');
    expect((await call(h.url, `/card/v2/charge/${charge.id}`, { key: newMerchant().sk })).body.code).toBe('charge_id_not_exist');
  });

  const refused: Array<[string, 'alipay' | 'unionpay', Record<string, unknown>, string, string]> = [
    ['another merchant id', 'unionpay', { additional_data: { mid: '409999999999001' } }, 'mid_and_tid_not_exist', '409999999999001'],
    ['a currency other than baht', 'alipay', { currency: 'USD' }, 'currency_invalid', 'THB'],
    ['a card token', 'alipay', { token: 'tokn_test_x' }, 'invalid_parameter', 'card charges'],
    ['no reference_order', 'alipay', { reference_order: '' }, 'mandatory_is_empty', 'reference_order'],
    ['no amount', 'unionpay', { amount: undefined }, 'mandatory_is_empty', 'amount'],
    ['a negative amount', 'unionpay', { amount: -1 }, 'amount_invalid', 'positive'],
  ];
  for (const [name, sourceType, change, code, mentions] of refused) {
    it(`refuses ${sourceType} with ${name}: ${code}`, async () => {
      const res = await call(h.url, '/card/v2/charge', { key: newMerchant().sk, json: redirectChargeBody(sourceType, change) });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ object: 'error', code });
      expect(res.body.message).toContain(mentions);
    });
  }

  it('does not emulate void, settle or refund of these charges, and says so', async () => {
    const m = newMerchant();
    const charge = await createRedirectCharge(m.sk, 'alipay');
    await call(h.url, `/_sandbox/kpayment/charges/${charge.id}/alipay`, { key: m.sk, json: { result: 'pay' } });
    for (const [op, json] of [['void', { reason: 'x' }], ['settle', { amount: 15, type: 'full' }], ['refund', { amount: 15, reason: 'x' }]] as const) {
      const res = await call(h.url, `/card/v2/charge/${charge.id}/${op}`, { key: m.sk, json });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(`the sandbox does not emulate ${op} of alipay charges`);
    }
  });
});

describe('the Alipay page', () => {
  it('shows the amount and a QR; Pay approves, notifies (§6.5.4) and form-POSTs objectId + status to the callback URL', async () => {
    const m = await shop();
    const charge = await createRedirectCharge(m.sk, 'alipay', { amount: 1, ref_1: 'reference_1', description: 'TestDescription' });
    const shown = await page(charge.redirect_url);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('<dd class="amount" id="amount">฿1.00</dd>');
    const src = /<img id="alipay-qr" src="([^"]+)"/.exec(shown.text)![1];
    expect(src).toBe(await QRCode.toDataURL(alipayPayload(charge.source.id), { margin: 1, width: 220 }));

    const res = await submitPage(`${charge.redirect_url}/pay`);
    expect(res.status).toBe(200);
    const result = await res.text();
    expect(result).toContain('Payment approved by Alipay.');
    expect(callbackForm(result)).toEqual({ action: CALLBACK, fields: { objectId: charge.id, status: 'true' }, autoSubmit: true });

    const [request] = await receiver.waitFor(1);
    expect(Object.keys(request.json)).toEqual([
      'id', 'object', 'amount', 'currency', 'transaction_state', 'source', 'created', 'status', 'reference_order', 'description',
      'redirect_url', 'ref_1', 'ref_2', 'ref_3', 'livemode', 'failure_code', 'failure_message', 'checksum',
    ]);
    expect(request.json).toMatchObject({
      id: charge.id,
      object: 'charge',
      amount: 1,
      transaction_state: 'Authorized',
      source: { id: charge.source.id, object: 'redirect', brand: 'Alipay' },
      status: 'success',
      ref_1: 'reference_1',
      failure_code: '',
    });
    expect(request.json.checksum).toBe(kpaymentChecksum({ id: charge.id, amount: '1.0000', currency: 'THB', status: 'success', transaction_state: 'Authorized' }, m.sk));
    expect(verifyKpaymentChecksum(request.json, m.sk)).toBe(true);
    expect(verifyKpaymentChecksum({ ...request.json, transaction_state: 'Declined' }, m.sk)).toBe(false);

    const inquiry = await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk });
    expect(inquiry.body).toMatchObject({ transaction_state: 'Authorized', status: 'success', approval_code: expect.stringMatching(/^\d{6}$/) });
    // Later visits show the result without submitting again; a second answer is refused.
    expect(callbackForm((await page(charge.redirect_url)).text).autoSubmit).toBe(false);
    expect((await submitPage(`${charge.redirect_url}/fail`)).status).toBe(409);
    expect((await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body.transaction_state).toBe('Authorized');
  });

  it('Fail declines: Declined + fail (05), status "false" in the callback, and a Declined notify', async () => {
    const m = await shop();
    const charge = await createRedirectCharge(m.sk, 'alipay');
    const result = await (await submitPage(`${charge.redirect_url}/fail`)).text();
    expect(result).toContain('Payment declined: Do Not Honor (05).');
    expect(callbackForm(result).fields).toEqual({ objectId: charge.id, status: 'false' });
    const [request] = await receiver.waitFor(1);
    expect(request.json).toMatchObject({ transaction_state: 'Declined', status: 'fail', failure_code: '05', failure_message: 'Do Not Honor' });
    expect(verifyKpaymentChecksum(request.json, m.sk)).toBe(true);
    expect((await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body).toMatchObject({ transaction_state: 'Declined', status: 'fail', failure_code: '05' });
  });

  it('without a callback URL, the browser stays and the page shows what the callback would carry', async () => {
    const m = newMerchant();
    const charge = await createRedirectCharge(m.sk, 'alipay');
    const result = await (await submitPage(`${charge.redirect_url}/pay`)).text();
    expect(callbackForm(result).action).toBeNull();
    expect(result).toContain(`<dt>objectId</dt><dd><code>${charge.id}</code></dd>`);
  });

  it('answers 404 for an unknown payment, or a UnionPay charge on the Alipay path', async () => {
    const m = newMerchant();
    const unionpay = await createRedirectCharge(m.sk, 'unionpay');
    expect((await page(`${h.url}/kpgw/alipay/redr_test_nothing`)).status).toBe(404);
    expect((await page(`${h.url}/kpgw/alipay/${unionpay.source.id}`)).status).toBe(404);
    expect((await submitPage(`${h.url}/kpgw/alipay/${unionpay.source.id}/pay`)).status).toBe(404);
  });
});

describe('the UnionPay pages and the §7.3 test cards', () => {
  /** Goes through both pages as a browser does; returns the result page. */
  async function payUnionpay(redirectUrl: string, number: string, details: Record<string, string>) {
    const first = await submitPage(`${redirectUrl}/card`, { card_number: number });
    if (first.status !== 303) return { step: 1, text: await first.text() };
    expect(first.headers.get('location')).toBe(new URL(redirectUrl).pathname);
    const form = await page(redirectUrl);
    const res = await submitPage(`${redirectUrl}/pay`, details);
    return { step: 2, form: form.text, status: res.status, text: await res.text() };
  }

  const CARDS: Array<[string, 'TPN' | 'UPI', Record<string, string>]> = [
    ['6210947764000027', 'TPN', { expiry: '10/30', cvn2: '456', pin: '111111' }],
    ['9100009764000010', 'TPN', { expiry: '03/25', cvn2: '123', pin: '111111' }],
    ['9100008764000025', 'TPN', { expiry: '03/25', cvn2: '123', pin: '111111' }],
    ['9100009764000015', 'TPN', { expiry: '03/25', cvn2: '123', pin: '111111' }],
    ['6250947000000014', 'UPI', { expiry: '12/33', cvn2: '123', sms_code: '111111', pin: '111111' }],
    ['6250946000000016', 'UPI', { expiry: '12/33', cvn2: '123', sms_code: '123456', pin: '111111' }],
  ];
  for (const [number, network, details] of CARDS) {
    it(`approves ${network} card ${number} with its CVN2, expiry${network === 'UPI' ? ', SMS code' : ''} and PIN`, async () => {
      const m = await shop();
      const charge = await createRedirectCharge(m.sk, 'unionpay', { amount: 250.75 });
      const start = await page(charge.redirect_url);
      expect(start.text).toContain('<input id="card_number" name="card_number"');
      const result = await payUnionpay(charge.redirect_url, `${number.slice(0, 4)} ${number.slice(4)}`, details);
      expect(result.step).toBe(2);
      expect(result.form!.includes('id="sms_code"')).toBe(network === 'UPI');
      expect(result.form).toContain(network === 'UPI' ? 'UnionPay International' : 'Thai Payment Network (TPN)');
      expect(result.status).toBe(200);
      expect(result.text).toContain('Payment approved by UnionPay.');
      expect(callbackForm(result.text)).toEqual({ action: CALLBACK, fields: { objectId: charge.id, status: 'true' }, autoSubmit: true });
      const inquiry = await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk });
      expect(inquiry.body).toMatchObject({ transaction_state: 'Authorized', status: 'success', amount: 250.75, source: { brand: 'UnionPay', card_masking: `${number.slice(0, 6)}*****${number.slice(-4)}` } });
      const [request] = await receiver.waitFor(1);
      expect(request.json).toMatchObject({ id: charge.id, transaction_state: 'Authorized', status: 'success', source: { object: 'redirect', brand: 'UnionPay' } });
      expect(verifyKpaymentChecksum(request.json, m.sk)).toBe(true);
    });
  }

  it('accepts either documented SMS code (PC 111111, mobile 123456) for a UPI card', async () => {
    const m = await shop();
    const charge = await createRedirectCharge(m.sk, 'unionpay');
    const result = await payUnionpay(charge.redirect_url, '6250946000000016', { expiry: '12/33', cvn2: '123', sms_code: '111111', pin: '111111' });
    expect(result.text).toContain('Payment approved by UnionPay.');
  });

  const WRONG: Array<[string, string, Record<string, string>, string, string]> = [
    ['a wrong expiry', '6210947764000027', { expiry: '10/31', cvn2: '456', pin: '111111' }, '54', 'Expired Card'],
    ['a wrong CVN2', '6210947764000027', { expiry: '10/30', cvn2: '123', pin: '111111' }, 'N7', 'Invalid CVV2'],
    ['a wrong SMS code', '6250947000000014', { expiry: '12/33', cvn2: '123', sms_code: '000000', pin: '111111' }, '50', 'Failed Authentication'],
    ['a wrong PIN', '9100009764000010', { expiry: '03/25', cvn2: '123', pin: '123456' }, '55', 'Incorrect PIN'],
  ];
  for (const [name, number, details, code, message] of WRONG) {
    it(`declines ${name} with ${code} ${message}: callback status "false", Declined notify`, async () => {
      const m = await shop();
      const charge = await createRedirectCharge(m.sk, 'unionpay');
      const result = await payUnionpay(charge.redirect_url, number, details);
      expect(result.text).toContain(`Payment declined: ${message} (${code}).`);
      expect(callbackForm(result.text).fields).toEqual({ objectId: charge.id, status: 'false' });
      expect((await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body).toMatchObject({ transaction_state: 'Declined', status: 'fail', failure_code: code, failure_message: message });
      const [request] = await receiver.waitFor(1);
      expect(request.json).toMatchObject({ transaction_state: 'Declined', failure_code: code });
      // One try: the page now shows the result, and the details are not taken again.
      expect((await submitPage(`${charge.redirect_url}/pay`, CARDS[0][2])).status).toBe(409);
    });
  }

  it('declines a card number that is not a test card with 14 Invalid Card Number, on the first page', async () => {
    const m = await shop();
    const charge = await createRedirectCharge(m.sk, 'unionpay');
    const result = await payUnionpay(charge.redirect_url, '6212345678901234', {});
    expect(result.step).toBe(1);
    expect(result.text).toContain('Payment declined: Invalid Card Number (14).');
    expect(callbackForm(result.text)).toMatchObject({ fields: { objectId: charge.id, status: 'false' }, autoSubmit: true });
  });

  it('asks again for a malformed card number without deciding anything', async () => {
    const m = await shop();
    const charge = await createRedirectCharge(m.sk, 'unionpay');
    const res = await submitPage(`${charge.redirect_url}/card`, { card_number: '1234' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Enter the 16 to 19 digits of your UnionPay card number.');
    expect((await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body.transaction_state).toBe('Initialize');
  });
});

describe('controls for tests without a browser', () => {
  it('complete an Alipay or UnionPay charge with the secret key', async () => {
    const m = await shop();
    const alipay = await createRedirectCharge(m.sk, 'alipay');
    const unionpay = await createRedirectCharge(m.sk, 'unionpay');
    const paid = await call(h.url, `/_sandbox/kpayment/charges/${alipay.id}/alipay`, { key: m.sk, json: { result: 'pay' } });
    expect(paid.body).toMatchObject({ id: alipay.id, transaction_state: 'Authorized' });
    const card = { card_number: '6250947000000014', expiry: '12/33', cvn2: '123', sms_code: '123456', pin: '111111' };
    const wrongKind = await call(h.url, `/_sandbox/kpayment/charges/${alipay.id}/unionpay`, { key: m.sk, json: card });
    expect(wrongKind.body.code).toBe('invalid_parameter');
    expect(h.controls.completeUnionpay(m.sk, unionpay.id, card)).toMatchObject({ transaction_state: 'Authorized', source: { card_masking: '625094*****0014' } });
    expect((await call(h.url, `/_sandbox/kpayment/charges/${alipay.id}/alipay`, { key: newMerchant().sk, json: { result: 'pay' } })).status).toBe(404);
    await receiver.waitFor(2);
  });
});

describe('mid', () => {
  it('accepts the merchant\'s own mid for UnionPay', async () => {
    const m = newMerchant();
    const charge = await createRedirectCharge(m.sk, 'unionpay', { additional_data: { mid: MID } });
    expect(charge.transaction_state).toBe('Initialize');
  });
});
