import express, { type Request, type Router } from 'express';
import { formatMoney } from '@payment-checkout/core';
import { type SafeHtml, html } from '../html.ts';
import { merchantForKey } from './auth.ts';
import { parseAmount, parseCurrency } from './cards.ts';
import { KpaymentApiError } from './errors.ts';
import { frameErrorPage, frameHeader, frameScript, queryText, sendFramePage } from './frame-page.ts';
import { KPAYMENT_JS } from './kpayment-js.ts';
import { layout, nonce } from './page.ts';
import type { RouteContext } from './routes.ts';
import type { Merchant } from './state.ts';

/** What the script passes to the card form (its data-* attributes, by attribute name, plus the shop's origin). */
interface FormQuery {
  apikey: string;
  amount: string;
  currency: string;
  mid: string;
  name: string;
  customerId: string;
  smartpayId: string;
  term: string;
  planId: string;
  ipanMode: string;
  productType: string;
  supplierNo: string;
  modelNo: string;
  parent: string;
}

function readQuery(req: Request): FormQuery {
  const q = (name: string) => queryText(req, name);
  return {
    apikey: q('apikey'),
    amount: q('amount'),
    currency: q('currency').toUpperCase() || 'THB',
    mid: q('mid'),
    name: q('name'),
    customerId: q('customer-id'),
    smartpayId: q('smartpay-id'),
    term: q('term'),
    planId: q('plan-id'),
    ipanMode: q('ipan-mode'),
    productType: q('product-type'),
    supplierNo: q('supplier-no'),
    modelNo: q('model-no'),
    parent: q('parent'),
  };
}

/** What the form's script needs, decided on the server from the merchant's settings. */
interface FormConfig {
  apikey: string;
  parent: string;
  amount: string;
  currency: string;
  amountLabel: string;
  mid: string;
  dcc: boolean;
  savedCards: Array<{ id: string; label: string }>;
  customerId: string;
  /** Fields posted back whatever the card (decisions.md 4). */
  fixedFields: Record<string, string>;
  /** Installment terms to choose from; one fixed term when the shop gave `data-term`; none when paid in full. */
  terms: number[];
  fixedTerm: boolean;
}

function formConfig(merchant: Merchant, query: FormQuery, charges: RouteContext['charges']): { config: FormConfig; notes: string[] } {
  const notes: string[] = [];
  const currency = parseCurrency(query.currency);
  const minor = parseAmount(query.amount, currency, 'data-amount');
  const { settings } = merchant;
  if (!query.mid) throw new KpaymentApiError('mandatory_is_empty', 'data-mid is required');
  if (query.mid !== settings.mid && query.mid !== settings.dccMid) throw new KpaymentApiError('mid_and_tid_not_exist', `MID ${query.mid} does not exist for this merchant`);
  let parent: string;
  try {
    parent = new URL(query.parent).origin;
  } catch {
    throw new KpaymentApiError('invalid_parameter', 'the card form needs the shop page origin');
  }

  const fixedFields: Record<string, string> = { paymentMethods: 'card', mid: query.mid };
  let terms: number[] = [];
  const planGiven = [query.planId, query.ipanMode, query.productType, query.supplierNo, query.modelNo].some(Boolean);
  if (query.smartpayId && planGiven) throw new KpaymentApiError('invalid_parameter', 'use data-smartpay-id or the installment plan attributes, not both');
  if (query.smartpayId) {
    const setting = settings.smartpayIds.find((s) => s.smartpayId === query.smartpayId);
    if (!setting) throw new KpaymentApiError('smartpay_invalid', `smartpay information cannot found in system: ${query.smartpayId}`);
    terms = [...setting.terms];
    fixedFields.smartpayId = query.smartpayId;
  } else if (planGiven) {
    const setting = settings.installmentPlans.find((p) => p.planId === query.planId);
    if (!setting) throw new KpaymentApiError('smartpay_invalid', `smartpay information cannot found in system: plan ${query.planId}`);
    terms = [...setting.terms];
    Object.assign(fixedFields, { planid: query.planId, ipanmode: query.ipanMode, producttype: query.productType, supplierno: query.supplierNo, modelno: query.modelNo });
  }
  let fixedTerm = false;
  if (terms.length > 0 && query.term) {
    const term = Number(query.term);
    if (!terms.includes(term)) throw new KpaymentApiError('smartpay_invalid', `term ${query.term} is not offered`);
    terms = [term];
    fixedTerm = true;
  }

  let savedCards: FormConfig['savedCards'] = [];
  if (query.customerId) {
    try {
      const customer = charges.customerOf(merchant, query.customerId);
      savedCards = customer.cards.map((c) => ({ id: c.id, label: `${c.brand.toUpperCase()} ${c.masking}` }));
    } catch (error) {
      if (!(error instanceof KpaymentApiError)) throw error;
      notes.push(`Saved cards are not available: ${error.message}.`);
    }
  }

  return {
    notes,
    config: {
      apikey: query.apikey,
      parent,
      amount: query.amount,
      currency,
      amountLabel: formatMoney(minor, currency, 'en', { symbol: true }),
      mid: query.mid,
      dcc: query.mid === settings.dccMid,
      savedCards,
      customerId: query.customerId,
      fixedFields,
      terms,
      fixedTerm,
    },
  };
}

