import { verifyKpaymentChecksum } from '@payment-checkout/core/signature';
import { afterEach, describe, expect, it } from 'vitest';
import { type Receiver, startReceiver } from '../../test/test-kit.ts';
import { call, callbackForm, chargeBody, newMerchant, payWithCard, setSettings, tokenize, useKpayment } from '../../test/kpayment-kit.ts';

/** The 3-D Secure page at `redirect_url` (§4.1 steps 12–18), as a browser drives it: plain form posts. */

const CALLBACK = 'https://shop.example/checkout/kpayment/callback?src=sandbox';

const h = useKpayment();
let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function page(url: string, form?: Record<string, string>) {
  const res = await fetch(url, {
    method: form ? 'POST' : 'GET',
    headers: form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    body: form ? new URLSearchParams(form).toString() : undefined,
    redirect: 'manual',
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function threeDsCharge(card = '5404888000072727', overrides: Record<string, unknown> = {}, savecard = false) {
  const m = newMerchant();
  const notify = await startReceiver();
  receiver = notify;
  await setSettings(h.url, m.sk, { callbackUrl: CALLBACK, notifyUrl: notify.url });
  const { token, charge } = await payWithCard(h.url, m, { number: card, savecard }, savecard ? { savecard: true, ...overrides } : overrides);
  return { m, token, charge };
}

/** Request OTP, then enter `otp`: the page the browser ends on. */
async function enterOtp(redirectUrl: string, otp: string) {
  const requested = await page(`${redirectUrl}/otp`, {});
  expect(requested.status).toBe(303);
  expect(requested.headers.get('location')).toBe(new URL(redirectUrl).pathname);
  return page(`${redirectUrl}/verify`, { otp });
}

describe('the authentication page', () => {
  it('shows the payment and a "Request OTP" step; the charge reads pending until the OTP', async () => {
    const { m, charge } = await threeDsCharge('5404888000072727', { amount: 1234.5 });
    const first = await page(charge.redirect_url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(first.text).toContain('฿1,234.50');
    expect(first.text).toContain('540488*****2727');
    expect(first.text).toContain('Request OTP');
    expect(first.text).not.toContain('name="otp"');
    const inquiry = await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk });
    expect(inquiry.body).toMatchObject({ transaction_state: 'Pre-Authorized', status: 'pending' });

    await page(`${charge.redirect_url}/otp`, {});
    const second = await page(charge.redirect_url);
    expect(second.text).toContain('name="otp"');
    expect(second.text).toContain('123456');
  });

  it('refuses an OTP before one was requested, and changes nothing', async () => {
    const { m, charge } = await threeDsCharge();
    const res = await page(`${charge.redirect_url}/verify`, { otp: '123456' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Request an OTP first');
    expect((await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body.status).toBe('pending');
  });

  it('accepts 123456: Authorized, notify sent with a valid checksum, browser form-posted to the callback URL', async () => {
    const { m, token, charge } = await threeDsCharge('4417706600005830', {}, true);
    const done = await enterOtp(charge.redirect_url, '123456');
    expect(done.status).toBe(200);
    expect(done.text).toContain('Payment approved');
    const form = callbackForm(done.text);
    expect(form).toEqual({ action: CALLBACK, fields: { objectId: charge.id, status: 'true', token, saveCard: 'true' }, autoSubmit: true });
    // The auto-submit runs under the page's CSP nonce.
    const nonce = /script-src 'nonce-([^']+)'/.exec(done.headers.get('content-security-policy') ?? '')?.[1];
    expect(done.text).toContain(`<script nonce="${nonce}">`);

    const [notify] = await receiver!.waitFor(1);
    expect(notify.json).toMatchObject({ id: charge.id, object: 'charge', amount: 200.5, currency: 'THB', transaction_state: 'Authorized', status: 'success', failure_code: '' });
    expect(verifyKpaymentChecksum(notify.json, m.sk)).toBe(true);
    expect((await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body).toMatchObject({ transaction_state: 'Authorized', status: 'success' });
  });

  it('rejects any other OTP: Pre-Authorized + fail (50), notify and callback say so', async () => {
    const { m, charge } = await threeDsCharge();
    const done = await enterOtp(charge.redirect_url, '654321');
    expect(done.text).toContain('Authentication failed');
    expect(callbackForm(done.text).fields).toMatchObject({ objectId: charge.id, status: 'false', saveCard: 'false' });
    const [notify] = await receiver!.waitFor(1);
    expect(notify.json).toMatchObject({ transaction_state: 'Pre-Authorized', status: 'fail', failure_code: '50', failure_message: 'Failed Authentication' });
    expect(verifyKpaymentChecksum(notify.json, m.sk)).toBe(true);
    const inquiry = await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk });
    expect(inquiry.body).toMatchObject({ transaction_state: 'Pre-Authorized', status: 'fail', failure_code: '50' });
    // A second try cannot turn it around.
    const retry = await page(`${charge.redirect_url}/verify`, { otp: '123456' });
    expect(retry.status).toBe(409);
    expect((await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body.status).toBe('fail');
  });

  it('with the right OTP and a declining card: Declined + fail, callback status false', async () => {
    const { charge } = await threeDsCharge('5149504001969007');
    const done = await enterOtp(charge.redirect_url, '123456');
    expect(done.text).toContain('Payment declined: Insufficient Funds (51)');
    expect(callbackForm(done.text).fields.status).toBe('false');
    const [notify] = await receiver!.waitFor(1);
    expect(notify.json).toMatchObject({ transaction_state: 'Declined', status: 'fail', failure_code: '51' });
  });

  it('shows a decided payment again without submitting anything, and 404 for an unknown link', async () => {
    const { charge } = await threeDsCharge();
    await enterOtp(charge.redirect_url, '123456');
    const again = await page(charge.redirect_url);
    expect(again.status).toBe(200);
    expect(callbackForm(again.text).autoSubmit).toBe(false);
    expect(callbackForm(again.text).action).toBe(CALLBACK);
    const missing = await page(`${h.url}/KPGW-Auth3d-Webapi/Authorize/auth_test_nothere`);
    expect(missing.status).toBe(404);
  });

  it('without a callback URL, stays on the result page and lists what the callback would carry', async () => {
    const m = newMerchant();
    const { charge } = await payWithCard(h.url, m, { number: '5404888000072727' });
    const done = await enterOtp(charge.redirect_url, '123456');
    expect(callbackForm(done.text).action).toBeNull();
    expect(done.text).toContain('no callback URL');
    expect(done.text).toContain(charge.id);
  });

  it('shows what an issuer shows the cardholder, no internal ids: the merchant by name, escaped, and the date', async () => {
    const m = newMerchant();
    const { charge } = await payWithCard(h.url, m, { number: '5404888000072727' }, { reference_order: 'pay_0b03internal' });
    const unnamed = await page(charge.redirect_url);
    expect(unnamed.text).not.toContain('pay_0b03internal');
    expect(unnamed.text).not.toContain('401000000000001');
    expect(unnamed.text).not.toContain('<dt>Merchant</dt>');
    expect(unnamed.text).toMatch(/<dt>Date<\/dt><dd>[A-Z][a-z]+ \d{1,2}, \d{4} at \d{2}:\d{2} GMT\+7<\/dd>/);

    await setSettings(h.url, m.sk, { merchantName: '<script>x</script> Silk' });
    const named = await page(charge.redirect_url);
    expect(named.text).not.toContain('<script>x</script>');
    expect(named.text).toContain('<dt>Merchant</dt><dd>&lt;script&gt;x&lt;/script&gt; Silk</dd>');
  });
});

describe('register 3D (§4.6 b)', () => {
  it('verifies the card with THB 1 and voids it itself: Voided + success', async () => {
    const { m, token, charge } = await threeDsCharge('5404888000072727', { mode: 'register3d', amount: 1 }, true);
    const done = await enterOtp(charge.redirect_url, '123456');
    expect(callbackForm(done.text).fields).toMatchObject({ status: 'true', token, saveCard: 'true' });
    expect((await call(h.url, `/card/v2/charge/${charge.id}`, { key: m.sk })).body).toMatchObject({ transaction_state: 'Voided', status: 'success' });
    const [notify] = await receiver!.waitFor(1);
    expect(notify.json.transaction_state).toBe('Voided');
  });

  it('refuses a foreign card, another amount, and a merchant without 3-D Secure', async () => {
    const m = newMerchant();
    const register = async (number: string, amount = 1) => {
      const token = await tokenize(h.url, m.pk, { number });
      return call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(token, { mode: 'register3d', amount }) });
    };
    expect((await register('5239620007270264')).body.code).toBe('foreign_card_not_supported');
    expect((await register('5404888000072727', 2)).body.code).toBe('amount_invalid');
    await setSettings(h.url, m.sk, { threeDSecure: false });
    expect((await register('5404888000072727')).body).toMatchObject({ code: 'register_3d_mode_not_allow', message: 'Not allow register 3d mode for this merchant' });
  });
});
