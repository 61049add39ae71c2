import { type APIRequestContext, type FrameLocator, type Page, expect } from '@playwright/test';
import { SANDBOX_URL, checkoutElement, payWith, methodButton } from './shop.ts';

/**
 * K-Payment's QR and redirect methods in the demo: the sandbox's QR popup (an iframe the script opens), its QR
 * Simulator and controls, the Alipay and UnionPay hosted pages. The controls take the demo's secret key in
 * `x-api-key`, the guide's only authentication.
 */

export const KPAYMENT_SECRET = { 'x-api-key': 'skey_test_demo' };

export type KpaymentMethod = 'Thai QR (PromptPay)' | 'WeChat Pay' | 'Alipay' | 'UnionPay';
export const THAI_QR: KpaymentMethod = 'Thai QR (PromptPay)';
export const WECHAT: KpaymentMethod = 'WeChat Pay';
export const ALIPAY: KpaymentMethod = 'Alipay';
export const UNIONPAY: KpaymentMethod = 'UnionPay';

/** §7.3's UnionPay test cards and the answers that approve them (the sandbox's `UNIONPAY_TEST_CARDS`). */
export const UNIONPAY_CARDS = [
  { number: '6210947764000027', network: 'TPN', expiry: '10/30', cvn2: '456', pin: '111111' },
  { number: '9100009764000010', network: 'TPN', expiry: '03/25', cvn2: '123', pin: '111111' },
  { number: '9100008764000025', network: 'TPN', expiry: '03/25', cvn2: '123', pin: '111111' },
  { number: '9100009764000015', network: 'TPN', expiry: '03/25', cvn2: '123', pin: '111111' },
  { number: '6250947000000014', network: 'UPI', expiry: '12/33', cvn2: '123', pin: '111111', sms: '111111' },
  { number: '6250946000000016', network: 'UPI', expiry: '12/33', cvn2: '123', pin: '111111', sms: '123456' },
] as const;
export type UnionpayCard = (typeof UNIONPAY_CARDS)[number];

export function kpaymentButton(page: Page, method: KpaymentMethod) {
  return methodButton(page, method);
}

/** The sandbox's QR window (the script's iframe). */
export function qrPopup(page: Page): FrameLocator {
  return page.frameLocator('iframe.kpayment-frame');
}

/** Clicks a QR method and waits for the sandbox's QR window; returns the QR id it shows. */
export async function openQr(page: Page, method: KpaymentMethod, shownAmount: RegExp): Promise<string> {
  await payWith(page, method);
  return readQr(page, shownAmount);
}

/** The QR id the open QR window shows, once it shows the QR image and the amount. */
export async function readQr(page: Page, shownAmount: RegExp): Promise<string> {
  const popup = qrPopup(page);
  await expect(popup.locator('#qr-image')).toBeVisible();
  await expect(popup.locator('#amount')).toHaveText(shownAmount);
  const qrId = (await popup.locator('#qr-id').textContent())?.trim() ?? '';
  expect(qrId).toMatch(/^qr_test_[0-9a-f]{20,}$/);
  return qrId;
}

/** The QR completion form the element renders for the script (`/checkout/kpayment/qr/:paymentId?token=…`). */
export async function qrCompletionUrl(page: Page): Promise<string> {
  const form = page.locator('payment-checkout form[action*="/checkout/kpayment/qr/"]');
  await expect(form).toHaveCount(1);
  return new URL((await form.getAttribute('action'))!, page.url()).toString();
}

export interface SandboxQr {
  id: string;
  order_id: string;
  source_type: string;
  state: 'pending' | 'paid' | 'failed' | 'expired' | 'cancelled';
  amount: string;
  reference_order: string;
  charge_id: string | null;
  seconds_left: number;
}

export async function sandboxQr(request: APIRequestContext, qrId: string): Promise<SandboxQr> {
  const res = await request.get(`${SANDBOX_URL}/_sandbox/kpayment/qr/${qrId}`, { headers: KPAYMENT_SECRET });
  expect(res.status()).toBe(200);
  return (await res.json()) as SandboxQr;
}

/** The simulator's buttons without the page. */
export async function qrControl(request: APIRequestContext, qrId: string, action: 'pay' | 'fail' | 'expire', data: Record<string, string> = {}): Promise<SandboxQr> {
  const res = await request.post(`${SANDBOX_URL}/_sandbox/kpayment/qr/${qrId}/${action}`, { headers: KPAYMENT_SECRET, data });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()) as SandboxQr;
}

/** K-Payment's Cancel QR (`POST /qr/v2/qr/{qr_id}/cancel`), as the merchant's back office would call it. */
export async function cancelQr(request: APIRequestContext, qrId: string): Promise<void> {
  const res = await request.post(`${SANDBOX_URL}/qr/v2/qr/${qrId}/cancel`, { headers: KPAYMENT_SECRET });
  expect(res.status()).toBe(200);
  expect(((await res.json()) as { status: string }).status).toBe('success');
}

/** Card Inquiry by `reference_order` (the companion's payment id): the Alipay / UnionPay charge. */
export async function redirectCharge(request: APIRequestContext, paymentId: string): Promise<{ id: string; transaction_state: string; status: string; amount: number | string }> {
  const res = await request.get(`${SANDBOX_URL}/card/v2/charge/${paymentId}`, { headers: KPAYMENT_SECRET });
  expect(res.status()).toBe(200);
  return (await res.json()) as { id: string; transaction_state: string; status: string; amount: number | string };
}

/** Clicks Alipay or UnionPay and lands on the sandbox's hosted page. */
export async function openRedirect(page: Page, method: typeof ALIPAY | typeof UNIONPAY): Promise<void> {
  await payWith(page, method);
  await page.waitForURL(`${SANDBOX_URL}/kpgw/${method === ALIPAY ? 'alipay' : 'unionpay'}/**`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(method === ALIPAY ? 'Pay with Alipay' : 'UnionPay Card Payment');
}

/** On the UnionPay pages: the card number, then the network's page, then back to the result page. */
export async function payUnionpay(page: Page, card: UnionpayCard, override: Partial<Record<'expiry' | 'cvn2' | 'pin' | 'sms', string>> = {}): Promise<void> {
  await page.getByLabel('Card Number').fill(card.number);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(card.network === 'UPI' ? 'UnionPay International' : 'UnionPay Card Payment');
  await page.getByLabel('Expiration Date (MM/YY)').fill(override.expiry ?? card.expiry);
  await page.getByLabel('CVN2').fill(override.cvn2 ?? card.cvn2);
  if ('sms' in card) await page.getByLabel('SMS Code').fill(override.sms ?? card.sms);
  await page.getByLabel('PIN').fill(override.pin ?? card.pin);
  await page.getByRole('button', { name: 'Pay' }).click();
  await page.waitForURL(/\/result\.html\?paymentId=/);
}

/** The result page's verified headline and the merchant's order status line. */
export async function expectKpaymentResult(page: Page, headline: string, orderStatus: 'Paid' | 'Payment failed' | 'Awaiting payment'): Promise<void> {
  await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText(headline);
  await expect(page.locator('#order dd[data-field="order status"]')).toHaveText(orderStatus);
}
