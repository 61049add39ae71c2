import express, { type Router } from 'express';
import { CURRENCY_EXPONENT, formatMoney } from '@payment-checkout/core';
import { type SafeHtml, html } from '../html.ts';
import { param } from './auth.ts';
import { SANDBOX_OTP } from './data.ts';
import { KpaymentApiError } from './errors.ts';
import { callbackResultPage, layout, notFoundPage, sendPage } from './page.ts';
import { OtpForm } from './params.ts';
import type { RouteContext } from './routes.ts';
import type { ChargeRecord, Merchant } from './state.ts';

const BASE = '/KPGW-Auth3d-Webapi/Authorize';

/**
 * The page behind a 3-D Secure charge's `redirect_url` (§4.1 steps 12–18): the payment, "Request OTP",
 * the OTP (`123456`, L3337), then the result goes to the notify URL and the browser to the merchant's
 * callback URL as a form POST of `objectId`, `status`, `token`, `saveCard` (decisions.md 2).
 */
export function threeDSecureRouter({ store, charges }: RouteContext): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  router.get(`${BASE}/:authId`, (req, res) => {
    const found = store.byAuth(param(req, 'authId'));
    if (!found) return sendPage(res, 404, notFoundPage('authentication'));
    const { merchant, charge } = found;
    if (!charges.awaitingOtp(charge)) return sendPage(res, 200, resultPage(merchant, charge, false).page);
    sendPage(res, 200, authenticationPage(charge));
  });

  router.post(`${BASE}/:authId/otp`, (req, res) => {
    const found = store.byAuth(param(req, 'authId'));
    if (!found) return sendPage(res, 404, notFoundPage('authentication'));
    if (!charges.awaitingOtp(found.charge)) return sendPage(res, 409, resultPage(found.merchant, found.charge, false).page);
    charges.requestOtp(found.charge);
    res.redirect(303, `${BASE}/${found.charge.authId}`);
  });

  router.post(`${BASE}/:authId/verify`, form, (req, res) => {
    const found = store.byAuth(param(req, 'authId'));
    if (!found) return sendPage(res, 404, notFoundPage('authentication'));
    const { merchant, charge } = found;
    if (!charges.awaitingOtp(charge)) return sendPage(res, 409, resultPage(merchant, charge, false).page);
    if (charge.otpRequestedAt === null) return sendPage(res, 400, authenticationPage(charge, 'Request an OTP first.'));
    const parsed = OtpForm.safeParse(req.body ?? {});
    try {
      charges.authenticate(merchant, charge, parsed.success ? parsed.data.otp : '');
    } catch (error) {
      if (!(error instanceof KpaymentApiError)) throw error;
      return sendPage(res, 409, authenticationPage(charge, error.message));
    }
    const result = resultPage(merchant, charge, true);
    sendPage(res, 200, result.page, { scriptNonce: result.nonce });
  });

  return router;
}

function details(charge: ChargeRecord): SafeHtml {
  const dcc = charge.dcc
    ? html`<dt>Card currency</dt><dd class="amount">${formatMoney(Math.round(charge.dcc.convertedAmount * 10 ** CURRENCY_EXPONENT[charge.dcc.currency]), charge.dcc.currency, 'en', { symbol: true })} <small>(rate ${charge.dcc.rate} THB/${charge.dcc.currency})</small></dd>`
    : null;
  return html`<dl>
  <dt>Merchant</dt><dd>${charge.mid}</dd>
  <dt>Amount</dt><dd class="amount">${formatMoney(charge.amount, charge.currency, 'en', { symbol: true })}</dd>
  ${dcc}
  <dt>Card</dt><dd>${charge.card.brand.toUpperCase()} ${charge.card.masking}</dd>
  <dt>Order</dt><dd>${charge.referenceOrder}</dd>
</dl>`;
}

function authenticationPage(charge: ChargeRecord, error?: string): SafeHtml {
  const action = `${BASE}/${charge.authId}`;
  const alert = error ? html`<p class="error" role="alert">${error}</p>` : null;
  if (charge.otpRequestedAt === null) {
    return layout(
      '3-D Secure',
      html`<h1>Verify your payment</h1>${details(charge)}${alert}
<p>Your card issuer needs to confirm that it is you. We will send a one-time password (OTP) to your phone.</p>
<form method="post" action="${action}/otp"><button class="primary" type="submit">Request OTP</button></form>`,
    );
  }
  return layout(
    '3-D Secure',
    html`<h1>Enter your OTP</h1>${details(charge)}${alert}
<p class="note" role="status">An OTP was sent to your phone. In the sandbox the OTP is <strong>${SANDBOX_OTP}</strong>; any other value fails the authentication.</p>
<form method="post" action="${action}/verify">
  <label for="otp">One-time password</label>
  <input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="12" required autofocus>
  <button class="primary" type="submit">Confirm</button>
</form>
<form method="post" action="${action}/verify"><input type="hidden" name="otp" value=""><button class="secondary" type="submit">Cancel</button></form>`,
  );
}

function outcome(charge: ChargeRecord): { ok: boolean; sentence: SafeHtml } {
  if (charge.status === 'success' && charge.decidedAt !== null) {
    const verified = charge.mode === 'register3d' ? html` Your card was verified (the THB 1.00 check was voided).` : null;
    return { ok: true, sentence: html`Payment approved.${verified}` };
  }
  if (charge.state === 'Pre-Authorized') return { ok: false, sentence: html`Authentication failed: ${charge.failureMessage} (${charge.failureCode}).` };
  return { ok: false, sentence: html`Payment declined: ${charge.failureMessage} (${charge.failureCode}).` };
}

/** The result, and the form that takes the browser to the merchant's callback URL; it submits itself right after the OTP. */
function resultPage(merchant: Merchant, charge: ChargeRecord, autoSubmit: boolean): { page: SafeHtml; nonce: string } {
  const { ok, sentence } = outcome(charge);
  return callbackResultPage({
    title: 'Payment result',
    details: details(charge),
    ok,
    sentence,
    callbackUrl: merchant.settings.callbackUrl,
    fields: { objectId: charge.id, status: ok ? 'true' : 'false', token: charge.tokenId ?? '', saveCard: charge.savecard ? 'true' : 'false' },
    autoSubmit,
  });
}

