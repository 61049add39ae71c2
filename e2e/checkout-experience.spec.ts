import { type Page, type Route, devices, expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import { CARD_LABEL, cardForm, enterOtp, expectThreeDSecurePage } from './support/cards.ts';
import { THAI_QR, qrControl, readQr } from './support/kpayment.ts';
import { KMA, KPLUS, RICE, SCARF, buy, checkoutElement, methodButton, payButton, payWith, paymentIdOf, phone } from './support/shop.ts';

/**
 * What a shopper sees and does around the choices (issue 11): the pay action under them with the state beside it,
 * the hints, the result screen, a payment made with the keyboard alone, each view in the three languages.
 */

const status = (page: Page) => checkoutElement(page).getByRole('status');

/** Holds the next create-payment request until `release` is called (a slow companion), and answers it so. */
async function holdPayments(page: Page): Promise<{ release(answer?: (route: Route) => Promise<void>): void }> {
  let release!: (answer?: (route: Route) => Promise<void>) => void;
  const released = new Promise<((route: Route) => Promise<void>) | undefined>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === '/checkout/payments',
    async (route) => {
      const answer = await released;
      await (answer ? answer(route) : route.fallback());
    },
    { times: 1 }, // the next payment goes through
  );
  return { release };
}

/** Presses Tab until a choice of the element has the focus (the shop's header comes first). */
async function tabToChoices(page: Page): Promise<void> {
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    if (await checkoutElement(page).getByRole('radio').evaluateAll((radios) => radios.some((r) => r.matches(':focus')))) return;
  }
  throw new Error('Tab never reached the choices');
}

/**
 * Selects `name` with the keyboard: the arrow keys move the focus through the choices, selecting as they go; Tab
 * lands on the first one without selecting it, so Space selects the one reached.
 */
async function arrowTo(page: Page, name: string): Promise<void> {
  const choice = methodButton(page, name);
  for (let i = 0; i < 12 && !(await choice.evaluate((r) => r.matches(':focus'))); i += 1) await page.keyboard.press('ArrowDown');
  await expect(choice).toBeFocused();
  if (!(await choice.isChecked())) await page.keyboard.press('Space');
  await expect(choice).toBeChecked();
}

test.describe('on a phone', () => {
  test.use(phone());

  test('the nine choices and the pay action fit on one screen; the busy state and an error appear under it, in view, focus kept', async ({ page }) => {
    await buy(page, SCARF);
    const element = checkoutElement(page);
    // From the amount to the pay action: at most one screen (664 px on an iPhone 13).
    const top = (await element.locator('[part="amount"]').boundingBox())!.y;
    const bottom = await payButton(page).boundingBox();
    expect(bottom!.y + bottom!.height - top).toBeLessThanOrEqual(page.viewportSize()!.height);

    const held = await holdPayments(page);
    await methodButton(page, KPLUS).check();
    // No hint that the payment goes on on the phone: this is the phone (the bank's app opens by deep link).
    await expect(element.locator('[part="hint"]')).toHaveCount(0);
    await payButton(page).scrollIntoViewIfNeeded();
    await payButton(page).click();
    await expect(status(page)).toHaveText('Connecting to KBank K PLUS…');
    await expect(status(page)).toBeInViewport();
    await expect(payButton(page)).toBeFocused();
    await expect(payButton(page)).toHaveAttribute('aria-disabled', 'true');

    held.release((route) => route.abort('failed'));
    await expect(status(page)).toHaveText('We could not reach the payment service. Check your connection and try again.');
    await expect(status(page)).toBeInViewport();
    await expect(element.getByRole('button', { name: 'Try again' })).toBeInViewport();
    await expect(payButton(page)).toBeFocused();
    await expect(payButton(page)).toHaveAttribute('aria-disabled', 'false');
    // One live region says it, once.
    await expect(element.locator('[aria-live], [role="alert"]')).toHaveCount(1);
  });
});

