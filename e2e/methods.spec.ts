import { expect, test } from '@playwright/test';
import { FAILURES, FAILURE_CODES, KAKAOPAY, KAYA, KMA, KPLUS, ORCHID, RICE, SCARF, approve, buy, checkoutElement, choose, decline, expectResult, getOrder, getPaymentView, onlyCharge, paymentIdOf, expectChoices } from './support/shop.ts';

test('a baht order offers Opn’s three methods and K-Payment’s, grouped; a Singapore-dollar order offers KakaoPay and the card', async ({ page }) => {
  const element = checkoutElement(page);
  await buy(page, SCARF);
  await expectChoices(element.getByRole('group', { name: 'Mobile banking' }), [KPLUS.label, KMA.label]);
  await expectChoices(element.getByRole('group', { name: 'Wallets' }), [KAKAOPAY.label, 'WeChat Pay', 'Alipay', 'UnionPay']);
  await expectChoices(element.getByRole('group', { name: 'Cards' }), ['Credit / debit card', 'KBank credit card in instalments']);
  await expectChoices(element.getByRole('group', { name: 'QR payment' }), ['Thai QR (PromptPay)']);

  await buy(page, ORCHID);
  await expectChoices(element, [KAKAOPAY.label, 'Credit / debit card']);
  await expect(element.getByRole('group', { name: 'Mobile banking' })).toHaveCount(0);
});

/** Each method, paid and declined with each of the five failure codes, through the sandbox's authorize page. */
const CASES = [
  { method: KPLUS, product: SCARF },
  { method: KMA, product: RICE },
  { method: KAKAOPAY, product: KAYA },
];

for (const { method, product } of CASES) {
  test.describe(`${method.label} (${product.currency})`, () => {
    test('paid: the result page says so and the order is paid', async ({ page, request }) => {
      const orderId = await buy(page, product);
      await choose(page, method, product);
      await approve(page);
      const paymentId = paymentIdOf(page);

      await expectResult(page, { headline: 'Payment successful', product, method, orderStatus: 'Paid' });

      const order = await getOrder(request, orderId);
      expect(order.state).toBe('paid');
      expect(order.paidBy).toBe(paymentId);
      expect(order.needsRefund).toEqual([]);
      const charge = await onlyCharge(request, orderId);
      expect(charge).toMatchObject({ status: 'successful', paid: true, amount: product.amount, currency: product.currency });
      expect(charge.source.type).toBe(method.id);
      expect(charge.metadata.payment_id).toBe(paymentId);
    });

    for (const code of FAILURE_CODES) {
      test(`failed with ${code}: the shopper reads why and the order is not paid`, async ({ page, request }) => {
        const orderId = await buy(page, product);
        await choose(page, method, product);
        await decline(page, code);
        const paymentId = paymentIdOf(page);

        await expectResult(page, { headline: 'Payment failed', message: FAILURES[code], code, product, method, orderStatus: 'Payment failed' });

        const order = await getOrder(request, orderId);
        expect(order.state).toBe('payment_failed');
        expect(order.paidBy).toBeNull();
        expect(order.history.at(-1)).toBe(`payment ${paymentId} failed (${code})`);
        const charge = await onlyCharge(request, orderId);
        expect(charge).toMatchObject({ status: 'failed', paid: false, failure_code: code, amount: product.amount });
        expect(await getPaymentView(request, paymentId)).toMatchObject({ status: 'failed', failureCode: code });
      });
    }
  });
}
