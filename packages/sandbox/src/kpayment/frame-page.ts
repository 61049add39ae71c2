import type { Request, Response } from 'express';
import { SafeHtml, html } from '../html.ts';
import type { KpaymentApiError } from './errors.ts';
import { layout, sendPage } from './page.ts';

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

/** The frame's settings (`#config`) and its own script, which the page's nonce allows. */
export function frameScript(config: unknown, script: string, scriptNonce: string): SafeHtml {
  return html`<script type="application/json" id="config">${jsonBlock(config)}</script>
<script nonce="${scriptNonce}">${new SafeHtml(script)}</script>`;
}

/** The top of a frame: its heading, what the payment is powered by, the Close button and the amount. */
export function frameHeader(heading: string, poweredBy: string, amount: string): SafeHtml {
  return html`<div class="row"><div><h1>${heading}</h1><p class="brand">powered by KBank Sandbox · ${poweredBy}</p></div>
<div style="flex:0"><button class="secondary" type="button" id="close" aria-label="Close">×</button></div></div>
<p class="amount" id="amount">${amount}</p>`;
}

/** A frame that cannot open: the error, and a Close button that asks the shop page to close the frame. */
export function frameErrorPage(title: string, heading: string, error: KpaymentApiError, scriptNonce: string, parent: string): SafeHtml {
  let origin = '';
  try {
    origin = new URL(parent).origin;
  } catch {
    /* no shop to tell */
  }
  return layout(
    title,
    html`<h1>${heading}</h1>
<p class="error" role="alert">${error.message} (<code>${error.code}</code>)</p>
<button class="secondary" type="button" id="close">Close</button>
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