test.describe('at 320 px wide', () => {
  test.use({ viewport: { width: 320, height: 640 } });

  test('the gateway windows (card form, QR code) fit the screen and take their content\'s height: no inner scroll, no empty band', async ({ page }) => {
    for (const method of [CARD_LABEL, THAI_QR]) {
      await buy(page, SCARF);
      await payWith(page, method);
      const frame = page.locator('iframe.kpayment-frame');
      await expect(frame).toBeVisible();
      const inner = (await (await frame.elementHandle())!.contentFrame())!;
      await inner.waitForFunction(() => document.readyState === 'complete');
      const content = await inner.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
      await expect.poll(async () => Math.round((await frame.boundingBox())!.height), { message: method }).toBe(Math.min(content, 640));
      expect((await frame.boundingBox())!.width, method).toBeLessThanOrEqual(320);
    }
  });
});

test.describe('on a desktop', () => {
  test('with less motion asked for, the busy indicator shows the wait without turning', async ({ page }) => {
    await buy(page, SCARF);
    const spinner = checkoutElement(page).locator('[part="spinner"]');
    const held = await holdPayments(page);
    await methodButton(page, KPLUS).check();
    await payButton(page).click();
    await expect(spinner).toBeVisible();
    await expect(spinner).toHaveCSS('animation-name', 'shown, spin');
    held.release((route) => route.abort('failed'));
    await expect(spinner).toHaveCount(0);

    await page.emulateMedia({ reducedMotion: 'reduce' });
    const again = await holdPayments(page);
    await payButton(page).click();
    await expect(spinner).toBeVisible();
    await expect(spinner).toHaveCSS('animation-name', 'shown');
    again.release();
  });

  test('a bank app chosen on a desktop says the payment continues on the phone; other methods say nothing of it', async ({ page }) => {
    await buy(page, SCARF);
    const hint = checkoutElement(page).locator('[part="hint"]');
    await methodButton(page, KPLUS).check();
    await expect(hint).toHaveText('You will confirm this payment in KBank K PLUS on your phone: the next page shows a QR code to scan with it.');
    await methodButton(page, KMA).check();
    await expect(hint).toContainText('Krungsri KMA');
    await methodButton(page, THAI_QR).check();
    await expect(hint).toHaveCount(0);
    await expect(payButton(page)).toHaveText('Pay ฿1,500.00');
  });

  test('back at the checkout with a K PLUS charge still open, the shopper is told before paying another way', async ({ page }) => {
    await buy(page, SCARF);
    await payWith(page, KPLUS);
    await page.waitForURL(/\/payments\/[^/]+\/authorize/);
    await page.goBack();
    const notice = checkoutElement(page).locator('[part="notice"]');
    await expect(notice).toHaveText(
      'You have already started paying with KBank K PLUS, and that payment cannot be cancelled. If you complete it, do not pay again here: if both payments go through, one will be refunded.',
    );
    await expectAccessible(page, 'the checkout with a payment still open');
  });

  test('the result screen: an icon, what was paid, the reference, and a way back to the shop', async ({ page }) => {
    await buy(page, RICE);
    await payWith(page, KPLUS);
    await page.getByRole('button', { name: 'Successful' }).click();
    await page.waitForURL(/\/result\.html\?paymentId=/);
    const element = checkoutElement(page);
    const headline = element.locator('[part="headline"]');
    await expect(headline).toHaveText('Payment successful');
    expect(await headline.evaluate((h) => getComputedStyle(h, '::before').content)).toContain('✓');
    await expect(element.locator('[part="summary"]')).toHaveText('฿350.00 with KBank K PLUS');
    await expect(element.locator('[part="reference"]')).toHaveText(`Reference: ${paymentIdOf(page)}`);
    await element.getByRole('link', { name: 'Back to the shop' }).click();
    await expect(page.getByRole('button', { name: `Buy ${RICE.name}` })).toBeVisible();
  });
});

