import { type APIRequestContext, type Page, expect, test } from '@playwright/test';
import {
  type CardFailureCode,
  DCC_MID,
  DEFAULT_CARD_SETTINGS,
  DEMO_URL,
  MID,
  OTP,
  type TestCard,
  cardForm,
  enterCard,
  enterOtp,
  expectCardResult,
  expectOrder,
  expectThreeDSecurePage,
  inquiry,
  openCardForm,
  orderAndCheckout,
  pay,
  setCardSettings,
} from './support/cards.ts';
import { KAYA, type Product, RICE, SANDBOX_URL, SCARF, buy, checkoutElement, methodButton } from './support/shop.ts';

/**
 * Every test card of the K-Payment guide's §7.1 (3-D Secure) and §7.2 (non-3-D Secure) through the demo: the
 * shopper buys, opens the card form (the sandbox's iframe), pays, passes 3-D Secure when the merchant uses it,
 * and reads the verified result; the merchant's order and the charge at the sandbox agree.
 */

interface Row extends TestCard {
  /** "00" approves; any other code declines with that code. */
  code: '00' | CardFailureCode;
  /** Baht orders go on the Full DCC merchant id (domestic cards keep baht), Singapore-dollar ones on the card one. */
  product: Product;
}

const card = (number: string, brand: TestCard['brand'], code: Row['code'], product: Product): Row => ({ number, brand, code, product });

/** §7.1 "3DS, Full MCC and SmartPay" (L3339–3352). The two cards that are foreign (DCC) cards pay a Singapore-dollar order here. */
const THREE_D_SECURE: Row[] = [
  card('5239620007270264', 'MASTERCARD', '00', KAYA),
  card('5404888000072727', 'MASTERCARD', '00', RICE),
  card('5404888005380836', 'MASTERCARD', '00', KAYA),
  card('5411768003140872', 'MASTERCARD', '00', RICE),
  card('5411768003141953', 'MASTERCARD', '00', KAYA),
  card('2221000604647064', 'MASTERCARD', '01', RICE),
  card('5596886582263266', 'MASTERCARD', '05', KAYA),
  card('5149504001969007', 'MASTERCARD', '51', RICE),
  card('5265434283867885', 'MASTERCARD', '51', KAYA),
  card('4417706600005830', 'VISA', '00', KAYA),
  card('3564580000056476', 'JCB', '00', RICE),
];

/** §7.2 "Non-3DS, Full MCC and SmartPay" (L3364–3383). */
const NON_THREE_D_SECURE: Row[] = [
  card('5431289719925031', 'MASTERCARD', '00', RICE),
  card('5565694828631115', 'MASTERCARD', '00', KAYA),
  card('2221000604647064', 'MASTERCARD', '01', RICE),
  card('5596886582263266', 'MASTERCARD', '05', KAYA),
  card('5265434283867885', 'MASTERCARD', '51', RICE),
  card('5363314260912204', 'MASTERCARD', '500', KAYA),
  card('4024007134786226', 'VISA', '00', RICE),
  card('4485169016314923', 'VISA', '00', KAYA),
  card('4877300371267473', 'VISA', '01', RICE),
  card('4532741632025415', 'VISA', '05', KAYA),
  card('4147602662715373', 'VISA', '51', RICE),
  card('4024007121398514', 'VISA', '500', KAYA),
  card('3536353014086177', 'JCB', '00', RICE),
  card('3540000981507917', 'JCB', '01', KAYA),
  card('3539074482135968', 'JCB', '05', RICE),
  card('3528730936342392', 'JCB', '51', KAYA),
  card('3532598050794027', 'JCB', '500', RICE),
];

const describeRow = (row: Row) => `${row.brand} ${row.number} (${row.product.currency}): ${row.code === '00' ? 'approved' : `declined ${row.code}`}`;

/** Records the top-level pages the shopper went through (to see whether the bank's 3-D Secure page was one). */
function pagesVisited(page: Page): string[] {
  const urls: string[] = [];
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) urls.push(frame.url());
  });
  return urls;
}

