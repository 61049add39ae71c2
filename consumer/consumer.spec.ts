import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type Page, expect, test } from '@playwright/test';
import { cardForm, enterCard, enterOtp } from '../e2e/support/cards.ts';
import { payWith } from '../e2e/support/shop.ts';

/**
 * The packages as installed from their tarballs (global-setup.ts): a shop on plain Node serving the plain HTML
 * example (the element's script-tag file) and the React example, its companion against the sandbox's bin.
 * Every order of the example shop costs ฿1,500.00.
 */

const SANDBOX_URL = () => process.env.CONSUMER_SANDBOX_URL!;

function element(page: Page) {
  return page.locator('payment-checkout');
}

/** The result page: the element's verified headline, and the payment as the companion reports it. */
async function expectPaid(page: Page, method: string): Promise<void> {
  await page.waitForURL(/\/result\.html\?paymentId=/);
  await expect(element(page).locator('[part="headline"]')).toHaveText('Payment successful');
  const paymentId = new URL(page.url()).searchParams.get('paymentId')!;
  const payment = (await (await page.request.get(`/checkout/payments/${paymentId}`)).json()) as Record<string, unknown>;
  expect(payment).toMatchObject({ status: 'succeeded', amount: 150_000, currency: 'THB', method });
}

async function payKplus(page: Page): Promise<void> {
  await payWith(page, 'KBank K PLUS');
  await page.waitForURL(`${SANDBOX_URL()}/payments/*/authorize`);
  await expect(page.locator('dd.amount')).toHaveText('THB 1,500.00');
  await page.getByRole('button', { name: 'Successful' }).click();
  await expectPaid(page, 'mobile_banking_kbank');
}

test('the plain HTML page loads the script-tag file and pays a K PLUS order, under the Content-Security-Policy', async ({ page }) => {
  const scripts: string[] = [];
  const violations: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  const answer = await page.goto('/?orderId=ord_kplus');
  expect(answer!.headers()['content-security-policy']).toMatch(/^script-src 'self' /);
  await expect(element(page).locator('[part="amount-value"]')).toHaveText('฿1,500.00');
  // One file for the element, whatever the page offers (and the page's own script); nothing else of ours until the
  // shopper chooses.
  expect(scripts).toEqual(['/element/payment-checkout.js', '/page.js']);
  await payKplus(page);
  // Once K PLUS was chosen, Opn's starter, from the chunks beside the file (and Omise.js, from the sandbox).
  const ours = scripts.filter((path) => path.startsWith('/element/'));
  expect(ours.filter((path) => path.startsWith('/element/chunks/opn-')).length).toBe(1);
  for (const path of ours) expect(path).toMatch(/^\/element\/(payment-checkout|chunks\/[\w-]+)\.js$/);
  expect(violations).toEqual([]);
});

test('the plain HTML page pays a card order through the card form and 3-D Secure', async ({ page }) => {
  await page.goto('/?orderId=ord_card');
  await payWith(page, 'Credit / debit card');
  const form = cardForm(page);
  await expect(form.locator('#amount')).toHaveText('฿1,500.00');
  await enterCard(form, { number: '5404888005380836', brand: 'MASTERCARD' });
  await form.getByRole('button', { name: 'Pay ฿1,500.00', exact: true }).click();
  await page.waitForURL(`${SANDBOX_URL()}/KPGW-Auth3d-Webapi/Authorize/*`);
  await enterOtp(page, '123456');
  await expectPaid(page, 'card');
});

test('the React example pays a K PLUS order', async ({ page }) => {
  await page.goto('/react/?orderId=ord_react');
  await expect(element(page).locator('[part="amount-value"]')).toHaveText('฿1,500.00');
  await payKplus(page);
});

test('the typings ship: a TypeScript shop and the React example type-check against the installed packages', () => {
  const shop = process.env.CONSUMER_SHOP_DIR!;
  // The user's own tsc, strict, with the packages' .d.ts checked too (consumer/typings/tsconfig.json).
  const tsc = join(shop, 'node_modules', 'typescript', 'bin', 'tsc');
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', join(shop, 'tsconfig.json')], { cwd: shop, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  expect(output).toBe('');
});

test('a CommonJS shop requires the packages (Node 20.19+ loads their ES modules)', () => {
  const shop = process.env.CONSUMER_SHOP_DIR!;
  const script = "const s = require('@payment-checkout/server'); const b = require('@payment-checkout/sandbox'); const c = require('@payment-checkout/core'); console.log(typeof s.createCheckout, typeof b.createSandbox, typeof c.formatMoney)";
  const output = execFileSync(process.execPath, ['-e', script], { cwd: shop, encoding: 'utf8', stdio: 'pipe' });
  expect(output.trim()).toBe('function function function');
});