test.describe('with the keyboard alone', () => {
  test('a redirect: K PLUS chosen with the arrow keys, paid with Enter, approved at the bank', async ({ page }) => {
    await buy(page, RICE);
    await tabToChoices(page);
    await arrowTo(page, KPLUS.label);
    await page.keyboard.press('Tab');
    await expect(payButton(page)).toBeFocused();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/payments\/[^/]+\/authorize/);
    await page.getByRole('button', { name: 'Successful' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/result\.html\?paymentId=/);
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
  });

  test('a card: the card form filled and sent from the keyboard, then 3-D Secure', async ({ page }) => {
    await buy(page, RICE);
    await tabToChoices(page);
    await arrowTo(page, CARD_LABEL);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const form = cardForm(page);
    await expect(form.locator('#amount')).toHaveText(RICE.shown);
    // The card form takes the focus as it opens: the shopper types straight into it.
    await expect(form.getByLabel('Name on Card')).toBeFocused();
    for (const text of ['Somchai Jaidee', '5404888000072727', '12/30', '123']) {
      await page.keyboard.type(text);
      await page.keyboard.press('Tab');
    }
    await expect(form.locator('#brand')).toHaveText('MASTERCARD');
    const pay = form.getByRole('button', { name: `Pay ${RICE.shown}`, exact: true });
    while (!(await pay.evaluate((b) => b === document.activeElement))) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expectThreeDSecurePage(page, RICE.shown, { number: '5404888000072727', brand: 'MASTERCARD' } as never);
    await enterOtp(page, '123456');
    await page.waitForURL(/\/result\.html\?paymentId=/);
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
  });

  test('a QR code: chosen and opened from the keyboard; paid on the phone, the result in place with the focus on it', async ({ page, request }) => {
    await buy(page, SCARF);
    await tabToChoices(page);
    await arrowTo(page, THAI_QR);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const qrId = await readQr(page, /1,500\.00/);
    await qrControl(request, qrId, 'pay', { channel: 'kplus' });
    const headline = checkoutElement(page).locator('[part="headline"]');
    await expect(headline).toHaveText('Payment successful');
    await expect(headline).toBeFocused();
  });
});

for (const [locale, texts] of [
  ['th', { pay: 'ชำระเงิน ฿1,500.00', paid: 'ชำระเงินสำเร็จ', scan: 'สแกนคิวอาร์โค้ด' }],
  ['ja', { pay: '฿1,500.00を支払う', paid: 'お支払いが完了しました', scan: 'QRコード' }],
  ['en', { pay: 'Pay ฿1,500.00', paid: 'Payment successful', scan: 'Scan the QR code' }],
] as const) {
  test(`axe finds nothing on the checkout's views in ${locale}: choices with a hint, an error, a QR code, a result`, async ({ page, request }) => {
    // The shop's language, as its switch keeps it: the element speaks the page's.
    await page.addInitScript((chosen) => localStorage.setItem('siam-market.language', chosen), locale);
    const order = (await (await page.request.post('/api/orders', { data: { productId: SCARF.id } })).json()) as { id: string };
    await page.goto(`/checkout.html?orderId=${encodeURIComponent(order.id)}`);
    const element = checkoutElement(page);
    await expect(element.locator('[part="base"]')).toHaveAttribute('lang', locale);
    await element.locator('input[data-method="mobile_banking_kbank"]').check();
    await expect(payButton(page)).toHaveText(texts.pay);
    await expect(element.locator('[part="hint"]')).toBeVisible();
    await expectAccessible(page, `the choices in ${locale}`);

    const held = await holdPayments(page);
    await payButton(page).click();
    held.release((route) => route.abort('failed'));
    await expect(element.locator('[part="retry"]')).toBeVisible();
    await expectAccessible(page, `a network error in ${locale}`);

    await element.locator('input[data-method="thai_qr"]').check();
    await payButton(page).click();
    const qrId = await readQr(page, /1,500\.00/);
    await expect(status(page)).toContainText(texts.scan);
    await expectAccessible(page, `the QR view in ${locale}`);
    await qrControl(request, qrId, 'pay', { channel: 'kplus' });
    await expect(element.locator('[part="headline"]')).toHaveText(texts.paid);
    await expectAccessible(page, `the result in ${locale}`);
  });
}