async function expectCharge(request: APIRequestContext, paymentId: string, row: Row): Promise<void> {
  const charge = await inquiry(request, paymentId);
  expect(charge).toMatchObject({
    reference_order: paymentId,
    amount: row.product.amount / 100,
    currency: row.product.currency,
    source: { brand: row.brand.toLowerCase(), card_masking: `${row.number.slice(0, 6)}*****${row.number.slice(-4)}` },
    // Paid in the order's currency: no conversion, on either merchant id.
    dcc_data: null,
  });
  if (row.code === '00') expect(charge).toMatchObject({ transaction_state: 'Authorized', status: 'success' });
  else expect(charge).toMatchObject({ transaction_state: 'Declined', status: 'fail', failure_code: row.code });
}

test.describe('§7.1 on a 3-D Secure merchant, with OTP 123456', () => {
  for (const row of THREE_D_SECURE) {
    test(describeRow(row), async ({ page, request }) => {
      const { product } = row;
      const orderId = await orderAndCheckout(page, product);
      const form = await openCardForm(page, product.shown);
      await enterCard(form, row);
      const posted = await pay(page, form, `Pay ${product.shown}`);
      expect(posted.fields).toMatchObject({ paymentMethods: 'card', mid: product.currency === 'THB' ? DCC_MID : MID, token: expect.stringMatching(/^tokn_test_/) });
      if (product.currency === 'THB') expect(posted.fields.dcc_currency).toBe('THB');

      await expectThreeDSecurePage(page, product.shown, row);
      // Until the cardholder authenticates, the bank has decided nothing and the order waits.
      expect(await inquiry(request, posted.paymentId)).toMatchObject({ transaction_state: 'Pre-Authorized', status: 'pending' });
      await expectOrder(request, orderId, null);

      await enterOtp(page, OTP);
      await expectCardResult(page, { paid: row.code === '00', code: row.code === '00' ? undefined : row.code, product });
      await expectCharge(request, posted.paymentId, row);
      await expectOrder(request, orderId, row.code === '00' ? posted.paymentId : null);
    });
  }

  test('a wrong OTP fails the authentication: code 50, nothing charged, the order not paid', async ({ page, request }) => {
    const product = RICE;
    const approved: TestCard = { number: '5404888005380836', brand: 'MASTERCARD' };
    const orderId = await buy(page, product);
    const form = await openCardForm(page, product.shown);
    await enterCard(form, approved);
    const posted = await pay(page, form, `Pay ${product.shown}`);
    await expectThreeDSecurePage(page, product.shown, approved);
    await enterOtp(page, '654321');
    await expectCardResult(page, { paid: false, code: '50', product });
    expect(await inquiry(request, posted.paymentId)).toMatchObject({ transaction_state: 'Pre-Authorized', status: 'fail', failure_code: '50' });
    await expectOrder(request, orderId, null);

    // The shopper tries again with the right OTP: a new card form, a new charge, and the order is paid.
    await page.getByRole('link', { name: 'Choose another payment method' }).click();
    const again = await openCardForm(page, product.shown);
    await enterCard(again, approved);
    const second = await pay(page, again, `Pay ${product.shown}`);
    expect(second.paymentId).not.toBe(posted.paymentId);
    await expectThreeDSecurePage(page, product.shown, approved);
    await enterOtp(page, OTP);
    await expectCardResult(page, { paid: true, product });
    await expectOrder(request, orderId, second.paymentId);
  });

  test('closing the card form returns to the choices and charges nothing', async ({ page, request }) => {
    const orderId = await buy(page, SCARF);
    const form = await openCardForm(page, SCARF.shown);
    await form.getByRole('button', { name: 'Close' }).click();
    await expect(page.locator('iframe[title="K-Payment card form"]')).toHaveCount(0);
    await expect(methodButton(page, 'Credit / debit card')).toBeEnabled();
    await expect(methodButton(page, 'Credit / debit card')).toBeFocused();
    await expectOrder(request, orderId, null);
  });
});

