import { type FrameLocator, type Page, expect, test } from '@playwright/test';
import {
  OTP,
  type TestCard,
  cardForm,
  enterCard,
  enterOtp,
  expectCardResult,
  expectOrder,
  expectThreeDSecurePage,
  inquiry,
  newShopper,
  openCardForm,
  orderAndCheckout,
  pay,
  signIn,
} from './support/cards.ts';
import { RICE, SCARF, buy } from './support/shop.ts';

/**
 * Remembered cards (guide §4.6): a signed-in shopper ticks "Remember card" on a payment that succeeds, or saves a
 * card before buying (register-3D: a THB 1.00 check with 3-D Secure, voided by the bank), and the next card
 * form lists the card. The demo's server says who the shopper of an order is; guests and declines save nothing.
 */

const masked = (card: TestCard) => `${card.brand} ${card.number.slice(0, 6)}*****${card.number.slice(-4)}`;

/** The account page's list of saved cards ("No saved cards yet." when empty). */
async function expectSavedCards(page: Page, cards: TestCard[]): Promise<void> {
  await page.goto('/account.html');
  const list = page.getByRole('list', { name: 'Saved cards' }).getByRole('listitem');
  if (cards.length === 0) {
    await expect(page.getByText('No saved cards yet.')).toBeVisible();
    await expect(list).toHaveCount(0);
  } else {
    await expect(list).toHaveText(cards.map(masked));
  }
}

function savedCards(form: FrameLocator) {
  return form.getByRole('group', { name: 'Saved cards' });
}

test('remember a card: a declined one is not kept, an approved one is, and the next order pays with it', async ({ page, request }) => {
  const shopper = newShopper('Malee Srisuk');
  const declined: TestCard = { number: '5596886582263266', brand: 'MASTERCARD' };
  const approved: TestCard = { number: '5404888000072727', brand: 'MASTERCARD' };
  await signIn(page, shopper);

  // Declined with "Remember card" ticked: nothing is saved.
  await buy(page, RICE);
  await expect(page.locator('#summary dd[data-field="shopper"]')).toHaveText(shopper.name);
  let form = await openCardForm(page, RICE.shown);
  await expect(savedCards(form)).toHaveCount(0);
  await enterCard(form, declined, { remember: true });
  await pay(page, form, `Pay ${RICE.shown}`);
  await expectThreeDSecurePage(page, RICE.shown, declined);
  await enterOtp(page, OTP);
  await expectCardResult(page, { paid: false, code: '05', product: RICE });
  await expectSavedCards(page, []);

  // Approved with "Remember card": the card is saved for this shopper.
  const firstOrder = await orderAndCheckout(page, RICE);
  form = await openCardForm(page, RICE.shown);
  await enterCard(form, approved, { remember: true });
  const first = await pay(page, form, `Pay ${RICE.shown}`);
  expect(first.fields.savecard).toBe('true');
  await expectThreeDSecurePage(page, RICE.shown, approved);
  await enterOtp(page, OTP);
  await expectCardResult(page, { paid: true, product: RICE });
  await expectOrder(request, firstOrder, first.paymentId);
  await expectSavedCards(page, [approved]);

  // The next order: the card form lists the saved card, chosen; paying needs no card number.
  const secondOrder = await orderAndCheckout(page, SCARF);
  form = await openCardForm(page, SCARF.shown);
  await expect(savedCards(form).getByRole('radio', { name: masked(approved) })).toBeChecked();
  await expect(form.getByLabel('Card Number')).toBeHidden();
  const second = await pay(page, form, `Pay ${SCARF.shown}`);
  expect(second.fields.token).not.toBe(first.fields.token);
  expect(second.fields.savecard).toBeUndefined();
  await expectThreeDSecurePage(page, SCARF.shown, approved);
  await enterOtp(page, OTP);
  await expectCardResult(page, { paid: true, product: SCARF });
  expect(await inquiry(request, second.paymentId)).toMatchObject({
    transaction_state: 'Authorized',
    status: 'success',
    amount: 1_500,
    currency: 'THB',
    source: { card_masking: '540488*****2727' },
  });
  await expectOrder(request, secondOrder, second.paymentId);
});

