import express, { type Response, type Router } from 'express';
import QRCode from 'qrcode';
import { type Locale, OpnFailureCode, formatMoney, getMethod } from '@payment-checkout/core';
import { hostedPage } from '../hosted-page.ts';
import { type SafeHtml, html } from '../html.ts';
import { failureReason, pageLocale } from '../page-locale.ts';
import { formatPageTime } from '../page-time.ts';
import { FAILURE_MESSAGES } from './data.ts';
import { OpnApiError } from './errors.ts';
import { AUTHORIZE_TEXTS } from './page-texts.ts';
import { AuthorizeFormParams } from './params.ts';
import type { OpnPayments } from './payments.ts';
import { isoTime } from './serialize.ts';
import type { ChargeRecord, Merchant, OpnStore } from './state.ts';

/**
 * The page behind `authorize_uri`. Opn's test mode lets you mark the charge Successful or Failed there
 * (seeds 000, 002, 004); on a phone the real URI is a deep link into the bank's app, which the sandbox
 * stands in for with this same page. KakaoPay on the web shows a QR code of the page, as the real one does.
 * It speaks the shopper's language (Accept-Language: English, Thai or Japanese).
 */
export function authorizePageRouter(store: OpnStore, payments: OpnPayments): Router {
  const router = express.Router();
  const parseForm = express.urlencoded({ extended: false, limit: '16kb' });

  router.get('/payments/:paymentId/authorize', async (req, res) => {
    const locale = pageLocale(req);
    const found = store.byPayment(req.params.paymentId);
    if (!found) return sendPage(res, 404, notFoundPage(locale, req.params.paymentId));
    const charge = payments.charge(found.merchant, found.charge.id);
    sendPage(res, 200, await authorizePage(locale, found.merchant, charge));
  });

  router.post('/payments/:paymentId/authorize', parseForm, async (req, res) => {
    const locale = pageLocale(req);
    const found = store.byPayment(req.params.paymentId);
    if (!found) return sendPage(res, 404, notFoundPage(locale, req.params.paymentId));
    const { merchant } = found;
    const charge = payments.charge(merchant, found.charge.id);
    if (!isWaiting(charge)) return sendPage(res, 409, await authorizePage(locale, merchant, charge));
    const form = AuthorizeFormParams.safeParse(req.body ?? {});
    if (!form.success) {
      return sendPage(res, 400, await authorizePage(locale, merchant, charge, AUTHORIZE_TEXTS[locale].invalidChoice));
    }
    try {
      payments.complete(merchant, charge, { result: form.data.action, failure_code: form.data.failure_code });
    } catch (error) {
      if (!(error instanceof OpnApiError)) throw error;
      return sendPage(res, 409, await authorizePage(locale, merchant, charge, AUTHORIZE_TEXTS[locale].notChanged));
    }
    res.redirect(302, charge.returnUri);
  });

  return router;
}

function isWaiting(charge: ChargeRecord): boolean {
  return charge.status === 'pending' && !charge.authorized;
}

