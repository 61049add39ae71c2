import { type Locator, type Page, expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { newShopper, signIn } from './support/cards.ts';
import { openOrderPayments, openPayment, paymentField } from './support/merchant.ts';
import { KAKAOPAY, KMA, KPLUS, RICE, SCARF, approve, buy, checkoutElement, choose, expectChoices, methodButton, payButton, paymentIdOf } from './support/shop.ts';

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
  await expect(methodButton(page, CARD)).toBeVisible();
  await expect(methodButton(page, THAI_QR)).toBeVisible();
  for (const method of [KPLUS, KMA, KAKAOPAY]) await expect(methodButton(page, method)).toHaveCount(0);

  await orderAmount(page, '20.00', 'THB', '฿20.00');
  for (const method of [KPLUS, KMA, KAKAOPAY]) await expect(methodButton(page, method)).toBeVisible();
  await expect(methodButton(page, CARD)).toBeVisible();
});

test('an order of S$0.99 is offered no method at all; one of S$1.00 KakaoPay and the card', async ({ page }) => {
  await orderAmount(page, '0.99', 'SGD', 'S$0.99');
  await expect(checkoutElement(page)).toContainText('No payment method is available for this order.');
  await expect(checkoutElement(page).getByRole('button')).toHaveCount(0);

  await orderAmount(page, '1', 'SGD', 'S$1.00');
  await expectChoices(checkoutElement(page), [KAKAOPAY.label, CARD]);
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

// ---- the shopper's language and the theme ------------------------------------------------------------------

/** Picks a language in the page's header and applies it (the button beside it): the page loads again in it. */
async function chooseLanguage(page: Page, label: string, locale: 'en' | 'th' | 'ja'): Promise<void> {
  const language = page.getByLabel(label, { exact: true });
  await language.selectOption(locale);
  await page.locator('form', { has: language }).getByRole('button').click();
  await expect(page.locator('html')).toHaveAttribute('lang', locale);
}

test('in Thai: the shop, its refusals, the checkout page and the element speak Thai, and the choice carries from page to page', async ({ page }) => {
  await page.goto('/');
  await chooseLanguage(page, 'Language', 'th');
  await expect(page).toHaveTitle('Siam Market — ร้านค้าตัวอย่างของ payment-checkout');
  await expect(page.getByRole('link', { name: 'เข้าสู่ระบบ' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'ยอดเงินตามต้องการ' })).toBeVisible();
  // The shop's refusal of an amount, worded in Thai from the reason the server gives.
  await page.getByLabel('จำนวนเงิน', { exact: true }).fill('0');
  await page.getByRole('button', { name: 'สั่งซื้อตามยอดนี้' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'จำนวนเงินต้องมากกว่าศูนย์' })).toBeVisible();

  await page.getByRole('button', { name: 'ซื้อข้าวหอมมะลิ 5 กก.', exact: true }).click();
  await page.waitForURL(/\/checkout\.html\?orderId=/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'th');
  await expect(page.getByLabel('ภาษา', { exact: true })).toHaveValue('th');
  await expect(page.locator('#summary dt')).toHaveText(['สินค้า', 'ยอดรวม', 'เลขที่คำสั่งซื้อ', 'ผู้ซื้อ']);
  await expect(page.locator('#summary dd[data-field="item"]')).toHaveText('ข้าวหอมมะลิ 5 กก.');
  await expect(page.locator('#summary dd[data-field="total"]')).toHaveText(RICE.shown);
  // The element has no locale of its own: it speaks the page's language, in the companion's Thai texts.
  const element = checkoutElement(page);
  await expect(element).not.toHaveAttribute('locale');
  await expect(element.locator('[part="amount"]')).toContainText('ยอดชำระ');
  await expect(element.locator('[part="prompt"]')).toHaveText('เลือกวิธีชำระเงิน');
  await expect(methodButton(page, 'K PLUS ธนาคารกสิกรไทย')).toBeVisible();

  // And back to English, kept as well.
  await chooseLanguage(page, 'ภาษา', 'en');
  await expect(element.locator('[part="prompt"]')).toHaveText('Choose how to pay');
  await page.goto('/');
  await expect(page.getByRole('button', { name: `Buy ${RICE.name}`, exact: true })).toBeVisible();
});

test('in Japanese: the shop, the checkout and, back from the bank, the result page speak Japanese', async ({ page }) => {
  await page.goto('/');
  await chooseLanguage(page, 'Language', 'ja');
  await page.getByRole('button', { name: 'タイシルクのスカーフを購入', exact: true }).click();
  await page.waitForURL(/\/checkout\.html\?orderId=/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.locator('#summary dd[data-field="shopper"]')).toHaveText('ゲスト（カードを保存するには、ご注文の前にログインしてください）');
  await expect(checkoutElement(page).locator('[part="amount"]')).toContainText('お支払い金額');
  await expect(checkoutElement(page).locator('[part="prompt"]')).toHaveText('お支払い方法を選択してください');

  // The gateway sends the shopper back with a payment id only: the language is the one chosen in the shop.
  await choose(page, KPLUS, SCARF);
  await approve(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('お支払いが完了しました');
  await expect(page.getByRole('heading', { name: 'ご注文' })).toBeVisible();
  await expect(page.locator('#order dd[data-field="item"]')).toHaveText('タイシルクのスカーフ');
  await expect(page.locator('#order dd[data-field="total"]')).toHaveText(SCARF.shown);
  await expect(page.locator('#order dd[data-field="order status"]')).toHaveText('お支払い済み');
});

test.describe('in a browser set to Japanese', () => {
  test.use({ locale: 'ja-JP' });

  test('the shop speaks Japanese until the shopper chooses another language', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.getByRole('heading', { name: '任意の金額' })).toBeVisible();
    await chooseLanguage(page, '言語', 'en');
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Any amount' })).toBeVisible();
  });
});