test('saved cards are the shopper’s own: not shown to a guest or to another shopper', async ({ page }) => {
  const owner = newShopper('Niran Thongdee');
  const card: TestCard = { number: '5411768003141953', brand: 'MASTERCARD' };
  await signIn(page, owner);
  await orderAndCheckout(page, RICE);
  const form = await openCardForm(page, RICE.shown);
  await enterCard(form, card, { remember: true });
  await pay(page, form, `Pay ${RICE.shown}`);
  await expectThreeDSecurePage(page, RICE.shown, card);
  await enterOtp(page, OTP);
  await expectCardResult(page, { paid: true, product: RICE });

  // The owner's next order lists it …
  await orderAndCheckout(page, SCARF);
  const ownersOrder = page.url();
  await expect(savedCards(await openCardForm(page, SCARF.shown)).getByRole('radio', { name: masked(card) })).toBeChecked();

  // … a guest's order does not (signed out) …
  await page.goto('/account.html');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await orderAndCheckout(page, SCARF);
  await expect(page.locator('#summary dd[data-field="shopper"]')).toContainText('Guest');
  let other = await openCardForm(page, SCARF.shown);
  await expect(other.getByLabel('Card Number')).toBeVisible();
  await expect(savedCards(other)).toHaveCount(0);

  // … nor another shopper's.
  await signIn(page, newShopper('Kanya Boonmee'));
  await orderAndCheckout(page, SCARF);
  other = await openCardForm(page, SCARF.shown);
  await expect(other.getByLabel('Card Number')).toBeVisible();
  await expect(savedCards(other)).toHaveCount(0);

  // The owner's own unpaid order, opened by the next shopper on this computer (from its history): no saved card either.
  await page.goto(ownersOrder);
  other = await openCardForm(page, SCARF.shown);
  await expect(other.getByLabel('Card Number')).toBeVisible();
  await expect(savedCards(other)).toHaveCount(0);
});

test.describe('register-3D: save a card before buying', () => {
  test('a THB 1.00 check with 3-D Secure, voided by the bank, saves the card; the first order then pays with it', async ({ page, request }) => {
    const card: TestCard = { number: '3564580000056476', brand: 'JCB' };
    await signIn(page, newShopper('Anan Chaiyo'));
    await expectSavedCards(page, []);

    await page.getByRole('button', { name: 'Save a card' }).click();
    const form = cardForm(page);
    await expect(form.locator('#amount')).toHaveText('฿1.00');
    await enterCard(form, card);
    const posted = await pay(page, form, 'Pay ฿1.00');
    expect(posted.paymentId).toMatch(/^creg_/);
    expect(posted.fields).toMatchObject({ paymentMethods: 'card', mid: '401000000000001' });
    await expectThreeDSecurePage(page, '฿1.00', card);
    await enterOtp(page, OTP);

    await page.waitForURL(/\/account\.html\?registration=creg_[^&]+&status=saved/);
    await expect(page.locator('#registration-result')).toHaveText('Your card was saved.');
    await expect(page.getByRole('list', { name: 'Saved cards' }).getByRole('listitem')).toHaveText([masked(card)]);
    // The bank voided the THB 1.00 check itself: the shopper paid nothing for saving the card.
    expect(await inquiry(request, posted.paymentId)).toMatchObject({ amount: 1, currency: 'THB', transaction_state: 'Voided', status: 'success' });

    const orderId = await orderAndCheckout(page, SCARF);
    const checkoutForm = await openCardForm(page, SCARF.shown);
    await expect(savedCards(checkoutForm).getByRole('radio', { name: masked(card) })).toBeChecked();
    const paid = await pay(page, checkoutForm, `Pay ${SCARF.shown}`);
    await expectThreeDSecurePage(page, SCARF.shown, card);
    await enterOtp(page, OTP);
    await expectCardResult(page, { paid: true, product: SCARF });
    expect(await inquiry(request, paid.paymentId)).toMatchObject({ transaction_state: 'Authorized', amount: 1_500, source: { card_masking: '356458*****6476' } });
    await expectOrder(request, orderId, paid.paymentId);
  });

  test('a wrong OTP saves nothing and says why', async ({ page, request }) => {
    const card: TestCard = { number: '5404888005380836', brand: 'MASTERCARD' };
    await signIn(page, newShopper('Pim Rattana'));
    await page.getByRole('button', { name: 'Save a card' }).click();
    const form = cardForm(page);
    await enterCard(form, card);
    const posted = await pay(page, form, 'Pay ฿1.00');
    await expectThreeDSecurePage(page, '฿1.00', card);
    await enterOtp(page, '111111');
    await page.waitForURL(/\/account\.html\?registration=creg_[^&]+&status=failed/);
    await expect(page.locator('#registration-result')).toHaveText('Your card was not saved: The card’s security check (3-D Secure OTP) failed. Please try again.');
    await expect(page.getByText('No saved cards yet.')).toBeVisible();
    expect(await inquiry(request, posted.paymentId)).toMatchObject({ transaction_state: 'Pre-Authorized', status: 'fail', failure_code: '50' });
  });

  test('a guest cannot save a card: the account page asks to sign in, the demo’s server refuses', async ({ page, request }) => {
    await page.goto('/account.html');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save a card' })).toBeHidden();
    const res = await request.post('/api/account/card-registrations');
    expect(res.status()).toBe(401);
    // Nor can the browser name an order of its own: the companion asks the demo's server, which knows no shopper for it.
    const orderId = await orderAndCheckout(page, RICE);
    const companion = await request.post('/checkout/kpayment/registrations', { data: { orderId } });
    expect(companion.status()).toBe(401);
  });
});
