import { Locale } from '@payment-checkout/core';
import { KPAYMENT_JS_TEXTS } from './kpayment-js-texts.ts';
import { KBANK_GREEN } from './page.ts';

/**
 * The sandbox's `kpayment.min.js` (served at `/ui/v2/kpayment.min.js`, the real script's path): placed
 * inside the shop's `<form>`, it reads the data-* attributes of §4.1.1.1 and §4.1.2.1, draws its own
 * "Pay Now" button unless `data-show-button="false"`, and `KPayment.show()` opens, in an iframe served by
 * the sandbox, the card form (`data-payment-methods="card"`) or the QR popup of `data-order-id` (`"qr"`,
 * `"wechat"`). When the card form returns a token, the script adds the post-back fields (§2.4,
 * decisions.md 4) to the shop's form as hidden inputs and submits it; when the QR is paid (or its payment
 * fails), it posts `chargeId`. `KPayment.onClose(fn)` runs `fn`
 * when the shopper closes the form without paying. The window is modal: the rest of the page is inert while it is
 * open (until the page takes the script's form away), and the focus goes back to what opened it when it closes; a QR
 * window whose QR ended (expired, cancelled), or one opened on other attributes, gives way to the current form or QR
 * at the next `show()`. For scripts injected after page load,
 * `KPayment.create()` re-reads the attributes and the setters (`setAmount`, `setApiKey`, …) change one.
 * Invalid keys or amounts disable it, as the real script does. Plain ES5, served as text, never bundled; what it
 * writes on the shop's page is in the language it was served in (`kpaymentJs(locale)`: the request's Accept-Language).
 */
