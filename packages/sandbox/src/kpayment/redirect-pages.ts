import express, { type Response, type Router } from 'express';
import QRCode from 'qrcode';
import { formatMoney } from '@payment-checkout/core';
import { type SafeHtml, html } from '../html.ts';
import { param } from './auth.ts';
import { UNIONPAY_TEST_CARDS } from './data.ts';
import { KpaymentApiError } from './errors.ts';
import { callbackResultPage, layout, notFoundPage, sendPage } from './page.ts';
import { UnionpayDetailsForm, UnionpayNumberForm } from './params.ts';
import { REDIRECT_BASE } from './redirect.ts';
import type { RouteContext } from './routes.ts';
import type { Merchant, RedirectChargeRecord } from './state.ts';
import { alipayPayload } from './thai-qr.ts';

/**
 * The hosted pages behind an Alipay or UnionPay charge's `redirect_url` (§4.4, §4.5): the Alipay page
 * shows a QR and lets the tester answer as the wallet would (Pay / Fail); the UnionPay pages take a §7.3
 * test card (number on TPN's page, then expiry, CVN2, SMS code for UPI cards, and PIN). Then the notify
 * goes out and the browser is form-POSTed to the merchant's callback URL with `objectId` and `status`.
 */
export function redirectPagesRouter({ store, redirects }: RouteContext): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });
  const find = (kind: 'alipay' | 'unionpay', id: string) => {
    const found = store.byRedirect(id);
    return found && found.charge.kind === kind ? found : undefined;
  };

  // ── Alipay ──
  router.get(`${REDIRECT_BASE}/alipay/:id`, async (req, res) => {
    const found = find('alipay', param(req, 'id'));
    if (!found) return sendPage(res, 404, notFoundPage('payment'));
    if (!redirects.awaiting(found.charge)) return sendResult(res, 200, found.merchant, found.charge, false);
    sendPage(res, 200, await alipayPage(found.charge));
  });
  router.post(`${REDIRECT_BASE}/alipay/:id/:result`, (req, res) => {
    const found = find('alipay', param(req, 'id'));
    const result = param(req, 'result');
    if (!found || (result !== 'pay' && result !== 'fail')) return sendPage(res, 404, notFoundPage('payment'));
    if (!redirects.awaiting(found.charge)) return sendResult(res, 409, found.merchant, found.charge, false);
    redirects.alipay(found.merchant, found.charge, result);
    sendResult(res, 200, found.merchant, found.charge, true);
  });

  // ── UnionPay ──
  router.get(`${REDIRECT_BASE}/unionpay/:id`, (req, res) => {
    const found = find('unionpay', param(req, 'id'));
    if (!found) return sendPage(res, 404, notFoundPage('payment'));
    if (!redirects.awaiting(found.charge)) return sendResult(res, 200, found.merchant, found.charge, false);
    sendPage(res, 200, found.charge.unionpay ? unionpayDetailsPage(found.charge) : unionpayNumberPage(found.charge));
  });
  router.post(`${REDIRECT_BASE}/unionpay/:id/card`, form, (req, res) => {
    const found = find('unionpay', param(req, 'id'));
    if (!found) return sendPage(res, 404, notFoundPage('payment'));
    const { merchant, charge } = found;
    if (!redirects.awaiting(charge) || charge.unionpay) return sendResult(res, 409, merchant, charge, false);
    const parsed = UnionpayNumberForm.safeParse(req.body ?? {});
    if (!parsed.success) return sendPage(res, 400, unionpayNumberPage(charge, 'Enter the 16 to 19 digits of your UnionPay card number.'));
    redirects.unionpayNumber(merchant, charge, parsed.data.card_number);
    if (!redirects.awaiting(charge)) return sendResult(res, 200, merchant, charge, true);
    res.redirect(303, `${REDIRECT_BASE}/unionpay/${charge.redirectId}`);
  });
  router.post(`${REDIRECT_BASE}/unionpay/:id/pay`, form, (req, res) => {
    const found = find('unionpay', param(req, 'id'));
    if (!found) return sendPage(res, 404, notFoundPage('payment'));
    const { merchant, charge } = found;
    if (!redirects.awaiting(charge)) return sendResult(res, 409, merchant, charge, false);
    if (!charge.unionpay) return sendPage(res, 400, unionpayNumberPage(charge, 'Enter the card number first.'));
    try {
      redirects.unionpayDetails(merchant, charge, UnionpayDetailsForm.parse(req.body ?? {}));
    } catch (error) {
      if (!(error instanceof KpaymentApiError)) throw error;
      return sendPage(res, 409, unionpayDetailsPage(charge, error.message));
    }
    sendResult(res, 200, merchant, charge, true);
  });

  return router;
}

