import express, { type Request, type Router } from 'express';
import { type Currency, type Locale, formatAmount } from '@payment-checkout/core';
import { fillText } from '@payment-checkout/core/boot-texts';
import { type SafeHtml, html } from '../html.ts';
import { failureReason, pageLocale } from '../page-locale.ts';
import { merchantForKey } from './auth.ts';
import { CARD_FORM_TEXTS } from './card-form-texts.ts';
import { parseAmount, parseCurrency } from './cards.ts';
import { KpaymentApiError } from './errors.ts';
import { WORDS_SCRIPT, frameErrorPage, frameHeader, frameScript, queryText, sendFramePage } from './frame-page.ts';
import { kpaymentJs } from './kpayment-js.ts';
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
  /** The amount in minor units, which each instalment term divides. */
  minor: number;
  mid: string;
  dcc: boolean;
  savedCards: Array<{ id: string; label: string }>;
  customerId: string;
  /** Fields posted back whatever the card (decisions.md 4). */
  fixedFields: Record<string, string>;
  /** Installment terms to choose from; one fixed term when the shop gave `data-term`; none when paid in full. */
  terms: number[];
  fixedTerm: boolean;
  /** The cardholder pays the instalments' interest (ipan mode 02, or the undefined 04); 01 and 03 are interest-free to them. */
  interestByShopper: boolean;
  /** The script's sentences, in the page's language. */
  texts: (typeof CARD_FORM_TEXTS)[Locale]['script'];
}

/** The card brands the form takes, as the real form lists them (names, not words: the same in every language). */
const CARD_BRANDS = 'VISA · MasterCard · JCB';

function formConfig(locale: Locale, merchant: Merchant, query: FormQuery, charges: RouteContext['charges']): { config: FormConfig; notes: string[] } {
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
  let ipanMode = '';
  const planGiven = [query.planId, query.ipanMode, query.productType, query.supplierNo, query.modelNo].some(Boolean);
  if (query.smartpayId && planGiven) throw new KpaymentApiError('invalid_parameter', 'use data-smartpay-id or the installment plan attributes, not both');
  if (query.smartpayId) {
    const setting = settings.smartpayIds.find((s) => s.smartpayId === query.smartpayId);
    if (!setting) throw new KpaymentApiError('smartpay_invalid', `smartpay information cannot found in system: ${query.smartpayId}`);
    terms = [...setting.terms];
    ipanMode = setting.ipanMode;
    fixedFields.smartpayId = query.smartpayId;
  } else if (planGiven) {
    const setting = settings.installmentPlans.find((p) => p.planId === query.planId);
    if (!setting) throw new KpaymentApiError('smartpay_invalid', `smartpay information cannot found in system: plan ${query.planId}`);
    terms = [...setting.terms];
    ipanMode = setting.ipanMode;
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
      notes.push(CARD_FORM_TEXTS[locale].page.savedCardsUnavailable(failureReason(locale, error.code, error.message)));
    }
  }

  return {
    notes,
    config: {
      apikey: query.apikey,
      parent,
      amount: query.amount,
      currency,
      amountLabel: formatAmount(minor, currency, locale),
      minor,
      mid: query.mid,
      dcc: query.mid === settings.dccMid,
      savedCards,
      customerId: query.customerId,
      fixedFields,
      terms,
      fixedTerm,
      interestByShopper: ipanMode !== '01' && ipanMode !== '03',
      texts: CARD_FORM_TEXTS[locale].script,
    },
  };
}

/** `kpayment.min.js` and the card form it opens in an iframe (§2, §4.1 steps 4–9). */
export function cardFormRouter({ store, charges }: RouteContext): Router {
  const router = express.Router();

  router.get('/ui/v2/kpayment.min.js', (req, res) => {
    res.set({ 'content-type': 'application/javascript; charset=utf-8', 'cache-control': 'no-cache', 'access-control-allow-origin': '*', vary: 'Accept-Language' });
    res.send(kpaymentJs(pageLocale(req)));
  });

  router.get('/ui/v2/card-form', (req, res) => {
    const locale = pageLocale(req);
    const T = CARD_FORM_TEXTS[locale].page;
    const query = readQuery(req);
    const scriptNonce = nonce();
    let built: ReturnType<typeof formConfig>;
    try {
      const merchant = merchantForKey(store, query.apikey, ['public']);
      built = formConfig(locale, merchant, query, charges);
    } catch (error) {
      if (!(error instanceof KpaymentApiError)) throw error;
      return sendFramePage(res, error.status, frameErrorPage(locale, T.title, T.unavailable, error, scriptNonce, query.parent), scriptNonce);
    }
    sendFramePage(res, 200, cardFormPage(locale, built.config, query.name, built.notes, scriptNonce), scriptNonce);
  });

  return router;
}

