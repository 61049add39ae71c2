import type { FrameLocator, Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { clickClose, useShopInChromium } from '../../test/kpayment-browser-kit.ts';
import { DCC_MID, MID, call, chargeBody, newMerchant, payWithCard, setSettings, useKpayment } from '../../test/kpayment-kit.ts';

/**
 * The sandbox's kpayment.min.js in a real Chromium, inside a shop's form on another origin: the button,
 * the card form in an iframe, and the post-back of the token and its fields to the shop's form action.
 */

const h = useKpayment();
const { shop, openShop } = useShopInChromium(h);

function attrsFor(m: { pk: string }, extra: Record<string, string> = {}) {
  return { apikey: m.pk, amount: '74.00', currency: 'THB', 'payment-methods': 'card', name: 'Your Shop Name', mid: MID, ...extra };
}

function cardForm(p: Page): FrameLocator {
  return p.frameLocator('iframe.kpayment-frame');
}

async function fillCard(form: FrameLocator, number: string, options: { remember?: boolean } = {}) {
  await form.locator('#name').fill('Somchai Jaidee');
  await form.locator('#number').fill(number);
  await form.locator('#expiry').fill('12/30');
  await form.locator('#cvv').fill('123');
  if (options.remember) await form.locator('#remember').check();
}

/**
 * Waits, in the browser, for the field's error to say `text` (Playwright's own wait: vitest's poll of `textContent()`
 * now and then missed an error drawn while another test file loaded the machine).
 */
async function errorShown(form: FrameLocator, field: string, text: string): Promise<void> {
  const exactly = new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  await form.locator(`#${field}-error`).filter({ hasText: exactly }).waitFor({ timeout: 10_000 });
}

/** Waits for the shop's form action to receive the post-back. */
async function postBack(p: Page): Promise<Record<string, string>> {
  await p.waitForURL(`${shop.url}/checkout`);
  return shop.posted[shop.posted.length - 1];
}

describe('kpayment.min.js', () => {
  it('is served as JavaScript from /ui/v2/kpayment.min.js', async () => {
    const res = await fetch(`${h.url}/ui/v2/kpayment.min.js`);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(await res.text()).toContain('window.KPayment');
  });

  it('draws its Pay button, opens the card form, and posts token, paymentMethods, mid and savecard to the form action', async () => {
    const m = newMerchant();
    await setSettings(h.url, m.sk, { threeDSecure: false });
    const p = await openShop(attrsFor(m));
    const button = p.locator('form#shop button.kpayment-button');
    await expect(button.isEnabled()).resolves.toBe(true);
    await button.click();
    const form = cardForm(p);
    await expect(form.locator('#amount').textContent()).resolves.toBe('฿74.00');
    await expect(form.locator('h1').textContent()).resolves.toBe('Your Shop Name');
    await fillCard(form, '4024 0071 3478 6226', { remember: true });
    await expect(form.locator('#brand').textContent()).resolves.toBe('VISA');
    await form.locator('#pay').click();
    const fields = await postBack(p);
    expect(fields).toEqual({ orderId: 'order-42', paymentMethods: 'card', mid: MID, token: expect.stringMatching(/^tokn_test_/), savecard: 'true' });
    // The token is real: the shop's server charges it.
    const charge = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(fields.token, { amount: 74, savecard: true }) });
    expect(charge.body).toMatchObject({ transaction_state: 'Authorized', amount: 74, source: { card_masking: '402400*****6226' } });
  });

  it('checks the card in the form: Luhn, expiry, CVV; nothing is posted until it is right', async () => {
    const m = newMerchant();
    const p = await openShop(attrsFor(m));
    await p.locator('button.kpayment-button').click();
    const form = cardForm(p);
    await form.locator('#name').fill('A');
    await form.locator('#number').fill('4024007134786227');
    await form.locator('#expiry').fill('01/20');
    await form.locator('#cvv').fill('1');
    await form.locator('#pay').click();
    await errorShown(form, 'number', 'The card number is invalid');
    await errorShown(form, 'expiry', 'The card has expired');
    await errorShown(form, 'cvv', 'Enter the 3-digit security code');
    expect(p.url()).not.toContain('/checkout');
    await form.locator('#number').fill('6011111111111117');
    await form.locator('#pay').click();
    await errorShown(form, 'number', 'Only Visa, MasterCard and JCB are accepted');
  });

  it('is disabled by an invalid amount or key, as the real script is', async () => {
    const m = newMerchant();
    for (const extra of [{ amount: '74.001' }, { apikey: m.pk.replace('pkey', 'skey') }] as Array<Record<string, string>>) {
      const p = await openShop(attrsFor(m, extra));
      await expect(p.locator('button.kpayment-button').isDisabled()).resolves.toBe(true);
      expect(await p.evaluate(() => (window as any).KPayment.show())).toBe(false);
      expect(await p.locator('iframe.kpayment-frame').count()).toBe(0);
    }
  });

  it('hides its button with data-show-button="false"; KPayment.show() opens the form and onClose runs on close', async () => {
    const m = newMerchant();
    const p = await openShop(attrsFor(m, { 'show-button': 'false' }));
    expect(await p.locator('button.kpayment-button').count()).toBe(0);
    await p.evaluate(() => {
      (window as any).closedCount = 0;
      (window as any).KPayment.onClose(() => ((window as any).closedCount += 1));
      (window as any).KPayment.show();
    });
    await clickClose(cardForm(p).locator('#close'));
    await p.waitForFunction(() => (window as any).closedCount === 1);
    expect(await p.locator('iframe.kpayment-frame').count()).toBe(0);
    expect(p.url()).not.toContain('/checkout');
  });

  it('works when injected after page load, with setters and create()', async () => {
    const m = newMerchant();
    const p = await openShop({}, true);
    await p.evaluate(
      ({ src, pk, mid }) =>
        new Promise<void>((resolve) => {
          const s = document.createElement('script');
          s.src = src;
          s.dataset.apikey = pk;
          s.dataset.amount = '10.00';
          s.dataset.paymentMethods = 'card';
          s.dataset.mid = mid;
          s.dataset.showButton = 'false';
          s.onload = () => resolve();
          document.getElementById('shop')!.appendChild(s);
        }),
      { src: `${h.url}/ui/v2/kpayment.min.js`, pk: m.pk, mid: MID },
    );
    const ok = await p.evaluate(() => {
      const k = (window as any).KPayment;
      k.setAmount('20.50');
      return k.create() && k.show();
    });
    expect(ok).toBe(true);
    await expect(cardForm(p).locator('#amount').textContent()).resolves.toBe('฿20.50');
  });

  it('offers DCC for a foreign card on the DCC merchant id, with the rate, and posts dcc_currency', async () => {
    const m = newMerchant();
    const p = await openShop(attrsFor(m, { amount: '1000.00', mid: DCC_MID }));
    await p.locator('button.kpayment-button').click();
    const form = cardForm(p);
    await fillCard(form, '5239620007270264');
    await expect(form.locator('#dcc-text').textContent()).resolves.toContain('Exchange rate: 33.56 Baht/USD');
    await expect(form.locator('#pay-dcc').textContent()).resolves.toBe('Pay 29.80 USD');
    // The rate is the shopper's to accept: the box starts unticked, and paying in dollars waits for it.
    const accept = form.getByLabel(/I accept the payment currency and exchange rate/);
    await expect(accept.isChecked()).resolves.toBe(false);
    await form.locator('#pay-dcc').click();
    await expect(form.getByRole('alert').textContent()).resolves.toBe('Tick “I accept the payment currency and exchange rate” to pay in USD, or pay ฿1,000.00.');
    expect(p.url()).not.toBe(`${shop.url}/checkout`);
    await accept.check();
    await form.locator('#pay-dcc').click();
    const fields = await postBack(p);
    expect(fields).toMatchObject({ dcc_currency: 'USD', mid: DCC_MID, paymentMethods: 'card' });
    const charge = await call(h.url, '/card/v2/charge', {
      key: m.sk,
      json: chargeBody(fields.token, { amount: 1000, additional_data: { mid: DCC_MID }, dcc_data: { dcc_currency: fields.dcc_currency } }),
    });
    expect(charge.body).toMatchObject({ transaction_state: 'Pre-Authorized', dcc_data: { converted_amount: 29.8, converted_currency_code: 'USD' } });
  });

  it('posts dcc_currency THB for a domestic card on the DCC merchant id (no offer shown)', async () => {
    const m = newMerchant();
    const p = await openShop(attrsFor(m, { mid: DCC_MID }));
    await p.locator('button.kpayment-button').click();
    const form = cardForm(p);
    await fillCard(form, '5404888000072727');
    await form.locator('#pay').click();
    expect(await postBack(p)).toMatchObject({ dcc_currency: 'THB', mid: DCC_MID });
  });

  it('lets the shopper choose the instalment term for a SmartpayID and posts smartpayId and term', async () => {
    const m = newMerchant();
    const p = await openShop(attrsFor(m, { amount: '3000.00', smartpayid: '0001' }));
    await p.locator('button.kpayment-button').click();
    const form = cardForm(p);
    // Each term with its monthly share of ฿3,000.00; SmartpayID 0001's interest is the cardholder's (ipan mode 02).
    expect(await form.locator('#term option').allTextContents()).toEqual([
      '3 months: ฿1,000.00 a month',
      '4 months: ฿750.00 a month',
      '6 months: ฿500.00 a month',
      '10 months: ฿300.00 a month',
    ]);
    await expect(form.locator('#term-note').textContent()).resolves.toBe('Monthly amounts before the card issuer’s interest, which the bank adds.');
    await fillCard(form, '4024007134786226');
    await form.locator('#term').selectOption('6');
    await form.locator('#pay').click();
    expect(await postBack(p)).toMatchObject({ smartpayId: '0001', term: '6', mid: MID });
  });

  it('posts the plan fields and the fixed data-term for an Installment Plan', async () => {
    const m = newMerchant();
    const plan = { 'plan-id': '999', 'ipan-mode': '03', 'product-type': '003', 'supplier-no': '99903', 'model-no': '123456', term: '10' };
    const p = await openShop(attrsFor(m, { amount: '3000.00', ...plan }));
    await p.locator('button.kpayment-button').click();
    const form = cardForm(p);
    // The fixed term, its monthly share (rounded to the satang), interest-free to the cardholder (ipan mode 03).
    expect(await form.locator('#term option').allTextContents()).toEqual(['10 months: ฿300.00 a month']);
    await expect(form.locator('#term-note').textContent()).resolves.toBe('No interest: 0% a month.');
    await fillCard(form, '4024007134786226');
    await form.locator('#pay').click();
    expect(await postBack(p)).toMatchObject({ planid: '999', ipanmode: '03', producttype: '003', supplierno: '99903', modelno: '123456', term: '10' });
  });

  it('lists the saved cards of data-customer-id and posts a token for the one chosen', async () => {
    const m = newMerchant();
    await setSettings(h.url, m.sk, { threeDSecure: false });
    const { token } = await payWithCard(h.url, m, { number: '4485169016314923', savecard: true }, { savecard: true });
    const customer = await call(h.url, '/card/v2/customer', { key: m.sk, json: { email: 'a@example.com', name: 'A', mode: 'token', token } });
    const p = await openShop(attrsFor(m, { 'customer-id': customer.body.id }));
    await p.locator('button.kpayment-button').click();
    const form = cardForm(p);
    await expect(form.locator('#saved-cards label').first().textContent()).resolves.toContain('VISA 448516*****4923');
    await form.locator('#pay').click();
    const fields = await postBack(p);
    const charge = await call(h.url, '/card/v2/charge', { key: m.sk, json: chargeBody(fields.token, { customer: { customer_id: customer.body.id } }) });
    expect(charge.body).toMatchObject({ transaction_state: 'Authorized', source: { id: customer.body.default_card } });
  });

  it('shows why the form cannot open for a merchant id that is not the merchant\'s', async () => {
    const m = newMerchant();
    const p = await openShop(attrsFor(m, { mid: '409999999999001' }));
    await p.locator('button.kpayment-button').click();
    await expect(cardForm(p).locator('[role=alert]').textContent()).resolves.toContain('mid_and_tid_not_exist');
  });
});