test.describe('§7.2 on a non-3-D Secure merchant', () => {
  let api: APIRequestContext;
  test.beforeAll(async ({ playwright }) => {
    api = await playwright.request.newContext({ baseURL: DEMO_URL });
    await setCardSettings(api, { threeDSecure: false });
  });
  test.afterAll(async () => {
    await setCardSettings(api, { threeDSecure: DEFAULT_CARD_SETTINGS.threeDSecure });
    await api.dispose();
  });

  for (const row of NON_THREE_D_SECURE) {
    test(`${describeRow(row)}, without a 3-D Secure page`, async ({ page, request }) => {
      const { product } = row;
      const visited = pagesVisited(page);
      const orderId = await orderAndCheckout(page, product);
      const form = await openCardForm(page, product.shown);
      await enterCard(form, row);
      const posted = await pay(page, form, `Pay ${product.shown}`);
      await expectCardResult(page, { paid: row.code === '00', code: row.code === '00' ? undefined : row.code, product });
      expect(visited.filter((url) => url.startsWith(SANDBOX_URL)), 'the bank asked for no OTP').toEqual([]);
      await expectCharge(request, posted.paymentId, row);
      await expectOrder(request, orderId, row.code === '00' ? posted.paymentId : null);
    });
  }
});

test.describe('DCC: a foreign card pays a baht order in its own currency', () => {
  const DCC = [
    { secure: true, card: { number: '5239620007270264', brand: 'MASTERCARD' }, currency: 'USD', name: 'US Dollar', rate: '33.56', converted: /44\.70 USD/ },
    { secure: true, card: { number: '4417706600005830', brand: 'VISA' }, currency: 'JPY', name: 'Japanese Yen', rate: '0.2315', converted: /6479 JPY/ },
    { secure: false, card: { number: '5372074248113841', brand: 'MASTERCARD' }, currency: 'USD', name: 'US Dollar', rate: '33.56', converted: /44\.70 USD/ },
    { secure: false, card: { number: '4205203648166408', brand: 'VISA' }, currency: 'JPY', name: 'Japanese Yen', rate: '0.2315', converted: /6479 JPY/ },
  ] as const;
  const CONVERTED = { USD: 44.7, JPY: 6479 } as const;
  /** What the result says was paid: the card's own currency first, then the order's baht. */
  const PAID = { USD: 'US$44.70 (฿1,500.00) with Credit / debit card', JPY: '¥6,479 (฿1,500.00) with Credit / debit card' } as const;

  let api: APIRequestContext;
  test.beforeAll(async ({ playwright }) => {
    api = await playwright.request.newContext({ baseURL: DEMO_URL });
  });
  test.afterAll(async () => {
    await setCardSettings(api, { threeDSecure: DEFAULT_CARD_SETTINGS.threeDSecure });
    await api.dispose();
  });

  for (const dcc of DCC) {
    test(`${dcc.secure ? '§7.1' : '§7.2'} ${dcc.card.brand} ${dcc.card.number}: offered ${dcc.currency} at ${dcc.rate}, approved in ${dcc.currency}`, async ({ page, request }) => {
      await setCardSettings(api, { threeDSecure: dcc.secure, dcc: true });
      const product = SCARF;
      const orderId = await orderAndCheckout(page, product);
      const form = await openCardForm(page, product.shown);
      await enterCard(form, dcc.card);
      // The offer: the card's currency, the rate, and both amounts, for the shopper to choose.
      const offer = form.locator('#dcc-text');
      await expect(offer).toContainText(`Your credit card currency: ${dcc.currency} (${dcc.name}). Exchange rate: ${dcc.rate} Baht/${dcc.currency}.`);
      await expect(offer).toContainText(new RegExp(`You pay ${dcc.converted.source} or ฿1,500\\.00\\.`));
      await expect(form.getByRole('button', { name: `Pay ${product.shown}`, exact: true })).toBeVisible();
      // Paying in the card's currency is the shopper's own choice: they tick the box themselves.
      const accept = form.getByLabel(/I accept the payment currency and exchange rate/);
      await expect(accept).not.toBeChecked();
      await accept.check();

      const posted = await pay(page, form, new RegExp(`^Pay ${dcc.converted.source}$`));
      expect(posted.fields).toMatchObject({ mid: DCC_MID, dcc_currency: dcc.currency });
      if (dcc.secure) {
        await expectThreeDSecurePage(page, product.shown, dcc.card);
        await expect(page.getByRole('definition').filter({ hasText: `rate ${dcc.rate} THB/${dcc.currency}` })).toBeVisible();
        await enterOtp(page, OTP);
      }
      await expectCardResult(page, { paid: true, product, summary: PAID[dcc.currency] });
      expect(await inquiry(request, posted.paymentId)).toMatchObject({
        transaction_state: 'Authorized',
        status: 'success',
        amount: 1_500,
        currency: 'THB',
        dcc_data: { converted_currency_code: dcc.currency, converted_amount: CONVERTED[dcc.currency], rate: Number(dcc.rate), mid: DCC_MID },
      });
      await expectOrder(request, orderId, posted.paymentId);
    });
  }

  test('the shopper may keep baht: the same foreign card then pays ฿1,500.00', async ({ page, request }) => {
    await setCardSettings(api, { threeDSecure: true, dcc: true });
    const product = SCARF;
    const usd: TestCard = { number: '5239620007270264', brand: 'MASTERCARD' };
    const orderId = await buy(page, product);
    const form = await openCardForm(page, product.shown);
    await enterCard(form, usd);
    await expect(form.locator('#dcc-text')).toContainText('Your credit card currency: USD');
    const posted = await pay(page, form, `Pay ${product.shown}`);
    expect(posted.fields).toMatchObject({ mid: DCC_MID, dcc_currency: 'THB' });
    await expectThreeDSecurePage(page, product.shown, usd);
    await enterOtp(page, OTP);
    await expectCardResult(page, { paid: true, product });
    expect(await inquiry(request, posted.paymentId)).toMatchObject({ transaction_state: 'Authorized', amount: 1_500, currency: 'THB', dcc_data: null });
    await expectOrder(request, orderId, posted.paymentId);
  });
});

