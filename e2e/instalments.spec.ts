import { type APIRequestContext, expect, test } from '@playwright/test';
import {
  DEFAULT_CARD_SETTINGS,
  DEMO_URL,
  MID,
  OTP,
  type TestCard,
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
import { KAYA, SCARF, checkoutElement, payWith, methodButton, expectChoices } from './support/shop.ts';

/**
 * SmartPay instalments (guide §4.1.1.1): by SmartpayID (`data-smartpay-id`, `additional_data.smartpay_id`) and by
 * installment plan (`data-plan-id`… , the `smartpay` object), each a setting of the demo merchant. For a baht order
 * on a SmartPay merchant the element offers "KBank credit card in instalments" next to the card; the companion adds
 * the SmartPay attributes, the card form offers the terms, the shopper picks one, and the full amount is authorised
 * on the card merchant id (never the DCC one).
 */
const INSTALMENTS = 'KBank credit card in instalments';

const CARD: TestCard = { number: '5411768003140872', brand: 'MASTERCARD' };

let api: APIRequestContext;
test.beforeAll(async ({ playwright }) => {
  api = await playwright.request.newContext({ baseURL: DEMO_URL });
});
test.afterAll(async () => {
  await setCardSettings(api, { smartpay: DEFAULT_CARD_SETTINGS.smartpay });
  await api.dispose();
});

const VARIANTS = [
  {
    smartpay: 'smartpay_id',
    title: 'SmartPay by SmartpayID 0001: the shopper picks 6 months of 3, 4, 6, 10',
    terms: ['3 months: ฿500.00 a month', '4 months: ฿375.00 a month', '6 months: ฿250.00 a month', '10 months: ฿150.00 a month'],
    term: '6',
    paid: `฿1,500.00 with ${INSTALMENTS}: 6 monthly payments of ฿250.00`,
    posted: { smartpayId: '0001', term: '6' },
    absent: ['planid', 'ipanmode', 'producttype', 'supplierno', 'modelno'],
  },
  {
    smartpay: 'installment_plan',
    title: 'SmartPay by installment plan 999: the shopper picks 10 months of 3, 6, 10',
    terms: ['3 months: ฿500.00 a month', '6 months: ฿250.00 a month', '10 months: ฿150.00 a month'],
    term: '10',
    paid: `฿1,500.00 with ${INSTALMENTS}: 10 monthly payments of ฿150.00`,
    posted: { planid: '999', ipanmode: '03', producttype: '003', supplierno: '99903', modelno: '123456', term: '10' },
    absent: ['smartpayId'],
  },
] as const;

for (const variant of VARIANTS) {
  test(variant.title, async ({ page, request }) => {
    await setCardSettings(api, { smartpay: variant.smartpay });
    const product = SCARF;
    const orderId = await orderAndCheckout(page, product);
    const config = await (await request.get(`/checkout/config?orderId=${orderId}`)).json();
    expect(config.gateways.kpayment.installments, 'the companion offers instalments for this baht order').toBe(true);

    await expectChoices(checkoutElement(page).getByRole('group', { name: 'Cards' }), ['Credit / debit card', INSTALMENTS]);
    const form = await openCardForm(page, product.shown, INSTALMENTS);
    await expect(checkoutElement(page).locator('[part="note"]')).toHaveText('Choose the number of months in the card form.');
    const term = form.getByLabel('Installment term (months)');
    await expect(term.locator('option')).toHaveText([...variant.terms]);
    await term.selectOption(variant.term);
    await enterCard(form, CARD);
    const posted = await pay(page, form, `Pay ${product.shown}`);
    // Instalments go on the card merchant id, in baht, with the variant's fields only.
    expect(posted.fields).toMatchObject({ ...variant.posted, paymentMethods: 'card', mid: MID });
    expect(posted.fields.dcc_currency).toBeUndefined();
    for (const name of variant.absent) expect(posted.fields[name], name).toBeUndefined();

    await expectThreeDSecurePage(page, product.shown, CARD);
    await enterOtp(page, OTP);
    // The result says the instalments, as the shopper chose them.
    await expectCardResult(page, { paid: true, product, summary: variant.paid });
    expect(await inquiry(request, posted.paymentId)).toMatchObject({ transaction_state: 'Authorized', status: 'success', amount: 1_500, currency: 'THB', dcc_data: null });
    await expectOrder(request, orderId, posted.paymentId);
  });
}

test('no instalments where they do not apply: none offered for a Singapore-dollar order or with SmartPay off, and the companion refuses a request for them', async ({ page, request }) => {
  const notOffered = async (product: typeof SCARF) => {
    const orderId = await orderAndCheckout(page, product);
    expect((await (await request.get(`/checkout/config?orderId=${orderId}`)).json()).gateways.kpayment.installments).toBe(false);
    await expectChoices(checkoutElement(page).getByRole('group', { name: 'Cards' }), ['Credit / debit card']);
    // A page that asks anyway (a stale or doctored script) is refused, and no payment starts.
    const asked = await request.post('/checkout/payments', { data: { orderId, method: 'card', installments: true } });
    expect(asked.status()).toBe(422);
    expect((await asked.json()).error.code).toBe('method_unavailable');
    expect(await (await request.get(`/api/orders/${orderId}`)).json()).toMatchObject({ state: 'awaiting_payment', paidBy: null });
  };
  await setCardSettings(api, { smartpay: 'smartpay_id' });
  await notOffered(KAYA);
  await setCardSettings(api, { smartpay: 'off' });
  await notOffered(SCARF);
});

test('SmartPay turned off after the page loaded: the instalment choice is refused with a clear message, and the card pays in full', async ({ page }) => {
  await setCardSettings(api, { smartpay: 'smartpay_id' });
  const product = SCARF;
  await orderAndCheckout(page, product);
  await expect(methodButton(page, INSTALMENTS)).toBeVisible();
  await setCardSettings(api, { smartpay: 'off' });

  await payWith(page, INSTALMENTS);
  await expect(checkoutElement(page).getByRole('status')).toHaveText('This payment method cannot be used for this order. Please choose another one.');
  await expect(checkoutElement(page).locator('[part="message"]')).toHaveAttribute('data-code', 'method_unavailable');
  // Asking again would be refused again: no "Try again".
  await expect(checkoutElement(page).getByRole('button', { name: 'Try again' })).toHaveCount(0);
  await expect(page.locator('iframe[title="K-Payment card form"]')).toHaveCount(0);

  // The card itself is still there: the form opens for the full amount, with no term to choose.
  const form = await openCardForm(page, product.shown);
  await expect(form.getByLabel('Card Number')).toBeVisible();
  await expect(form.getByLabel('Installment term (months)')).toHaveCount(0);
  await expect(checkoutElement(page).locator('[part="note"]')).toHaveCount(0);
});

test('backing out of 3-D Secure to pay in instalments instead: a new card form with the terms, and the instalment charge is the one that pays', async ({ page, request }) => {
  await setCardSettings(api, { smartpay: 'smartpay_id' });
  const product = SCARF;
  const orderId = await orderAndCheckout(page, product);

  // First the card in full, as far as the bank's 3-D Secure page.
  const full = await openCardForm(page, product.shown);
  await enterCard(full, CARD);
  const inFull = await pay(page, full, `Pay ${product.shown}`);
  await expectThreeDSecurePage(page, product.shown, CARD);

  // Back to the shop, where the shopper chooses instalments: the card form opens again, with the terms.
  await page.goBack();
  await page.waitForURL(/\/checkout\.html\?orderId=/);
  const form = await openCardForm(page, product.shown, INSTALMENTS);
  await expect(form.getByLabel('Installment term (months)').locator('option')).toHaveText([...VARIANTS[0].terms]);
  await form.getByLabel('Installment term (months)').selectOption('10');
  await enterCard(form, CARD);
  const posted = await pay(page, form, `Pay ${product.shown}`);
  expect(posted.paymentId).not.toBe(inFull.paymentId);
  expect(posted.fields).toMatchObject({ smartpayId: '0001', term: '10', mid: MID });

  await expectThreeDSecurePage(page, product.shown, CARD);
  await enterOtp(page, OTP);
  await expectCardResult(page, { paid: true, product, summary: `฿1,500.00 with ${INSTALMENTS}: 10 monthly payments of ฿150.00` });
  await expectOrder(request, orderId, posted.paymentId);
  // The charge in full never passed 3-D Secure: it is still waiting, and it is not the order's payment.
  expect(await inquiry(request, inFull.paymentId)).toMatchObject({ transaction_state: 'Pre-Authorized' });
});