/** The relative luminance of the page's background (0 black, 1 white), or of the element's (its `base` part). */
function pageBackground(page: Page, of: 'page' | 'element' = 'page'): Promise<number> {
  return page.evaluate((of) => {
    const box = of === 'page' ? document.documentElement : document.querySelector('payment-checkout')!.shadowRoot!.querySelector('[part~="base"]')!;
    const [r, g, b] = getComputedStyle(box).backgroundColor.match(/\d+(\.\d+)?/g)!.slice(0, 3).map(Number);
    const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  }, of);
}

test('the theme switch: the device’s scheme by default, dark on the page and the element, and the shop’s brand on the element', async ({ page }) => {
  const orderId = await buy(page, RICE);
  const element = checkoutElement(page);
  // By default the element has no theme and follows the device, as the page does.
  await expect(element).not.toHaveAttribute('theme');
  expect(await pageBackground(page)).toBeGreaterThan(0.8);
  expect(await pageBackground(page, 'element')).toBeGreaterThan(0.8);
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await pageBackground(page)).toBeLessThan(0.05);
  // The element takes the page's scheme (its color-scheme "light dark": the device's).
  expect(await pageBackground(page, 'element')).toBeLessThan(0.05);
  await page.emulateMedia({ colorScheme: 'light' });

  await page.getByLabel('Theme').selectOption('dark');
  await expect(element).toHaveAttribute('theme', 'dark');
  expect(await pageBackground(page)).toBeLessThan(0.05);
  expect(await pageBackground(page, 'element')).toBeLessThan(0.05);
  await expectAccessible(page, 'the checkout in the dark theme');
  await page.goto('/');
  await expect(page.getByLabel('Theme')).toHaveValue('dark');
  expect(await pageBackground(page)).toBeLessThan(0.05);

  await page.getByLabel('Theme').selectOption('brand');
  await page.goto(`/checkout.html?orderId=${orderId}`);
  await expect(element).toHaveAttribute('theme', 'light');
  expect(await pageBackground(page)).toBeGreaterThan(0.8);
  expect(await element.evaluate((el) => getComputedStyle(el).getPropertyValue('--pc-accent').trim())).toBe('#a4401c');
  expect(await element.evaluate((el) => getComputedStyle(el).getPropertyValue('--pc-radius').trim())).toBe('1.25rem');
  // The pay action wears the shop's colour and corners.
  await methodButton(page, KPLUS).check();
  await expect(payButton(page)).toHaveCSS('background-color', 'rgb(164, 64, 28)');
  await expect(payButton(page)).toHaveCSS('border-top-left-radius', '20px');
});

test('axe finds nothing on the shop page in Thai, in Japanese and in the dark theme', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('button', { name: `Buy ${RICE.name}` })).toBeVisible();
  await chooseLanguage(page, 'Language', 'th');
  await expect(page.getByRole('button', { name: 'ซื้อข้าวหอมมะลิ 5 กก.' })).toBeVisible();
  await expectAccessible(page, 'the shop page in Thai');
  await chooseLanguage(page, 'ภาษา', 'ja');
  await expect(page.getByRole('button', { name: 'ジャスミンライス 5kgを購入' })).toBeVisible();
  await expectAccessible(page, 'the shop page in Japanese');
  await page.getByLabel('テーマ').selectOption('dark');
  await expectAccessible(page, 'the shop page in the dark theme');
});
