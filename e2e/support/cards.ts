import { type APIRequestContext, type FrameLocator, type Page, type Request, expect } from '@playwright/test';
import { SANDBOX_URL, type Product, checkoutElement, getOrder, payWith } from './shop.ts';

/**
 * What a shopper and a merchant see of card payments in the demo: the K-Payment card form (the sandbox's
 * cross-origin iframe that kpayment.min.js opens), its 3-D Secure page, the result page, the merchant's order
 * and the charge at the sandbox (Inquiry with the secret key). The test cards are the guide's §7.1 / §7.2.
 */

export const CARD_LABEL = 'Credit / debit card';
const KPAYMENT_SECRET_KEY = 'skey_test_demo';
export const OTP = '123456';

export interface TestCard {
  number: string;
  brand: 'VISA' | 'MASTERCARD' | 'JCB';
}

/** What the shopper reads on the result page for each card failure code (core's customer messages). */
export const CARD_FAILURES = {
  '01': 'Your bank declined this card. Please contact your bank, or pay with another card.',
  '05': 'Your bank or wallet did not approve this payment (it failed a security check, or the funds are frozen). Please pay with another card or payment method.',
  '51': 'Insufficient funds or credit on this card. Please pay with another card.',
  '500': 'Your bank did not answer in time. You have not been charged; please try again.',
  '50': 'The card’s security check (3-D Secure OTP) failed. Please try again.',
  used_token: 'This card entry was already used. Please enter your card again.',
} as const;
export type CardFailureCode = keyof typeof CARD_FAILURES;

// ---- the card form --------------------------------------------------------------------------------------

/**
 * An order for one product, made as the storefront's "Buy" button makes it (with the page's cookies, so a
 * signed-in shopper's), then its checkout page. Returns the order id.
 */
export async function orderAndCheckout(page: Page, product: Product): Promise<string> {
  const res = await page.request.post('/api/orders', { data: { productId: product.id } });
  expect(res.status()).toBe(201);
  const order = (await res.json()) as { id: string; amount: number; currency: string };
  expect(order).toMatchObject({ amount: product.amount, currency: product.currency });
  await page.goto(`/checkout.html?orderId=${encodeURIComponent(order.id)}`);
  await expect(page.locator('#summary dd[data-field="total"]')).toHaveText(product.shown);
  await expect(checkoutElement(page).locator('[part="amount-value"]')).toHaveText(product.shown);
  return order.id;
}

/** The card form kpayment.min.js opens: an iframe served by the sandbox, another origin than the shop. */
export function cardForm(page: Page): FrameLocator {
  return page.frameLocator('iframe[title="K-Payment card form"]');
}

/** On the checkout page: "Credit / debit card", then the card form shows the order's amount. */
/** Chooses the card (or, with `button`, another choice of the Cards group) and waits for the card form. */
export async function openCardForm(page: Page, amountShown: string, button = CARD_LABEL): Promise<FrameLocator> {
  await payWith(page, button);
  const form = cardForm(page);
  await expect(form.locator('#amount')).toHaveText(amountShown);
  await expect(checkoutElement(page).getByRole('status')).toContainText('Complete the payment in the card form.');
  return form;
}

export interface CardEntry {
  name?: string;
  expiry?: string;
  cvv?: string;
  remember?: boolean;
}

/** Types a new card into the form (any name, a future expiry and any CVV work for the test cards). */
export async function enterCard(form: FrameLocator, card: TestCard, entry: CardEntry = {}): Promise<void> {
  await form.getByLabel('Name on Card').fill(entry.name ?? 'Somchai Jaidee');
  await form.getByLabel('Card Number').fill(card.number);
  // The form names the brand it recognised from the number.
  await expect(form.locator('#brand')).toHaveText(card.brand);
  await form.getByLabel('Expiry Date (MM/YY)').fill(entry.expiry ?? '12/30');
  await form.getByLabel('Security Code').fill(entry.cvv ?? '123');
  if (entry.remember) await form.getByLabel('Remember card').check();
}

/** A payment's form action, or a card registration's (register-3D). */
const FORM_ACTION = /\/checkout\/kpayment\/(?:token\/(pay_[^/?]+)|registrations\/(creg_[^/?]+)\/token)\?/;

