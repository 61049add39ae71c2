import { type APIRequestContext, type Locator, type Page, devices, expect } from '@playwright/test';

/**
 * What a shopper and a merchant see of the demo: the storefront, the checkout and result pages, the sandbox's
 * authorize page, the merchant's order (`/api/orders/:id`) and the charges at the sandbox (`GET /charges`).
 * The ports are the ones playwright.config.ts gives the demo.
 */

export const SANDBOX_URL = `http://127.0.0.1:${Number(process.env.E2E_SANDBOX_PORT ?? 4199)}`;
const SECRET_KEY = 'skey_test_demo';
export const PUBLIC_KEY = 'pkey_test_demo';
const SECRET_AUTH = { authorization: `Basic ${Buffer.from(`${SECRET_KEY}:`).toString('base64')}` };

export interface Product {
  /** The storefront's product id. */
  id: string;
  name: string;
  amount: number;
  currency: 'THB' | 'SGD';
  /** The amount as the checkout and result pages write it. */
  shown: string;
  /** The amount as the sandbox's authorize page writes it. */
  shownAtSandbox: RegExp;
}

export const SCARF: Product = { id: 'thai-silk-scarf', name: 'Thai silk scarf', amount: 150_000, currency: 'THB', shown: '฿1,500.00', shownAtSandbox: /1,500\.00/ };
export const RICE: Product = { id: 'jasmine-rice-5kg', name: 'Jasmine rice, 5 kg', amount: 35_000, currency: 'THB', shown: '฿350.00', shownAtSandbox: /350\.00/ };
export const KAYA: Product = { id: 'kaya-toast-set', name: 'Kaya toast set (Singapore)', amount: 1_500, currency: 'SGD', shown: 'S$15.00', shownAtSandbox: /15\.00/ };
export const ORCHID: Product = { id: 'orchid-print', name: 'Orchid print (Singapore)', amount: 12_900, currency: 'SGD', shown: 'S$129.00', shownAtSandbox: /129\.00/ };

export interface Method {
  id: 'mobile_banking_kbank' | 'mobile_banking_bay' | 'kakaopay';
  label: string;
  /** Minutes after which a pending charge expires at the gateway (null: no timer). */
  expiryMinutes: number | null;
}

export const KPLUS: Method = { id: 'mobile_banking_kbank', label: 'KBank K PLUS', expiryMinutes: 10 };
export const KMA: Method = { id: 'mobile_banking_bay', label: 'Krungsri KMA', expiryMinutes: 15 };
export const KAKAOPAY: Method = { id: 'kakaopay', label: 'KakaoPay', expiryMinutes: null };

/** The five Opn failure codes and what the shopper reads for each on the result page. */
export const FAILURES = {
  payment_expired: 'The payment expired before it was confirmed. Please try again.',
  payment_rejected: 'Your bank rejected the payment. Please try another method or contact your bank.',
  failed_processing: 'The payment could not be processed. Please try again.',
  invalid_account: 'No account valid for this payment method was found.',
  insufficient_fund: 'Insufficient funds, or the account has reached its limit.',
} as const;
export type FailureCode = keyof typeof FAILURES;
export const FAILURE_CODES = Object.keys(FAILURES) as FailureCode[];

export const MINUTE = 60_000;

// ---- the shopper ------------------------------------------------------------------------------------------

/** A phone's screen and user agent (an iPhone 13's unless told), in Chromium (Playwright's preset would ask for WebKit). */
export function phone(device: (typeof devices)[string] = devices['iPhone 13']) {
  const { userAgent, viewport, deviceScaleFactor, isMobile, hasTouch } = device;
  return { userAgent, viewport, deviceScaleFactor, isMobile, hasTouch };
}

/** The `<payment-checkout>` element (Playwright's locators pierce its shadow root). */
export function checkoutElement(page: Page): Locator {
  return page.locator('payment-checkout');
}

/** A method's choice in the element: a radio button named after the method (`label`, or a Method's). */
export function methodButton(page: Page, method: Method | string): Locator {
  return checkoutElement(page).getByRole('radio', { name: typeof method === 'string' ? method : method.label, exact: true });
}

/** The choices in `within` (the element, or one of its groups), by the names a screen reader reads, in order. */
export async function expectChoices(within: Locator, names: readonly string[]): Promise<void> {
  const choices = within.getByRole('radio');
  await expect(choices).toHaveCount(names.length);
  for (const [i, name] of names.entries()) await expect(choices.nth(i)).toHaveAccessibleName(name);
}

