import { AxeBuilder } from '@axe-core/playwright';
import { type Page, expect, test } from '@playwright/test';
import { openOrderPayments, openPayment, operationButton, operationProblem, operationStatus, payByCard, paymentField, paymentRows, runOperation } from './support/merchant.ts';
import { KPLUS, RICE } from './support/shop.ts';

/**
 * The demo with the keyboard and a screen reader in mind: where the focus goes when what holds it changes, what the
 * live regions say (and that nothing says it twice), the language switch that waits to be asked, and axe's
 * best-practice rules that WCAG's tags leave out (landmark-unique).
 */

/** Where the focus is: the element's id (or tag), and whether it sits in a live region (read out when it changes). */
function focused(page: Page): Promise<{ id: string; live: boolean }> {
  return page.evaluate(() => {
    const active = document.activeElement ?? document.body;
    return { id: active.id || active.tagName.toLowerCase(), live: active.closest('[role="status"], [role="alert"], [aria-live]') !== null };
  });
}

/** From now on, every text a live region of the page is given (as the region reads then), kept in `window`. */
async function recordAnnouncements(page: Page): Promise<void> {
  await page.evaluate(() => {
    const said: string[] = [];
    (window as unknown as { announced: string[] }).announced = said;
    new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        const target = mutation.target instanceof Element ? mutation.target : mutation.target.parentElement;
        const region = target?.closest<HTMLElement>('[role="status"], [role="alert"], [aria-live]');
        const text = region?.textContent?.trim();
        if (region && text && !region.hidden && region.getAttribute('aria-live') !== 'off') said.push(`${region.id}: ${text}`);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['hidden'] });
  });
}

function announcements(page: Page): Promise<string[]> {
  return page.evaluate(() => [...new Set((window as unknown as { announced: string[] }).announced)]);
}

