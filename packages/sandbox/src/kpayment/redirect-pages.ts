import express, { type Response, type Router } from 'express';
import QRCode from 'qrcode';
import { type Locale, formatAmount } from '@payment-checkout/core';
import { type SafeHtml, html } from '../html.ts';
import { failureReason, pageLocale } from '../page-locale.ts';
import { param } from './auth.ts';
import { UNIONPAY_TEST_CARDS } from './data.ts';
import { KpaymentApiError } from './errors.ts';
import { callbackResultPage, layout, notFoundPage, sendPage } from './page.ts';
import { KPAYMENT_PAGE_TEXTS } from './page-texts.ts';
import { UnionpayDetailsForm, UnionpayNumberForm } from './params.ts';
import { REDIRECT_BASE } from './redirect.ts';
import { REDIRECT_TEXTS } from './redirect-texts.ts';
import type { RouteContext } from './routes.ts';
import type { Merchant, RedirectChargeRecord } from './state.ts';
import { alipayPayload } from './thai-qr.ts';

/**
 * The hosted pages behind an Alipay or UnionPay charge's `redirect_url` (§4.4, §4.5): the Alipay page
 * shows a QR and lets the tester answer as the wallet would (Pay / Fail); the UnionPay pages take a §7.3
 * test card (number on TPN's page, then expiry, CVN2, SMS code for UPI cards, and PIN). Then the notify
 * goes out and the browser is form-POSTed to the merchant's callback URL with `objectId` and `status`. Each page
 * speaks the shopper's language (Accept-Language: English, Thai or Japanese).
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
    const locale = pageLocale(req);
    const found = find('alipay', param(req, 'id'));
    if (!found) return sendPage(res, 404, notFoundPage(locale));
    if (!redirects.awaiting(found.charge)) return sendResult(res, 200, locale, found.merchant, found.charge, false);
    sendPage(res, 200, await alipayPage(locale, found.charge));
  });
  router.post(`${REDIRECT_BASE}/alipay/:id/:result`, (req, res) => {
    const locale = pageLocale(req);
    const found = find('alipay', param(req, 'id'));
    const result = param(req, 'result');
    if (!found || (result !== 'pay' && result !== 'fail')) return sendPage(res, 404, notFoundPage(locale));
    if (!redirects.awaiting(found.charge)) return sendResult(res, 409, locale, found.merchant, found.charge, false);
    redirects.alipay(found.merchant, found.charge, result);
    sendResult(res, 200, locale, found.merchant, found.charge, true);
  });

  // ── UnionPay ──
  router.get(`${REDIRECT_BASE}/unionpay/:id`, (req, res) => {
    const locale = pageLocale(req);
    const found = find('unionpay', param(req, 'id'));
    if (!found) return sendPage(res, 404, notFoundPage(locale));
    if (!redirects.awaiting(found.charge)) return sendResult(res, 200, locale, found.merchant, found.charge, false);
    sendPage(res, 200, found.charge.unionpay ? unionpayDetailsPage(locale, found.charge) : unionpayNumberPage(locale, found.charge));
  });
  router.post(`${REDIRECT_BASE}/unionpay/:id/card`, form, (req, res) => {
    const locale = pageLocale(req);
    const found = find('unionpay', param(req, 'id'));
    if (!found) return sendPage(res, 404, notFoundPage(locale));
    const { merchant, charge } = found;
    if (!redirects.awaiting(charge) || charge.unionpay) return sendResult(res, 409, locale, merchant, charge, false);
    const parsed = UnionpayNumberForm.safeParse(req.body ?? {});
    if (!parsed.success) return sendPage(res, 400, unionpayNumberPage(locale, charge, REDIRECT_TEXTS[locale].numberInvalid));
    redirects.unionpayNumber(merchant, charge, parsed.data.card_number);
    if (!redirects.awaiting(charge)) return sendResult(res, 200, locale, merchant, charge, true);
    res.redirect(303, `${REDIRECT_BASE}/unionpay/${charge.redirectId}`);
  });
  router.post(`${REDIRECT_BASE}/unionpay/:id/pay`, form, (req, res) => {
    const locale = pageLocale(req);
    const found = find('unionpay', param(req, 'id'));
    if (!found) return sendPage(res, 404, notFoundPage(locale));
    const { merchant, charge } = found;
    if (!redirects.awaiting(charge)) return sendResult(res, 409, locale, merchant, charge, false);
    if (!charge.unionpay) return sendPage(res, 400, unionpayNumberPage(locale, charge, REDIRECT_TEXTS[locale].numberFirst));
    try {
      redirects.unionpayDetails(merchant, charge, UnionpayDetailsForm.parse(req.body ?? {}));
    } catch (error) {
      if (!(error instanceof KpaymentApiError)) throw error;
      return sendPage(res, 409, unionpayDetailsPage(locale, charge, KPAYMENT_PAGE_TEXTS[locale].noLongerWaiting));
    }
    sendResult(res, 200, locale, merchant, charge, true);
  });

  return router;
}

function sendResult(res: Response, status: number, locale: Locale, merchant: Merchant, charge: RedirectChargeRecord, autoSubmit: boolean): void {
  const T = REDIRECT_TEXTS[locale];
  const ok = charge.state === 'Authorized' && charge.status === 'success';
  const brand = charge.kind === 'alipay' ? 'Alipay' : 'UnionPay';
  const reason = failureReason(locale, charge.failureCode, charge.failureMessage);
  const sentence = html`${ok ? T.approvedBy(brand) : KPAYMENT_PAGE_TEXTS[locale].declined(reason, charge.failureCode)}`;
  const result = callbackResultPage(locale, {
    title: T.resultTitle(brand),
    details: details(locale, charge),
    ok,
    sentence,
    callbackUrl: merchant.settings.callbackUrl,
    fields: { objectId: charge.id, status: ok ? 'true' : 'false' },
    autoSubmit,
  });
  sendPage(res, status, result.page, { scriptNonce: result.nonce });
}

function details(locale: Locale, charge: RedirectChargeRecord): SafeHtml {
  const D = KPAYMENT_PAGE_TEXTS[locale];
  return html`<dl>
  <dt>${D.amount}</dt><dd class="amount" id="amount">${formatAmount(charge.amount, charge.currency, locale)}</dd>
  <dt>${D.order}</dt><dd>${charge.referenceOrder}</dd>
  <dt>${D.description}</dt><dd>${charge.description}</dd>
  ${charge.unionpay ? html`<dt>${D.card}</dt><dd>${charge.unionpay.network} ${charge.unionpay.masking}</dd>` : null}
</dl>`;
}

async function alipayPage(locale: Locale, charge: RedirectChargeRecord): Promise<SafeHtml> {
  const T = REDIRECT_TEXTS[locale];
  const image = await QRCode.toDataURL(alipayPayload(charge.redirectId), { margin: 1, width: 220 });
  const action = `${REDIRECT_BASE}/alipay/${charge.redirectId}`;
  return layout(
    locale,
    'Alipay',
    html`<h1>${T.alipayHeading}</h1>${details(locale, charge)}
<div style="text-align:center"><img id="alipay-qr" src="${image}" width="220" height="220" alt="${T.alipayQrAlt(formatAmount(charge.amount, charge.currency, locale))}"><p>${T.alipayScan}</p></div>
<p class="note">${T.alipayNote}</p>
<div class="row">
  <div><form method="post" action="${action}/fail"><button class="secondary" type="submit" id="fail" style="width:100%;margin-top:1rem">${T.fail}</button></form></div>
  <div><form method="post" action="${action}/pay"><button class="primary" type="submit" id="pay">${T.pay}</button></form></div>
</div>`,
  );
}

function unionpayNumberPage(locale: Locale, charge: RedirectChargeRecord, error?: string): SafeHtml {
  const T = REDIRECT_TEXTS[locale];
  return layout(
    locale,
    'UnionPay',
    html`<h1>${T.unionpayHeading}</h1><p class="brand">${T.tpnNetwork}</p>${details(locale, charge)}
${error ? html`<p class="error" role="alert" id="card_number-error">${error}</p>` : null}
<form method="post" action="${REDIRECT_BASE}/unionpay/${charge.redirectId}/card">
  <label for="card_number">${T.cardNumber}</label>
  <input id="card_number" name="card_number" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" required autofocus${
    error ? html` aria-invalid="true" aria-describedby="card_number-error"` : null
  }>
  <button class="primary" type="submit" id="next">${T.next}</button>
</form>
<p class="note">${T.testCards(Object.keys(UNIONPAY_TEST_CARDS).join(', '))}</p>`,
  );
}

function unionpayDetailsPage(locale: Locale, charge: RedirectChargeRecord, error?: string): SafeHtml {
  const T = REDIRECT_TEXTS[locale];
  const upi = charge.unionpay?.network === 'UPI';
  return layout(
    locale,
    'UnionPay',
    html`<h1>${upi ? T.upiHeading : T.unionpayHeading}</h1><p class="brand">${upi ? T.upiNetwork : T.tpnNetwork}</p>${details(locale, charge)}
${error ? html`<p class="error" role="alert">${error}</p>` : null}
<form method="post" action="${REDIRECT_BASE}/unionpay/${charge.redirectId}/pay">
  <div class="row">
    <div><label for="expiry">${T.expiry}</label><input id="expiry" name="expiry" type="text" inputmode="numeric" autocomplete="cc-exp" maxlength="7" placeholder="MM/YY" required></div>
    <div><label for="cvn2">${T.cvn2}</label><input id="cvn2" name="cvn2" type="password" inputmode="numeric" autocomplete="cc-csc" maxlength="4" required></div>
  </div>
  ${upi ? html`<label for="sms_code">${T.smsCode}</label><input id="sms_code" name="sms_code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="8" required>
  <p class="note">${T.smsNote}</p>` : null}
  <label for="pin">${T.pin}</label>
  <input id="pin" name="pin" type="password" inputmode="numeric" maxlength="8" required>
  <button class="primary" type="submit" id="pay">${T.pay}</button>
</form>`,
  );
}