function kpaymentScript(texts: (typeof KPAYMENT_JS_TEXTS)[Locale]): string {
  return String.raw`/* K-Payment Gateway sandbox kpayment.min.js (payment-checkout). Test mode only. */
(function (window, document) {
  'use strict';
  var TEXTS = ${JSON.stringify(texts)};
  var script = document.currentScript;
  var match = script && script.src ? /^(https?:\/\/[^\/?#]+)/i.exec(script.src) : null;
  var sandboxOrigin = match ? match[1] : window.location.protocol + '//' + window.location.host;
  var ATTRIBUTES = ['apikey', 'amount', 'currency', 'payment-methods', 'mid', 'name', 'customer-id', 'campaign-id', 'smartpay-id',
    'term', 'plan-id', 'ipan-mode', 'product-type', 'supplier-no', 'model-no', 'show-button', 'order-id', 'ref-number'];
  // What each popup is told: the card form's attributes, or the QR popup's (§4.1.2.1).
  var CARD_QUERY = ['apikey', 'amount', 'currency', 'mid', 'name', 'customer-id', 'campaign-id', 'smartpay-id', 'term', 'plan-id',
    'ipan-mode', 'product-type', 'supplier-no', 'model-no'];
  var QR_QUERY = ['apikey', 'amount', 'payment-methods', 'order-id', 'name', 'mid', 'ref-number'];
  var PLAN = ['plan-id', 'ipan-mode', 'product-type', 'supplier-no', 'model-no'];
  var config = {};
  var problems = [];
  var button = null;
  var overlay = null;
  var frame = null;
  var closeHandlers = [];
  // The open window: the URL it was opened on, whether its QR ended (expired, cancelled), and what had the focus.
  var shownUrl = '';
  var ended = false;
  var opener = null;
  // The page behind the open window: the children of <body> this script made inert (not those the shop did).
  var inerted = [];
  var pageWatch = null;

  function readAttributes() {
    config = {};
    if (!script) return;
    for (var i = 0; i < ATTRIBUTES.length; i++) {
      var value = script.getAttribute('data-' + ATTRIBUTES[i]);
      if (value !== null) config[ATTRIBUTES[i]] = String(value).trim();
    }
    // The guide's SmartpayID sample writes data-smartpayid (L676).
    if (config['smartpay-id'] === undefined && script.getAttribute('data-smartpayid') !== null) config['smartpay-id'] = script.getAttribute('data-smartpayid').trim();
  }

  function parentForm() {
    var node = script ? script.parentNode : null;
    while (node && node.nodeName !== 'FORM') node = node.parentNode;
    return node;
  }

  function isQr() {
    var method = config['payment-methods'] || '';
    return method === 'qr' || method === 'wechat';
  }

  function validate() {
    var found = [];
    if (!/^pkey_(test|prod)_[0-9A-Za-z]+$/.test(config.apikey || '')) found.push('data-apikey must be a public key (pkey_…)');
    if (!/^\d{1,8}(\.\d{1,2})?$/.test(config.amount || '') || Number(config.amount) <= 0) found.push('data-amount must be a positive amount with at most 2 decimals');
    if (config.currency !== undefined && !/^[A-Z]{3}$/.test(config.currency)) found.push('data-currency must be a 3-letter currency code');
    var method = config['payment-methods'] || '';
    if (method !== 'card' && method !== 'qr' && method !== 'wechat') found.push('data-payment-methods must be "card", "qr" or "wechat"');
    if (isQr()) {
      // QR and WeChat Pay: the order of Create Order; data-mid is optional (L1013).
      if (!/^[0-9A-Za-z_]{1,100}$/.test(config['order-id'] || '')) found.push('data-order-id must be the order id of Create Order (order_…)');
      if (config.mid && !/^\d{1,20}$/.test(config.mid)) found.push('data-mid must be your merchant id');
      if (!parentForm()) found.push('the script must be placed inside a <form>');
      return found;
    }
    if (!/^\d{1,20}$/.test(config.mid || '')) found.push('data-mid must be your merchant id');
    var planGiven = 0;
    for (var i = 0; i < PLAN.length; i++) if (config[PLAN[i]]) planGiven++;
    if (planGiven > 0 && planGiven < PLAN.length) found.push('an installment plan needs data-plan-id, data-ipan-mode, data-product-type, data-supplier-no and data-model-no');
    if (planGiven > 0 && config['smartpay-id']) found.push('send either data-smartpay-id or the installment plan attributes, not both');
    if (config.term !== undefined && config.term !== '' && !/^\d{1,2}$/.test(config.term)) found.push('data-term must be a number of months');
    if (!parentForm()) found.push('the script must be placed inside a <form>');
    return found;
  }

  function render() {
    problems = validate();
    if (problems.length && window.console) window.console.error('KPayment: ' + problems.join('; '));
    var wanted = config['show-button'] !== 'false';
    if (!wanted) {
      if (button && button.parentNode) button.parentNode.removeChild(button);
      button = null;
      return;
    }
    if (!button) {
      button = document.createElement('button');
      button.type = 'button';
      button.className = 'kpayment-button';
      button.textContent = TEXTS.payNow;
      button.style.cssText = 'font:inherit;padding:.6rem 1.4rem;border-radius:8px;border:0;background:${KBANK_GREEN};color:#fff;cursor:pointer';
      button.addEventListener('click', function () { show(); });
      if (script && script.parentNode) script.parentNode.insertBefore(button, script.nextSibling);
    }
    button.disabled = problems.length > 0;
    button.title = problems.join('; ');
  }

  function formUrl() {
    var names = isQr() ? QR_QUERY : CARD_QUERY;
    var query = [];
    for (var i = 0; i < names.length; i++) {
      if (config[names[i]] !== undefined) query.push(encodeURIComponent(names[i]) + '=' + encodeURIComponent(config[names[i]]));
    }
    query.push('parent=' + encodeURIComponent(window.location.protocol + '//' + window.location.host));
    return sandboxOrigin + (isQr() ? '/ui/v2/qr-popup?' : '/ui/v2/card-form?') + query.join('&');
  }

  function show() {
    if (problems.length) {
      if (window.console) window.console.error('KPayment: cannot open the payment form: ' + problems.join('; '));
      return false;
    }
    var url = formUrl();
    // A second click keeps the window; a window of other attributes, or whose QR ended, gives way to the current one.
    if (overlay && !ended && shownUrl === url) return true;
    var focused = overlay ? opener : focusedElement();
    if (overlay) removeWindow();
    overlay = document.createElement('div');
    overlay.className = 'kpayment-overlay';
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-modal', 'true');
    overlay.setAttribute('aria-label', isQr() ? TEXTS.qrDialog : TEXTS.cardDialog);
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483000;background:rgba(0,0,0,.55);display:flex;align-items:center;justify-content:center';
    frame = document.createElement('iframe');
    frame.className = 'kpayment-frame';
    frame.title = isQr() ? TEXTS.qrFrame : TEXTS.cardFrame;
    frame.src = shownUrl = url;
    frame.style.cssText = 'width:min(440px,100vw);height:min(720px,100vh);border:0;border-radius:12px;background:#fff';
    overlay.appendChild(frame);
    document.body.appendChild(overlay);
    ended = false;
    opener = focused;
    inertPage();
    frame.focus();
    return true;
  }

  // What has the focus, inside a shadow root too (a checkout element's own button).
  function focusedElement() {
    var el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    return el;
  }

  // aria-modal alone keeps neither Tab nor a screen reader's cursor in the window: the page behind is made inert.
  function inertChild(child) {
    if (child === overlay || child.nodeType !== 1 || child.hasAttribute('inert')) return;
    child.setAttribute('inert', '');
    inerted.push(child);
  }
  function inertPage() {
    for (var i = 0; i < document.body.children.length; i++) inertChild(document.body.children[i]);
    if (!window.MutationObserver) return;
    pageWatch = new MutationObserver(function (records) {
      // What the page adds behind the window while it is open (a banner, a toast) is behind it too.
      for (var r = 0; r < records.length; r++) {
        if (records[r].target !== document.body) continue;
        for (var n = 0; n < records[r].addedNodes.length; n++) inertChild(records[r].addedNodes[n]);
      }
      // The page took this script's form away (it shows its own result, or opens another form): nothing from the
      // window can reach the page now, so the page is its own again, and the next show() replaces the window.
      if (script && !document.documentElement.contains(script)) {
        releasePage();
        ended = true;
      }
    });
    pageWatch.observe(document.documentElement, { childList: true, subtree: true });
  }

  function releasePage() {
    if (pageWatch) pageWatch.disconnect();
    pageWatch = null;
    for (var i = 0; i < inerted.length; i++) inerted[i].removeAttribute('inert');
    inerted = [];
  }

  function removeWindow() {
    releasePage();
    if (overlay && overlay.parentNode) overlay.parentNode.removeChild(overlay);
    overlay = null;
    frame = null;
    shownUrl = '';
  }

  function hide() {
    var focused = opener;
    opener = null;
    removeWindow();
    // As a dialog does: the focus goes back to what opened the window, unless the page has put it elsewhere already.
    var active = document.activeElement;
    if (focused && focused !== document.body && focused.isConnected && (!active || active === document.body) && typeof focused.focus === 'function') focused.focus();
  }

  function submitWith(fields) {
    var form = parentForm();
    if (!form) return;
    var old = form.querySelectorAll('input[data-kpayment-field]');
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
    for (var name in fields) {
      if (!Object.prototype.hasOwnProperty.call(fields, name)) continue;
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = String(fields[name]);
      input.setAttribute('data-kpayment-field', '');
      form.appendChild(input);
    }
    // The prototype's submit: a shop input named "submit" cannot shadow it.
    HTMLFormElement.prototype.submit.call(form);
  }

  window.addEventListener('message', function (event) {
    if (!frame || event.origin !== sandboxOrigin || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type === 'kpayment:close') {
      hide();
      for (var i = 0; i < closeHandlers.length; i++) {
        try { closeHandlers[i](); } catch (e) { if (window.console) window.console.error(e); }
      }
    } else if (data.type === 'kpayment:token' && data.fields && typeof data.fields.token === 'string') {
      hide();
      submitWith(data.fields);
    } else if (data.type === 'kpayment:qr-ended') {
      // The QR expired or was cancelled: the window stays to say so until closed, but the next show() replaces it.
      ended = true;
    } else if (data.type === 'kpayment:size' && typeof data.height === 'number' && data.height > 0) {
      // The window fits its content (no inner scroll, no empty band), up to the screen's height.
      frame.style.height = 'min(' + Math.ceil(data.height) + 'px, 100vh)';
    } else if (data.type === 'kpayment:qr-result' && typeof data.chargeId === 'string' && /^chrg_/.test(data.chargeId)) {
      // §4.3 step 11: the Action URL receives chargeId; the shop's server checks it by QR inquiry.
      hide();
      submitWith({ chargeId: data.chargeId });
    }
  });

  function setter(name) {
    return function (value) {
      if (value === undefined || value === null) delete config[name];
      else config[name] = String(value).trim();
      if (script) {
        if (value === undefined || value === null) script.removeAttribute('data-' + name);
        else script.setAttribute('data-' + name, String(value));
      }
      render();
      return window.KPayment;
    };
  }

  window.KPayment = {
    /** Where the card form comes from (the sandbox this script was loaded from). */
    origin: sandboxOrigin,
    show: show,
    onClose: function (fn) { if (typeof fn === 'function') closeHandlers.push(fn); },
    /** Re-reads the data-* attributes and redraws (for a script injected or changed after page load). */
    create: function () { readAttributes(); render(); return problems.length === 0; },
    problems: function () { return problems.slice(); },
    setApiKey: setter('apikey'),
    setAmount: setter('amount'),
    setCurrency: setter('currency'),
    setPaymentMethods: setter('payment-methods'),
    setMid: setter('mid'),
    setName: setter('name'),
    setCustomerId: setter('customer-id'),
    setCampaignId: setter('campaign-id'),
    setSmartpayId: setter('smartpay-id'),
    setTerm: setter('term'),
    setPlanId: setter('plan-id'),
    setIpanMode: setter('ipan-mode'),
    setProductType: setter('product-type'),
    setSupplierNo: setter('supplier-no'),
    setModelNo: setter('model-no'),
    setShowButton: setter('show-button'),
    setOrderId: setter('order-id'),
    setRefNumber: setter('ref-number')
  };

  readAttributes();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', render);
  else render();
})(window, document);
`;
}

const SCRIPTS = new Map(Locale.options.map((locale) => [locale, kpaymentScript(KPAYMENT_JS_TEXTS[locale])]));

/** The script in `locale`, built once per language. */
export function kpaymentJs(locale: Locale): string {
  return SCRIPTS.get(locale)!;
}
