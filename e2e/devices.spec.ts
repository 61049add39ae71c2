import { devices, expect, test } from '@playwright/test';
import {
  KAKAOPAY,
  KMA,
  KPLUS,
  ORCHID,
  RICE,
  approve,
  buy,
  choose,
  expectResult,
  getOrder,
  onlyCharge,
  paymentIdOf,
  phone,
} from './support/shop.ts';

/**
 * The `platform_type` the sandbox records comes from the shopper's device: KakaoPay is WEB on a desktop (the bank
 * page shows a QR code to scan) and IOS / ANDROID on phones; mobile banking sends none on a desktop.
 */

const DEVICES = [
  { name: 'desktop', use: {}, platform: null },
  { name: 'iPhone', use: phone(), platform: 'IOS' },
  { name: 'Android phone', use: phone(devices['Pixel 7']), platform: 'ANDROID' },
] as const;

for (const device of DEVICES) {
  test.describe(`on ${device.name === 'desktop' ? 'a desktop' : `an ${device.name}`}`, () => {
    test.use(device.use);

    for (const product of [ORCHID, RICE]) {
      test(`KakaoPay in ${product.currency}: platform ${device.platform ?? 'WEB'}, paid`, async ({ page, request }) => {
        if (device.platform) expect(page.viewportSize()!.width).toBeLessThan(500);
        const orderId = await buy(page, product);
        await choose(page, KAKAOPAY, product);

        if (device.platform === null) {
          await expect(page.getByRole('img', { name: /QR code of this payment/ })).toBeVisible();
        } else {
          await expect(page.getByText(`On a phone (${device.platform})`)).toBeVisible();
          await expect(page.getByRole('img', { name: /QR code/ })).toHaveCount(0);
        }
        const charge = await onlyCharge(request, orderId);
        expect(charge.source.platform_type).toBe(device.platform ?? 'WEB');
        expect(charge).toMatchObject({ status: 'pending', amount: product.amount, currency: product.currency });

        await approve(page);
        const paymentId = paymentIdOf(page);
        await expectResult(page, { headline: 'Payment successful', product, method: KAKAOPAY, orderStatus: 'Paid' });
        expect(await getOrder(request, orderId)).toMatchObject({ state: 'paid', paidBy: paymentId });
      });
    }

    test(`mobile banking sends ${device.platform ?? 'no platform'}`, async ({ page, request }) => {
      const product = RICE;
      const orderId = await buy(page, product);
      // Both banks are seen on a phone: K PLUS on the iPhone (and the desktop), KMA on Android.
      await choose(page, device.platform === 'ANDROID' ? KMA : KPLUS, product);
      const charge = await onlyCharge(request, orderId);
      expect(charge.source.platform_type).toBe(device.platform);
      if (device.platform) await expect(page.getByText(`On a phone (${device.platform})`)).toBeVisible();
      else await expect(page.getByText(/On a phone/)).toHaveCount(0);
    });
  });
}
