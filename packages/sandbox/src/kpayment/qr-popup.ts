import express, { type Request, type Router } from 'express';
import QRCode from 'qrcode';
import { type Locale, formatAmount } from '@payment-checkout/core';
import { type SafeHtml, html } from '../html.ts';
import { failureReason, pageLocale } from '../page-locale.ts';
import { merchantForKey, param } from './auth.ts';
import { parseAmount } from './cards.ts';
import { QR_POLL_MS } from './data.ts';
import { KpaymentApiError } from './errors.ts';
import { WORDS_SCRIPT, frameErrorPage, frameHeader, frameScript, queryText, sendFramePage } from './frame-page.ts';
import { layout, nonce } from './page.ts';
import { KPAYMENT_PAGE_TEXTS } from './page-texts.ts';
import type { KpaymentQr } from './qr.ts';
import { QR_TEXTS } from './qr-texts.ts';
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

/**
 * What the popup's script polls (same origin, public key): the QR's state, time left and its charge; a failure's
 * reason in the popup's language (`failure_reason`) beside the gateway's words.
 */
export function qrStatus(service: KpaymentQr, merchant: Merchant, code: QrRecord, locale: Locale) {
  service.catchUpQr(code);
  const charge = code.chargeId ? merchant.qrCharges.get(code.chargeId) : undefined;
  const failureCode = charge?.failureCode ?? null;
  const failureMessage = charge?.failureMessage ?? null;
  return {
    object: 'qr_status' as const,
    id: code.id,
    state: code.state,
    seconds_left: service.secondsLeft(code),
    charge_id: code.chargeId,
    failure_code: failureCode,
    failure_message: failureMessage,
    failure_reason: failureCode === null ? null : failureReason(locale, failureCode, failureMessage),
  };
}

/**
 * The QR popup that `kpayment.min.js` opens for `data-payment-methods="qr"` or `"wechat"` (§4.3 steps
 * 5–11), and the state it polls. The popup shows the order's QR (the same one on every visit) with its
 * id, amount and countdown; when the QR is paid (or the payment fails) it hands the charge id to the
 * script, which posts `chargeId` to the shop's form; when it expires or is cancelled it says so, with the focus on
 * Close, and tells the script (`kpayment:qr-ended`), whose next `show()` replaces the window.
 */
export function qrPopupRouter({ store, qr }: RouteContext): Router {
  const router = express.Router();

  router.get('/ui/v2/qr-popup', async (req, res) => {
    const locale = pageLocale(req);
    const query = readQuery(req);
    const scriptNonce = nonce();
    let opened: { merchant: Merchant; order: OrderRecord; code: QrRecord; parent: string };
    try {
      opened = open(query);
    } catch (error) {
      if (!(error instanceof KpaymentApiError)) throw error;
      return sendFramePage(res, error.status, errorPage(locale, error, scriptNonce, query.parent), scriptNonce);
    }
    const { merchant, order, code, parent } = opened;
    const image = await qrImage(code.payload);
    const config = {
      apikey: query.apikey,
      parent,
      pollMs: QR_POLL_MS,
      status: qrStatus(qr, merchant, code, locale),
      texts: QR_TEXTS[locale].script,
    };
    sendFramePage(res, 200, popupPage(locale, order, code, query, image, config, scriptNonce), scriptNonce);
  });

  router.get('/ui/v2/qr/:qrId', (req, res) => {
    const merchant = merchantForKey(store, req.get('x-api-key'), ['public']);
    res.set('cache-control', 'no-store').json(qrStatus(qr, merchant, qr.qr(merchant, param(req, 'qrId')), pageLocale(req)));
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

function errorPage(locale: Locale, error: KpaymentApiError, scriptNonce: string, parent: string): SafeHtml {
  const T = QR_TEXTS[locale].page;
  return frameErrorPage(locale, T.title, error.code === 'qr_expired' ? T.expiredHeading : T.unavailable, error, scriptNonce, parent);
}

function popupPage(locale: Locale, order: OrderRecord, code: QrRecord, query: PopupQuery, image: string, config: unknown, scriptNonce: string): SafeHtml {
  const T = QR_TEXTS[locale].page;
  const wechat = order.sourceType === 'wechat';
  // Scheme names are brands: the same in every language.
  const scheme = wechat ? 'WeChat Pay' : 'Thai QR Payment';
  const amount = formatAmount(order.amount, order.currency, locale);
  const simulatorLink = (label: string) => html`<a id="simulator" href="/_sandbox/kpayment/qr-simulator?qr=${code.id}" target="_blank" rel="noopener">${label}</a>`;
  return layout(
    locale,
    scheme,
    html`${frameHeader(locale, query.name || scheme, scheme, amount)}
<div id="qr-box" style="text-align:center">
  <img id="qr-image" src="${image}" width="260" height="260" alt="${T.qrAlt(wechat ? 'WeChat Pay' : 'Thai QR', amount)}">
  <p style="margin:.25rem 0;overflow-wrap:anywhere">${T.qrId} <code id="qr-id">${code.id}</code></p>
  <p id="countdown" role="timer" aria-live="off"></p>
  <p><a id="save" href="${image}" download="${code.id}.png">${T.save}</a></p>
</div>
<p id="qr-status" role="status" class="note">${wechat ? T.scanWechat : T.scanThaiQr}</p>
<dl>
  <dt>${KPAYMENT_PAGE_TEXTS[locale].order}</dt><dd>${order.referenceOrder}</dd>
  ${query.refNumber ? html`<dt>${T.refNumber}</dt><dd>${query.refNumber}</dd>` : null}
</dl>
<p class="brand">${T.simulator(simulatorLink)}</p>
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
${WORDS_SCRIPT}
  function say(text, kind) {
    var el = $('qr-status');
    el.textContent = text;
    el.className = kind;
  }
  function hideCode() { $('qr-image').hidden = true; $('save').hidden = true; }
  function tick() {
    if (finished) return;
    $('countdown').textContent = words('expiresIn', { time: clock(left) });
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
      say(words('paid'), 'ok');
      post({ type: 'kpayment:qr-result', chargeId: next.charge_id, state: 'paid' });
    } else if (next.state === 'failed') {
      $('countdown').textContent = '';
      say(words('failed', { reason: next.failure_reason }), 'error');
      post({ type: 'kpayment:qr-result', chargeId: next.charge_id, state: 'failed' });
    } else if (next.state === 'expired' || next.state === 'cancelled') {
      hideCode();
      $('countdown').textContent = next.state === 'expired' ? words('expired') : '';
      say(words(next.state === 'expired' ? 'expiredStatus' : 'cancelledStatus'), 'error');
      ended(next.state);
    }
  }
  // Nothing is left to do here but close: the focus goes to Close, and the script replaces this window at its next show().
  function ended(state) {
    $('close').focus();
    post({ type: 'kpayment:qr-ended', state: state });
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
  // The window takes its content's height (kpayment.min.js sizes the frame), again whenever the content changes.
  function postSize() { post({ type: 'kpayment:size', height: document.body.getBoundingClientRect().height }); }
  if (window.ResizeObserver) new ResizeObserver(postSize).observe(document.body);
  postSize();
  post({ type: 'kpayment:ready' });
  apply(status);
  pollTimer = setTimeout(poll, cfg.pollMs);
})();
`;
