import express, { type Request, type Response, type Router } from 'express';
import { type Locale, formatAmount } from '@payment-checkout/core';
import { z } from 'zod';
import { type SafeHtml, html } from '../html.ts';
import { failureReason, pageLocale } from '../page-locale.ts';
import { formatPageTime } from '../page-time.ts';
import { merchantForKey, param } from './auth.ts';
import { DEFAULT_QR_DECLINE, QR_DECLINES } from './data.ts';
import { KpaymentApiError } from './errors.ts';
import { layout, sendPage } from './page.ts';
import { KPAYMENT_PAGE_TEXTS } from './page-texts.ts';
import { QrFailParams, QrPayParams } from './params.ts';
import { qrImage } from './qr-popup.ts';
import { QR_SIMULATOR_TEXTS, simulatorOutcome } from './qr-simulator-texts.ts';
import type { RouteContext } from './routes.ts';
import type { Merchant, QrRecord } from './state.ts';

const BASE = '/_sandbox/kpayment/qr-simulator';
const LIST_LIMIT = 100;
const SIMULATOR_STYLE = html`<style>main { max-width: 46rem; } table { width: 100%; border-collapse: collapse; font-size: .85rem; } td, th { padding: .25rem .4rem; border-bottom: 1px solid #e3e5ea; overflow-wrap: anywhere; }</style>`;

/**
 * The Thai QR Simulator of the Merchant Portal (§7.4), as a sandbox page: search a QR ID (shown under the
 * code on the payment screen), see the payment, press "Pay" (or make it fail or expire). Lists the
 * sandbox's QR codes, newest first; `?pkey=` narrows the list to one merchant. Plain forms, no script; in the
 * tester's language (Accept-Language: English, Thai or Japanese).
 */