/** The card form's token post to the companion (kpayment.min.js submits the shop's form). */
export function tokenPost(page: Page): Promise<Request> {
  return page.waitForRequest((r) => r.method() === 'POST' && FORM_ACTION.test(r.url()));
}

export interface PostedForm {
  /** The payment the form pays (or, for register-3D, the card registration). */
  paymentId: string;
  action: string;
  fields: Record<string, string>;
}

export function readTokenPost(request: Request): PostedForm {
  const action = request.url();
  const match = FORM_ACTION.exec(action);
  expect(match, `the form action ${action} names the payment`).toBeTruthy();
  return { paymentId: match![1] ?? match![2], action, fields: Object.fromEntries(new URLSearchParams(request.postData() ?? '')) };
}

/**
 * Clicks the form's pay button (`Pay <amount>`, or `Pay <converted> <currency>` for a DCC offer) and answers
 * what the form posted to the companion.
 */
export async function pay(page: Page, form: FrameLocator, buttonName: string | RegExp): Promise<PostedForm> {
  const posted = tokenPost(page);
  await form.getByRole('button', { name: buttonName, exact: true }).click();
  return readTokenPost(await posted);
}

// ---- 3-D Secure -----------------------------------------------------------------------------------------

/** The bank's 3-D Secure page at the sandbox: the payment it asks about, then "Request OTP". */
export async function expectThreeDSecurePage(page: Page, amountShown: string, card: TestCard): Promise<void> {
  await page.waitForURL(`${SANDBOX_URL}/KPGW-Auth3d-Webapi/Authorize/*`);
  await expect(page.getByRole('heading', { name: 'Verify your payment' })).toBeVisible();
  await expect(page.locator('dd.amount').first()).toHaveText(amountShown);
  await expect(page.getByRole('definition').filter({ hasText: `${card.brand} ${card.number.slice(0, 6)}*****${card.number.slice(-4)}` })).toBeVisible();
}

/** Requests the OTP and enters it; the bank's page then posts the result to the companion, which sends the shopper on. */
export async function enterOtp(page: Page, otp: string): Promise<void> {
  await page.getByRole('button', { name: 'Request OTP' }).click();
  await expect(page.getByRole('heading', { name: 'Enter your OTP' })).toBeVisible();
  await page.getByLabel('One-time password').fill(otp);
  await page.getByRole('button', { name: 'Confirm' }).click();
}

// ---- the result ---------------------------------------------------------------------------------------

export interface ExpectedCardResult {
  paid: boolean;
  /** The failure code when not paid. */
  code?: CardFailureCode;
  product: Product;
  /** What the result says was paid, when not `<amount> with Credit / debit card` (DCC, instalments). */
  summary?: string;
}

/** On the result page: the verified headline, the failure message and code, what was paid, and the order's status. */
export async function expectCardResult(page: Page, expected: ExpectedCardResult): Promise<void> {
  await page.waitForURL(/\/result\.html\?paymentId=/);
  const element = checkoutElement(page);
  await expect(element.locator('[part="headline"]')).toHaveText(expected.paid ? 'Payment successful' : 'Payment failed');
  if (expected.code) {
    await expect(element.locator('[part="message"]')).toHaveText(CARD_FAILURES[expected.code]);
    await expect(element.locator('[part="message"]')).toHaveAttribute('data-code', expected.code);
    await expect(element.getByRole('status')).not.toContainText(/Error code|_/);
  } else {
    await expect(element.locator('[part="message"][data-code]')).toHaveCount(0);
  }
  await expect(element.locator('[part="summary"]')).toHaveText(expected.summary ?? `${expected.product.shown} with ${CARD_LABEL}`);
  await expect(page.locator('#order dd[data-field="total"]')).toHaveText(expected.product.shown);
  await expect(page.locator('#order dd[data-field="order status"]')).toHaveText(expected.paid ? 'Paid' : 'Payment failed');
}

/** The merchant's order after a card payment: paid by that payment, or not paid at all. */
export async function expectOrder(request: APIRequestContext, orderId: string, paidBy: string | null): Promise<void> {
  const order = await getOrder(request, orderId);
  if (paidBy) expect(order).toMatchObject({ state: 'paid', paidBy, needsRefund: [] });
  else {
    expect(order.state).not.toBe('paid');
    expect(order.paidBy).toBeNull();
  }
}

