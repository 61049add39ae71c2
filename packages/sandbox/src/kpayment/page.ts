import { randomBytes } from 'node:crypto';
import type { Locale } from '@payment-checkout/core';
import type { Response } from 'express';
import { hostedPage } from '../hosted-page.ts';
import { SafeHtml, html } from '../html.ts';
import { KPAYMENT_PAGE_TEXTS } from './page-texts.ts';

/** The look and the headers shared by the sandbox's K-Payment pages (3-D Secure page, card form). */

/** KBank's green, darkened from the brand's #00a950 (3.09:1) so that white text on it reads at 5.45:1 (WCAG AA). */
export const KBANK_GREEN = '#007a3d';

export const STYLE = `
  :root { --kbank: ${KBANK_GREEN}; --ink: #1d2330; }
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: var(--ink); }
  main { max-width: 26rem; margin: 1.5rem auto; background: #fff; padding: 1.25rem 1.5rem; border-radius: 12px; box-shadow: 0 1px 4px #0002; }
  .badge { display: inline-block; font-size: .8rem; background: #ffe9a8; padding: .1rem .5rem; border-radius: 4px; margin: 0; }
  h1 { font-size: 1.3rem; margin: .5rem 0 1rem; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
  dt { color: #555; } dd { margin: 0; overflow-wrap: anywhere; }
  .amount { font-size: 1.25rem; font-weight: 600; }
  label { display: block; margin: .5rem 0 .2rem; font-size: .9rem; }
  input[type=text], input[type=tel], input[type=password], select { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; border: 1px solid #aab; border-radius: 6px; }
  input[aria-invalid=true] { border-color: #b3261e; }
  .row { display: flex; gap: .75rem; } .row > div { flex: 1; }
  button { font: inherit; padding: .6rem 1.2rem; border-radius: 8px; border: 2px solid transparent; cursor: pointer; }
  button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #2f6fed; outline-offset: 2px; }
  button:disabled { opacity: .55; cursor: not-allowed; }
  .primary { background: var(--kbank); color: #fff; width: 100%; margin-top: 1rem; }
  .secondary { background: #fff; color: var(--ink); border-color: #ccd; }
  .note { background: #eef3ff; padding: .5rem .75rem; border-radius: 8px; }
  .error { background: #fde8e7; color: #8c1d18; padding: .5rem .75rem; border-radius: 8px; }
  .ok { background: #e3f5ea; color: #14532d; padding: .5rem .75rem; border-radius: 8px; }
  .field-error { color: #8c1d18; font-size: .85rem; min-height: 1.1em; margin: .15rem 0 0; }
  fieldset { border: 1px solid #ccd; border-radius: 8px; padding: .5rem .75rem; margin: .75rem 0 0; }
  .brand { font-size: .85rem; color: #555; }
`;

export function nonce(): string {
  return randomBytes(16).toString('base64');
}

/** A K-Payment page in the shopper's language (`pageLocale`). */
export function layout(locale: Locale, title: string, content: SafeHtml, options: { extraHead?: SafeHtml } = {}): SafeHtml {
  const head = html`<style>${new SafeHtml(STYLE)}</style>
${options.extraHead}`;
  return hostedPage({ locale, gateway: 'K-Payment Gateway', title, head, content });
}

/** Sends a page with a strict CSP; `scriptNonce` allows the page's own inline script, `frameable` lets shops embed it. */
export function sendPage(res: Response, status: number, body: SafeHtml, options: { scriptNonce?: string; frameable?: boolean } = {}): void {
  const script = options.scriptNonce ? `script-src 'nonce-${options.scriptNonce}'` : "script-src 'none'";
  res
    .status(status)
    .set({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': `default-src 'none'; ${script}; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; frame-ancestors ${options.frameable ? '*' : "'none'"}`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    })
    .send(body.value);
}

export interface CallbackResult {
  title: string;
  /** The payment's details (amount, merchant, …), above the result. */
  details: SafeHtml;
  ok: boolean;
  sentence: SafeHtml;
  /** The merchant's callback URL (decisions.md 3); without one the browser stays on the page. */
  callbackUrl: string | null;
  /** The callback's form fields (decisions.md 2): `objectId`, `status`, and for cards `token`, `saveCard`. */
  fields: Record<string, string>;
  /** Submit the callback form at once (right after the payer's answer), or wait for a click (a later visit). */
  autoSubmit: boolean;
}

/**
 * The result of a hosted payment page and the form that takes the browser to the merchant's callback URL,
 * as a cross-site form POST. Send it with `{ scriptNonce: page.nonce }`.
 */
export function callbackResultPage(locale: Locale, result: CallbackResult): { page: SafeHtml; nonce: string } {
  const T = KPAYMENT_PAGE_TEXTS[locale];
  const scriptNonce = nonce();
  const message = html`<p class="${result.ok ? 'ok' : 'error'}" role="status">${result.sentence}</p>`;
  if (!result.callbackUrl) {
    const list = Object.entries(result.fields).map(([k, v]) => html`<dt>${k}</dt><dd><code>${v}</code></dd>`);
    return {
      nonce: scriptNonce,
      page: layout(locale, result.title, html`<h1>${T.resultTitle}</h1>${result.details}${message}
<p class="error">${T.noCallback}</p>
<dl>${list}</dl>`),
    };
  }
  const inputs = Object.entries(result.fields).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  const script = result.autoSubmit ? html`<script nonce="${scriptNonce}">document.getElementById('callback').submit();</script>` : null;
  return {
    nonce: scriptNonce,
    page: layout(
      locale,
      result.title,
      html`<h1>${T.resultTitle}</h1>${result.details}${message}
<form id="callback" method="post" action="${result.callbackUrl}">${inputs}<button class="primary" type="submit">${T.back}</button></form>
${script}`,
    ),
  };
}

/** A page for a link that leads nowhere in this sandbox. */
export function notFoundPage(locale: Locale): SafeHtml {
  const T = KPAYMENT_PAGE_TEXTS[locale];
  return layout(locale, T.notFoundTitle, html`<h1>${T.notFoundHeading}</h1><p>${T.notFound}</p>`);
}