/** `kpayment.min.js` and the card form it opens in an iframe (§2, §4.1 steps 4–9). */
export function cardFormRouter({ store, charges }: RouteContext): Router {
  const router = express.Router();

  router.get('/ui/v2/kpayment.min.js', (_req, res) => {
    res.set({ 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-cache', 'access-control-allow-origin': '*' });
    res.send(KPAYMENT_JS);
  });

  router.get('/ui/v2/card-form', (req, res) => {
    const query = readQuery(req);
    const scriptNonce = nonce();
    let built: ReturnType<typeof formConfig>;
    try {
      const merchant = merchantForKey(store, query.apikey, ['public']);
      built = formConfig(merchant, query, charges);
    } catch (error) {
      if (!(error instanceof KpaymentApiError)) throw error;
      return sendFramePage(res, error.status, frameErrorPage('Card payment', 'Card payment unavailable', error, scriptNonce, query.parent), scriptNonce);
    }
    sendFramePage(res, 200, cardFormPage(built.config, query.name, built.notes, scriptNonce), scriptNonce);
  });

  return router;
}

function cardFormPage(config: FormConfig, shopName: string, notes: string[], scriptNonce: string): SafeHtml {
  const saved = config.savedCards.length
    ? html`<fieldset id="saved-cards"><legend>Saved cards</legend>
${config.savedCards.map((c, i) => html`<label><input type="radio" name="card-choice" value="${c.id}"${i === 0 ? html` checked` : null}> ${c.label}</label>`)}
<label><input type="radio" name="card-choice" value="new"> Use another card</label></fieldset>`
    : null;
  const terms = config.terms.length
    ? html`<label for="term">Installment term (months)</label>
<select id="term" name="term"${config.fixedTerm ? html` disabled` : null}>${config.terms.map((t) => html`<option value="${t}">${t} months</option>`)}</select>`
    : null;
  return layout(
    'Card payment',
    html`${frameHeader(shopName || 'Card payment', 'VISA · MasterCard · JCB', config.amountLabel)}
${notes.map((n) => html`<p class="note">${n}</p>`)}
<form id="card-form" novalidate>
${saved}
<div id="new-card"${config.savedCards.length ? html` hidden` : null}>
  <label for="name">Name on Card</label>
  <input id="name" type="text" autocomplete="cc-name" maxlength="100">
  <p class="field-error" id="name-error"></p>
  <label for="number">Card Number <span class="brand" id="brand"></span></label>
  <input id="number" type="tel" inputmode="numeric" autocomplete="cc-number" maxlength="23">
  <p class="field-error" id="number-error"></p>
  <div class="row">
    <div><label for="expiry">Expiry Date (MM/YY)</label><input id="expiry" type="tel" autocomplete="cc-exp" maxlength="7" placeholder="MM/YY"><p class="field-error" id="expiry-error"></p></div>
    <div><label for="cvv">Security Code</label><input id="cvv" type="password" inputmode="numeric" autocomplete="cc-csc" maxlength="4"><p class="field-error" id="cvv-error"></p></div>
  </div>
  <label><input type="checkbox" id="remember"> Remember card</label>
</div>
${terms}
<div id="dcc" hidden>
  <p class="note" id="dcc-text"></p>
  <label><input type="checkbox" id="dcc-accept" checked> I accept the payment currency and exchange rate as stated above. Cardholder selected transaction currency is final.</label>
  <div class="row"><div><button class="secondary" type="button" id="pay-thb">Pay ${config.amountLabel}</button></div><div><button class="primary" style="margin-top:0" type="button" id="pay-dcc">Pay</button></div></div>
</div>
<p class="error" role="alert" id="form-error" hidden></p>
<button class="primary" type="submit" id="pay">Pay ${config.amountLabel}</button>
</form>
${frameScript(config, CARD_FORM_SCRIPT, scriptNonce)}`,
  );
}

/** The card form's own script: checks, tokenises on the sandbox, and hands the token to the shop page. */
const CARD_FORM_SCRIPT = String.raw`
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('config').textContent);
  var $ = function (id) { return document.getElementById(id); };
  var dccOffer = null;
  var busy = false;

  function digits(v) { return String(v || '').replace(/\D/g, ''); }
  function luhn(n) {
    var sum = 0;
    for (var i = 0; i < n.length; i++) {
      var d = Number(n.charAt(n.length - 1 - i));
      if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
      sum += d;
    }
    return n.length >= 12 && sum % 10 === 0;
  }
  function brand(n) {
    if (/^4/.test(n)) return 'VISA';
    var two = Number(n.slice(0, 2)), four = Number(n.slice(0, 4));
    if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'MASTERCARD';
    if (four >= 3528 && four <= 3589) return 'JCB';
    return null;
  }
  function post(message) { window.parent.postMessage(message, cfg.parent); }
  function setError(id, text) {
    var el = $(id + '-error');
    if (el) el.textContent = text || '';
    var input = $(id);
    if (input) input.setAttribute('aria-invalid', text ? 'true' : 'false');
    return !text;
  }
  function formError(text) { var el = $('form-error'); el.textContent = text || ''; el.hidden = !text; }
  function usingSaved() {
    var chosen = document.querySelector('input[name="card-choice"]:checked');
    return chosen && chosen.value !== 'new' ? chosen.value : null;
  }
  function parseExpiry(v) {
    var m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(v);
    if (!m) return null;
    var month = Number(m[1]), year = Number(m[2]);
    if (year < 100) year += 2000;
    if (month < 1 || month > 12) return null;
    return { month: month, year: year };
  }
  function checkCard() {
    var ok = true;
    ok = setError('name', $('name').value.trim() ? '' : 'Enter the name on the card') && ok;
    var n = digits($('number').value);
    if (!n) ok = setError('number', 'Enter the card number') && ok;
    else if (!luhn(n)) ok = setError('number', 'The card number is invalid') && ok;
    else if (!brand(n)) ok = setError('number', 'Only Visa, MasterCard and JCB are accepted') && ok;
    else setError('number', '');
    var exp = parseExpiry($('expiry').value);
    var now = new Date();
    if (!exp) ok = setError('expiry', 'Enter the expiry date as MM/YY') && ok;
    else if (exp.year < now.getFullYear() || (exp.year === now.getFullYear() && exp.month < now.getMonth() + 1)) ok = setError('expiry', 'The card has expired') && ok;
    else setError('expiry', '');
    ok = setError('cvv', /^\d{3}$/.test($('cvv').value.trim()) ? '' : 'Enter the 3-digit security code') && ok;
    return ok;
  }
  function api(path, body) {
    return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': cfg.apikey }, body: JSON.stringify(body) })
      .then(function (r) { return r.json().then(function (j) { return { status: r.status, body: j }; }); });
  }

  function updateBrand() {
    var n = digits($('number').value);
    $('brand').textContent = brand(n) || '';
    if (cfg.dcc) refreshDcc(n);
  }
  var dccAsked = '';
  function refreshDcc(n) {
    if (!(luhn(n) && brand(n))) { showDcc(null); dccAsked = ''; return; }
    if (n === dccAsked) return;
    dccAsked = n;
    api('/ui/v2/dcc-offer', { number: n, mid: cfg.mid, amount: cfg.amount, currency: cfg.currency }).then(function (r) {
      if (dccAsked === n) showDcc(r.status === 200 && r.body.eligible ? r.body : null);
    });
  }
  function showDcc(offer) {
    dccOffer = offer;
    $('dcc').hidden = !offer;
    $('pay').hidden = !!offer;
    if (offer) {
      $('dcc-text').textContent = 'Your credit card currency: ' + offer.currency + ' (' + offer.currency_name + '). Exchange rate: ' +
        offer.rate + ' Baht/' + offer.currency + '. You pay ' + offer.converted_label + ' or ' + cfg.amountLabel + '.';
      $('pay-dcc').textContent = 'Pay ' + offer.converted_label;
    }
  }

  function pay(dccCurrency) {
    if (busy) return;
    formError('');
    var saved = usingSaved();
    var body;
    if (saved) body = { customer_id: cfg.customerId, card_id: saved };
    else {
      if (!checkCard()) return;
      var exp = parseExpiry($('expiry').value);
      body = { number: digits($('number').value), expiry_month: exp.month, expiry_year: exp.year, cvv: $('cvv').value.trim(), name: $('name').value.trim(), savecard: $('remember').checked };
    }
    if (dccCurrency && dccCurrency !== 'THB' && !$('dcc-accept').checked) { formError('Accept the currency and exchange rate to pay in ' + dccCurrency); return; }
    busy = true;
    Array.prototype.forEach.call(document.querySelectorAll('button'), function (b) { b.disabled = true; });
    api('/ui/v2/token', body).then(function (r) {
      if (r.status !== 200) throw new Error(r.body && r.body.message ? r.body.message : 'The card could not be processed');
      var fields = {};
      for (var k in cfg.fixedFields) fields[k] = cfg.fixedFields[k];
      fields.token = r.body.id;
      if (cfg.dcc) fields.dcc_currency = dccCurrency || 'THB';
      if (!saved && $('remember').checked) fields.savecard = 'true';
      if (cfg.terms.length) fields.term = $('term').value;
      post({ type: 'kpayment:token', fields: fields });
    }).catch(function (e) {
      busy = false;
      Array.prototype.forEach.call(document.querySelectorAll('button'), function (b) { b.disabled = false; });
      formError(e.message);
    });
  }

  $('number').addEventListener('input', updateBrand);
  $('number').addEventListener('blur', function () { var n = digits($('number').value); if (n && !luhn(n)) setError('number', 'The card number is invalid'); });
  $('card-form').addEventListener('submit', function (e) { e.preventDefault(); pay(cfg.dcc ? 'THB' : null); });
  $('pay-thb').addEventListener('click', function () { pay('THB'); });
  $('pay-dcc').addEventListener('click', function () { if (dccOffer) pay(dccOffer.currency); });
  $('close').addEventListener('click', function () { post({ type: 'kpayment:close' }); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') post({ type: 'kpayment:close' }); });
  Array.prototype.forEach.call(document.querySelectorAll('input[name="card-choice"]'), function (radio) {
    radio.addEventListener('change', function () { $('new-card').hidden = !!usingSaved(); if (usingSaved()) showDcc(null); else updateBrand(); });
  });
  post({ type: 'kpayment:ready' });
})();
`;