/** Each month's share of the amount, rounded to the currency's minor unit (the term itself is what the form posts). */
export function monthlyAmount(minor: number, currency: Currency, months: number, locale: Locale): string {
  return formatAmount(Math.round(minor / months), currency, locale);
}

function termChoice(locale: Locale, config: FormConfig): SafeHtml | null {
  if (!config.terms.length) return null;
  const T = CARD_FORM_TEXTS[locale].page;
  const currency = config.currency as Currency;
  const options = config.terms.map((t) => html`<option value="${t}">${T.termOption(t, monthlyAmount(config.minor, currency, t, locale))}</option>`);
  return html`<label for="term">${T.term}</label>
<select id="term" name="term" aria-describedby="term-note"${config.fixedTerm ? html` disabled` : null}>${options}</select>
<p class="brand" id="term-note">${config.interestByShopper ? T.interestByShopper : T.interestFree}</p>`;
}

function cardFormPage(locale: Locale, config: FormConfig, shopName: string, notes: string[], scriptNonce: string): SafeHtml {
  const T = CARD_FORM_TEXTS[locale].page;
  const pay = fillText(config.texts.pay, { amount: config.amountLabel });
  const saved = config.savedCards.length
    ? html`<fieldset id="saved-cards"><legend>${T.savedCards}</legend>
${config.savedCards.map((c, i) => html`<label><input type="radio" name="card-choice" value="${c.id}"${i === 0 ? html` checked` : null}> ${c.label}</label>`)}
<label><input type="radio" name="card-choice" value="new"> ${T.anotherCard}</label></fieldset>`
    : null;
  return layout(
    locale,
    T.title,
    html`${frameHeader(locale, shopName || T.title, CARD_BRANDS, config.amountLabel)}
${notes.map((n) => html`<p class="note">${n}</p>`)}
<form id="card-form" novalidate>
${saved}
<div id="new-card"${config.savedCards.length ? html` hidden` : null}>
  <label for="name">${T.name}</label>
  <input id="name" type="text" autocomplete="cc-name" maxlength="100" aria-describedby="name-error">
  <p class="field-error" id="name-error"></p>
  <label for="number">${T.number} <span class="brand" id="brand"></span></label>
  <input id="number" type="tel" inputmode="numeric" autocomplete="cc-number" maxlength="23" aria-describedby="number-error">
  <p class="field-error" id="number-error"></p>
  <div class="row">
    <div><label for="expiry">${T.expiry}</label><input id="expiry" type="tel" autocomplete="cc-exp" maxlength="7" placeholder="MM/YY" aria-describedby="expiry-error"><p class="field-error" id="expiry-error"></p></div>
    <div><label for="cvv">${T.cvv}</label><input id="cvv" type="password" inputmode="numeric" autocomplete="cc-csc" maxlength="4" aria-describedby="cvv-error"><p class="field-error" id="cvv-error"></p></div>
  </div>
  <label><input type="checkbox" id="remember"> ${T.remember}</label>
</div>
${termChoice(locale, config)}
<div id="dcc" hidden>
  <p class="note" id="dcc-text"></p>
  <label><input type="checkbox" id="dcc-accept"> ${T.dccAccept}</label>
  <div class="row"><div><button class="secondary" type="button" id="pay-thb">${pay}</button></div><div><button class="primary" style="margin-top:0" type="button" id="pay-dcc">${T.payConverted}</button></div></div>
</div>
<p class="error" role="alert" id="form-error" hidden></p>
<button class="primary" type="submit" id="pay">${pay}</button>
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
${WORDS_SCRIPT}

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
    if (input && text) input.setAttribute('aria-invalid', 'true');
    else if (input) input.removeAttribute('aria-invalid');
    return !text;
  }
  var FIELDS = ['name', 'number', 'expiry', 'cvv'];
  // The first field to correct takes the focus: a screen reader reads its error with it (aria-describedby).
  function focusFirstError() {
    for (var i = 0; i < FIELDS.length; i++) if ($(FIELDS[i]).getAttribute('aria-invalid') === 'true') return $(FIELDS[i]).focus();
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
    ok = setError('name', $('name').value.trim() ? '' : words('nameMissing')) && ok;
    var n = digits($('number').value);
    if (!n) ok = setError('number', words('numberMissing')) && ok;
    else if (!luhn(n)) ok = setError('number', words('numberInvalid')) && ok;
    else if (!brand(n)) ok = setError('number', words('brandUnsupported')) && ok;
    else setError('number', '');
    var exp = parseExpiry($('expiry').value);
    var now = new Date();
    if (!exp) ok = setError('expiry', words('expiryInvalid')) && ok;
    else if (exp.year < now.getFullYear() || (exp.year === now.getFullYear() && exp.month < now.getMonth() + 1)) ok = setError('expiry', words('expired')) && ok;
    else setError('expiry', '');
    ok = setError('cvv', /^\d{3}$/.test($('cvv').value.trim()) ? '' : words('cvvInvalid')) && ok;
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
      $('dcc-text').textContent = words('dccOffer', { currency: offer.currency, currencyName: offer.currency_name, rate: offer.rate, converted: offer.converted_label, amount: cfg.amountLabel });
      $('pay-dcc').textContent = words('pay', { amount: offer.converted_label });
      // Each offer is the shopper's to accept: never ticked for them.
      $('dcc-accept').checked = false;
    }
  }

  function pay(dccCurrency) {
    if (busy) return;
    formError('');
    var saved = usingSaved();
    var body;
    if (saved) body = { customer_id: cfg.customerId, card_id: saved };
    else {
      if (!checkCard()) { focusFirstError(); return; }
      var exp = parseExpiry($('expiry').value);
      body = { number: digits($('number').value), expiry_month: exp.month, expiry_year: exp.year, cvv: $('cvv').value.trim(), name: $('name').value.trim(), savecard: $('remember').checked };
    }
    if (dccCurrency && dccCurrency !== 'THB' && !$('dcc-accept').checked) { formError(words('dccAcceptFirst', { currency: dccCurrency, amount: cfg.amountLabel })); $('dcc-accept').focus(); return; }
    busy = true;
    Array.prototype.forEach.call(document.querySelectorAll('button'), function (b) { b.disabled = true; });
    api('/ui/v2/token', body).then(function (r) {
      // The gateway's words are for the developer's console; the shopper reads the form's sentence.
      if (r.status !== 200) throw new Error('KPayment token: ' + (r.body && r.body.message));
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
      if (window.console) window.console.error(e);
      formError(words('cardFailed'));
    });
  }

  $('number').addEventListener('input', updateBrand);
  // A field being corrected drops its error; the next submit checks it again.
  FIELDS.forEach(function (id) { $(id).addEventListener('input', function () { setError(id, ''); }); });
  $('number').addEventListener('blur', function () { var n = digits($('number').value); if (n && !luhn(n)) setError('number', words('numberInvalid')); });
  $('card-form').addEventListener('submit', function (e) { e.preventDefault(); pay(cfg.dcc ? 'THB' : null); });
  $('pay-thb').addEventListener('click', function () { pay('THB'); });
  $('pay-dcc').addEventListener('click', function () { if (dccOffer) pay(dccOffer.currency); });
  $('close').addEventListener('click', function () { post({ type: 'kpayment:close' }); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') post({ type: 'kpayment:close' }); });
  Array.prototype.forEach.call(document.querySelectorAll('input[name="card-choice"]'), function (radio) {
    radio.addEventListener('change', function () { $('new-card').hidden = !!usingSaved(); if (usingSaved()) showDcc(null); else updateBrand(); });
  });
  // A dialog takes the focus as it opens (kpayment.min.js focused this frame): the shopper types straight into it.
  (document.querySelector('input[name="card-choice"]:checked') || $('name')).focus();
  // The window takes its content's height (kpayment.min.js sizes the frame), again whenever the content changes.
  function postSize() { post({ type: 'kpayment:size', height: document.body.getBoundingClientRect().height }); }
  if (window.ResizeObserver) new ResizeObserver(postSize).observe(document.body);
  postSize();
  post({ type: 'kpayment:ready' });
})();
`;
