import express, { type Request, type Router } from 'express';
import QRCode from 'qrcode';
import { formatMoney } from '@payment-checkout/core';
import { type SafeHtml, html } from '../html.ts';
import { merchantForKey, param } from './auth.ts';
import { parseAmount } from './cards.ts';
import { QR_POLL_MS } from './data.ts';
import { KpaymentApiError } from './errors.ts';
import { frameErrorPage, frameHeader, frameScript, queryText, sendFramePage } from './frame-page.ts';
import { layout, nonce } from './page.ts';
import type { KpaymentQr } from './qr.ts';
import type { RouteContext } from './routes.ts';
import type { Merchant, OrderRecord, QrRecord } from './state.ts';

/** What the script passes to the QR popup: its data-* attributes (§2.2(e)) and the shop page's origin. */
interface PopupQuery {
  apikey: string;
  amount: string;
  paymentMethods: string;
  orderId: string;
  name: string;
  refNumber: string;
  parent: string;
}

function readQuery(req: Request): PopupQuery {
  const q = (name: string) => queryText(req, name);
  return {
    apikey: q('apikey'),
    amount: q('amount'),
    paymentMethods: q('payment-methods').toLowerCase(),
    orderId: q('order-id'),
    name: q('name'),
    refNumber: q('ref-number'),
    parent: q('parent'),
  };
}

/** The QR image: a PNG data URL of the payload (the sandbox's pages allow `img-src data:` only). */
export function qrImage(payload: string): Promise<string> {
  return QRCode.toDataURL(payload, { margin: 1, width: 260, errorCorrectionLevel: 'M' });
}

/** What the popup's script polls (same origin, public key): the QR's state, time left and its charge. */
export function qrStatus(service: KpaymentQr, merchant: Merchant, code: QrRecord) {
  service.catchUpQr(code);
  const charge = code.chargeId ? merchant.qrCharges.get(code.chargeId) : undefined;
  return {
    object: 'qr_status' as const,
    id: code.id,
    state: code.state,
    seconds_left: service.secondsLeft(code),
    charge_id: code.chargeId,
    failure_code: charge?.failureCode ?? null,
    failure_message: charge?.failureMessage ?? null,
  };
}

/**
 * The QR popup that `kpayment.min.js` opens for `data-payment-methods="qr"` or `"wechat"` (§4.3 steps
 * 5–11), and the state it polls. The popup shows the order's QR (the same one on every visit) with its
 * id, amount and countdown; when the QR is paid (or the payment fails) it hands the charge id to the
 * script, which posts `chargeId` to the shop's form.
 */
export function qrPopupRouter({ store, qr }: RouteContext): Router {
  const router = express.Router();

  router.get('/ui/v2/qr-popup', async (req, res) => {
    const query = readQuery(req);
    const scriptNonce = nonce();
    let opened: { merchant: Merchant; order: OrderRecord; code: QrRecord; parent: string };
    try {
      opened = open(query);
    } catch (error) {
      if (!(error instanceof KpaymentApiError)) throw error;
      return sendFramePage(res, error.status, errorPage(error, scriptNonce, query.parent), scriptNonce);
    }
    const { merchant, order, code, parent } = opened;
    const image = await qrImage(code.payload);
    const config = {
      apikey: query.apikey,
      parent,
      pollMs: QR_POLL_MS,
      status: qrStatus(qr, merchant, code),
    };
    sendFramePage(res, 200, popupPage(order, code, query, image, config, scriptNonce), scriptNonce);
  });

  router.get('/ui/v2/qr/:qrId', (req, res) => {
    const merchant = merchantForKey(store, req.get('x-api-key'), ['public']);
    res.set('cache-control', 'no-store').json(qrStatus(qr, merchant, qr.qr(merchant, param(req, 'qrId'))));
  });

  function open(query: PopupQuery) {
    const merchant = merchantForKey(store, query.apikey, ['public']);
    let parent: string;
    try {
      parent = new URL(query.parent).origin;
    } catch {
      throw new KpaymentApiError('invalid_parameter', 'the QR popup needs the shop page origin');
    }
    if (!query.orderId) throw new KpaymentApiError('mandatory_is_empty', 'data-order-id is required for QR payments');
    const order = qr.order(merchant, query.orderId);
    if (query.paymentMethods !== order.sourceType) {
      throw new KpaymentApiError('invalid_parameter', `data-payment-methods "${query.paymentMethods}" does not match the order's source_type "${order.sourceType}"`);
    }
    // The amount shown comes from the order; a page that says another amount is refused, not trusted.
    if (parseAmount(query.amount, order.currency, 'data-amount') !== order.amount) {
      throw new KpaymentApiError('amount_invalid', `data-amount ${query.amount} is not the order's amount`);
    }
    const code = qr.openQr(merchant, order, query.name);
    return { merchant, order, code, parent };
  }

  return router;
}

