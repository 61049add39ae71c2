import { expect, test } from '@playwright/test';
import {
  ALIPAY,
  THAI_QR,
  UNIONPAY,
  UNIONPAY_CARDS,
  WECHAT,
  cancelQr,
  expectKpaymentResult,
  openQr,
  openRedirect,
  payUnionpay,
  qrCompletionUrl,
  qrControl,
  qrPopup,
  readQr,
  redirectCharge,
  sandboxQr,
} from './support/kpayment.ts';
import { RICE, SANDBOX_URL, SCARF, advanceSandboxClock, buy, checkoutElement, getOrder, paymentIdOf, payWith } from './support/shop.ts';

/** K-Payment's Thai QR, WeChat Pay, Alipay and UnionPay in the demo, against the sandbox (issue 4). */

const SCARF_AT_GATEWAY = /1,500\.00/;
const RICE_AT_GATEWAY = /350\.00/;

test.describe('Thai QR and WeChat Pay', () => {
  test('Thai QR paid in the QR Simulator page: the popup hands the charge to the shop, the order is paid', async ({ page, context, request }) => {
    const orderId = await buy(page, SCARF);
    const qrId = await openQr(page, THAI_QR, SCARF_AT_GATEWAY);
    await expect(checkoutElement(page).getByRole('timer')).toHaveText(/\d\d:\d\d/);

    // The popup posts the charge into the element's hidden frame: the page stays where the shopper is. The element's
    // polls wait for that post here, so that it is the post (not a poll) this test watches land.
    const postBack = page.waitForRequest((r) => r.url().includes('/checkout/kpayment/qr/') && r.method() === 'POST');
    await page.route(
      (url) => url.pathname.startsWith('/checkout/payments/pay_'),
      async (route) => {
        await postBack;
        await route.fallback();
      },
    );
    const simulator = await context.newPage();
    await simulator.goto(`${SANDBOX_URL}/_sandbox/kpayment/qr-simulator?qr=${qrId}`);
    await expect(simulator.getByRole('heading', { name: 'QR Simulator' })).toBeVisible();
    await expect(simulator.locator('body')).toContainText('1,500.00');
    await simulator.getByLabel('Paid with').selectOption('kplus');
    await simulator.locator('#pay').click();
    await expect.poll(async () => (await sandboxQr(request, qrId)).state).toBe('paid');
    await simulator.close();

    // The companion learns it (notify, post-back, polling) and the element shows the verified result where the
    // shopper is, whichever comes first: the page never leaves for the result page.
    expect((await postBack).frame()).not.toBe(page.mainFrame());
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
    await expect(checkoutElement(page).locator('[part="headline"]')).toBeFocused();
    expect(new URL(page.url()).pathname).toBe('/checkout.html');
    const order = await getOrder(request, orderId);
    expect(order.state).toBe('paid');
    expect(order.paidBy).toBeTruthy();
  });

  test('Thai QR paid in the bank app after the shopper closed its window: Pay shows the receipt, not an error', async ({ page, request }) => {
    const orderId = await buy(page, SCARF);
    const qrId = await openQr(page, THAI_QR, SCARF_AT_GATEWAY);
    await qrPopup(page).locator('#close').click();
    await expect(page.locator('iframe.kpayment-frame')).toHaveCount(0);
    await expect(checkoutElement(page).getByRole('radio', { checked: true })).toBeVisible();

    // The shopper had scanned it already: the bank app pays it; the shop learns it from K-Payment's notify.
    await qrControl(request, qrId, 'pay');
    await expect.poll(async () => (await getOrder(request, orderId)).state).toBe('paid');
    await payWith(page, THAI_QR);
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
    await expect(checkoutElement(page).locator('[role="status"] [data-code]')).toHaveCount(0);
    await expect(checkoutElement(page).getByRole('radio')).toHaveCount(0);
    expect(new URL(page.url()).pathname).toBe('/checkout.html');
  });

  test('Thai QR failed: the shopper reads the failure, the order is not paid', async ({ page, request }) => {
    const orderId = await buy(page, RICE);
    const qrId = await openQr(page, THAI_QR, RICE_AT_GATEWAY);
    await qrControl(request, qrId, 'fail', { failure_code: 'invalid_account' });
    // In place, as a paid one: the page does not leave for the result page.
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment failed');
    expect(new URL(page.url()).pathname).toBe('/checkout.html');
    expect((await getOrder(request, orderId)).state).toBe('payment_failed');
  });

  test('Thai QR expired on the sandbox clock: the popup and the element say so, nothing is paid', async ({ page, request }) => {
    const orderId = await buy(page, SCARF);
    const qrId = await openQr(page, THAI_QR, SCARF_AT_GATEWAY);
    const { seconds_left } = await sandboxQr(request, qrId);
    await advanceSandboxClock(request, (seconds_left + 1) * 1000);
    await expect(qrPopup(page).locator('#qr-status')).toHaveText(/This QR code has expired/);
    expect((await sandboxQr(request, qrId)).state).toBe('expired');
    expect((await getOrder(request, orderId)).state).not.toBe('paid');
  });

  test('Thai QR cancelled: the popup says so, nothing is paid', async ({ page, request }) => {
    const orderId = await buy(page, RICE);
    const qrId = await openQr(page, THAI_QR, RICE_AT_GATEWAY);
    await cancelQr(request, qrId);
    await expect(qrPopup(page).locator('#qr-status')).toHaveText(/This QR code was cancelled/);
    expect((await getOrder(request, orderId)).state).not.toBe('paid');
  });

  test('WeChat Pay paid: the order is paid', async ({ page, request }) => {
    const orderId = await buy(page, RICE);
    const qrId = await openQr(page, WECHAT, RICE_AT_GATEWAY);
    expect((await sandboxQr(request, qrId)).source_type).toMatch(/wechat/i);
    await qrControl(request, qrId, 'pay', { channel: 'wechat' });
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
    expect((await getOrder(request, orderId)).state).toBe('paid');
  });

  test("the countdown is the gateway's time left, even when the gateway's clock is not the shopper's", async ({ page, request }) => {
    // The sandbox's clock an hour ahead of the device's (as a wrong phone clock would be, the other way round).
    await advanceSandboxClock(request, 60 * 60_000);
    await buy(page, RICE);
    const qrId = await openQr(page, WECHAT, RICE_AT_GATEWAY);
    const { seconds_left } = await sandboxQr(request, qrId);
    const shown = (await checkoutElement(page).getByRole('timer').textContent())!.match(/(?:(\d+):)?(\d\d):(\d\d)/)!;
    const secondsShown = Number(shown[1] ?? 0) * 3600 + Number(shown[2]) * 60 + Number(shown[3]);
    expect(seconds_left).toBeGreaterThan(50 * 60);
    expect(secondsShown).toBeLessThanOrEqual(seconds_left + 1);
    expect(secondsShown).toBeGreaterThanOrEqual(seconds_left - 10);
  });

  test('a refresh during the QR shows the same QR of the same order', async ({ page, request }) => {
    await buy(page, SCARF);
    const qrId = await openQr(page, THAI_QR, SCARF_AT_GATEWAY);
    const before = await sandboxQr(request, qrId);
    await page.reload();
    await payWith(page, THAI_QR);
    expect(await readQr(page, SCARF_AT_GATEWAY)).toBe(qrId);
    const after = await sandboxQr(request, qrId);
    expect(after.order_id).toBe(before.order_id);
    expect(after.reference_order).toBe(before.reference_order);
    expect(after.state).toBe('pending');
  });
});

