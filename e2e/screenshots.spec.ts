import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Locator, type Page, expect, test } from '@playwright/test';
import { type Locale, checkoutTexts } from '@payment-checkout/core';
import { enterCard, openCardForm } from './support/cards.ts';
import { THAI_QR, openQr } from './support/kpayment.ts';
import { FAILURES, KPLUS, SCARF, approve, buy, checkoutElement, choose, decline, expectResult, methodButton, payButton, phone } from './support/shop.ts';

/**
 * The README's pictures (docs/screenshots/, issue 11): each test walks the demo to one main screen and checks
 * that it is there. `npm run screenshots` (SCREENSHOTS=1) also saves each screen as a PNG; in `npm test` the
 * walks run as tests and write nothing, so the pictures change only when someone regenerates them.
 * What is pictured is found by role and through e2e/support, never by the element's CSS, so a new look of the
 * element changes the pictures, not this file; the regions are the few functions just below.
 */

const SAVE = process.env.SCREENSHOTS === '1';
const DIR = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));

// ---- what is pictured ------------------------------------------------------------------------------------

/** The checkout page's payment panel: the element in the shop's page, without the order summary above it. */
const paymentPanel = (page: Page) => page.getByRole('region', { name: 'Payment' });
/** The result page: the element's verified result and the shop's own order panel under it. */
const resultPage = (page: Page) => page.getByRole('main');
/** The gateway's window (kpayment.min.js's iframe over the page): the card form, or the QR code. */
const cardFormWindow = (page: Page) => page.getByTitle('K-Payment card form');
const qrWindow = (page: Page) => page.getByTitle('K-Payment QR payment');

/** Waits until the region is drawn as the shopper sees it (fonts loaded; animations are stopped by the shot), then saves it. */
async function picture(region: Locator, name: string): Promise<void> {
  await expect(region).toBeVisible();
  await region.evaluate(() => document.fonts.ready.then(() => undefined));
  await region.page().mouse.move(0, 0); // no hover in the picture
  if (!SAVE) return;
  mkdirSync(DIR, { recursive: true });
  await region.screenshot({ path: `${DIR}${name}.png`, animations: 'disabled', caret: 'hide' });
}

/**
 * The element offers the baht order's method groups, in the shopper's language, nothing busy; then the shopper
 * selects K PLUS (the picture shows a selected choice and the pay action with the amount).
 */
async function selectKplus(page: Page, locale: Locale = 'en'): Promise<void> {
  const texts = checkoutTexts(locale);
  const element = checkoutElement(page);
  for (const group of [texts.groups.mobile_banking, texts.groups.wallet, texts.groups.card, texts.groups.qr]) {
    await expect(element.getByRole('group', { name: group })).toBeVisible();
  }
  for (const choice of await element.getByRole('radio').all()) await expect(choice).toBeEnabled();
  await methodButton(page, texts.methods[KPLUS.id]!).check();
  await expect(payButton(page)).toBeEnabled();
  await payButton(page).evaluate((button) => button.blur());
}

/** The element's `locale` attribute, as a shop in that language sets it (the demo's own pages are in English). */
async function speak(page: Page, locale: Locale): Promise<void> {
  await checkoutElement(page).evaluate((element, value) => element.setAttribute('locale', value), locale);
}

// ---- the walks -------------------------------------------------------------------------------------------

test.describe('README pictures, on a desktop', () => {
  test.use({ viewport: { width: 1280, height: 800 } });

  test('the choices', async ({ page }) => {
    await buy(page, SCARF);
    await selectKplus(page);
    await picture(paymentPanel(page), 'choices-desktop');
  });

  for (const [locale, language] of [['th', 'Thai'], ['ja', 'Japanese']] as const) {
    test(`the choices in ${language}`, async ({ page }) => {
      await buy(page, SCARF);
      await speak(page, locale);
      await selectKplus(page, locale);
      await picture(paymentPanel(page), `choices-${locale}`);
    });
  }

  test('the K-Payment card form, a card typed in', async ({ page }) => {
    await buy(page, SCARF);
    const form = await openCardForm(page, SCARF.shown);
    await enterCard(form, { number: '5404888000072727', brand: 'MASTERCARD' });
    await form.getByLabel('Security Code').blur(); // no focus ring in the picture
    await expect(form.getByRole('button', { name: `Pay ${SCARF.shown}` })).toBeEnabled();
    await picture(cardFormWindow(page), 'card-form');
  });

  test('a Thai QR code', async ({ page }) => {
    await buy(page, SCARF);
    await openQr(page, THAI_QR, SCARF.shownAtSandbox);
    await picture(qrWindow(page), 'thai-qr');
  });

  test('a successful payment', async ({ page }) => {
    await buy(page, SCARF);
    await choose(page, KPLUS, SCARF);
    await approve(page);
    await expectResult(page, { headline: 'Payment successful', product: SCARF, method: KPLUS, orderStatus: 'Paid' });
    await picture(resultPage(page), 'result-successful');
  });

  test('a failed payment', async ({ page }) => {
    await buy(page, SCARF);
    await choose(page, KPLUS, SCARF);
    await decline(page, 'insufficient_fund');
    await expectResult(page, {
      headline: 'Payment failed',
      message: FAILURES.insufficient_fund,
      code: 'insufficient_fund',
      product: SCARF,
      method: KPLUS,
      orderStatus: 'Payment failed',
    });
    await picture(resultPage(page), 'result-failed');
  });
});

test.describe('README pictures, on a phone', () => {
  test.use(phone());

  test('the choices', async ({ page }) => {
    await buy(page, SCARF);
    await selectKplus(page);
    await picture(paymentPanel(page), 'choices-phone');
  });
});
