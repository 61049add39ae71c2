import type { FrameLocator, Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { clickClose, useShopInChromium } from '../../test/kpayment-browser-kit.ts';
import { call, createOrder, newMerchant, useKpayment } from '../../test/kpayment-kit.ts';

/**
 * kpayment.min.js with `data-payment-methods="qr"` / `"wechat"` in a real Chromium, inside a shop's form on
 * another origin: the QR popup (image, QR id, amount, countdown), the QR Simulator's Pay in another tab,
 * and `chargeId` posted to the shop's form action; expiry and cancellation shown in the popup.
 */

const h = useKpayment();
const { shop, browser, openShop } = useShopInChromium(h);

function popup(p: Page): FrameLocator {
  return p.frameLocator('iframe.kpayment-frame');
}

describe('kpayment.min.js, QR payments', () => {
  it('shows the order\'s Thai QR with its id, amount and countdown; after the simulator\'s Pay it posts chargeId to the form', async () => {
    const m = newMerchant();
    const order = await createOrder(h.url, m.sk, { amount: 74 });
    const p = await openShop({ apikey: m.pk, amount: '74.00', 'payment-methods': 'qr', 'order-id': order.id, name: 'Your Shop' });
    await p.locator('form#shop button.kpayment-button').click();
    const qr = popup(p);
    await expect(qr.locator('#amount').textContent()).resolves.toBe('฿74.00');
    const qrId = (await qr.locator('#qr-id').textContent())!;
    expect(qrId).toMatch(/^qr_test_/);
    await expect(qr.locator('#qr-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).resolves.toBe(260);
    await expect(qr.locator('#countdown').textContent()).resolves.toMatch(/^Expires in (59:\d\d|1:00:00)$/);
    expect(await qr.locator('#save').getAttribute('download')).toBe(`${qrId}.png`);

    // The tester pays in the QR Simulator, in another tab, as in §7.4.
    const tester = await browser.newPage();
    await tester.goto(`${h.url}/_sandbox/kpayment/qr-simulator`);
    await tester.locator('#qr').fill(qrId);
    await tester.locator('button[type=submit]', { hasText: 'Search' }).click();
    await expect(tester.locator('#detail-amount').textContent()).resolves.toBe('฿74.00');
    await tester.locator('#pay').click();
    await expect(tester.locator('#detail-state').textContent()).resolves.toBe('paid');
    await tester.close();

    await p.waitForURL(`${shop.url}/checkout`, { timeout: 10_000 });
    const fields = shop.posted[shop.posted.length - 1];
    expect(fields).toEqual({ orderId: 'order-42', chargeId: expect.stringMatching(/^chrg_test_/) });
    const inquiry = await call(h.url, `/qr/v2/qr/${fields.chargeId}`, { key: m.sk });
    expect(inquiry.body).toMatchObject({ order_id: order.id, transaction_state: 'Authorized', status: 'success', amount: 74, source: { id: qrId } });
  });

  it('shows that a WeChat Pay QR expired on the sandbox clock, and that a cancelled one was cancelled; Close runs onClose', async () => {
    const m = newMerchant();
    const order = await createOrder(h.url, m.sk, { amount: 10, source_type: 'wechat', expire_time_seconds: 60 });
    const p = await openShop({ apikey: m.pk, amount: '10', 'payment-methods': 'wechat', 'order-id': order.id, 'show-button': 'false' });
    await p.evaluate(() => {
      (window as any).closedCount = 0;
      (window as any).KPayment.onClose(() => ((window as any).closedCount += 1));
      (window as any).KPayment.show();
    });
    const qr = popup(p);
    await expect(qr.locator('h1').textContent()).resolves.toBe('WeChat Pay');
    await qr.locator('#qr-image').waitFor();
    await h.clock.advance(60_000);
    await qr.locator('#qr-status', { hasText: 'This QR code has expired.' }).waitFor({ timeout: 10_000 });
    await expect(qr.locator('#qr-image').isHidden()).resolves.toBe(true);
    await expect(qr.locator('#countdown').textContent()).resolves.toBe('Expired');
    await clickClose(qr.locator('#close'));
    await p.waitForFunction(() => (window as any).closedCount === 1);
    expect(await p.locator('iframe.kpayment-frame').count()).toBe(0);

    const other = await createOrder(h.url, m.sk, { amount: 10 });
    await p.evaluate((id) => {
      const K = (window as any).KPayment;
      K.setPaymentMethods('qr');
      K.setOrderId(id);
      K.show();
    }, other.id);
    const qrId = (await popup(p).locator('#qr-id').textContent())!;
    const cancelled = await call(h.url, `/qr/v2/qr/${qrId}/cancel`, { key: m.sk, method: 'POST' });
    expect(cancelled.body.status).toBe('success');
    await popup(p).locator('#qr-status', { hasText: 'This QR code was cancelled.' }).waitFor({ timeout: 10_000 });
    expect(p.url()).not.toContain('/checkout');
  });

  it('is disabled without data-order-id, or with a payment method it does not know', async () => {
    const m = newMerchant();
    for (const attrs of [{ 'payment-methods': 'qr' }, { 'payment-methods': 'redirect', 'order-id': 'order_test_x' }] as Array<Record<string, string>>) {
      const p = await openShop({ apikey: m.pk, amount: '10.00', ...attrs });
      await expect(p.locator('button.kpayment-button').isDisabled()).resolves.toBe(true);
      expect(await p.evaluate(() => (window as any).KPayment.show())).toBe(false);
    }
  });
});
