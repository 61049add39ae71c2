import { expect, test } from '@playwright/test';
import {
  FAILURES,
  KAKAOPAY,
  KAYA,
  KMA,
  KPLUS,
  MINUTE,
  SCARF,
  advanceSandboxClock,
  advanceSandboxClockTo,
  approve,
  buy,
  chargesFor,
  checkoutElement,
  choose,
  decline,
  expectAuthorizePage,
  expectResult,
  getOrder,
  leave,
  methodButton,
  onlyCharge,
  paymentIdOf,
} from './support/shop.ts';

/**
 * Charges left undecided expire on the sandbox's clock: K PLUS after 10 minutes, KMA after 15, KakaoPay never by
 * itself. The clock is driven, never waited for; it is shared, which is why the suite runs on one worker.
 */

const EXPIRED_DETAIL = 'The payment was not completed in time. No money was taken.';

for (const method of [KPLUS, KMA]) {
  test(`${method.label}: pending until ${method.expiryMinutes} minutes, then expired; the shopper sees it and the order is not paid`, async ({ page, request }) => {
    const product = SCARF;
    const orderId = await buy(page, product);
    await choose(page, method, product);
    const authorizeUrl = page.url();

    const charge = await onlyCharge(request, orderId);
    expect(charge.status).toBe('pending');
    const expiresAt = Date.parse(charge.expires_at!);
    expect(expiresAt - Date.parse(charge.created_at)).toBe(method.expiryMinutes! * MINUTE);

    // Not before: a little short of the limit the bank page still takes a decision.
    await advanceSandboxClockTo(request, expiresAt - 20_000);
    await page.reload();
    await expectAuthorizePage(page, method, product);
    await expect(page.getByRole('button', { name: 'Successful' })).toBeEnabled();
    expect((await onlyCharge(request, orderId)).status).toBe('pending');

    // The shopper leaves the bank undecided: the shop is still waiting and the order awaits payment.
    await leave(page);
    const paymentId = paymentIdOf(page);
    await expectResult(page, { headline: 'Waiting for confirmation…', product, method, orderStatus: 'Awaiting payment' });
    expect((await getOrder(request, orderId)).state).toBe('awaiting_payment');

    // After the limit the charge expires at the gateway; the waiting result page turns to "expired" by itself.
    await advanceSandboxClockTo(request, expiresAt + 2_000);
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment expired');
    await expectResult(page, { headline: 'Payment expired', message: EXPIRED_DETAIL, product, method, orderStatus: 'Payment expired' });

    const expired = await onlyCharge(request, orderId);
    expect(expired).toMatchObject({ status: 'expired', paid: false, failure_code: 'payment_expired' });
    const order = await getOrder(request, orderId);
    expect(order.state).toBe('payment_expired');
    expect(order.paidBy).toBeNull();
    expect(order.history.at(-1)).toBe(`payment ${paymentId} expired (payment_expired)`);

    // Coming back to the bank page later: it says expired, offers no decision, and leads back to "expired".
    await page.goto(authorizeUrl);
    await expect(page.getByRole('status')).toContainText('This payment expired');
    await expect(page.getByRole('button', { name: 'Successful' })).toHaveCount(0);
    await page.getByRole('link', { name: 'Return to the merchant' }).click();
    await page.waitForURL(/\/result\.html\?paymentId=/);
    expect(paymentIdOf(page)).toBe(paymentId);
    await expectResult(page, { headline: 'Payment expired', message: EXPIRED_DETAIL, product, method, orderStatus: 'Payment expired' });
  });
}

test('Krungsri KMA is expired early when the shopper goes back and pays with K PLUS instead', async ({ page, request }) => {
  const product = SCARF;
  const orderId = await buy(page, product);
  await choose(page, KMA, product);
  const kmaAuthorizeUrl = page.url();
  const kmaCharge = await onlyCharge(request, orderId);
  expect(kmaCharge.status).toBe('pending');

  // Back to the shop, another method.
  await page.goBack();
  await page.waitForURL(/\/checkout\.html\?orderId=/);
  await expect(methodButton(page, KPLUS)).toBeEnabled();
  await choose(page, KPLUS, product);

  // The abandoned KMA charge was ended at the gateway at once, long before its 15 minutes.
  const charges = await chargesFor(request, orderId);
  expect(charges).toHaveLength(2);
  const kma = charges.find((c) => c.id === kmaCharge.id)!;
  const kplus = charges.find((c) => c.id !== kmaCharge.id)!;
  expect(kma).toMatchObject({ status: 'expired', paid: false });
  expect(Date.parse(kma.expired_at!)).toBeLessThan(Date.parse(kma.expires_at!));
  expect(kplus).toMatchObject({ status: 'pending', amount: product.amount });
  expect(kplus.source.type).toBe(KPLUS.id);

  await approve(page);
  const paymentId = paymentIdOf(page);
  await expectResult(page, { headline: 'Payment successful', product, method: KPLUS, orderStatus: 'Paid' });

  const order = await getOrder(request, orderId);
  expect(order).toMatchObject({ state: 'paid', paidBy: paymentId, needsRefund: [] });
  // The abandoned KMA payment is not reported to the merchant as a failure.
  expect(order.history).toEqual(['created', `paid by ${paymentId}`]);
  expect(kplus.metadata.payment_id).toBe(paymentId);

  // The KMA page can no longer take the payment.
  await page.goto(kmaAuthorizeUrl);
  await expect(page.getByRole('status')).toContainText('This payment expired');
  await expect(page.getByRole('button', { name: 'Successful' })).toHaveCount(0);
});

test('KakaoPay sets no timer: still pending after 16 minutes; its expiry comes as the payment_expired failure code', async ({ page, request }) => {
  const product = KAYA;
  const orderId = await buy(page, product);
  await choose(page, KAKAOPAY, product);
  expect((await onlyCharge(request, orderId)).expires_at).toBeNull();

  await advanceSandboxClock(request, 16 * MINUTE);
  await page.reload();
  await expectAuthorizePage(page, KAKAOPAY, product);
  expect((await onlyCharge(request, orderId)).status).toBe('pending');

  await decline(page, 'payment_expired');
  await expectResult(page, {
    headline: 'Payment failed',
    message: FAILURES.payment_expired,
    code: 'payment_expired',
    product,
    method: KAKAOPAY,
    orderStatus: 'Payment failed',
  });
  expect(await onlyCharge(request, orderId)).toMatchObject({ status: 'failed', failure_code: 'payment_expired' });
  expect((await getOrder(request, orderId)).state).toBe('payment_failed');
});