// ---- the sandbox ----------------------------------------------------------------------------------------

/** The charge as K-Payment's Inquiry answers it (the fields the tests read). */
export interface KpaymentCharge {
  id: string;
  amount: number;
  currency: string;
  transaction_state: string;
  status: string;
  failure_code: string | null;
  reference_order: string;
  source: { brand: string; card_masking: string };
  dcc_data: { baht_amount: number; converted_amount: number; converted_currency_code: string; rate: number; mid: string } | null;
}

/** Inquiry by charge id or by `reference_order` (the companion uses the payment id), with the secret key. */
export async function inquiry(request: APIRequestContext, idOrReference: string): Promise<KpaymentCharge> {
  const res = await request.get(`${SANDBOX_URL}/card/v2/charge/${encodeURIComponent(idOrReference)}`, { headers: { 'x-api-key': KPAYMENT_SECRET_KEY } });
  expect(res.status(), `inquiry ${idOrReference}: ${await res.text()}`).toBe(200);
  return (await res.json()) as KpaymentCharge;
}

/** Inquiry for a reference no charge has: the sandbox's 404 `charge_id_not_exist`. */
export async function expectNoCharge(request: APIRequestContext, reference: string): Promise<void> {
  const res = await request.get(`${SANDBOX_URL}/card/v2/charge/${encodeURIComponent(reference)}`, { headers: { 'x-api-key': KPAYMENT_SECRET_KEY } });
  expect(res.status()).toBe(404);
  expect(((await res.json()) as { code: string }).code).toBe('charge_id_not_exist');
}

/** Every notify the sandbox sent (or tried to), oldest first. */
export async function notifyDeliveries(request: APIRequestContext): Promise<{ charge_id: string; transaction_state: string; status_code: number | null }[]> {
  const res = await request.get(`${SANDBOX_URL}/_sandbox/kpayment/notify-deliveries`, { headers: { 'x-api-key': KPAYMENT_SECRET_KEY } });
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { data: { charge_id: string; transaction_state: string; status_code: number | null }[] };
  return body.data;
}

export { KPAYMENT_SECRET_KEY };

// ---- the demo merchant and shopper ----------------------------------------------------------------------

/** The demo's own URL (as playwright.config.ts starts it), for API contexts made outside a test. */
export const DEMO_URL = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3199)}`;
/** The sandbox merchant's card and Full DCC merchant ids (the sandbox's defaults; the demo keeps them). */
export const MID = '401000000000001';
export const DCC_MID = '451000000000001';

export interface CardSettings {
  threeDSecure: boolean;
  smartpay: 'off' | 'smartpay_id' | 'installment_plan';
  dcc: boolean;
}
export const DEFAULT_CARD_SETTINGS: CardSettings = { threeDSecure: true, smartpay: 'smartpay_id', dcc: true };

/** The demo merchant's card settings (its merchant page posts the same). */
export async function setCardSettings(request: APIRequestContext, settings: Partial<CardSettings>): Promise<CardSettings> {
  const res = await request.post('/api/merchant/settings', { data: settings });
  expect(res.status(), await res.text()).toBe(200);
  const now = (await res.json()) as CardSettings;
  expect(now).toMatchObject(settings);
  return now;
}

/** Signs in on the account page as a demo shopper (a fresh e-mail per test keeps saved cards apart). */
export async function signIn(page: Page, shopper: { email: string; name: string }): Promise<void> {
  await page.goto('/account.html');
  await page.getByLabel('E-mail').fill(shopper.email);
  await page.getByLabel('Name', { exact: true }).fill(shopper.name);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('link', { name: `Signed in as ${shopper.name}` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Save a card' })).toBeVisible();
}

let shopperCount = 0;
/** A shopper no other test (or earlier run against the same demo) has used. */
export function newShopper(name: string): { email: string; name: string } {
  const local = name.toLowerCase().replace(/[^a-z]+/g, '.');
  return { email: `${local}.${Date.now().toString(36)}${(shopperCount++).toString(36)}@example.com`, name };
}
