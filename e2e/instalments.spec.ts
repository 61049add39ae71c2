import { type APIRequestContext, type Page, expect, test } from '@playwright/test';
import {
  DEFAULT_CARD_SETTINGS,
  DEMO_URL,
  MID,
  cardForm,
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
import { KAYA, SCARF, checkoutElement } from './support/shop.ts';

/**
 * SmartPay instalments (guide §4.1.1.1): by SmartpayID (`data-smartpay-id`, `additional_data.smartpay_id`) and by
 * installment plan (`data-plan-id`… , the `smartpay` object), each a setting of the demo merchant. The card form
 * offers the terms; the shopper picks one; the full amount is authorised on the card merchant id (never the DCC one).
 *
 * The element does not yet ask the companion for instalments (`installments: true` in POST /checkout/payments,
 * offered by `config.kpayment.installments`): until it does, `askForInstalments` adds the flag to the element's own
 * request, standing in for the shopper's choice. Everything else is the real element, companion, script and form.
 */
async function askForInstalments(page: Page): Promise<void> {
  await page.route('**/checkout/payments', async (route) => {
    const body = route.request().postDataJSON() as { method?: string };
    if (route.request().method() !== 'POST' || body.method !== 'card') return route.continue();
    await route.continue({ postData: JSON.stringify({ ...body, installments: true }) });
  });
}

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
    terms: ['3 months', '4 months', '6 months', '10 months'],
    term: '6',
    posted: { smartpayId: '0001', term: '6' },
    absent: ['planid', 'ipanmode', 'producttype', 'supplierno', 'modelno'],
  },
  {
    smartpay: 'installment_plan',
    title: 'SmartPay by installment plan 999: the shopper picks 10 months of 3, 6, 10',
    terms: ['3 months', '6 months', '10 months'],
    term: '10',
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
    expect(config.kpayment.installments, 'the companion offers instalments for this baht order').toBe(true);

    await askForInstalments(page);
    const form = await openCardForm(page, product.shown);
    await expect(checkoutElement(page).locator('[part="note"]')).toHaveText('Pay in instalments available.');
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
    await expectCardResult(page, { paid: true, product });
    expect(await inquiry(request, posted.paymentId)).toMatchObject({ transaction_state: 'Authorized', status: 'success', amount: 1_500, currency: 'THB', dcc_data: null });
    await expectOrder(request, orderId, posted.paymentId);
  });
}

test('no instalments where they do not apply: the companion refuses them for a Singapore-dollar order, or with SmartPay off', async ({ page, request }) => {
  const refused = async (product: typeof SCARF) => {
    const orderId = await orderAndCheckout(page, product);
    expect((await (await request.get(`/checkout/config?orderId=${orderId}`)).json()).kpayment.installments).toBe(false);
    await askForInstalments(page);
    await checkoutElement(page).getByRole('button', { name: 'Credit / debit card', exact: true }).click();
    await expect(checkoutElement(page).getByRole('status')).toContainText('Credit / debit card cannot be paid in instalments for this order.');
    await expect(checkoutElement(page).locator('[part="code"]')).toHaveText('Error code: method_unavailable');
    await expect(page.locator('iframe[title="K-Payment card form"]')).toHaveCount(0);
    // "Try again" asks once more, this time to pay in full: the card form opens, with no term to choose.
    await page.unroute('**/checkout/payments');
    await checkoutElement(page).getByRole('button', { name: 'Try again' }).click();
    const form = cardForm(page);
    await expect(form.locator('#amount')).toHaveText(product.shown);
    await expect(form.getByLabel('Card Number')).toBeVisible();
    await expect(form.getByLabel('Installment term (months)')).toHaveCount(0);
    await expect(checkoutElement(page).locator('[part="note"]')).toHaveCount(0);
  };

  await setCardSettings(api, { smartpay: 'smartpay_id' });
  await refused(KAYA);
  await setCardSettings(api, { smartpay: 'off' });
  await refused(SCARF);
});
