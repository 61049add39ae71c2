import { type Page, expect, test } from '@playwright/test';
import {
  confirmDialog,
  openOrderPayments,
  openPayment,
  operationButton,
  operationProblem,
  operationStatus,
  payWithOpn,
  paymentField,
  paymentRow,
  rowCell,
  runOperation,
  setKakaopayManualCapture,
  timelineEntry,
  timelineRows,
} from './support/merchant.ts';
import { KAKAOPAY, KAYA, checkoutElement, getOrder, onlyCharge } from './support/shop.ts';

/**
 * KakaoPay captured by the merchant: with the merchant setting "KakaoPay: capture payments manually" the demo's
 * companion charges KakaoPay with `capture: false` (Opn's `manualCapture`), the shopper's payment is only
 * authorised, and the merchant captures or reverses it on the payments page. The setting is the demo's, shared by
 * every test: it is put back at the end.
 */

const OPERATOR = 'demo-merchant';
const MANUAL_CAPTURE = 'KakaoPay: capture payments manually';

/** The order's one charge at the sandbox, with the capture fields the shop's helpers leave out. */
async function heldCharge(page: Page, orderId: string) {
  return (await onlyCharge(page.request, orderId)) as Awaited<ReturnType<typeof onlyCharge>> & { capture: boolean; authorized: boolean; capturable: boolean };
}

/** What the shopper reads on the result page for a payment the shop has still to capture. */
async function expectAuthorisedResult(page: Page): Promise<void> {
  const element = checkoutElement(page);
  await expect(element.locator('[part="headline"]')).toHaveText('Payment authorised');
  await expect(element.locator('[part="message"]')).toHaveText('The amount is held on your account until the shop confirms your order.');
  await expect(element.locator('[part="summary"]')).toHaveText(`${KAYA.shown} with ${KAKAOPAY.label}`);
  await expect(page.locator('#order dd[data-field="order status"]')).toHaveText('Payment authorised: the shop will confirm it');
  // The money is held for this order: paying it another way is not offered.
  await expect(page.getByRole('link', { name: 'Choose another payment method' })).toBeHidden();
}