/** The element's one pay action, "Pay ฿1,500.00" (any language). */
export function payButton(page: Page): Locator {
  return checkoutElement(page).locator('[part="pay"]');
}

/** What a shopper does to pay with a method: select its choice, then press "Pay …". */
export async function payWith(page: Page, method: Method | string): Promise<void> {
  await methodButton(page, method).check();
  await payButton(page).click();
}

/** From the storefront: "Buy <product>", then the checkout page of the new order. Returns the order id. */
export async function buy(page: Page, product: Product): Promise<string> {
  await page.goto('/');
  await page.getByRole('button', { name: `Buy ${product.name}`, exact: true }).click();
  await page.waitForURL(/\/checkout\.html\?orderId=/);
  const orderId = new URL(page.url()).searchParams.get('orderId');
  expect(orderId).toBeTruthy();
  // The order summary and the element both show what the merchant's order costs.
  await expect(page.locator('#summary dd[data-field="total"]')).toHaveText(product.shown);
  await expect(checkoutElement(page).locator('[part="amount-value"]')).toHaveText(product.shown);
  return orderId!;
}

/** Clicks a method on the checkout page and lands on the sandbox's authorize page. */
export async function choose(page: Page, method: Method, product?: Product): Promise<void> {
  await payWith(page, method);
  await expectAuthorizePage(page, method, product);
}

export async function expectAuthorizePage(page: Page, method: Method, product?: Product): Promise<void> {
  await page.waitForURL(`${SANDBOX_URL}/payments/*/authorize`);
  await expect(page.getByRole('heading', { name: 'Authorize payment' })).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: method.label })).toBeVisible();
  if (product) await expect(page.locator('dd.amount')).toHaveText(product.shownAtSandbox);
}

/** On the authorize page: "Successful", then back through the companion to the result page. */
export async function approve(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Successful' }).click();
  await page.waitForURL(/\/result\.html\?paymentId=/);
}

/** On the authorize page: choose a failure code, "Failed", then back to the result page. */
export async function decline(page: Page, code: FailureCode): Promise<void> {
  await page.getByLabel('Failure code').selectOption(code);
  await page.getByRole('button', { name: 'Failed' }).click();
  await page.waitForURL(/\/result\.html\?paymentId=/);
}

/** On the authorize page: "Leave without deciding", back to the result page. */
export async function leave(page: Page): Promise<void> {
  await page.getByRole('link', { name: /Leave without deciding/ }).click();
  await page.waitForURL(/\/result\.html\?paymentId=/);
}

export function paymentIdOf(page: Page): string {
  const id = new URL(page.url()).searchParams.get('paymentId');
  expect(id, 'the result page names the payment').toBeTruthy();
  return id!;
}

export interface ExpectedResult {
  headline: 'Payment successful' | 'Payment failed' | 'Payment expired' | 'Waiting for confirmation…';
  message?: string;
  code?: FailureCode;
  product: Product;
  method: Method;
  orderStatus: 'Paid' | 'Payment failed' | 'Payment expired' | 'Payment canceled' | 'Awaiting payment';
}

/** What the result page shows: the verified headline and message, what was paid with what, the order's status. */
export async function expectResult(page: Page, expected: ExpectedResult): Promise<void> {
  const element = checkoutElement(page);
  const status = element.getByRole('status');
  if (expected.headline === 'Waiting for confirmation…') await expect(status).toContainText(expected.headline);
  else await expect(element.locator('[part="headline"]')).toHaveText(expected.headline);
  if (expected.message) await expect(element.locator('[part="message"]')).toHaveText(expected.message);
  // The failure's code is for scripts and support (data-code), never in the shopper's text.
  if (expected.code) await expect(element.locator('[part="message"]')).toHaveAttribute('data-code', expected.code);
  else await expect(element.locator('[part="message"][data-code]')).toHaveCount(0);
  await expect(element.getByRole('status')).not.toContainText(/Error code|_/);
  await expect(element.locator('[part="summary"]')).toHaveText(`${expected.product.shown} with ${expected.method.label}`);
  await expect(page.locator('#order dd[data-field="total"]')).toHaveText(expected.product.shown);
  await expect(page.locator('#order dd[data-field="order status"]')).toHaveText(expected.orderStatus);
  // "Choose another payment method" is offered exactly when the order is not paid.
  await expect(page.getByRole('link', { name: 'Choose another payment method' })).toBeVisible({ visible: expected.orderStatus !== 'Paid' });
}

