import { type APIRequestContext, type Page, expect, test } from '@playwright/test';
import { kpaymentChecksum } from '@payment-checkout/core/signature';
import {
  KPAYMENT_SECRET_KEY,
  OTP,
  type PostedForm,
  type TestCard,
  enterCard,
  enterOtp,
  expectCardResult,
  expectNoCharge,
  expectOrder,
  expectThreeDSecurePage,
  inquiry,
  notifyDeliveries,
  openCardForm,
  orderAndCheckout,
  pay,
} from './support/cards.ts';
import { KAYA, type Product, RICE, SCARF, checkoutElement, getOrder, getPaymentView } from './support/shop.ts';

/**
 * The security invariants of DESIGN.md for cards: nothing is paid because a browser (or anyone posting to the
 * companion) says so. The 3-D Secure callback and the notify are only prompts; an inquiry at the gateway
 * decides, and a card token pays at most once.
 */

const APPROVED: TestCard = { number: '5404888000072727', brand: 'MASTERCARD' };

/** A card payment left at the bank's 3-D Secure page, the OTP not yet entered. */
async function waitingAtTheBank(page: Page, request: APIRequestContext, product: Product) {
  const orderId = await orderAndCheckout(page, product);
  const form = await openCardForm(page, product.shown);
  await enterCard(form, APPROVED);
  const posted = await pay(page, form, `Pay ${product.shown}`);
  await expectThreeDSecurePage(page, product.shown, APPROVED);
  const charge = await inquiry(request, posted.paymentId);
  expect(charge).toMatchObject({ transaction_state: 'Pre-Authorized', status: 'pending' });
  return { orderId, posted, charge };
}

/** A card payment paid through 3-D Secure. */
async function paidByCard(page: Page, request: APIRequestContext, product: Product) {
  const { orderId, posted, charge } = await waitingAtTheBank(page, request, product);
  await enterOtp(page, OTP);
  await expectCardResult(page, { paid: true, product });
  return { orderId, posted, chargeId: charge.id };
}

/** Nothing moved: the companion still waits, the order is not paid, the bank still waits for the OTP. */
async function expectStillWaiting(request: APIRequestContext, orderId: string, posted: PostedForm): Promise<void> {
  expect((await getPaymentView(request, posted.paymentId)).status).toBe('pending');
  await expectOrder(request, orderId, null);
  expect(await getOrder(request, orderId)).toMatchObject({ state: 'awaiting_payment' });
  expect(await inquiry(request, posted.paymentId)).toMatchObject({ transaction_state: 'Pre-Authorized', status: 'pending' });
}

function callback(request: APIRequestContext, fields: Record<string, string>) {
  return request.post('/checkout/kpayment/callback', { form: fields, maxRedirects: 0 });
}

test('a forged 3-D Secure callback (status=true, another objectId) pays nothing', async ({ page, request, browser }) => {
  const other = await paidByCard(page, request, KAYA);
  const { orderId, posted, charge } = await waitingAtTheBank(page, request, RICE);
  const resultOf = (paymentId: string) => new RegExp(`/result\\.html\\?paymentId=${paymentId}$`);

  // "status=true" with the objectId of another, paid charge: the companion follows that charge, to its own payment.
  const forged = await callback(request, { objectId: other.chargeId, status: 'true', token: posted.fields.token, saveCard: 'false' });
  expect(forged.status()).toBe(303);
  expect(forged.headers().location).toMatch(resultOf(other.posted.paymentId));
  await expectStillWaiting(request, orderId, posted);
  expect(await getOrder(request, other.orderId)).toMatchObject({ state: 'paid', paidBy: other.posted.paymentId, needsRefund: [] });

  // "status=true" with this payment's own charge, before the OTP: the inquiry says pending, so it stays pending.
  const early = await callback(request, { objectId: charge.id, status: 'true', token: posted.fields.token, saveCard: 'false' });
  expect(early.status()).toBe(303);
  expect(early.headers().location).toMatch(resultOf(posted.paymentId));
  await expectStillWaiting(request, orderId, posted);
  // What a shopper sent there reads: still waiting, not paid.
  const shopper = await browser.newPage();
  await shopper.goto(early.headers().location);
  await expect(checkoutElement(shopper).getByRole('status')).toContainText('Waiting for confirmation…');
  await expect(shopper.locator('#order dd[data-field="order status"]')).toHaveText('Awaiting payment');
  await shopper.close();

  // A charge id nobody holds: 404, nothing changes.
  const unknown = await callback(request, { objectId: 'chrg_test_forged0000000000000000000', status: 'true' });
  expect(unknown.status()).toBe(404);
  await expectStillWaiting(request, orderId, posted);

  // The real OTP still completes the payment: the forgeries broke nothing.
  await enterOtp(page, OTP);
  await expectCardResult(page, { paid: true, product: RICE });
  await expectOrder(request, orderId, posted.paymentId);
});

