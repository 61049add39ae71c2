import { type Page, type Request, expect, test } from '@playwright/test';
import {
  confirmDialog,
  openOrderPayments,
  openPayment,
  operationButton,
  operationProblem,
  operationStatus,
  payByCard,
  payWithOpn,
  paymentField,
  paymentRow,
  paymentRows,
  rowCell,
  runOperation,
  timelineEntry,
  timelineRows,
} from './support/merchant.ts';
import { DEFAULT_CARD_SETTINGS, enterCard, expectCardResult, inquiry, openCardForm, orderAndCheckout, pay, setCardSettings } from './support/cards.ts';
import { KAKAOPAY, KPLUS, RICE, SANDBOX_URL, SCARF, advanceSandboxClock, onlyCharge } from './support/shop.ts';

/**
 * The merchant's payments page (/merchant/payments), on the operations API through the demo's proxy: a shopper
 * pays, the merchant finds the payment by its order id, reads its fields and timeline, and acts on it with a
 * confirmation. Everything is asserted as the merchant reads it: statuses, amounts, reasons, messages.
 */

const OPERATOR = 'demo-merchant';
/** What the list says of an order id no order can have, in place of the list. */
const REFUSED_ORDER_ID =
  'The order id “no spaces allowed” cannot be one: order ids are 1 to 64 letters, digits and the signs _ - . : (no spaces or other signs, not dots alone). No search was made.';

/** Every request the page makes, to see that none goes to the operations API itself or carries a token. */
function recordRequests(page: Page): Request[] {
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  return requests;
}

