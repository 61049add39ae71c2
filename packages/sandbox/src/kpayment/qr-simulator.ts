import express, { type Request, type Response, type Router } from 'express';
import { formatMoney } from '@payment-checkout/core';
import { type SafeHtml, html } from '../html.ts';
import { merchantForKey, param } from './auth.ts';
import { DEFAULT_QR_DECLINE, QR_DECLINES } from './data.ts';
import { KpaymentApiError } from './errors.ts';
import { kpaymentTime } from './ids.ts';
import { layout, sendPage } from './page.ts';
import { QrFailParams, QrPayParams } from './params.ts';
import { qrImage } from './qr-popup.ts';
import type { RouteContext } from './routes.ts';
import type { Merchant, QrRecord } from './state.ts';

const BASE = '/_sandbox/kpayment/qr-simulator';
const LIST_LIMIT = 100;
const SIMULATOR_STYLE = html`<style>main { max-width: 46rem; } table { width: 100%; border-collapse: collapse; font-size: .85rem; } td, th { padding: .25rem .4rem; border-bottom: 1px solid #e3e5ea; overflow-wrap: anywhere; }</style>`;

const OUTCOMES: Record<string, string> = {
  paid: 'Paid: the shopper\'s page completes and the notify goes to the merchant.',
  failed: 'Failed: the shopper\'s page shows the failure.',
  expired: 'Expired: the shopper\'s page shows that the QR code expired.',
};

/**
 * The Thai QR Simulator of the Merchant Portal (§7.4), as a sandbox page: search a QR ID (shown under the
 * code on the payment screen), see the payment, press "Pay" (or make it fail or expire). Lists the
 * sandbox's QR codes, newest first; `?pkey=` narrows the list to one merchant. Plain forms, no script.
 */