test.describe('Alipay and UnionPay', () => {
  test('Alipay paid on its hosted page', async ({ page, request }) => {
    const orderId = await buy(page, SCARF);
    await openRedirect(page, ALIPAY);
    await expect(page.locator('body')).toContainText('1,500.00');
    await page.locator('#pay').click();
    await page.waitForURL(/\/result\.html\?paymentId=/);
    await expectKpaymentResult(page, 'Payment successful', 'Paid');
    expect((await getOrder(request, orderId)).state).toBe('paid');
  });

  test('Alipay failed on its hosted page', async ({ page, request }) => {
    const orderId = await buy(page, RICE);
    await openRedirect(page, ALIPAY);
    await page.locator('#fail').click();
    await page.waitForURL(/\/result\.html\?paymentId=/);
    await expectKpaymentResult(page, 'Payment failed', 'Payment failed');
    expect((await getOrder(request, orderId)).state).toBe('payment_failed');
  });

  for (const card of UNIONPAY_CARDS) {
    test(`UnionPay test card ${card.number} (${card.network}) is approved`, async ({ page, request }) => {
      const orderId = await buy(page, RICE);
      await openRedirect(page, UNIONPAY);
      await payUnionpay(page, card);
      await expectKpaymentResult(page, 'Payment successful', 'Paid');
      expect((await getOrder(request, orderId)).state).toBe('paid');
    });
  }

  test('UnionPay with a wrong PIN fails', async ({ page, request }) => {
    const orderId = await buy(page, RICE);
    await openRedirect(page, UNIONPAY);
    await payUnionpay(page, UNIONPAY_CARDS[0], { pin: '999999' });
    await expectKpaymentResult(page, 'Payment failed', 'Payment failed');
    expect((await getOrder(request, orderId)).state).toBe('payment_failed');
  });
});

