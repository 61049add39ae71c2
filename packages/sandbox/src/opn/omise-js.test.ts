import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page, chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, call, newMerchant, startSandbox } from '../../test/test-kit.ts';

/**
 * The sandbox's omise.js in a real Chromium, loaded by a shop page of another origin: the same global
 * API as Opn's script, and a real cross-origin JSON POST with `Authorization: Basic` (CORS preflight).
 */

let h: Harness;
let down: Harness;
let shop: Server;
let shopUrl: string;
let browser: Browser;
/** One shop page for the tests that need a reachable sandbox (a new page costs Chromium ~0.5 s). */
let page: Page;

/** A shop page on its own origin that loads omise.js from `scriptOrigin`. */
function shopPage(scriptOrigin: string): string {
  return `<!doctype html><html><head><title>shop</title><script src="${scriptOrigin}/omise.js"></script></head><body>shop</body></html>`;
}

beforeAll(async () => {
  h = await startSandbox();
  down = await startSandbox();
  shop = createServer((req, res) => {
    const origin = new URL(req.url ?? '/', 'http://x').searchParams.get('sandbox') ?? h.url;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(shopPage(origin));
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  // `localhost` vs the sandbox's `127.0.0.1`, and another port: a different origin on both counts.
  shopUrl = `http://localhost:${(shop.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await openShop();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => shop.close(() => resolve()));
  await h.close();
  await down.close();
});

async function openShop(sandboxOrigin = h.url): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${shopUrl}/?sandbox=${encodeURIComponent(sandboxOrigin)}`);
  return page;
}

function createSource(target: Page, key: string, type: string, params: Record<string, unknown>) {
  return target.evaluate(
    ({ key, type, params }) =>
      new Promise<{ status: number; response: any }>((resolve) => {
        const omise = (window as any).Omise;
        omise.setPublicKey(key);
        omise.createSource(type, params, (status: number, response: any) => resolve({ status, response }));
      }),
    { key, type, params },
  );
}

describe('omise.js', () => {
  it('is served as JavaScript and exposes Omise.setPublicKey and Omise.createSource', async () => {
    const res = await fetch(`${h.url}/omise.js`);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    const api = await page.evaluate(() => {
      const omise = (window as any).Omise;
      return { setPublicKey: typeof omise.setPublicKey, createSource: typeof omise.createSource, origin: omise.config.apiOrigin, page: location.origin };
    });
    expect(api).toEqual({ setPublicKey: 'function', createSource: 'function', origin: h.url, page: shopUrl });
  });

  it('creates a source cross-origin with the public key, calling back (200, source)', async () => {
    const m = newMerchant();
    const result = await createSource(page, m.pk, 'mobile_banking_kbank', { amount: 150000, currency: 'THB', platform_type: 'IOS' });
    expect(result.status).toBe(200);
    expect(result.response).toMatchObject({
      object: 'source',
      type: 'mobile_banking_kbank',
      amount: 150000,
      currency: 'THB',
      platform_type: 'IOS',
      flow: 'app_redirect',
      charge_status: 'unknown',
    });
    // It belongs to the merchant of that key: the server charges it with the secret key.
    const charge = await call(h.url, '/charges', {
      key: m.sk,
      json: { amount: 150000, currency: 'THB', source: result.response.id, return_uri: 'https://shop.example/r' },
    });
    expect(charge.status).toBe(200);
  });

  it('calls back with the HTTP status and Opn\'s error body when the API refuses', async () => {
    const low = await createSource(page, newMerchant().pk, 'kakaopay', { amount: 99, currency: 'SGD', platform_type: 'WEB' });
    expect(low.status).toBe(400);
    expect(low.response).toMatchObject({ object: 'error', code: 'bad_request' });
    const wrongKey = await createSource(page, 'pkey_live_nope', 'kakaopay', { amount: 500, currency: 'SGD' });
    expect(wrongKey).toEqual({
      status: 401,
      response: expect.objectContaining({ object: 'error', code: 'authentication_failure' }),
    });
  });

  it('calls back (0, create_source_error) when the API cannot be reached', async () => {
    const other = await openShop(down.url);
    await down.close();
    const result = await createSource(other, newMerchant().pk, 'mobile_banking_bay', { amount: 150000, currency: 'THB' });
    expect(result.status).toBe(0);
    expect(result.response).toMatchObject({ code: 'create_source_error' });
    expect(result.response.message).toContain(down.url);
    await other.close();
  });
});