test.describe('the merchant’s payments page', () => {
  test('paging with the keyboard: the focus stays on the paging button on the last page and on the first', async ({ page }) => {
    // Enough payments for two pages at least: K PLUS payments started (and left pending) for fresh orders.
    for (let i = 0; i < 21; i += 1) {
      const order = await page.request.post('/api/orders', { data: { productId: RICE.id } });
      const { id } = (await order.json()) as { id: string };
      expect((await page.request.post('/checkout/payments', { data: { orderId: id, method: KPLUS.id } })).status()).toBe(201);
    }
    await page.goto('/merchant/payments');
    await expect(page.locator('#list-status')).toHaveText('Page 1: 20 payments, newest first.');
    const previous = page.getByRole('button', { name: 'Previous page' });
    const next = page.getByRole('button', { name: 'Next page' });
    await expect(previous).toBeDisabled();

    // Tab to "Next page" and press Enter until the last page.
    await page.getByRole('button', { name: 'Clear filters' }).focus();
    while ((await focused(page)).id !== 'next-page') await page.keyboard.press('Tab');
    let pages = 1;
    do {
      await page.keyboard.press('Enter');
      pages += 1;
      await expect(page.locator('#list-status')).toHaveText(new RegExp(`^Page ${pages}: \\d+ payments?, newest first\\.$`));
      // The new page is announced to the reader, who stays on the button.
      await expect(page.getByRole('status').filter({ hasText: `Page ${pages}:` })).toHaveCount(1);
    } while (await next.isEnabled());
    await expect(next).toBeDisabled();
    await expect(next).toBeFocused();
    // A disabled "Next page" does nothing, and the reader goes on from where they are, not from the top.
    await page.keyboard.press('Enter');
    await expect(page.locator('#list-status')).toHaveText(new RegExp(`^Page ${pages}: `));
    await page.keyboard.press('Shift+Tab');
    await expect(previous).toBeFocused();

    // And back to the first page with "Previous page".
    do {
      await page.keyboard.press('Enter');
      pages -= 1;
      await expect(page.locator('#list-status')).toHaveText(new RegExp(`^Page ${pages}: `));
    } while (pages > 1);
    await expect(previous).toBeDisabled();
    await expect(previous).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(next).toBeFocused();
    await expect(next).toBeEnabled();
  });

  test('after a void the result is announced once, the focus is not on <body> nor in a live region, and the list is read again silently', async ({ page }) => {
    const { orderId, paymentId } = await payByCard(page, RICE);
    await openOrderPayments(page, orderId);
    // Only this order's succeeded payments: once voided, the payment leaves the list.
    await page.getByLabel('Status').selectOption({ label: 'Succeeded' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.locator('#list-status')).toHaveText('Page 1: 1 payment, newest first.');
    await openPayment(page, paymentId);

    await recordAnnouncements(page);
    await runOperation(page, { button: 'Void', statement: /^Void this payment of ฿350\.00\?/, confirm: 'Void ฿350.00' });
    await expect(operationStatus(page)).toHaveText('Voided.');
    await expect(paymentField(page, 'status')).toHaveText('Voided');
    // The list was read again: what it shows is up to date, and nothing of it was said.
    await expect(paymentRows(page)).toHaveCount(0);
    await expect(page.locator('#list-status')).toHaveText('No payments match these filters.');
    expect(await announcements(page)).toEqual(['operation-status: Voiding…', 'operation-status: Voided.']);
    // Void is no more: the reader is on the operations' heading, and goes on to its buttons.
    expect(await focused(page)).toEqual({ id: 'operations-title', live: false });
    await page.keyboard.press('Tab');
    await expect(operationButton(page, 'Check now')).toBeFocused();

    // "Check now" stays possible: the focus stays on it.
    await operationButton(page, 'Check now').press('Enter');
    await expect(operationStatus(page)).toHaveText('Checked with the gateway.');
    await expect(operationButton(page, 'Check now')).toBeFocused();
  });

  test('a refused operation: the problem is announced once, the focus is not in the alert', async ({ page }) => {
    const { orderId, paymentId } = await payByCard(page, RICE);
    await openOrderPayments(page, orderId);
    await openPayment(page, paymentId);
    const elsewhere = await page.request.post(`/api/merchant/operations/payments/${paymentId}/void`, { data: { reason: 'voided elsewhere' } });
    expect(elsewhere.status(), await elsewhere.text()).toBe(200);

    await recordAnnouncements(page);
    await runOperation(page, { button: 'Void', statement: /^Void this payment of ฿350\.00\?/, confirm: 'Void ฿350.00' });
    await expect(operationProblem(page)).toHaveText(/^Void failed: .+/);
    await expect(paymentField(page, 'status')).toHaveText('Voided');
    // Void is refused for good: the reader is on the operations' heading, the alert says why (once), the list nothing.
    expect(await focused(page)).toEqual({ id: 'operations-title', live: false });
    const said = await announcements(page);
    expect(said.filter((text) => text.startsWith('operation-problem: Void failed: '))).toHaveLength(1);
    expect(said.filter((text) => text.startsWith('list-'))).toEqual([]);
  });

  test('axe, best practices included, finds nothing on the payments page and the settings page', async ({ page }) => {
    await page.goto('/merchant/payments');
    await expect(page.locator('#list-status')).toHaveText(/^Page 1: |^No payments/);
    await expectNoViolations(page, 'the payments page');
    await page.goto('/merchant.html');
    await expect(page.locator('#settings')).toBeVisible();
    await expectNoViolations(page, 'the merchant settings page');
  });
});

/** WCAG 2.1 A and AA, and axe's best practices (landmark-unique among them). */
async function expectNoViolations(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  expect(
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' › ')).join(', ')}`),
    `axe on ${what}`,
  ).toEqual([]);
}

test.describe('the shop', () => {
  test('the language switch: arrowing through the languages changes nothing until the choice is applied', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const language = page.getByLabel('Language', { exact: true });
    await language.focus();
    await page.keyboard.press('ArrowDown');
    await expect(language).toHaveValue('th');
    await page.keyboard.press('ArrowDown');
    await expect(language).toHaveValue('ja');
    // No reload: the page is the same one, still in English, and the reader still on the switch.
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(language).toBeFocused();

    // Applied with the keyboard: the page loads again in Japanese.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Apply language' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.getByRole('heading', { name: '任意の金額' })).toBeVisible();

    // With the mouse: choose, then the button.
    await page.getByLabel('言語', { exact: true }).selectOption('th');
    await page.waitForTimeout(300);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await page.getByRole('button', { name: 'この言語にする' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'th');
    await expect(page.getByLabel('ภาษา', { exact: true })).toHaveValue('th');
  });

  test('"Any amount" refused: the field is marked invalid and described by the reason, until an amount is taken', async ({ page }) => {
    await page.goto('/');
    const amount = page.getByLabel('Amount', { exact: true });
    await expect(amount).not.toHaveAttribute('aria-invalid', 'true');
    await amount.fill('0');
    await page.getByRole('button', { name: 'Order this amount' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'The amount must be more than zero.' })).toBeVisible();
    await expect(amount).toHaveAttribute('aria-invalid', 'true');
    await expect(amount).toHaveAccessibleDescription('The amount must be more than zero.');
    await amount.fill('20.00');
    await page.getByRole('button', { name: 'Order this amount' }).click();
    await page.waitForURL(/\/checkout\.html\?orderId=/);
    await page.goBack();
    await expect(page.getByLabel('Amount', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  });
});