export function qrSimulatorRouter({ store, qr }: RouteContext): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  router.get(BASE, async (req, res) => {
    const text = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string).trim() : '');
    await sendSimulator(res, 200, pageLocale(req), { search: text('qr'), pkey: text('pkey'), done: text('done') });
  });

  router.post(`${BASE}/:qrId/:action`, form, async (req: Request, res: Response) => {
    const locale = pageLocale(req);
    const T = QR_SIMULATOR_TEXTS[locale];
    const qrId = param(req, 'qrId');
    const action = param(req, 'action');
    const found = store.byQr(qrId);
    if (!found) return sendSimulator(res, 404, locale, { search: qrId, error: T.notInSandbox(qrId) });
    const body = (req.body ?? {}) as Record<string, string>;
    try {
      if (action === 'pay') qr.pay(found.merchant, found.qr, QrPayParams.parse({ channel: body.channel || undefined }).channel);
      else if (action === 'fail') qr.fail(found.merchant, found.qr, QrFailParams.parse({ failure_code: body.failure_code || undefined }).failure_code);
      else if (action === 'expire') qr.expire(found.merchant, found.qr);
      else return sendSimulator(res, 404, locale, { search: qrId, error: T.unknownAction(action) });
    } catch (error) {
      if (!(error instanceof KpaymentApiError) && !(error instanceof z.ZodError)) throw error;
      const message = error instanceof KpaymentApiError ? `${failureReason(locale, error.code, error.message)} (${error.code})` : T.invalidChoice;
      return sendSimulator(res, 409, locale, { search: qrId, error: message });
    }
    res.redirect(303, `${BASE}?qr=${encodeURIComponent(qrId)}&done=${found.qr.state}`);
  });

  async function sendSimulator(res: Response, status: number, locale: Locale, view: { search: string; pkey?: string; done?: string; error?: string }) {
    const T = QR_SIMULATOR_TEXTS[locale];
    let owner: Merchant | null = null;
    if (view.pkey) {
      try {
        owner = merchantForKey(store, view.pkey, ['public']);
      } catch {
        view.error ??= T.pkeyInvalid;
      }
    }
    const found = view.search ? store.byQr(view.search) : undefined;
    if (view.search && !found) view.error ??= T.notInSandbox(view.search);
    const detail = found ? await detailSection(locale, found.merchant, found.qr, view.done) : null;
    const rows = store
      .allQrs()
      .filter((entry) => !owner || entry.merchant === owner)
      .slice(0, LIST_LIMIT)
      .map((entry) => listRow(locale, entry.merchant, entry.qr));
    const page = layout(
      locale,
      T.title,
      html`<h1>${T.title}</h1>
<p>${T.intro}</p>
<form method="get" action="${BASE}">
  <label for="qr">${T.qrId}</label>
  <input id="qr" name="qr" type="text" value="${view.search}" placeholder="qr_test_…" autocomplete="off" required>
  ${view.pkey ? html`<input type="hidden" name="pkey" value="${view.pkey}">` : null}
  <button class="primary" type="submit">${T.search}</button>
</form>
${view.error ? html`<p class="error" role="alert">${view.error}</p>` : null}
${detail}
<h2 style="font-size:1.05rem;margin-top:1.5rem">${T.listHeading(owner !== null)}</h2>
${rows.length ? html`<table id="qr-list"><thead><tr><th align="left">${T.qrId}</th><th align="left">${T.type}</th><th align="right">${KPAYMENT_PAGE_TEXTS[locale].amount}</th><th align="left">${T.state}</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p>${T.noQrYet}</p>`}`,
      { extraHead: SIMULATOR_STYLE },
    );
    // The list reads the sandbox's state as it is now: never cached.
    sendPage(res, status, page);
  }

  async function detailSection(locale: Locale, merchant: Merchant, code: QrRecord, done?: string): Promise<SafeHtml> {
    const T = QR_SIMULATOR_TEXTS[locale];
    const D = KPAYMENT_PAGE_TEXTS[locale];
    const outcome = simulatorOutcome(locale, done);
    qr.catchUpQr(code);
    const order = qr.order(merchant, code.orderId);
    const wechat = order.sourceType === 'wechat';
    const charge = code.chargeId ? merchant.qrCharges.get(code.chargeId) : undefined;
    const action = `${BASE}/${encodeURIComponent(code.id)}`;
    const controls =
      code.state === 'pending'
        ? html`<form method="post" action="${action}/pay">
  ${wechat ? html`<input type="hidden" name="channel" value="wechat">` : html`<label for="channel">${T.paidWith}</label>
  <select id="channel" name="channel"><option value="kplus">${T.kplus}</option><option value="other_bank">${T.otherBank}</option></select>`}
  <button class="primary" type="submit" id="pay">${T.pay}</button>
</form>
<form method="post" action="${action}/fail" style="margin-top:.75rem">
  <label for="failure_code">${T.failWith}</label>
  <select id="failure_code" name="failure_code">${Object.entries(QR_DECLINES).map(([c, m]) => html`<option value="${c}"${c === DEFAULT_QR_DECLINE ? html` selected` : null}>${c}: ${failureReason(locale, c, m)}</option>`)}</select>
  <button class="secondary" type="submit" id="fail">${T.fail}</button>
</form>
<form method="post" action="${action}/expire" style="margin-top:.75rem"><button class="secondary" type="submit" id="expire">${T.expireNow}</button></form>`
        : null;
    return html`<section id="qr-detail" aria-labelledby="detail-title">
<h2 id="detail-title" style="font-size:1.05rem">${wechat ? 'WeChat Pay' : 'Thai QR'} <code>${code.id}</code></h2>
${outcome ? html`<p class="ok" role="status">${outcome}</p>` : null}
<img src="${await qrImage(code.payload)}" width="160" height="160" alt="${T.qrAlt}">
<dl>
  <dt>${D.amount}</dt><dd class="amount" id="detail-amount">${formatAmount(order.amount, order.currency, locale)}</dd>
  <dt>${D.order}</dt><dd>${order.id}</dd>
  <dt>${T.reference}</dt><dd>${order.referenceOrder}</dd>
  <dt>${D.description}</dt><dd>${order.description}</dd>
  <dt>${T.state}</dt><dd id="detail-state">${T.states[code.state]}</dd>
  <dt>${T.expires}</dt><dd>${formatPageTime(code.expiresAt, locale)}${code.state === 'pending' ? ` ${T.inMinutes(Math.ceil(qr.secondsLeft(code) / 60))}` : ''}</dd>
  ${charge ? html`<dt>${T.charge}</dt><dd><code id="detail-charge">${charge.id}</code> ${charge.state} / ${charge.status}${charge.failureCode ? ` (${charge.failureCode})` : ''}</dd>` : null}
</dl>
${controls}
</section>`;
  }

  function listRow(locale: Locale, merchant: Merchant, code: QrRecord): SafeHtml {
    qr.catchUpQr(code);
    const order = merchant.orders.get(code.orderId);
    const amount = order ? formatAmount(order.amount, order.currency, locale) : '';
    return html`<tr><td><a href="${BASE}?qr=${encodeURIComponent(code.id)}">${code.id}</a></td><td>${order?.sourceType === 'wechat' ? 'WeChat Pay' : 'Thai QR'}</td><td align="right">${amount}</td><td>${QR_SIMULATOR_TEXTS[locale].states[code.state]}</td></tr>`;
  }

  return router;
}
