import { expect, test } from '@playwright/test';
import { KMA, KPLUS, SCARF, approve, buy, checkoutElement, choose, expectResult, getOrder, getPaymentView, paymentIdOf } from './support/shop.ts';

/**
 * One order paid twice from two tabs (issue 11, defect 1): the second payment never reads "Payment successful"; the
 * shopper is told the order was already paid and what happens to that money, on the page and in the payment's view.
 */
test('a K PLUS payment completed after the order was paid with KMA in another tab says so, and that the shop will refund it', async ({ page, context, request }) => {
  const product = SCARF;
  const orderId = await buy(page, product);
  const checkoutUrl = page.url();
  await choose(page, KPLUS, product);

  // Tab B: the same order, paid with KMA.
  const other = await context.newPage();
  await other.goto(checkoutUrl);
  await choose(other, KMA, product);
  await approve(other);
  await expectResult(other, { headline: 'Payment successful', product, method: KMA, orderStatus: 'Paid' });
  const paidBy = paymentIdOf(other);
  await other.close();

  // Tab A: the K PLUS page is still open at the bank, and the shopper approves it too. Opn cannot void or refund a
  // K PLUS charge, so the shop will.
  await approve(page);
  await page.waitForURL(/\/result\.html\?paymentId=/);
  const element = checkoutElement(page);
  await expect(element.locator('[part="headline"]')).toHaveText('This order was already paid');
  await expect(element.locator('[part="message"]')).toHaveText('The shop will refund this second payment to you. You do not need to do anything.');
  await expect(element.getByRole('status')).not.toContainText('Payment successful');
  const view = (await getPaymentView(request, paymentIdOf(page))) as unknown as { status: string; notice?: { kind: string } };
  expect(view).toMatchObject({ status: 'succeeded', notice: { kind: 'paid_twice_to_refund' } });
  const order = await getOrder(request, orderId);
  expect(order).toMatchObject({ state: 'paid', paidBy });
  expect(order.needsRefund).toEqual([paymentIdOf(page)]);
});