test('the merchant page switches 3-D Secure off and on: the next card payment follows it', async ({ page, request }) => {
  const approved: TestCard = { number: '4024007134786226', brand: 'VISA' };
  try {
    await page.goto('/merchant.html');
    const threeDSecure = page.getByLabel('3-D Secure: the bank asks for an OTP (sandbox: 123456)');
    await expect(threeDSecure).toBeChecked();
    await threeDSecure.uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status')).toHaveText('Saved.');
    expect((await (await request.get('/api/merchant/settings')).json()).threeDSecure).toBe(false);

    // Non-3-D Secure: from the card form straight to the result.
    const visited = pagesVisited(page);
    await buy(page, KAYA);
    await enterCard(await openCardForm(page, KAYA.shown), approved);
    await pay(page, cardForm(page), `Pay ${KAYA.shown}`);
    await expectCardResult(page, { paid: true, product: KAYA });
    expect(visited.filter((url) => url.startsWith(SANDBOX_URL))).toEqual([]);

    await page.goto('/merchant.html');
    await threeDSecure.check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status')).toHaveText('Saved.');
    await page.reload();
    await expect(threeDSecure).toBeChecked();

    // 3-D Secure again: the same card now meets the bank's OTP page.
    await buy(page, KAYA);
    await enterCard(await openCardForm(page, KAYA.shown), approved);
    await pay(page, cardForm(page), `Pay ${KAYA.shown}`);
    await expectThreeDSecurePage(page, KAYA.shown, approved);
  } finally {
    await setCardSettings(request, { threeDSecure: DEFAULT_CARD_SETTINGS.threeDSecure });
  }
});
