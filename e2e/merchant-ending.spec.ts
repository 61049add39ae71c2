import { expect, test } from '@playwright/test';
import {
  onlyPaymentId,
  openOrderPayments,
  openPayment,
  operationButton,
  operationProblem,
  operationStatus,
  paymentField,
  paymentRow,
  rowCell,
  runOperation,
  timelineEntry,
  timelineRows,
} from './support/merchant.ts';
import { THAI_QR, openQr } from './support/kpayment.ts';
import { KMA, RICE, buy, checkoutElement, choose, getOrder, leave, onlyCharge, paymentIdOf } from './support/shop.ts';

/**
 * The merchant's payments page ending a payment the shopper left unpaid: a KMA charge expired early, a Thai QR's cancel
 * refused with its reason (the page and the operations API as in merchant-payments.spec.ts).
 */

const OPERATOR = 'demo-merchant';

test.describe('ending a payment that is not paid', () => {
  test('expires a KMA payment the shopper left pending: Expired, the order unpaid, the timeline says who asked', async ({ page, request }) => {
    const orderId = await buy(page, RICE);
    await choose(page, KMA, RICE);
    await leave(page);
    const paymentId = paymentIdOf(page);
    const resultUrl = page.url();

    await openOrderPayments(page, orderId);
    await openPayment(page, paymentId);
    await expect(paymentField(page, 'status')).toHaveText('Pending');
    await expect(rowCell(paymentRow(page, paymentId), 'status')).toHaveText('Pending');
    await expect(operationButton(page, 'Expire')).toBeEnabled();
    await expect(operationButton(page, 'Expire')).toHaveAccessibleDescription('Ends it unpaid: the shopper can no longer pay it.');
    // Opn has neither void nor refund for KMA: shown refused, with the reason.
    for (const name of ['Void', 'Refund']) {
      await expect(operationButton(page, name)).toBeDisabled();
      await expect(operationButton(page, name)).toHaveAccessibleDescription(/^Opn cannot void or refund Krungsri KMA payments/);
    }

    await runOperation(page, { button: 'Expire', statement: 'Expire this payment of ฿350.00? The shopper can no longer pay it.', confirm: 'Expire ฿350.00' });
    await expect(operationStatus(page)).toHaveText('Expired.');
    await expect(operationProblem(page)).toBeHidden();
    await expect(paymentField(page, 'status')).toHaveText('Expired');
    await expect(rowCell(paymentRow(page, paymentId), 'status')).toHaveText('Expired');
    await expect(timelineEntry(page, 'Expire requested').locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(timelineEntry(page, 'Expire done').locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(timelineRows(page).filter({ has: page.locator('td[data-field="status"]', { hasText: 'Pending → Expired' }) })).toHaveCount(1);
    await expect(operationButton(page, 'Expire')).toBeDisabled();
    await expect(operationButton(page, 'Expire')).toHaveAccessibleDescription('Only a pending charge can be expired early; its status is expired.');

    // At the gateway, for the shop and for the shopper: expired, nothing paid.
    expect(await onlyCharge(request, orderId)).toMatchObject({ status: 'expired', paid: false });
    expect((await getOrder(request, orderId)).state).toBe('payment_expired');
    await page.goto(resultUrl);
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment expired');
  });

  test('shows a Thai QR payment’s cancel refused, with its reason', async ({ page }) => {
    const orderId = await buy(page, RICE);
    await openQr(page, THAI_QR, /350\.00/);

    await openOrderPayments(page, orderId);
    const paymentId = await onlyPaymentId(page);
    await openPayment(page, paymentId);
    await expect(paymentField(page, 'method')).toHaveText('Thai QR (PromptPay)');
    await expect(paymentField(page, 'status')).toHaveText('Pending');
    const cancel = operationButton(page, 'Cancel payment');
    await expect(cancel).toBeDisabled();
    await expect(cancel).toHaveAccessibleDescription('K-Payment cancels an unpaid QR by its QR id, which only the shopper sees; the QR expires by itself.');
    await expect(page.locator('#operation-cancel-note')).toBeVisible();
    await expect(operationButton(page, 'Void')).toBeDisabled();
    await expect(operationButton(page, 'Void')).toHaveAccessibleDescription('Only a paid QR payment can be voided; its status is pending.');
    await expect(operationButton(page, 'Check now')).toBeEnabled();
  });
});
