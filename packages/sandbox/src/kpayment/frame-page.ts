import type { Locale } from '@payment-checkout/core';
import type { Request, Response } from 'express';
import { SafeHtml, html } from '../html.ts';
import { failureReason } from '../page-locale.ts';
import type { KpaymentApiError } from './errors.ts';
import { layout, sendPage } from './page.ts';
import { KPAYMENT_PAGE_TEXTS } from './page-texts.ts';

/** What the card form and the QR popup share: the frames that kpayment.min.js opens over the shop's page. */

/** One of the script's data-* attributes as the frame's query has it: trimmed, `''` when absent. */
export function queryText(req: Request, name: string): string {
  const value = req.query[name];
  return typeof value === 'string' ? value.trim() : '';
}

/** JSON inside a `<script type="application/json">`: `<` escaped so that no `</script>` can end it. */
export function jsonBlock(value: unknown): SafeHtml {
  return new SafeHtml(JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029'));
}

/**
 * The one way the frames' scripts word a sentence, put inside each script after its `cfg`: `words(name, values)` is
 * `cfg.texts[name]`, in the page's language, with each `{key}` filled from `values`.
 */
export const WORDS_SCRIPT = String.raw`
  function words(name, values) {
    return cfg.texts[name].replace(/\{(\w+)\}/g, function (all, key) { return values && key in values ? values[key] : all; });
  }`;

/** The frame's settings (`#config`) and its own script, which the page's nonce allows. */
export function frameScript(config: unknown, script: string, scriptNonce: string): SafeHtml {
  return html`<script type="application/json" id="config">${jsonBlock(config)}</script>
<script nonce="${scriptNonce}">${new SafeHtml(script)}</script>`;
}

/** The top of a frame: its heading, what the payment is powered by, the Close button and the amount. */
export function frameHeader(locale: Locale, heading: string, poweredBy: string, amount: string): SafeHtml {
  const T = KPAYMENT_PAGE_TEXTS[locale];
  return html`<div class="row"><div><h1>${heading}</h1><p class="brand">${T.poweredBy(poweredBy)}</p></div>
<div style="flex:0"><button class="secondary" type="button" id="close" aria-label="${T.close}">×</button></div></div>
<p class="amount" id="amount">${amount}</p>`;
}

/** A frame that cannot open: the error (its code for the merchant), and a Close button that asks the shop page to close the frame. */
export function frameErrorPage(locale: Locale, title: string, heading: string, error: KpaymentApiError, scriptNonce: string, parent: string): SafeHtml {
  let origin = '';
  try {
    origin = new URL(parent).origin;
  } catch {
    /* no shop to tell */
  }
  return layout(
    locale,
    title,
    html`<h1>${heading}</h1>
<p class="error" role="alert">${failureReason(locale, error.code, error.message)} (<code>${error.code}</code>)</p>
<button class="secondary" type="button" id="close">${KPAYMENT_PAGE_TEXTS[locale].close}</button>
${frameScript({ parent: origin }, CLOSE_SCRIPT, scriptNonce)}`,
  );
}

const CLOSE_SCRIPT = `
document.getElementById('close').addEventListener('click', function () {
  var cfg = JSON.parse(document.getElementById('config').textContent);
  if (cfg.parent && window.parent !== window) window.parent.postMessage({ type: 'kpayment:close' }, cfg.parent);
});`;

/** Sends a frame: its own script allowed by `scriptNonce`, and embeddable by any shop. */
export function sendFramePage(res: Response, status: number, body: SafeHtml, scriptNonce: string): void {
  sendPage(res, status, body, { scriptNonce, frameable: true });
}