test.describe('forged completions change nothing', () => {
  test("another order's chargeId posted to this payment's QR completion URL is refused", async ({ page, browser, request }) => {
    // Order A, paid by Thai QR.
    const other = await browser.newPage();
    const paidOrder = await buy(other, RICE);
    const paidQr = await openQr(other, THAI_QR, RICE_AT_GATEWAY);
    const { charge_id: paidCharge } = await qrControl(request, paidQr, 'pay', { channel: 'kplus' });
    await expect(checkoutElement(other).locator('[part="headline"]')).toHaveText('Payment successful');
    expect(paidCharge).toBeTruthy();
    await other.close();

    // Order B: its own QR is open; A's charge is posted to B's completion URL.
    const orderId = await buy(page, SCARF);
    const qrId = await openQr(page, THAI_QR, SCARF_AT_GATEWAY);
    const res = await page.request.post(await qrCompletionUrl(page), { form: { chargeId: paidCharge! }, maxRedirects: 0 });
    expect(res.status()).toBe(422);
    expect((await getOrder(request, orderId)).state).toBe('awaiting_payment');
    expect((await getOrder(request, paidOrder)).state).toBe('paid');
    expect((await sandboxQr(request, qrId)).state).toBe('pending');
  });

  test('a forged callback naming another order’s paid charge leaves this order unpaid', async ({ page, browser, request }) => {
    const other = await browser.newPage();
    const paidOrder = await buy(other, RICE);
    await openRedirect(other, ALIPAY);
    await other.locator('#pay').click();
    await other.waitForURL(/\/result\.html\?paymentId=/);
    const paidCharge = (await redirectCharge(request, paymentIdOf(other))).id;
    await other.close();

    const orderId = await buy(page, SCARF);
    await openRedirect(page, ALIPAY);
    await page.request.post('/checkout/kpayment/callback', { form: { objectId: paidCharge, status: 'true' }, maxRedirects: 0 });
    expect((await getOrder(request, orderId)).state).toBe('awaiting_payment');
    expect((await getOrder(request, paidOrder)).state).toBe('paid');
    // The shopper's own page still decides: failing it fails this order.
    await page.locator('#fail').click();
    await page.waitForURL(/\/result\.html\?paymentId=/);
    await expectKpaymentResult(page, 'Payment failed', 'Payment failed');
  });

  test('a notify with a bad checksum is refused and changes nothing', async ({ page, request }) => {
    const orderId = await buy(page, SCARF);
    const qrId = await openQr(page, THAI_QR, SCARF_AT_GATEWAY);
    const qr = await sandboxQr(request, qrId);
    const res = await request.post('/webhooks/kpayment', {
      data: {
        id: 'chrg_test_forged0000000000000000000',
        object: 'charge',
        order_id: qr.order_id,
        reference_order: qr.reference_order,
        amount: 1500,
        currency: 'THB',
        transaction_state: 'Authorized',
        status: 'success',
        failure_code: '',
        failure_message: '',
        checksum: '0'.repeat(64),
      },
    });
    expect(res.status()).toBe(401);
    expect((await getOrder(request, orderId)).state).toBe('awaiting_payment');
    expect((await sandboxQr(request, qrId)).state).toBe('pending');
    await expect(qrPopup(page).locator('#qr-image')).toBeVisible();
  });
});
