import { expect, test } from '@playwright/test';
import { checkoutElement } from './support/shop.ts';

/** The demo's result page opened from a bad link: it says so and points back to the shop, it never stays blank. */
for (const [name, query] of [
  ['no payment id', ''],
  ['an unknown payment id', '?paymentId=pay_00000000000000000000000000000000'],
  ['a malformed payment id', '?paymentId=pay_doesnotexist'],
] as const) {
  test(`the result page with ${name} says the link names no payment, with a way back to the shop`, async ({ page }) => {
    await page.goto(`/result.html${query}`);
    const orderPanel = page.locator('section[aria-labelledby="order-title"]');
    await expect(orderPanel.getByRole('alert')).toHaveText('This link names no payment the shop knows. Find your order from the shop.');
    await expect(orderPanel.getByRole('link', { name: 'Back to the shop' })).toHaveAttribute('href', '/');
    await expect(page.locator('#retry')).toBeHidden();
    // Nothing in the element claims a result for it.
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveCount(0);
  });
}
