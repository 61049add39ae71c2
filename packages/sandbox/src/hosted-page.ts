import { type SafeHtml, html } from './html.ts';

/** The language of every hosted page: its `<html lang>`, and the locale its dates and amounts are written in. */
export const PAGE_LANG = 'en';

/**
 * The document around every page the sandbox hosts (Opn's authorize page, K-Payment's 3-D Secure, card
 * form, QR and redirect pages): `gateway` names the emulated gateway in the title and the test-mode badge;
 * `head` is the gateway's own styles.
 */
export function hostedPage(page: { gateway: string; title: string; head: SafeHtml; content: SafeHtml }): SafeHtml {
  return html`<!doctype html>
<html lang="${PAGE_LANG}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${page.title} · ${page.gateway} sandbox</title>
${page.head}
</head>
<body>
<main>
<p class="badge">${page.gateway} sandbox · test mode</p>
${page.content}
</main>
</body>
</html>`;
}
