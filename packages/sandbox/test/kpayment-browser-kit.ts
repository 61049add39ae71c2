import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type Locator, type Page, chromium } from '@playwright/test';
import { escapeHtml } from '../src/html.ts';
import { forFile } from './test-kit.ts';

/**
 * For the tests of kpayment.min.js in a real Chromium: a shop on another origin whose form holds the script,
 * and the post-back the script makes to the form's action.
 */

export interface Shop {
  /** `localhost` vs the sandbox's `127.0.0.1`: another origin, as a real shop is. */
  url: string;
  /** What the shop's form action received, newest last. */
  posted: Array<Record<string, string>>;
  close(): Promise<void>;
}

/** A shop page: a form posting to /checkout with the script and the given data-* attributes inside (none when the test injects it). */
function shopPage(sandboxUrl: string, attrs: Record<string, string>, inject: boolean): string {
  const attributes = Object.entries(attrs)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  const script = `<script type="text/javascript" src="${sandboxUrl}/ui/v2/kpayment.min.js"${attributes}></script>`;
  return `<!doctype html><html><head><title>shop</title></head><body>
<h1>Shop</h1>
<form id="shop" method="POST" action="/checkout"><input type="hidden" name="orderId" value="order-42">${inject ? '' : script}</form>
</body></html>`;
}

export async function startShop(sandboxUrl: string): Promise<Shop> {
  const posted: Array<Record<string, string>> = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://shop');
    if (req.method === 'POST' && url.pathname === '/checkout') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        posted.push(Object.fromEntries(new URLSearchParams(body)));
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end('<!doctype html><title>received</title><p>received</p>');
      });
      return;
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(shopPage(sandboxUrl, JSON.parse(url.searchParams.get('attrs') ?? '{}'), url.searchParams.has('inject')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    posted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Clicks a button that closes the frame it is in (the card form's and the QR popup's close), once it is visible, by an
 * event dispatched in the frame: Playwright's click goes on waiting on the frame after the mouse is released, and the
 * close removes the frame meanwhile, a wait that never ended on a busy machine (the element's wtr-kpayment-sandbox.mjs
 * does the same).
 */
export async function clickClose(button: Locator): Promise<void> {
  await button.waitFor({ state: 'visible' });
  await button.dispatchEvent('click');
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A shop and a Chromium for the file's tests (start the sandbox first), and `openShop`, which opens the
 * shop page in the one tab the tests share (a new tab costs Chromium more than a navigation).
 */
export function useShopInChromium(sandbox: { url: string }) {
  const shop = forFile(() => startShop(sandbox.url), (started) => started.close());
  const browser = forFile(launchChromium, (started) => started.close(), { timeoutMs: 30_000 });
  let page: Page | undefined;
  /** The shop page with the script's data-* attributes, or without the script when `inject` (the test adds it). */
  async function openShop(attrs: Record<string, string>, inject = false): Promise<Page> {
    page ??= await browser.newPage();
    await page.goto(`${shop.url}/?attrs=${encodeURIComponent(JSON.stringify(attrs))}${inject ? '&inject' : ''}`);
    return page;
  }
  return { shop, browser, openShop };
}
