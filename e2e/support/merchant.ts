import { type APIRequestContext, type Locator, type Page, expect } from '@playwright/test';
import { OTP, type TestCard, enterCard, enterOtp, expectCardResult, openCardForm, orderAndCheckout, pay } from './cards.ts';
import { type Method, type Product, approve, buy, choose, paymentIdOf } from './shop.ts';

/**
 * The demo merchant's payments page (/merchant/payments): the list and its filters, one payment's fields,
 * operations and timeline, and the confirmation dialog. Plus the shopper's payments the tests act on.
 */

/** An approved card on the 3-D Secure merchant (the demo's default), §7.1. */
export const APPROVED_CARD: TestCard = { number: '5404888000072727', brand: 'MASTERCARD' };

/** A shopper pays an order with an Opn method, authorised on the sandbox's page. Returns the order and payment ids. */
export async function payWithOpn(page: Page, product: Product, method: Method): Promise<{ orderId: string; paymentId: string }> {
  const orderId = await buy(page, product);
  await choose(page, method, product);
  await approve(page);
  return { orderId, paymentId: paymentIdOf(page) };
}

/** A shopper pays an order by card (3-D Secure, OTP 123456). Returns the order and payment ids. */
export async function payByCard(page: Page, product: Product, card: TestCard = APPROVED_CARD): Promise<{ orderId: string; paymentId: string }> {
  const orderId = await orderAndCheckout(page, product);
  const form = await openCardForm(page, product.shown);
  await enterCard(form, card);
  const posted = await pay(page, form, `Pay ${product.shown}`);
  await enterOtp(page, OTP);
  await expectCardResult(page, { paid: true, product });
  return { orderId, paymentId: posted.paymentId };
}

/**
 * The merchant setting "KakaoPay: capture payments manually" through the settings API (the merchant page posts
 * the same); the demo builds a new companion with `opn.manualCapture` on or off.
 */
export async function setKakaopayManualCapture(request: APIRequestContext, on: boolean): Promise<void> {
  const res = await request.post('/api/merchant/settings', { data: { kakaopayManualCapture: on } });
  expect(res.status(), await res.text()).toBe(200);
  expect(((await res.json()) as { kakaopayManualCapture: boolean }).kakaopayManualCapture).toBe(on);
}

// ---- the list ------------------------------------------------------------------------------------------

export function paymentRows(page: Page): Locator {
  return page.locator('#payment-rows tr');
}

export function paymentRow(page: Page, paymentId: string): Locator {
  return page.locator(`#payment-rows tr[data-payment-id="${paymentId}"]`);
}

/** A row's cell by its column (`created`, `order`, `payment`, `method`, `gateway`, `amount`, `refunded`, `status`). */
export function rowCell(row: Locator, field: string): Locator {
  return row.locator(`td[data-field="${field}"]`);
}

/** The one payment listed (the list filtered to an order that has one), by its row. */
export async function onlyPaymentId(page: Page): Promise<string> {
  await expect(paymentRows(page)).toHaveCount(1);
  const id = await paymentRows(page).first().getAttribute('data-payment-id');
  expect(id).toMatch(/^pay_/);
  return id!;
}

/** Opens the payments page and lists one order's payments. */
export async function openOrderPayments(page: Page, orderId: string): Promise<void> {
  await page.goto('/merchant/payments');
  await expect(page.getByRole('heading', { name: 'Payments', exact: true })).toBeVisible();
  const filters = page.getByRole('search', { name: 'Filter payments' });
  await filters.getByLabel('Order id').fill(orderId);
  await filters.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(new RegExp(`orderId=${orderId}`));
  // The unfiltered list may show first: wait until every row is of this order.
  await expect(paymentRows(page).first()).toBeVisible();
  const ofOrder = page.locator('td[data-field="order"]', { hasText: new RegExp(`^${orderId}$`) });
  await expect(paymentRows(page).filter({ hasNot: ofOrder })).toHaveCount(0);
}

// ---- one payment -----------------------------------------------------------------------------------------

export function paymentPanel(page: Page): Locator {
  return page.locator('section#payment');
}

export function paymentField(page: Page, field: string): Locator {
  return paymentPanel(page).locator(`#payment-fields dd[data-field="${field}"]`);
}

/** Opens a payment from the list (its id links to it). */
export async function openPayment(page: Page, paymentId: string): Promise<void> {
  await paymentRow(page, paymentId).getByRole('link', { name: paymentId }).click();
  await expect(page).toHaveURL(new RegExp(`paymentId=${paymentId}`));
  await expect(paymentPanel(page).getByRole('heading', { name: `Payment ${paymentId}` })).toBeFocused();
  await expect(paymentField(page, 'payment')).toHaveText(paymentId);
}

export function timelineRows(page: Page): Locator {
  return paymentPanel(page).locator('#timeline-rows tr');
}

/** The timeline's rows that say this (the newest last, as the timeline is oldest first). */
export function timelineEntry(page: Page, what: string | RegExp): Locator {
  return timelineRows(page).filter({ has: page.locator('td[data-field="event"]', { hasText: what }) });
}

export function operationButton(page: Page, name: string): Locator {
  return paymentPanel(page).getByRole('region', { name: 'Operations' }).getByRole('button', { name, exact: true });
}

export function operationStatus(page: Page): Locator {
  return page.locator('#operation-status');
}

export function operationProblem(page: Page): Locator {
  return page.locator('#operation-problem');
}

export function confirmDialog(page: Page): Locator {
  return page.getByRole('dialog');
}

export interface OperationRun {
  /** The operation's button (`Refund`, `Void`, `Settle`…). */
  button: string;
  /** The amount to type (major units), or undefined to keep the default. */
  amount?: string;
  /** What the dialog's amount field holds at first (the most the operation may take). */
  defaultAmount?: string;
  reason?: string;
  /** The confirm button, which states the amount (`Refund ฿100.00`). */
  confirm: string;
  /** The dialog's statement, which states the amount too. */
  statement: string | RegExp;
}

/** Clicks an operation, checks what the dialog says, confirms, and waits for the operation to end. */
export async function runOperation(page: Page, run: OperationRun): Promise<void> {
  await operationButton(page, run.button).click();
  const dialog = confirmDialog(page);
  await expect(dialog).toBeVisible();
  if (run.defaultAmount !== undefined) await expect(dialog.getByLabel(/^Amount/)).toHaveValue(run.defaultAmount);
  if (run.amount !== undefined) await dialog.getByLabel(/^Amount/).fill(run.amount);
  if (run.reason !== undefined) await dialog.getByLabel('Reason (optional)').fill(run.reason);
  await expect(dialog.locator('#confirm-text')).toHaveText(run.statement);
  await dialog.getByRole('button', { name: run.confirm, exact: true }).click();
  await expect(dialog).toBeHidden();
  // Busy while it runs: every operation waits, then the panel is drawn again from the answer.
  await expect(paymentPanel(page)).toHaveAttribute('aria-busy', 'false');
}
