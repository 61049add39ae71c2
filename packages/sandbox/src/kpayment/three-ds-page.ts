import express, { type Router } from 'express';
import { CURRENCY_EXPONENT, type Locale, formatAmount } from '@payment-checkout/core';
import { type SafeHtml, html } from '../html.ts';
import { failureReason, pageLocale } from '../page-locale.ts';
import { formatPageTime } from '../page-time.ts';
import { param } from './auth.ts';
import { SANDBOX_OTP } from './data.ts';
import { KpaymentApiError } from './errors.ts';
import { callbackResultPage, layout, notFoundPage, sendPage } from './page.ts';
import { KPAYMENT_PAGE_TEXTS } from './page-texts.ts';
import { OtpForm } from './params.ts';
import type { RouteContext } from './routes.ts';
import type { ChargeRecord, Merchant } from './state.ts';

const BASE = '/KPGW-Auth3d-Webapi/Authorize';

/**
 * The page behind a 3-D Secure charge's `redirect_url` (§4.1 steps 12–18): the payment, "Request OTP",
 * the OTP (`123456`, L3337), then the result goes to the notify URL and the browser to the merchant's
 * callback URL as a form POST of `objectId`, `status`, `token`, `saveCard` (decisions.md 2). Each page speaks
 * the shopper's language (Accept-Language: English, Thai or Japanese).
 */
export function threeDSecureRouter({ store, charges }: RouteContext): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  router.get(`${BASE}/:authId`, (req, res) => {
    const locale = pageLocale(req);
    const found = store.byAuth(param(req, 'authId'));
    if (!found) return sendPage(res, 404, notFoundPage(locale));
    const { merchant, charge } = found;
    if (!charges.awaitingOtp(charge)) return sendPage(res, 200, resultPage(locale, merchant, charge, false).page);
    sendPage(res, 200, authenticationPage(locale, merchant, charge));
  });

  router.post(`${BASE}/:authId/otp`, (req, res) => {
    const locale = pageLocale(req);
    const found = store.byAuth(param(req, 'authId'));
    if (!found) return sendPage(res, 404, notFoundPage(locale));
    if (!charges.awaitingOtp(found.charge)) return sendPage(res, 409, resultPage(locale, found.merchant, found.charge, false).page);
    charges.requestOtp(found.charge);
    res.redirect(303, `${BASE}/${found.charge.authId}`);
  });

  router.post(`${BASE}/:authId/verify`, form, (req, res) => {
    const locale = pageLocale(req);
    const found = store.byAuth(param(req, 'authId'));
    if (!found) return sendPage(res, 404, notFoundPage(locale));
    const { merchant, charge } = found;
    if (!charges.awaitingOtp(charge)) return sendPage(res, 409, resultPage(locale, merchant, charge, false).page);
    if (charge.otpRequestedAt === null) return sendPage(res, 400, authenticationPage(locale, merchant, charge, KPAYMENT_PAGE_TEXTS[locale].requestFirst));
    const parsed = OtpForm.safeParse(req.body ?? {});
    try {
      charges.authenticate(merchant, charge, parsed.success ? parsed.data.otp : '');
    } catch (error) {
      if (!(error instanceof KpaymentApiError)) throw error;
      return sendPage(res, 409, authenticationPage(locale, merchant, charge, KPAYMENT_PAGE_TEXTS[locale].noLongerWaiting));
    }
    const result = resultPage(locale, merchant, charge, true);
    sendPage(res, 200, result.page, { scriptNonce: result.nonce });
  });

  return router;
}

/**
 * What an issuer's authentication page shows the cardholder: the merchant's name as registered for its
 * merchant id (when the sandbox knows one), the amount, the date and the masked card; never internal ids.
 */
function details(locale: Locale, merchant: Merchant, charge: ChargeRecord): SafeHtml {
  const D = KPAYMENT_PAGE_TEXTS[locale];
  const dcc = charge.dcc
    ? html`<dt>${D.cardCurrency}</dt><dd class="amount">${formatAmount(Math.round(charge.dcc.convertedAmount * 10 ** CURRENCY_EXPONENT[charge.dcc.currency]), charge.dcc.currency, locale)} <small>(${D.rate(charge.dcc.rate, charge.dcc.currency)})</small></dd>`
    : null;
  const name = merchant.settings.merchantName;
  return html`<dl>
  ${name ? html`<dt>${D.merchant}</dt><dd>${name}</dd>` : null}
  <dt>${D.amount}</dt><dd class="amount">${formatAmount(charge.amount, charge.currency, locale)}</dd>
  ${dcc}
  <dt>${D.date}</dt><dd>${formatPageTime(charge.createdAt, locale)}</dd>
  <dt>${D.card}</dt><dd>${charge.card.brand.toUpperCase()} ${charge.card.masking}</dd>
</dl>`;
}

function authenticationPage(locale: Locale, merchant: Merchant, charge: ChargeRecord, error?: string): SafeHtml {
  const T = KPAYMENT_PAGE_TEXTS[locale];
  const action = `${BASE}/${charge.authId}`;
  const alert = error ? html`<p class="error" role="alert">${error}</p>` : null;
  if (charge.otpRequestedAt === null) {
    return layout(
      locale,
      T.threeDsTitle,
      html`<h1>${T.verifyHeading}</h1>${details(locale, merchant, charge)}${alert}
<p>${T.why}</p>
<form method="post" action="${action}/otp"><button class="primary" type="submit">${T.requestOtp}</button></form>`,
    );
  }
  return layout(
    locale,
    T.threeDsTitle,
    html`<h1>${T.otpHeading}</h1>${details(locale, merchant, charge)}${alert}
<p class="note" role="status">${T.otpSent(SANDBOX_OTP)}</p>
<form method="post" action="${action}/verify">
  <label for="otp">${T.otpLabel}</label>
  <input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="12" required autofocus>
  <button class="primary" type="submit">${T.confirm}</button>
</form>
<form method="post" action="${action}/verify"><input type="hidden" name="otp" value=""><button class="secondary" type="submit">${T.cancel}</button></form>`,
  );
}

function outcome(locale: Locale, charge: ChargeRecord): { ok: boolean; sentence: SafeHtml } {
  const T = KPAYMENT_PAGE_TEXTS[locale];
  if (charge.status === 'success' && charge.decidedAt !== null) {
    return { ok: true, sentence: html`${charge.mode === 'register3d' ? T.cardVerified : T.approved}` };
  }
  const reason = failureReason(locale, charge.failureCode, charge.failureMessage);
  if (charge.state === 'Pre-Authorized') return { ok: false, sentence: html`${T.authenticationFailed(reason, charge.failureCode)}` };
  return { ok: false, sentence: html`${T.declined(reason, charge.failureCode)}` };
}

/** The result, and the form that takes the browser to the merchant's callback URL; it submits itself right after the OTP. */
function resultPage(locale: Locale, merchant: Merchant, charge: ChargeRecord, autoSubmit: boolean): { page: SafeHtml; nonce: string } {
  const { ok, sentence } = outcome(locale, charge);
  return callbackResultPage(locale, {
    title: KPAYMENT_PAGE_TEXTS[locale].resultTitle,
    details: details(locale, merchant, charge),
    ok,
    sentence,
    callbackUrl: merchant.settings.callbackUrl,
    fields: { objectId: charge.id, status: ok ? 'true' : 'false', token: charge.tokenId ?? '', saveCard: charge.savecard ? 'true' : 'false' },
    autoSubmit,
  });
}