// ---- the merchant and the sandbox ------------------------------------------------------------------------

export interface Order {
  id: string;
  amount: number;
  currency: string;
  state: 'awaiting_payment' | 'paid' | 'payment_failed' | 'payment_expired' | 'payment_canceled';
  paidBy: string | null;
  needsRefund: string[];
  history: string[];
}

/** The merchant's order, as the storefront's back office sees it. */
export async function getOrder(request: APIRequestContext, orderId: string): Promise<Order> {
  const res = await request.get(`/api/orders/${encodeURIComponent(orderId)}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as Order;
}

export interface Charge {
  id: string;
  amount: number;
  currency: string;
  status: 'pending' | 'successful' | 'failed' | 'expired' | 'reversed';
  paid: boolean;
  failure_code: string | null;
  metadata: Record<string, string>;
  return_uri: string;
  authorize_uri: string;
  created_at: string;
  expires_at: string | null;
  expired_at: string | null;
  source: { id: string; type: string; amount: number; currency: string; platform_type: string | null };
}

/** Every charge of the demo merchant at the sandbox (all pages of `GET /charges`). */
export async function allCharges(request: APIRequestContext): Promise<Charge[]> {
  const charges: Charge[] = [];
  for (let offset = 0; ; offset += 100) {
    const res = await request.get(`${SANDBOX_URL}/charges?limit=100&offset=${offset}`, { headers: SECRET_AUTH });
    expect(res.status()).toBe(200);
    const page = (await res.json()) as { data: Charge[]; total: number };
    charges.push(...page.data);
    if (charges.length >= page.total || page.data.length === 0) return charges;
  }
}

/** The charges the companion created at the sandbox for one order (it tags each with the order id). */
export async function chargesFor(request: APIRequestContext, orderId: string): Promise<Charge[]> {
  return (await allCharges(request)).filter((c) => c.metadata?.order_id === orderId);
}

/** The order's one charge; fails if there is not exactly one. */
export async function onlyCharge(request: APIRequestContext, orderId: string): Promise<Charge> {
  const charges = await chargesFor(request, orderId);
  expect(charges, `charges at the sandbox for ${orderId}`).toHaveLength(1);
  return charges[0];
}

export async function getSource(request: APIRequestContext, id: string): Promise<{ amount: number; currency: string; type: string; charge_status: string }> {
  const res = await request.get(`${SANDBOX_URL}/sources/${id}`, { headers: SECRET_AUTH });
  expect(res.status()).toBe(200);
  return (await res.json()) as { amount: number; currency: string; type: string; charge_status: string };
}

/** Moves the sandbox's one clock forward (charges expire on it). */
export async function advanceSandboxClock(request: APIRequestContext, ms: number): Promise<void> {
  const res = await request.post(`${SANDBOX_URL}/_sandbox/clock/advance`, { data: { ms } });
  expect(res.status()).toBe(200);
}

/** The sandbox's clock (epoch ms): real time plus every advance so far. */
export async function sandboxNow(request: APIRequestContext): Promise<number> {
  const res = await request.get(`${SANDBOX_URL}/_sandbox/clock`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { now_ms: number }).now_ms;
}

/** Moves the sandbox's clock to a given instant (it only goes forward). */
export async function advanceSandboxClockTo(request: APIRequestContext, instant: number): Promise<void> {
  const ms = instant - (await sandboxNow(request));
  expect(ms, 'the sandbox clock is already past the instant').toBeGreaterThan(0);
  await advanceSandboxClock(request, ms);
}

/** The webhook signing secret the sandbox gave the companion when it registered its endpoint. */
export async function webhookSecret(request: APIRequestContext): Promise<string> {
  const res = await request.get(`${SANDBOX_URL}/_sandbox/opn/webhooks`, { headers: SECRET_AUTH });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { data: { url: string; secret: string }[] };
  expect(body.data.length, 'the companion registered its webhook URL at start-up').toBeGreaterThan(0);
  return body.data[0].secret;
}

/** The companion's view of a payment (what the result page polls). */
export async function getPaymentView(request: APIRequestContext, paymentId: string): Promise<{ status: string; orderId: string; failureCode: string | null }> {
  const res = await request.get(`/checkout/payments/${paymentId}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as { status: string; orderId: string; failureCode: string | null };
}