test('a notify with a bad checksum is refused and changes nothing; a well-signed one that lies is checked by inquiry', async ({ page, request }) => {
  const { orderId, posted, charge } = await waitingAtTheBank(page, request, SCARF);
  const lie = { id: charge.id, amount: charge.amount, currency: charge.currency, status: 'success', transaction_state: 'Authorized', failure_code: '' };
  const notify = (checksum: string) =>
    request.post('/webhooks/kpayment', {
      data: { ...lie, object: 'charge', reference_order: posted.paymentId, livemode: false, failure_message: '', checksum },
    });

  for (const checksum of [
    kpaymentChecksum(lie, 'skey_test_attacker'), // signed with another key
    kpaymentChecksum({ ...lie, amount: 1 }, KPAYMENT_SECRET_KEY), // the merchant's key, over other fields
    '0'.repeat(64),
  ]) {
    const res = await notify(checksum);
    expect(res.status(), checksum).toBe(401);
    await expectStillWaiting(request, orderId, posted);
  }

  // The right checksum (whoever holds the secret key): accepted, but the companion asks the gateway, which says pending.
  const signed = await notify(kpaymentChecksum(lie, KPAYMENT_SECRET_KEY));
  expect(signed.status()).toBe(200);
  await expectStillWaiting(request, orderId, posted);

  await enterOtp(page, OTP);
  await expectCardResult(page, { paid: true, product: SCARF });
  await expectOrder(request, orderId, posted.paymentId);
});

test('a replayed card token pays nothing more: not its own payment twice, not another order', async ({ page, request }) => {
  const first = await paidByCard(page, request, RICE);
  const notifiesBefore = (await notifyDeliveries(request)).length;

  // The same form post again (a double submit, the back button, an attacker with the request): no second charge.
  const replay = await request.post(first.posted.action, { form: first.posted.fields, maxRedirects: 0 });
  expect(replay.status()).toBe(303);
  expect(replay.headers().location).toMatch(new RegExp(`/result\\.html\\?paymentId=${first.posted.paymentId}$`));
  expect((await inquiry(request, first.posted.paymentId)).id).toBe(first.chargeId);
  const order = await getOrder(request, first.orderId);
  expect(order).toMatchObject({ state: 'paid', paidBy: first.posted.paymentId, needsRefund: [] });
  expect(order.history.filter((line) => line.startsWith('paid by'))).toHaveLength(1);

  // The token posted to another order's card form: the gateway refuses the used token; that order is not paid.
  const orderId = await orderAndCheckout(page, RICE);
  await openCardForm(page, RICE.shown);
  const action = await page.locator('payment-checkout > form[data-payment-checkout="kpayment"]').getAttribute('action');
  const paymentId = /\/checkout\/kpayment\/token\/(pay_[^/?]+)\?/.exec(action ?? '')?.[1];
  expect(paymentId, `the card form's action ${action}`).toBeTruthy();
  const stolen = await request.post(action!, { form: first.posted.fields, maxRedirects: 0 });
  expect(stolen.status()).toBe(303);
  await page.goto(stolen.headers().location);
  await expectCardResult(page, { paid: false, code: 'used_token', product: RICE });
  await expectOrder(request, orderId, null);
  await expectNoCharge(request, paymentId!);

  // Neither replay reached the bank as a new charge: no new notify went out.
  expect(await notifyDeliveries(request)).toHaveLength(notifiesBefore);
  expect((await inquiry(request, first.posted.paymentId)).id).toBe(first.chargeId);
});
