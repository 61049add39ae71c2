import type { Locale } from '@payment-checkout/core';
import { type SafeHtml, html } from './html.ts';
import { HOSTED_PAGE_TEXTS } from './page-texts.ts';

/**
 * The document around every page the sandbox hosts (Opn's authorize page, K-Payment's 3-D Secure, card
 * form, QR and redirect pages), in the page's language (`locale`, from `pageLocale`): `gateway` names the
 * emulated gateway in the title and the test-mode badge; `head` is the gateway's own styles.
 */
export function hostedPage(page: { locale: Locale; gateway: string; title: string; head: SafeHtml; content: SafeHtml }): SafeHtml {
  const T = HOSTED_PAGE_TEXTS[page.locale];
  return html`<!doctype html>
<html lang="${page.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${T.documentTitle(page.title, page.gateway)}</title>
${page.head}
</head>
<body>
<main>
<p class="badge">${T.badge(page.gateway)}</p>
${page.content}
</main>
</body>
</html>`;
}
