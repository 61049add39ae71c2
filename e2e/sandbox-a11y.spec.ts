import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { CARD_LABEL, cardForm, openCardForm } from './support/cards.ts';
import { THAI_QR, UNIONPAY, openQr, openRedirect, qrPopup, sandboxQr } from './support/kpayment.ts';
import { RICE, SCARF, advanceSandboxClock, buy, checkoutElement, methodButton, payButton } from './support/shop.ts';

/**
 * The sandbox's K-Payment windows in the demo, for a shopper on the keyboard or a screen reader: a QR window whose QR
 * expired gives way to the card form when the shopper chooses the card, the window keeps the focus while it is open,
 * the card form's errors belong to their fields, and so does the UnionPay page's.
 */

const SCARF_AT_GATEWAY = /1,500\.00/;

test('Thai QR expired: the window says so; the card chosen next opens the card form, not the expired QR', async ({ page, request }) => {
  await buy(page, SCARF);
  const qrId = await openQr(page, THAI_QR, SCARF_AT_GATEWAY);
  const { seconds_left } = await sandboxQr(request, qrId);
  await advanceSandboxClock(request, (seconds_left + 1) * 1000);
  await expect(qrPopup(page).locator('#qr-status')).toHaveText(/This QR code has expired/);
  await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment expired');

  // From the keyboard, with the expired QR's window still up: choose another method, the card, and pay.
  await checkoutElement(page).getByRole('button', { name: 'Choose another payment method' }).focus();
  await page.keyboard.press('Enter');
  await methodButton(page, CARD_LABEL).focus();
  await page.keyboard.press('Space');
  await expect(methodButton(page, CARD_LABEL)).toBeChecked();
  await payButton(page).focus();
  await page.keyboard.press('Enter');

  const form = cardForm(page);
  await expect(form.locator('#amount')).toHaveText(SCARF.shown);
  await expect(form.getByLabel('Name on Card')).toBeFocused();
  await expect(page.locator('iframe.kpayment-frame')).toHaveCount(1);
  await expect(qrPopup(page).locator('#qr-image')).toHaveCount(0);
});

test('the card form keeps the focus: Tab goes round the window, never onto the shop behind it', async ({ page }) => {
  await buy(page, RICE);
  await openCardForm(page, RICE.shown);
  await expect(cardForm(page).getByLabel('Name on Card')).toBeFocused();
  for (let i = 0; i < 16; i++) {
    await page.keyboard.press('Tab');
    const outside = await page.evaluate(() => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      const inWindow = active === document.body || document.querySelector('.kpayment-overlay')?.contains(active ?? null);
      return inWindow ? null : (active?.outerHTML.slice(0, 100) ?? 'nothing');
    });
    expect(outside, `focus after ${i + 1} Tab`).toBeNull();
  }
  // Closed, the page is the shopper's again, with the focus on the choice they had made.
  await page.keyboard.press('Escape');
  await expect(page.locator('iframe.kpayment-frame')).toHaveCount(0);
  await expect(methodButton(page, CARD_LABEL)).toBeFocused();
  await expect(page.locator('body > [inert]')).toHaveCount(0);
});

test('the card form: each error is its field’s description, the first field to correct takes the focus, typing clears it', async ({ page }) => {
  await buy(page, RICE);
  const form = await openCardForm(page, RICE.shown);
  await form.getByLabel('Name on Card').fill('Somchai Jaidee');
  await form.getByLabel('Card Number').fill('4024007134786227');
  await form.getByLabel('Expiry Date (MM/YY)').fill('12/30');
  await form.getByLabel('Security Code').fill('12');
  await form.getByRole('button', { name: `Pay ${RICE.shown}`, exact: true }).click();

  const number = form.getByLabel('Card Number');
  await expect(number).toBeFocused();
  await expect(number).toHaveAttribute('aria-invalid', 'true');
  await expect(number).toHaveAccessibleDescription('The card number is invalid');
  await expect(form.getByLabel('Security Code')).toHaveAccessibleDescription('Enter the 3-digit security code');
  await expect(form.getByLabel('Name on Card')).not.toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'the card form with errors', 'iframe.kpayment-frame');

  await page.keyboard.press('End');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('6');
  await expect(number).not.toHaveAttribute('aria-invalid', 'true');
  await expect(number).toHaveAccessibleDescription('');
  await expect(form.locator('#number-error')).toHaveText('');
  // The field not touched yet keeps its error until it is corrected.
  await expect(form.getByLabel('Security Code')).toHaveAttribute('aria-invalid', 'true');
});

test('UnionPay: the error about the card number is the card number field’s', async ({ page }) => {
  await buy(page, RICE);
  await openRedirect(page, UNIONPAY);
  await page.getByLabel('Card Number').fill('1234');
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('alert')).toHaveText('Enter the 16 to 19 digits of your UnionPay card number.');
  const field = page.getByLabel('Card Number');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await expect(field).toHaveAccessibleDescription('Enter the 16 to 19 digits of your UnionPay card number.');
  await expect(field).toBeFocused();
});