export function qrSimulatorRouter({ store, qr }: RouteContext): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  router.get(BASE, async (req, res) => {
    const text = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string).trim() : '');
    await sendSimulator(res, 200, { search: text('qr'), pkey: text('pkey'), done: text('done') });
  });

  router.post(`${BASE}/:qrId/:action`, form, async (req: Request, res: Response) => {
    const qrId = param(req, 'qrId');
    const action = param(req, 'action');
    const found = store.byQr(qrId);
    if (!found) return sendSimulator(res, 404, { search: qrId, error: `QR ${qrId} does not exist in this sandbox.` });
    const body = (req.body ?? {}) as Record<string, string>;
    try {
      if (action === 'pay') qr.pay(found.merchant, found.qr, QrPayParams.parse({ channel: body.channel || undefined }).channel);
      else if (action === 'fail') qr.fail(found.merchant, found.qr, QrFailParams.parse({ failure_code: body.failure_code || undefined }).failure_code);
      else if (action === 'expire') qr.expire(found.merchant, found.qr);
      else return sendSimulator(res, 404, { search: qrId, error: `Unknown action ${action}.` });
    } catch (error) {
      const message = error instanceof KpaymentApiError ? `${error.message} (${error.code})` : error instanceof Error ? error.message : String(error);
      return sendSimulator(res, 409, { search: qrId, error: message });
    }
    res.redirect(303, `${BASE}?qr=${encodeURIComponent(qrId)}&done=${found.qr.state}`);
  });

  async function sendSimulator(res: Response, status: number, view: { search: string; pkey?: string; done?: string; error?: string }) {
    let owner: Merchant | null = null;
    if (view.pkey) {
      try {
        owner = merchantForKey(store, view.pkey, ['public']);
      } catch {
        view.error ??= 'pkey must be a public key (pkey_test_…).';
      }
    }
    const found = view.search ? store.byQr(view.search) : undefined;
    if (view.search && !found) view.error ??= `No QR code ${view.search} in this sandbox.`;
    const detail = found ? await detailSection(found.merchant, found.qr, view.done) : null;
    const rows = store
      .allQrs()
      .filter((entry) => !owner || entry.merchant === owner)
      .slice(0, LIST_LIMIT)
      .map((entry) => listRow(entry.merchant, entry.qr));
    const page = layout(
      'QR Simulator',
      html`<h1>QR Simulator</h1>
<p>Find the QR ID shown under the code on the payment screen, then press <strong>Pay</strong> as if a banking app had scanned it.</p>
<form method="get" action="${BASE}">
  <label for="qr">QR ID</label>
  <input id="qr" name="qr" type="text" value="${view.search}" placeholder="qr_test_…" autocomplete="off" required>
  ${view.pkey ? html`<input type="hidden" name="pkey" value="${view.pkey}">` : null}
  <button class="primary" type="submit">Search</button>
</form>
${view.error ? html`<p class="error" role="alert">${view.error}</p>` : null}
${detail}
<h2 style="font-size:1.05rem;margin-top:1.5rem">QR codes${owner ? ' of this merchant' : ''}</h2>
${rows.length ? html`<table id="qr-list"><thead><tr><th align="left">QR ID</th><th align="left">Type</th><th align="right">Amount</th><th align="left">State</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p>No QR code yet: open a QR payment in a shop first.</p>`}`,
      { extraHead: SIMULATOR_STYLE },
    );
    // The list reads the sandbox's state as it is now: never cached.
    sendPage(res, status, page);
  }

  async function detailSection(merchant: Merchant, code: QrRecord, done?: string): Promise<SafeHtml> {
    qr.catchUpQr(code);
    const order = qr.order(merchant, code.orderId);
    const wechat = order.sourceType === 'wechat';
    const charge = code.chargeId ? merchant.qrCharges.get(code.chargeId) : undefined;
    const action = `${BASE}/${encodeURIComponent(code.id)}`;
    const controls =
      code.state === 'pending'
        ? html`<form method="post" action="${action}/pay">
  ${wechat ? html`<input type="hidden" name="channel" value="wechat">` : html`<label for="channel">Paid with</label>
  <select id="channel" name="channel"><option value="kplus">K PLUS (can be voided the same day)</option><option value="other_bank">Another bank's app or an e-wallet</option></select>`}
  <button class="primary" type="submit" id="pay">Pay</button>
</form>
<form method="post" action="${action}/fail" style="margin-top:.75rem">
  <label for="failure_code">Fail with</label>
  <select id="failure_code" name="failure_code">${Object.entries(QR_DECLINES).map(([c, m]) => html`<option value="${c}"${c === DEFAULT_QR_DECLINE ? html` selected` : null}>${c}: ${m}</option>`)}</select>
  <button class="secondary" type="submit" id="fail">Fail</button>
</form>
<form method="post" action="${action}/expire" style="margin-top:.75rem"><button class="secondary" type="submit" id="expire">Expire now</button></form>`
        : null;
    return html`<section id="qr-detail" aria-labelledby="detail-title">
<h2 id="detail-title" style="font-size:1.05rem">${wechat ? 'WeChat Pay' : 'Thai QR'} <code>${code.id}</code></h2>
${done && OUTCOMES[done] ? html`<p class="ok" role="status">${OUTCOMES[done]}</p>` : null}
<img src="${await qrImage(code.payload)}" width="160" height="160" alt="The QR code">
<dl>
  <dt>Amount</dt><dd class="amount" id="detail-amount">${formatMoney(order.amount, order.currency, 'en', { symbol: true })}</dd>
  <dt>Order</dt><dd>${order.id}</dd>
  <dt>Reference</dt><dd>${order.referenceOrder}</dd>
  <dt>Description</dt><dd>${order.description}</dd>
  <dt>State</dt><dd id="detail-state">${code.state}</dd>
  <dt>Expires</dt><dd>${kpaymentTime(code.expiresAt)}${code.state === 'pending' ? ` (in ${Math.ceil(qr.secondsLeft(code) / 60)} min)` : ''}</dd>
  ${charge ? html`<dt>Charge</dt><dd><code id="detail-charge">${charge.id}</code> ${charge.state} / ${charge.status}${charge.failureCode ? ` (${charge.failureCode})` : ''}</dd>` : null}
</dl>
${controls}
</section>`;
  }

  function listRow(merchant: Merchant, code: QrRecord): SafeHtml {
    qr.catchUpQr(code);
    const order = merchant.orders.get(code.orderId);
    const amount = order ? formatMoney(order.amount, order.currency, 'en', { symbol: true }) : '';
    return html`<tr><td><a href="${BASE}?qr=${encodeURIComponent(code.id)}">${code.id}</a></td><td>${order?.sourceType === 'wechat' ? 'WeChat Pay' : 'Thai QR'}</td><td align="right">${amount}</td><td>${code.state}</td></tr>`;
  }

  return router;
}
