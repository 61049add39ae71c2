import { type Locator, type Page, expect, test } from '@playwright/test';
import { newShopper, signIn } from './support/cards.ts';
import { openOrderPayments, openPayment, paymentField } from './support/merchant.ts';
import { KAKAOPAY, KMA, KPLUS, RICE, approve, buy, checkoutElement, choose, methodButton, paymentIdOf } from './support/shop.ts';

/** The demo storefront itself: its pages on a small phone, and orders of any amount. */

const PHONE = { width: 320, height: 640 };

/** Nothing on the page is wider than the phone: the shopper never scrolls sideways. */
/** The text is on screen from its first character to its last, neither cut off nor past the edge. */
async function expectWhole(shown: Locator, text: string): Promise<void> {
  await expect(shown).toHaveText(text);
  await expect(shown).toBeInViewport({ ratio: 1 });
  expect(await shown.evaluate((el) => el.scrollWidth <= el.clientWidth), `${text} is cut off`).toBe(true);
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { message: `${page.url()} is wider than the phone` }).toBeLessThanOrEqual(PHONE.width);
}

test.describe('at 320 px wide', () => {
  test.use({ viewport: PHONE });

  test('the shop, checkout and result pages fit the screen, and the checkout shows the whole order id', async ({ page }) => {
    // A long name, unbroken, in the header and the order summary.
    await signIn(page, { ...newShopper('Somchai'), name: 'Somchai Wongsawatdiphaisarnkulthorn' });
    await expectNoSidewaysScroll(page);
    await page.goto('/');
    await expect(page.getByRole('button', { name: `Buy ${RICE.name}` })).toBeVisible();
    await expectNoSidewaysScroll(page);

    const orderId = await buy(page, RICE);
    await expect(methodButton(page, KPLUS)).toBeVisible();
    await expectNoSidewaysScroll(page);
    await expectWhole(page.locator('#summary dd[data-field="order"]'), orderId);

    await choose(page, KPLUS, RICE);
    await approve(page);
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
    await expect(page.locator('#order dd[data-field="order status"]')).toHaveText('Paid');
    await expectNoSidewaysScroll(page);

    // The merchant's pages: the test-card table and the payments table scroll inside their own box.
    const paymentId = paymentIdOf(page);
    await page.goto('/merchant.html');
    await expect(page.getByRole('table')).toContainText('5239620007270264');
    await expectNoSidewaysScroll(page);
    await openOrderPayments(page, orderId);
    await openPayment(page, paymentId);
    await expectNoSidewaysScroll(page);
    await expectWhole(paymentField(page, 'order'), orderId);
    await expectWhole(paymentField(page, 'payment'), paymentId);
  });
});

// ---- orders of any amount ---------------------------------------------------------------------------------

/** On the shop page: an amount, a currency, "Order this amount" — and the answer to that order request. */
async function submitAmount(page: Page, amount: string, currency: 'THB' | 'SGD' = 'THB') {
  await page.goto('/');
  await page.getByLabel('Amount', { exact: true }).fill(amount);
  await page.getByLabel('Currency').selectOption(currency);
  const answer = page.waitForResponse((res) => res.url().endsWith('/api/orders') && res.request().method() === 'POST');
  await page.getByRole('button', { name: 'Order this amount' }).click();
  return answer;
}

/** Orders an amount and lands on its checkout page, whose summary shows that amount. */
async function orderAmount(page: Page, amount: string, currency: 'THB' | 'SGD', shown: string): Promise<void> {
  expect((await submitAmount(page, amount, currency)).status()).toBe(201);
  await page.waitForURL(/\/checkout\.html\?orderId=/);
  await expect(page.locator('#summary dd[data-field="item"]')).toHaveText('Any amount');
  await expect(page.locator('#summary dd[data-field="total"]')).toHaveText(shown);
}

const CARD = 'Credit / debit card';
const THAI_QR = 'Thai QR (PromptPay)';

test('an order of ฿15.00 offers no method whose minimum is ฿20.00; one of ฿20.00 offers them', async ({ page }) => {
  await orderAmount(page, '15.00', 'THB', '฿15.00');
  await expect(checkoutElement(page).locator('[part="amount-value"]')).toHaveText('฿15.00');
  await expect(checkoutElement(page).getByRole('button', { name: CARD, exact: true })).toBeVisible();
  await expect(checkoutElement(page).getByRole('button', { name: THAI_QR })).toBeVisible();
  for (const method of [KPLUS, KMA, KAKAOPAY]) await expect(methodButton(page, method)).toHaveCount(0);

  await orderAmount(page, '20.00', 'THB', '฿20.00');
  for (const method of [KPLUS, KMA, KAKAOPAY]) await expect(methodButton(page, method)).toBeVisible();
  await expect(checkoutElement(page).getByRole('button', { name: CARD, exact: true })).toBeVisible();
});

test('an order of S$0.99 is offered no method at all; one of S$1.00 KakaoPay and the card', async ({ page }) => {
  await orderAmount(page, '0.99', 'SGD', 'S$0.99');
  await expect(checkoutElement(page)).toContainText('No payment method is available for this order.');
  await expect(checkoutElement(page).getByRole('button')).toHaveCount(0);

  await orderAmount(page, '1', 'SGD', 'S$1.00');
  await expect(checkoutElement(page).getByRole('button')).toHaveText([KAKAOPAY.label, CARD]);
});

for (const [name, amount, message] of [
  ['letters', '15 baht', '"15 baht" is not an amount: write digits with a decimal point, e.g. 15.00.'],
  ['a negative amount', '-20.00', 'The amount must be more than zero.'],
  ['zero', '0', 'The amount must be more than zero.'],
  ['too many decimals', '20.005', 'THB amounts have at most 2 decimals: "20.005".'],
  ['nothing', '', 'Enter an amount, e.g. 15.00.'],
] as const) {
  test(`an amount with ${name} is refused on the shop page with the reason, and no order is made`, async ({ page }) => {
    const answer = await submitAmount(page, amount);
    expect(answer.status()).toBe(400);
    expect(await answer.json()).not.toHaveProperty('id');
    await expect(page.getByRole('alert').filter({ hasText: message })).toHaveText(message);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole('button', { name: 'Order this amount' })).toBeEnabled();
  });
}