function errorPage(error: KpaymentApiError, scriptNonce: string, parent: string): SafeHtml {
  const heading = error.code === 'qr_expired' ? 'This QR code has expired' : 'QR payment unavailable';
  return frameErrorPage('QR payment', heading, error, scriptNonce, parent);
}

function popupPage(order: OrderRecord, code: QrRecord, query: PopupQuery, image: string, config: unknown, scriptNonce: string): SafeHtml {
  const wechat = order.sourceType === 'wechat';
  const amount = formatMoney(order.amount, order.currency, 'en', { symbol: true });
  const how = wechat ? 'Scan with WeChat to pay.' : 'Scan with K PLUS or any Thai banking app or e-wallet (Thai QR Payment).';
  return layout(
    wechat ? 'WeChat Pay' : 'Thai QR Payment',
    html`${frameHeader(query.name || (wechat ? 'WeChat Pay' : 'Thai QR Payment'), wechat ? 'WeChat Pay' : 'Thai QR Payment', amount)}
<div id="qr-box" style="text-align:center">
  <img id="qr-image" src="${image}" width="260" height="260" alt="${wechat ? 'WeChat Pay' : 'Thai QR'} code to pay ${amount}">
  <p style="margin:.25rem 0;overflow-wrap:anywhere">QR ID <code id="qr-id">${code.id}</code></p>
  <p id="countdown" role="timer" aria-live="off"></p>
  <p><a id="save" href="${image}" download="${code.id}.png">Save QR image</a></p>
</div>
<p id="qr-status" role="status" class="note">${how}</p>
<dl>
  <dt>Order</dt><dd>${order.referenceOrder}</dd>
  ${query.refNumber ? html`<dt>Ref Number</dt><dd>${query.refNumber}</dd>` : null}
</dl>
<p class="brand">Sandbox: pay, fail or expire this QR in the <a id="simulator" href="/_sandbox/kpayment/qr-simulator?qr=${code.id}" target="_blank" rel="noopener">QR Simulator</a>.</p>
${frameScript(config, POPUP_SCRIPT, scriptNonce)}`,
  );
}

/** The popup's own script: counts down, polls the QR's state, and hands the charge id to the shop page. */
const POPUP_SCRIPT = String.raw`
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('config').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var status = cfg.status;
  var left = status.seconds_left;
  var finished = false;
  var pollTimer = null;

  function post(message) { if (window.parent !== window) window.parent.postMessage(message, cfg.parent); }
  function two(n) { return (n < 10 ? '0' : '') + n; }
  function clock(s) {
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    return (h > 0 ? h + ':' + two(m) : String(m)) + ':' + two(r);
  }
  function say(text, kind) {
    var el = $('qr-status');
    el.textContent = text;
    el.className = kind;
  }
  function hideCode() { $('qr-image').hidden = true; $('save').hidden = true; }
  function tick() {
    if (finished) return;
    $('countdown').textContent = 'Expires in ' + clock(left);
    if (left > 0) left -= 1;
  }
  function apply(next) {
    status = next;
    if (finished) return;
    if (next.state === 'pending') { left = next.seconds_left; tick(); return; }
    finished = true;
    clearTimeout(pollTimer);
    if (next.state === 'paid') {
      $('countdown').textContent = '';
      say('Payment received. Returning to the shop…', 'ok');
      post({ type: 'kpayment:qr-result', chargeId: next.charge_id, state: 'paid' });
    } else if (next.state === 'failed') {
      $('countdown').textContent = '';
      say('Payment failed: ' + (next.failure_message || 'declined') + '.', 'error');
      post({ type: 'kpayment:qr-result', chargeId: next.charge_id, state: 'failed' });
    } else if (next.state === 'expired') {
      hideCode();
      $('countdown').textContent = 'Expired';
      say('This QR code has expired. Close this window and start the payment again.', 'error');
    } else if (next.state === 'cancelled') {
      hideCode();
      $('countdown').textContent = '';
      say('This QR code was cancelled. Close this window and start the payment again.', 'error');
    }
  }
  function poll() {
    if (finished) return;
    fetch('/ui/v2/qr/' + encodeURIComponent(status.id), { headers: { 'x-api-key': cfg.apikey }, cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) { if (s && s.object === 'qr_status') apply(s); })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { if (!finished) pollTimer = setTimeout(poll, cfg.pollMs); });
  }

  $('close').addEventListener('click', function () { post({ type: 'kpayment:close' }); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') post({ type: 'kpayment:close' }); });
  setInterval(tick, 1000);
  post({ type: 'kpayment:ready' });
  apply(status);
  pollTimer = setTimeout(poll, cfg.pollMs);
})();
`;