test('KakaoPay with manual capture: the merchant switches it on, captures one authorised payment and reverses another', async ({ page, request }) => {
  try {
    // The merchant settings page: off by default, switched on, kept across a reload.
    await page.goto('/merchant.html');
    const setting = page.getByLabel(MANUAL_CAPTURE);
    await expect(setting).not.toBeChecked();
    await expect(setting).toHaveAccessibleDescription(/only authorised: capture or reverse it on the Payments page/);
    await setting.check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status')).toHaveText('Saved.');
    await page.reload();
    await expect(page.getByLabel(MANUAL_CAPTURE)).toBeChecked();

    // A shopper pays with KakaoPay: authorised at Opn, not captured; the shop is not told it is paid.
    const first = await payWithOpn(page, KAYA, KAKAOPAY);
    await expectAuthorisedResult(page);
    expect(await heldCharge(page, first.orderId)).toMatchObject({ capture: false, authorized: true, capturable: true, paid: false, status: 'pending' });
    expect((await getOrder(request, first.orderId)).state).toBe('awaiting_payment');

    await openOrderPayments(page, first.orderId);
    await expect(rowCell(paymentRow(page, first.paymentId), 'status')).toHaveText('Authorized');
    await openPayment(page, first.paymentId);
    await expect(paymentField(page, 'status')).toHaveText('Authorized');
    await expect(paymentField(page, 'settled')).toHaveText('Not settled (or not known)');
    await expect(operationButton(page, 'Capture')).toBeEnabled();
    await expect(operationButton(page, 'Capture')).toHaveAccessibleDescription(`All of ${KAYA.shown}`);
    await expect(operationButton(page, 'Reverse')).toBeEnabled();
    await expect(operationButton(page, 'Reverse')).toHaveAccessibleDescription(`All of ${KAYA.shown}`);
    // Not paid yet: nothing to void or refund.
    await expect(operationButton(page, 'Void')).toBeDisabled();
    await expect(operationButton(page, 'Void')).toHaveAccessibleDescription(/its status is authorized\.$/);
    await expect(operationButton(page, 'Refund')).toBeDisabled();

    // Keeping it as it is sends nothing.
    await operationButton(page, 'Capture').click();
    await expect(confirmDialog(page).getByRole('heading')).toHaveText(`Capture payment ${first.paymentId}?`);
    await confirmDialog(page).getByRole('button', { name: 'Keep the payment as it is' }).click();
    await expect(confirmDialog(page)).toBeHidden();
    await expect(timelineEntry(page, /^Capture/)).toHaveCount(0);

    await runOperation(page, { button: 'Capture', statement: `Capture ${KAYA.shown}? The shopper is charged this amount.`, confirm: `Capture ${KAYA.shown}` });
    await expect(operationStatus(page)).toHaveText('Captured.');
    await expect(operationProblem(page)).toBeHidden();
    await expect(paymentField(page, 'status')).toHaveText('Succeeded');
    await expect(paymentField(page, 'amount')).toHaveText(KAYA.shown);
    await expect(paymentField(page, 'settled')).toHaveText(KAYA.shown);
    await expect(rowCell(paymentRow(page, first.paymentId), 'status')).toHaveText('Succeeded');
    await expect(timelineEntry(page, 'Capture of S$15.00 requested').locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(timelineEntry(page, 'Capture of S$15.00 done').locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(timelineRows(page).filter({ has: page.locator('td[data-field="status"]', { hasText: 'Authorized → Succeeded' }) })).toHaveCount(1);
    await expect(timelineEntry(page, 'Shop told (onPaid)')).toHaveCount(1);
    await expect(operationButton(page, 'Capture')).toBeDisabled();
    await expect(operationButton(page, 'Reverse')).toBeDisabled();
    await expect(operationButton(page, 'Void')).toBeEnabled();
    expect(await heldCharge(page, first.orderId)).toMatchObject({ status: 'successful', paid: true, capturable: false });
    expect(await getOrder(request, first.orderId)).toMatchObject({ state: 'paid', paidBy: first.paymentId });
    await page.goto(`/result.html?paymentId=${first.paymentId}`);
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
    await expect(page.locator('#order dd[data-field="order status"]')).toHaveText('Paid');

    // A second payment, reversed: the hold is released, nothing is paid.
    const second = await payWithOpn(page, KAYA, KAKAOPAY);
    await expectAuthorisedResult(page);
    await openOrderPayments(page, second.orderId);
    await openPayment(page, second.paymentId);
    await expect(paymentField(page, 'status')).toHaveText('Authorized');
    await runOperation(page, { button: 'Reverse', statement: `Reverse this payment of ${KAYA.shown}? All of it goes back to the shopper.`, confirm: `Reverse ${KAYA.shown}` });
    await expect(operationStatus(page)).toHaveText('Reversed.');
    await expect(paymentField(page, 'status')).toHaveText('Canceled');
    await expect(rowCell(paymentRow(page, second.paymentId), 'status')).toHaveText('Canceled');
    await expect(timelineEntry(page, 'Reverse requested').locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(timelineEntry(page, 'Reverse done').locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(timelineRows(page).filter({ has: page.locator('td[data-field="status"]', { hasText: 'Authorized → Canceled' }) })).toHaveCount(1);
    for (const name of ['Capture', 'Reverse']) {
      await expect(operationButton(page, name)).toBeDisabled();
      await expect(operationButton(page, name)).toHaveAccessibleDescription(/its status is canceled\.$/);
    }
    expect(await heldCharge(page, second.orderId)).toMatchObject({ status: 'reversed', paid: false });
    expect((await getOrder(request, second.orderId)).state).toBe('payment_canceled');
    await page.goto(`/result.html?paymentId=${second.paymentId}`);
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment canceled');
    await expect(page.locator('#order dd[data-field="order status"]')).toHaveText('Payment canceled');

    // Switched off again on the page: the next KakaoPay payment is captured at once.
    await page.goto('/merchant.html');
    await page.getByLabel(MANUAL_CAPTURE).uncheck();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByRole('status')).toHaveText('Saved.');
    const third = await payWithOpn(page, KAYA, KAKAOPAY);
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
    expect(await heldCharge(page, third.orderId)).toMatchObject({ capture: true, status: 'successful', paid: true });
  } finally {
    await setKakaopayManualCapture(request, false);
  }
});