function sendPage(res: Response, status: number, body: SafeHtml): void {
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    .send(body.value);
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  main { max-width: 28rem; margin: 2rem auto; background: #fff; padding: 1.5rem; border-radius: 12px; box-shadow: 0 1px 4px #0002; }
  .badge { display: inline-block; font-size: .8rem; background: #ffe9a8; padding: .1rem .5rem; border-radius: 4px; margin: 0; }
  h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
  dt { color: #555; } dd { margin: 0; overflow-wrap: anywhere; }
  .amount { font-size: 1.3rem; font-weight: 600; }
  form { margin: 1rem 0; } fieldset { border: 1px solid #ccd; border-radius: 8px; padding: .75rem; }
  label { display: block; margin-bottom: .25rem; } select { width: 100%; padding: .4rem; margin-bottom: .75rem; font: inherit; }
  button { font: inherit; padding: .6rem 1.2rem; border-radius: 8px; border: 2px solid transparent; cursor: pointer; }
  button:focus-visible, a:focus-visible, select:focus-visible { outline: 3px solid #2f6fed; outline-offset: 2px; }
  .ok { background: #18794e; color: #fff; width: 100%; } .fail { background: #b3261e; color: #fff; }
  .note { background: #eef3ff; padding: .5rem .75rem; border-radius: 8px; }
  .error { background: #fde8e7; color: #8c1d18; padding: .5rem .75rem; border-radius: 8px; }
  .qr { text-align: center; } .qr img { width: 220px; height: 220px; image-rendering: pixelated; }
`;

function layout(locale: Locale, title: string, content: SafeHtml): SafeHtml {
  return hostedPage({ locale, gateway: 'Opn Payments', title, head: html`<style>${STYLE}</style>`, content });
}

function notFoundPage(locale: Locale, paymentId: string): SafeHtml {
  const T = AUTHORIZE_TEXTS[locale];
  return layout(locale, T.notFoundTitle, html`<h1>${T.notFoundTitle}</h1><p>${T.notFound(paymentId)}</p>`);
}

/** A moment for people (in Bangkok time, in the page's language), machine-readable in `datetime`. */
function timeElement(ms: number, locale: Locale): SafeHtml {
  return html`<time datetime="${isoTime(ms)}">${formatPageTime(ms, locale)}</time>`;
}

function stateSentence(locale: Locale, charge: ChargeRecord): SafeHtml {
  const T = AUTHORIZE_TEXTS[locale];
  switch (charge.status) {
    case 'successful':
      return T.successfulState;
    case 'failed':
      return T.failedState(failureReason(locale, charge.failureCode, charge.failureMessage), charge.failureCode);
    case 'expired':
      return T.expiredState(timeElement(charge.expiredAt ?? charge.createdAt, locale));
    case 'reversed':
      return T.reversedState;
    case 'pending':
      return T.authorizedState;
  }
}

async function authorizePage(locale: Locale, merchant: Merchant, charge: ChargeRecord, error?: string): Promise<SafeHtml> {
  const T = AUTHORIZE_TEXTS[locale];
  const method = getMethod(charge.sourceType);
  const methodName = method.label[locale];
  const source = merchant.sources.get(charge.sourceId)!;
  const details = html`
<h1>${isWaiting(charge) ? T.title : T.decidedTitle}</h1>
<dl>
  <dt>${T.method}</dt><dd>${methodName}</dd>
  <dt>${T.amount}</dt><dd class="amount">${formatMoney(charge.amount, charge.currency, locale)}</dd>
  <dt>${T.merchant}</dt><dd>${merchant.id}</dd>
  ${charge.description ? html`<dt>${T.description}</dt><dd>${charge.description}</dd>` : null}
  <dt>${T.charge}</dt><dd><code>${charge.id}</code></dd>
  ${charge.expiresAt !== null && isWaiting(charge) ? html`<dt>${T.expires}</dt><dd>${timeElement(charge.expiresAt, locale)}</dd>` : null}
</dl>`;
  const back = html`<p><a href="${charge.returnUri}">${T.back}</a></p>`;
  if (!isWaiting(charge)) {
    return layout(locale, T.decidedTitle, html`${details}${error ? html`<p class="error" role="alert">${error}</p>` : null}<p role="status">${stateSentence(locale, charge)}</p>${back}`);
  }

  let device: SafeHtml | null = null;
  if (source.platformType === 'WEB' && method.platforms.includes('WEB')) {
    const qr = await QRCode.toDataURL(charge.authorizeUri, { margin: 1, width: 220 });
    device = html`<div class="qr"><img src="${qr}" alt="${T.qrAlt(methodName)}"><p>${T.scan(methodName)}</p></div>`;
  } else if (source.platformType === 'IOS' || source.platformType === 'ANDROID') {
    device = html`<p class="note">${T.onPhone(source.platformType, methodName)}</p>`;
  }
  const action = `/payments/${charge.paymentId}/authorize`;
  const options = OpnFailureCode.options.map(
    (code) => html`<option value="${code}"${code === 'payment_rejected' ? html` selected` : null}>${code} — ${failureReason(locale, code, FAILURE_MESSAGES[code])}</option>`,
  );
  return layout(
    locale,
    T.title,
    html`${details}
${error ? html`<p class="error" role="alert">${error}</p>` : null}
${device}
<form method="post" action="${action}">
  <button class="ok" type="submit" name="action" value="successful">${T.successful}</button>
</form>
<form method="post" action="${action}">
  <fieldset>
    <legend>${T.orFail}</legend>
    <label for="failure_code">${T.failureCode}</label>
    <select id="failure_code" name="failure_code">${options}</select>
    <button class="fail" type="submit" name="action" value="failed">${T.failed}</button>
  </fieldset>
</form>
<p><a href="${charge.returnUri}">${T.leave}</a></p>`,
  );
}