function sendResult(res: Response, status: number, merchant: Merchant, charge: RedirectChargeRecord, autoSubmit: boolean): void {
  const ok = charge.state === 'Authorized' && charge.status === 'success';
  const brand = charge.kind === 'alipay' ? 'Alipay' : 'UnionPay';
  const sentence = ok ? html`Payment approved by ${brand}.` : html`Payment declined: ${charge.failureMessage} (${charge.failureCode}).`;
  const result = callbackResultPage({
    title: `${brand} payment result`,
    details: details(charge),
    ok,
    sentence,
    callbackUrl: merchant.settings.callbackUrl,
    fields: { objectId: charge.id, status: ok ? 'true' : 'false' },
    autoSubmit,
  });
  sendPage(res, status, result.page, { scriptNonce: result.nonce });
}

function details(charge: RedirectChargeRecord): SafeHtml {
  return html`<dl>
  <dt>Amount</dt><dd class="amount" id="amount">${formatMoney(charge.amount, charge.currency, 'en', { symbol: true })}</dd>
  <dt>Order</dt><dd>${charge.referenceOrder}</dd>
  <dt>Description</dt><dd>${charge.description}</dd>
  ${charge.unionpay ? html`<dt>Card</dt><dd>${charge.unionpay.network} ${charge.unionpay.masking}</dd>` : null}
</dl>`;
}

async function alipayPage(charge: RedirectChargeRecord): Promise<SafeHtml> {
  const image = await QRCode.toDataURL(alipayPayload(charge.redirectId), { margin: 1, width: 220 });
  const action = `${REDIRECT_BASE}/alipay/${charge.redirectId}`;
  return layout(
    'Alipay',
    html`<h1>Pay with Alipay</h1>${details(charge)}
<div style="text-align:center"><img id="alipay-qr" src="${image}" width="220" height="220" alt="Alipay QR code to pay ${formatMoney(charge.amount, charge.currency, 'en', { symbol: true })}"><p>Scan to pay with the Alipay app</p></div>
<p class="note">Sandbox: answer as the Alipay wallet would.</p>
<div class="row">
  <div><form method="post" action="${action}/fail"><button class="secondary" type="submit" id="fail" style="width:100%;margin-top:1rem">Fail</button></form></div>
  <div><form method="post" action="${action}/pay"><button class="primary" type="submit" id="pay">Pay</button></form></div>
</div>`,
  );
}

function unionpayNumberPage(charge: RedirectChargeRecord, error?: string): SafeHtml {
  return layout(
    'UnionPay',
    html`<h1>UnionPay Card Payment</h1><p class="brand">Thai Payment Network (TPN) · sandbox</p>${details(charge)}
${error ? html`<p class="error" role="alert">${error}</p>` : null}
<form method="post" action="${REDIRECT_BASE}/unionpay/${charge.redirectId}/card">
  <label for="card_number">Card Number</label>
  <input id="card_number" name="card_number" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" required autofocus>
  <button class="primary" type="submit" id="next">Next</button>
</form>
<p class="note">Sandbox test cards (§7.3): ${Object.keys(UNIONPAY_TEST_CARDS).join(', ')}.</p>`,
  );
}

function unionpayDetailsPage(charge: RedirectChargeRecord, error?: string): SafeHtml {
  const upi = charge.unionpay?.network === 'UPI';
  return layout(
    'UnionPay',
    html`<h1>${upi ? 'UnionPay International' : 'UnionPay Card Payment'}</h1><p class="brand">${upi ? 'UnionPay (UPI) · sandbox' : 'Thai Payment Network (TPN) · sandbox'}</p>${details(charge)}
${error ? html`<p class="error" role="alert">${error}</p>` : null}
<form method="post" action="${REDIRECT_BASE}/unionpay/${charge.redirectId}/pay">
  <div class="row">
    <div><label for="expiry">Expiration Date (MM/YY)</label><input id="expiry" name="expiry" type="text" inputmode="numeric" autocomplete="cc-exp" maxlength="7" placeholder="MM/YY" required></div>
    <div><label for="cvn2">CVN2</label><input id="cvn2" name="cvn2" type="password" inputmode="numeric" autocomplete="cc-csc" maxlength="4" required></div>
  </div>
  ${upi ? html`<label for="sms_code">SMS Code</label><input id="sms_code" name="sms_code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="8" required>
  <p class="note">Sandbox: the SMS code is 111111 (PC) or 123456 (mobile).</p>` : null}
  <label for="pin">PIN</label>
  <input id="pin" name="pin" type="password" inputmode="numeric" maxlength="8" required>
  <button class="primary" type="submit" id="pay">Pay</button>
</form>`,
  );
}