test.describe('the list and one payment', () => {
  test('finds a K PLUS payment by its order id, shows its fields and timeline, and checks it now', async ({ page }) => {
    const { orderId, paymentId } = await payWithOpn(page, SCARF, KPLUS);
    const requests = recordRequests(page);

    await openOrderPayments(page, orderId);
    await expect(paymentRows(page)).toHaveCount(1);
    const row = paymentRow(page, paymentId);
    await expect(rowCell(row, 'amount')).toHaveText('฿1,500.00');
    await expect(rowCell(row, 'refunded')).toHaveText('—');
    await expect(rowCell(row, 'method')).toHaveText('KBank K PLUS');
    await expect(rowCell(row, 'gateway')).toHaveText('Opn Payments');
    await expect(rowCell(row, 'status').locator('.badge')).toHaveText('Succeeded');
    await expect(page.getByRole('status').filter({ hasText: 'Page 1' })).toHaveText('Page 1: 1 payment, newest first.');

    // Another filter on top of the order id: nothing of this order failed.
    await page.getByLabel('Status').selectOption({ label: 'Failed' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(paymentRows(page)).toHaveCount(0);
    await expect(page.locator('#list-status')).toHaveText('No payments match these filters.');
    await page.getByLabel('Status').selectOption({ label: 'Succeeded' });
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(paymentRows(page)).toHaveCount(1);

    await openPayment(page, paymentId);
    await expect(paymentField(page, 'order')).toHaveText(orderId);
    await expect(paymentField(page, 'status')).toHaveText('Succeeded');
    await expect(paymentField(page, 'amount')).toHaveText('฿1,500.00');
    await expect(paymentField(page, 'refunded')).toHaveText('฿0.00');
    await expect(paymentField(page, 'method')).toHaveText('KBank K PLUS');
    await expect(paymentField(page, 'charge')).toHaveText(/^chrg_test_/);

    // The timeline, oldest first: created, then paid, then the shop told.
    await expect(timelineRows(page).first().locator('td[data-field="event"]')).toHaveText('Payment created');
    await expect(timelineRows(page).first().locator('td[data-field="by"]')).toHaveText('Checkout');
    await expect(timelineEntry(page, 'Charge created at the gateway')).toHaveCount(1);
    const paid = timelineRows(page).filter({ has: page.locator('td[data-field="status"]', { hasText: /→ Succeeded$/ }) });
    await expect(paid).toHaveCount(1);
    await expect(timelineEntry(page, 'Shop told (onPaid)')).toHaveCount(1);

    // "Check now" asks the gateway at once (no confirmation: it moves no money); the log says who asked.
    const before = await timelineRows(page).count();
    await operationButton(page, 'Check now').click();
    await expect(operationStatus(page)).toHaveText('Checked with the gateway.');
    await expect(confirmDialog(page)).toBeHidden();
    await expect(timelineRows(page)).not.toHaveCount(before);
    const check = timelineEntry(page, 'Check requested');
    await expect(check).toHaveCount(1);
    await expect(check.locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(paymentField(page, 'status')).toHaveText('Succeeded');

    // Opn has no refund for K PLUS: the button is there, disabled, and says why.
    await expect(operationButton(page, 'Refund')).toBeDisabled();
    await expect(operationButton(page, 'Refund')).toHaveAccessibleDescription(/K PLUS/);
    await expect(page.locator('#operation-refund-note')).toBeVisible();

    // A reload shows the same list and payment (the query string holds both).
    await page.reload();
    await expect(page.getByLabel('Order id')).toHaveValue(orderId);
    await expect(paymentField(page, 'payment')).toHaveText(paymentId);
    await expect(paymentRow(page, paymentId)).toHaveAttribute('aria-current', 'true');

    // The browser only ever spoke to the demo's proxy, and never with a token.
    const calls = requests.filter((r) => r.resourceType() === 'fetch').map((r) => new URL(r.url()).pathname);
    expect(calls.filter((path) => path.startsWith('/api/merchant/operations/payments')).length).toBeGreaterThan(2);
    for (const r of requests) {
      expect(new URL(r.url()).pathname).not.toMatch(/^\/operations\//);
      expect(await r.allHeaders()).not.toHaveProperty('authorization');
    }
  });

  test('pages through the list, newest first, and filters by date', async ({ page }) => {
    // Enough payments for two pages: K PLUS payments started (and left pending) for fresh orders.
    for (let i = 0; i < 21; i += 1) {
      const order = await page.request.post('/api/orders', { data: { productId: RICE.id } });
      const { id } = (await order.json()) as { id: string };
      const started = await page.request.post('/checkout/payments', { data: { orderId: id, method: KPLUS.id } });
      expect(started.status()).toBe(201);
    }
    await page.goto('/merchant/payments');
    await expect(paymentRows(page)).toHaveCount(20);
    await expect(page.locator('#list-status')).toHaveText('Page 1: 20 payments, newest first.');
    const times = await paymentRows(page).locator('time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')!));
    expect([...times].sort().reverse()).toEqual(times);
    const firstPage = await paymentRows(page).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.paymentId));
    await expect(page.getByRole('button', { name: 'Previous page' })).toBeDisabled();

    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page.locator('#list-status')).toHaveText(/^Page 2: \d+ payments?, newest first\.$/);
    const secondPage = await paymentRows(page).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.paymentId));
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    // The page is in the address: a reload shows it again, and so does Back from one of its payments.
    expect(new URL(page.url()).searchParams.get('pages')).toBeTruthy();
    await page.reload();
    await expect(page.locator('#list-status')).toHaveText(/^Page 2: \d+ payments?, newest first\.$/);
    expect(await paymentRows(page).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.paymentId))).toEqual(secondPage);
    await paymentRows(page).first().locator('td[data-field="payment"] a').click();
    await expect(page.locator('#payment-title')).toBeFocused();
    await page.goBack();
    await expect(page.locator('#list-status')).toHaveText(/^Page 2: /);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect(page.locator('#list-status')).toHaveText('Page 1: 20 payments, newest first.');
    expect(await paymentRows(page).evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.paymentId))).toEqual(firstPage);

    // Created from tomorrow: nothing yet.
    const tomorrow = new Date(Date.now() + 86_400_000);
    const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}T00:00`;
    await page.getByLabel('Created from').fill(local);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.locator('#list-status')).toHaveText('No payments match these filters.');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(paymentRows(page)).toHaveCount(20);
  });

  test('says so when a payment does not exist, and when a filter is refused', async ({ page }) => {
    await page.goto('/merchant/payments?paymentId=pay_00000000000000000000000000000000');
    await expect(page.locator('#payment-problem')).toHaveText('No such payment.');
    await page.goto('/merchant/payments?orderId=no%20spaces%20allowed');
    await expect(page.locator('#list-problem')).toHaveText(REFUSED_ORDER_ID);
    await expect(paymentRows(page)).toHaveCount(0);
  });

  test('a refused search leaves no earlier list under its message, even after an operation', async ({ page }) => {
    const order = await page.request.post('/api/orders', { data: { productId: RICE.id } });
    const { id: orderId } = (await order.json()) as { id: string };
    const started = await page.request.post('/checkout/payments', { data: { orderId, method: KPLUS.id } });
    const { paymentId } = (await started.json()) as { paymentId: string };
    await page.goto('/merchant/payments');
    await expect(paymentRows(page).first()).toBeVisible();

    const requests = recordRequests(page);
    const filters = page.getByRole('search', { name: 'Filter payments' });
    await filters.getByLabel('Order id').fill('no spaces allowed');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    // Said where the list was, and nothing under it: the unfiltered rows are gone, and no search was sent.
    await expect(page.locator('#list-problem')).toHaveText(REFUSED_ORDER_ID);
    await expect(paymentRows(page)).toHaveCount(0);
    await expect(page.locator('#list-status')).toHaveText('No payments shown: correct the filters and apply them again.');
    await expect(page.getByRole('button', { name: 'Next page' })).toHaveAttribute('aria-disabled', 'true');
    expect(requests.filter((r) => new URL(r.url()).pathname === '/api/merchant/operations/payments')).toEqual([]);

    // An operation on a payment open beside it reads the list again: still none of the earlier search's rows.
    await page.goto(`/merchant/payments?orderId=no%20spaces%20allowed&paymentId=${paymentId}`);
    await expect(paymentField(page, 'payment')).toHaveText(paymentId);
    await operationButton(page, 'Check now').click();
    await expect(operationStatus(page)).toHaveText('Checked with the gateway.');
    // The button is drawn again, and focused, once the page has read the list again (or chosen not to).
    await expect(operationButton(page, 'Check now')).toBeFocused();
    await expect(page.locator('#list-problem')).toHaveText(REFUSED_ORDER_ID);
    await expect(paymentRows(page)).toHaveCount(0);

    // Corrected, the search is made.
    await filters.getByLabel('Order id').fill(orderId);
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page.locator('#list-problem')).toBeHidden();
    await expect(paymentRows(page)).toHaveCount(1);
  });

  test('a shared link with filter values the form cannot show lists what the form shows, and says so in the address', async ({ page }) => {
    await payWithOpn(page, RICE, KPLUS);
    await page.goto('/merchant/payments?createdFrom=garbage&status=nonsense&method=mobile_banking_kbank');
    await expect(page.getByLabel('Status')).toHaveValue('');
    await expect(page.getByLabel('Method')).toHaveValue('mobile_banking_kbank');
    await expect(page.locator('#list-problem')).toBeHidden();
    await expect(paymentRows(page).first()).toBeVisible();
    expect(new URL(page.url()).search).toBe('?method=mobile_banking_kbank');
  });
});

test.describe('operations, confirmed in a dialog', () => {
  test('voids a card payment the same day: Voided, and the timeline says who asked', async ({ page, request }) => {
    const { orderId, paymentId } = await payByCard(page, RICE);
    await openOrderPayments(page, orderId);
    await openPayment(page, paymentId);
    await expect(paymentField(page, 'status')).toHaveText('Succeeded');
    // Not settled yet: a refund is refused with its reason; void and settle are offered for the whole amount.
    await expect(operationButton(page, 'Refund')).toBeDisabled();
    await expect(operationButton(page, 'Refund')).toHaveAccessibleDescription(/settle/i);
    await expect(operationButton(page, 'Void')).toBeEnabled();
    await expect(operationButton(page, 'Settle')).toHaveAccessibleDescription('Up to ฿350.00');

    // Keeping the payment as it is sends nothing.
    await operationButton(page, 'Void').click();
    await expect(confirmDialog(page)).toBeVisible();
    await expect(confirmDialog(page).getByRole('heading')).toHaveText(`Void payment ${paymentId}?`);
    await confirmDialog(page).getByRole('button', { name: 'Keep the payment as it is' }).click();
    await expect(confirmDialog(page)).toBeHidden();
    await expect(timelineEntry(page, /^Void/)).toHaveCount(0);

    await runOperation(page, {
      button: 'Void',
      reason: 'Shopper cancelled the order',
      statement: 'Void this payment of ฿350.00? The shopper’s bank releases all of it, and it cannot be settled any more.',
      confirm: 'Void ฿350.00',
    });
    await expect(operationStatus(page)).toHaveText('Voided.');
    await expect(operationProblem(page)).toBeHidden();
    await expect(paymentField(page, 'status')).toHaveText('Voided');
    await expect(rowCell(paymentRow(page, paymentId), 'status')).toHaveText('Voided');
    const requested = timelineEntry(page, 'Void of ฿350.00 requested (reason: Shopper cancelled the order)');
    await expect(requested.locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(timelineEntry(page, 'Void of ฿350.00 done').locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(timelineRows(page).filter({ has: page.locator('td[data-field="status"]', { hasText: 'Succeeded → Voided' }) })).toHaveCount(1);
    // Nothing more to do with it.
    for (const name of ['Void', 'Settle', 'Refund']) await expect(operationButton(page, name)).toBeDisabled();
    expect(await inquiry(request, paymentId)).toMatchObject({ transaction_state: 'Voided' });
  });

  test('settles a card payment, then refunds it in two parts the next day: Partially refunded, then Refunded', async ({ page, request }) => {
    const { orderId, paymentId } = await payByCard(page, SCARF);
    await openOrderPayments(page, orderId);
    await openPayment(page, paymentId);

    await runOperation(page, { button: 'Settle', defaultAmount: '1500.00', statement: /^Settle ฿1,500\.00 of this payment\?/, confirm: 'Settle ฿1,500.00' });
    await expect(operationStatus(page)).toHaveText('Settled ฿1,500.00.');
    await expect(paymentField(page, 'settled')).toHaveText('฿1,500.00');
    await expect(paymentField(page, 'status')).toHaveText('Succeeded');
    await expect(timelineEntry(page, 'Settle of ฿1,500.00 done').locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(timelineEntry(page, 'Amounts now: settled ฿1,500.00').locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(operationButton(page, 'Void')).toBeDisabled();

    // Settled amounts are refunded from the next day: the bank refuses a refund today, and the page says so.
    await runOperation(page, { button: 'Refund', defaultAmount: '1500.00', statement: /^Refund ฿1,500\.00 to the shopper\?/, confirm: 'Refund ฿1,500.00' });
    await expect(operationProblem(page)).toHaveText(/^Refund failed: The gateway refused the refund: .+ Gateway code: refund_state_invalid\.$/);
    await expect(paymentField(page, 'status')).toHaveText('Succeeded');
    await expect(paymentField(page, 'refunded')).toHaveText('฿0.00');
    await expect(timelineEntry(page, /^Refund failed: .+ \(gateway code refund_state_invalid\)$/).locator('td[data-field="by"]')).toHaveText(OPERATOR);

    // The bank settles at its day cut-off: the next day, the payment can be refunded.
    await advanceSandboxClock(request, 24 * 60 * 60_000);
    await page.reload();
    await expect(operationButton(page, 'Refund')).toBeEnabled();
    await expect(operationButton(page, 'Refund')).toHaveAccessibleDescription('Up to ฿1,500.00');

    // Typing more than is left is caught in the dialog, before anything is sent.
    await operationButton(page, 'Refund').click();
    const dialog = confirmDialog(page);
    await expect(dialog.getByLabel(/^Amount/)).toHaveValue('1500.00');
    await dialog.getByLabel(/^Amount/).fill('1500.01');
    await expect(dialog.locator('#confirm-amount-problem')).toHaveText('At most ฿1,500.00.');
    await expect(dialog.getByRole('button', { name: /^Refund/ })).toBeDisabled();
    await dialog.getByLabel(/^Amount/).fill('12.345');
    await expect(dialog.locator('#confirm-amount-problem')).toHaveText('Enter an amount in THB, e.g. 1500.00.');
    await dialog.getByRole('button', { name: 'Keep the payment as it is' }).click();
    await expect(dialog).toBeHidden();

    await runOperation(page, {
      button: 'Refund',
      defaultAmount: '1500.00',
      amount: '500',
      reason: 'Damaged in transit',
      statement: 'Refund ฿500.00 to the shopper? A refund cannot be undone.',
      confirm: 'Refund ฿500.00',
    });
    await expect(operationStatus(page)).toHaveText('Refunded ฿500.00.');
    await expect(paymentField(page, 'status')).toHaveText('Partially refunded');
    await expect(paymentField(page, 'refunded')).toHaveText('฿500.00');
    const row = paymentRow(page, paymentId);
    await expect(rowCell(row, 'status')).toHaveText('Partially refunded');
    await expect(rowCell(row, 'refunded')).toHaveText('฿500.00');
    await expect(timelineEntry(page, 'Refund of ฿500.00 requested (reason: Damaged in transit)').locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(operationButton(page, 'Refund')).toHaveAccessibleDescription('Up to ฿1,000.00');

    await runOperation(page, { button: 'Refund', defaultAmount: '1000.00', statement: 'Refund ฿1,000.00 to the shopper? A refund cannot be undone.', confirm: 'Refund ฿1,000.00' });
    await expect(operationStatus(page)).toHaveText('Refunded ฿1,000.00.');
    await expect(paymentField(page, 'status')).toHaveText('Refunded');
    await expect(paymentField(page, 'refunded')).toHaveText('฿1,500.00');
    await expect(rowCell(row, 'status')).toHaveText('Refunded');
    await expect(rowCell(row, 'refunded')).toHaveText('฿1,500.00');
    await expect(timelineRows(page).filter({ has: page.locator('td[data-field="status"]', { hasText: 'Partially refunded → Refunded' }) })).toHaveCount(1);
    await expect(operationButton(page, 'Refund')).toBeDisabled();
  });

  test('a refund whose answer was lost: the page says it happened (read back), not that it failed; one lost before says nothing changed yet', async ({ page, request }) => {
    const { orderId, paymentId } = await payWithOpn(page, SCARF, KAKAOPAY);
    await openOrderPayments(page, orderId);
    await openPayment(page, paymentId);
    const opn = { authorization: `Basic ${Buffer.from('skey_test_demo:').toString('base64')}` };
    const scenario = (data: object) => request.post(`${SANDBOX_URL}/_sandbox/scenario`, { headers: opn, data });
    const refund = { button: 'Refund', amount: '100', statement: 'Refund ฿100.00 to the shopper? A refund cannot be undone.', confirm: 'Refund ฿100.00' };
    try {
      // Opn refunds, and its answer is lost on the way back.
      await scenario({ failNext: { count: 1, status: 500, after: 'commit', on: 'POST /charges/*/refunds' }, webhooks: 'drop' });
      await runOperation(page, refund);
      await expect(operationProblem(page)).toHaveText(/^Refund: no answer came, but the payment now shows it done \(read back from the gateway\)\. Do not ask again\./);
      // The alert says it; the reader stays on Refund (still possible for the rest), not in the alert (read twice).
      await expect(operationButton(page, 'Refund')).toBeFocused();
      await expect(paymentField(page, 'refunded')).toHaveText('฿100.00');
      await expect(paymentField(page, 'status')).toHaveText('Partially refunded');

      // Opn fails before refunding: nothing moved.
      await scenario({ failNext: { count: 1, status: 500, on: 'POST /charges/*/refunds' } });
      await runOperation(page, refund);
      await expect(operationProblem(page)).toHaveText(/^Refund: no answer came, and the payment shows no change yet\. It may still have happened: asking for the same again is safe, it is never done twice\./);
      await expect(paymentField(page, 'refunded')).toHaveText('฿100.00');
    } finally {
      await scenario({});
    }
    // Asked again: sent under the same Idempotency-Key, read from Opn first, done once (as it had not been).
    await runOperation(page, refund);
    await expect(operationStatus(page)).toHaveText('Refunded ฿100.00.');
    await expect(paymentField(page, 'refunded')).toHaveText('฿200.00');
    const refunds = await request.get(`${SANDBOX_URL}/charges/${(await onlyCharge(request, orderId)).id}/refunds`, { headers: opn });
    expect(((await refunds.json()) as { data: { amount: number }[] }).data.map((r) => r.amount)).toEqual([10_000, 10_000]);
    await expect(timelineRows(page).filter({ hasText: 'Refund of ฿100.00 requested' })).toHaveCount(3);
    // The page sent the one it could not tell about again with its key; the first, known done, is never resent.
    const { events } = (await (await request.get(`/api/merchant/operations/payments/${paymentId}`)).json()) as { events: { type: string; detail: { idempotencyKey?: string } }[] };
    const keys = events.filter((e) => e.type === 'operation_requested').map((e) => e.detail.idempotencyKey);
    expect(keys).toEqual([expect.any(String), expect.any(String), keys[1]]);
    expect(keys[0]).not.toBe(keys[1]);
    // Check now: the page says so (a live region), and the reader stays on the button.
    await operationButton(page, 'Check now').click();
    await expect(operationStatus(page)).toHaveText('Checked with the gateway.');
    await expect(operationButton(page, 'Check now')).toBeFocused();
  });

  test("shows what a foreign card was charged in its own currency (Full DCC) beside the order's amount", async ({ page, request }) => {
    await setCardSettings(request, { threeDSecure: false, dcc: true });
    try {
      const orderId = await orderAndCheckout(page, SCARF);
      const form = await openCardForm(page, SCARF.shown);
      await enterCard(form, { number: '5372074248113841', brand: 'MASTERCARD' });
      await form.getByLabel(/I accept the payment currency and exchange rate/).check();
      const posted = await pay(page, form, /^Pay 44\.70 USD$/);
      await expectCardResult(page, { paid: true, product: SCARF, summary: 'US$44.70 (฿1,500.00) with Credit / debit card' });
      await openOrderPayments(page, orderId);
      await openPayment(page, posted.paymentId);
      await expect(paymentField(page, 'amount')).toHaveText('฿1,500.00');
      await expect(paymentField(page, 'charged')).toHaveText('US$44.70');
    } finally {
      await setCardSettings(request, { threeDSecure: DEFAULT_CARD_SETTINGS.threeDSecure });
    }
  });

  test('shows the error when an operation is refused: the payment was voided meanwhile', async ({ page }) => {
    const { orderId, paymentId } = await payByCard(page, RICE);
    await openOrderPayments(page, orderId);
    await openPayment(page, paymentId);
    await expect(operationButton(page, 'Void')).toBeEnabled();

    // Another merchant voids it while this page still offers the void.
    const elsewhere = await page.request.post(`/api/merchant/operations/payments/${paymentId}/void`, { data: { reason: 'voided elsewhere' } });
    expect(elsewhere.status(), await elsewhere.text()).toBe(200);

    await runOperation(page, { button: 'Void', statement: /^Void this payment of ฿350\.00\?/, confirm: 'Void ฿350.00' });
    await expect(operationProblem(page)).toBeVisible();
    await expect(operationProblem(page)).toHaveText(/^Void failed: .+/);
    await expect(operationStatus(page)).toHaveText('');
    // The page shows the payment as it is now, and the refusal in its timeline.
    await expect(paymentField(page, 'status')).toHaveText('Voided');
    await expect(timelineEntry(page, /^Void failed: /).locator('td[data-field="by"]')).toHaveText(OPERATOR);
    await expect(operationButton(page, 'Void')).toBeDisabled();
  });
});
