import type { FrameLocator, Locator, Page } from '@playwright/test';
import { describe, expect, it } from 'vitest';
import { clickClose, useShopInChromium } from '../../test/kpayment-browser-kit.ts';
import { MID, call, createOrder, newMerchant, redirectChargeBody, useKpayment } from '../../test/kpayment-kit.ts';

/**
 * The gateway's windows for a shopper on a keyboard or a screen reader, in a real Chromium on a shop of another
 * origin: the window is modal (the shop's page behind it is inert while it is open, and focus goes back on close), a
 * QR window that ended (expired, cancelled) is replaced by the next `show()`, the card form's errors belong to their
 * fields, and the UnionPay page's error to its card number.
 */

const h = useKpayment();
const { openShop } = useShopInChromium(h);

function gatewayWindow(p: Page): FrameLocator {
  return p.frameLocator('iframe.kpayment-frame');
}

/** The ids of the shop page's `<body>` children that are inert (the window's own overlay has no id). */
function inertChildren(p: Page): Promise<string[]> {
  return p.evaluate(() => [...document.body.children].filter((c) => c.hasAttribute('inert')).map((c) => c.id || c.className));
}

/** What the shopper hears of a field: `aria-invalid` and the text of what `aria-describedby` names. */
function described(field: Locator): Promise<{ invalid: string | null; description: string }> {
  return field.evaluate((input) => ({
    invalid: input.getAttribute('aria-invalid'),
    description: (input.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => input.ownerDocument.getElementById(id)?.textContent ?? '')
      .join(' ')
      .trim(),
  }));
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('the QR window once its QR has ended', () => {
  it('says so with the focus on Close; a later show() for the card replaces it with the card form', async () => {
    const m = newMerchant();
    const order = await createOrder(h.url, m.sk, { amount: 10, expire_time_seconds: 60 });
    const p = await openShop({ apikey: m.pk, amount: '10.00', 'payment-methods': 'qr', 'order-id': order.id, 'show-button': 'false' });
    await p.evaluate(() => (window as any).KPayment.show());
    const qr = gatewayWindow(p);
    await qr.locator('#qr-image').waitFor();
    await h.clock.advance(60_000);
    await qr.locator('#qr-status', { hasText: 'This QR code has expired.' }).waitFor({ timeout: 10_000 });
    // The one thing left to do in the window is to close it: the focus is on its Close button.
    await waitUntil(() => qr.locator('#close').evaluate((b) => b === document.activeElement), 'the focus on Close');

    // The shopper chooses the card instead: the same script, the card's attributes, show() again.
    const shown = await p.evaluate((mid) => {
      const K = (window as any).KPayment;
      K.setPaymentMethods('card');
      K.setOrderId(null);
      K.setMid(mid);
      return K.show();
    }, MID);
    expect(shown).toBe(true);
    expect(await p.locator('iframe.kpayment-frame').count()).toBe(1);
    expect(await p.locator('iframe.kpayment-frame').getAttribute('src')).toContain('/ui/v2/card-form?');
    await gatewayWindow(p).locator('#number').waitFor();
    expect(await gatewayWindow(p).locator('#qr-image').count()).toBe(0);
  });

  it('a cancelled QR is replaced too, while show() on a window still current keeps it as it is', async () => {
    const m = newMerchant();
    const order = await createOrder(h.url, m.sk, { amount: 10, source_type: 'wechat' });
    const p = await openShop({ apikey: m.pk, amount: '10', 'payment-methods': 'wechat', 'order-id': order.id, 'show-button': 'false' });
    await p.evaluate(() => (window as any).KPayment.show());
    const qrId = (await gatewayWindow(p).locator('#qr-id').textContent())!;
    // A second show() (a double click) while the QR is current: the same window, not a new one.
    await p.evaluate(() => ((window as any).firstFrame = document.querySelector('iframe.kpayment-frame')));
    await p.evaluate(() => (window as any).KPayment.show());
    expect(await p.evaluate(() => (window as any).firstFrame === document.querySelector('iframe.kpayment-frame'))).toBe(true);

    expect((await call(h.url, `/qr/v2/qr/${qrId}/cancel`, { key: m.sk, method: 'POST' })).body.status).toBe('success');
    await gatewayWindow(p).locator('#qr-status', { hasText: 'This QR code was cancelled.' }).waitFor({ timeout: 10_000 });
    const other = await createOrder(h.url, m.sk, { amount: 10, source_type: 'wechat' });
    await p.evaluate((id) => (window as any).KPayment.setOrderId(id).show(), other.id);
    await waitUntil(async () => (await p.locator('iframe.kpayment-frame').getAttribute('src'))!.includes(other.id), 'the new order’s QR');
    expect(await p.evaluate(() => (window as any).firstFrame === document.querySelector('iframe.kpayment-frame'))).toBe(false);
    expect(await p.locator('iframe.kpayment-frame').count()).toBe(1);
    await gatewayWindow(p).locator('#qr-image').waitFor();
    expect(await gatewayWindow(p).locator('#qr-id').textContent()).not.toBe(qrId);
  });
});

describe('the window is modal', () => {
  it('makes the rest of the page inert while open, leaves alone what the shop made inert, and gives the focus back on close', async () => {
    const m = newMerchant();
    const p = await openShop({ apikey: m.pk, amount: '74.00', currency: 'THB', 'payment-methods': 'card', mid: MID });
    await p.evaluate(() => {
      const aside = document.createElement('aside');
      aside.id = 'shop-inert';
      aside.inert = true;
      document.body.append(aside);
    });
    const button = p.locator('button.kpayment-button');
    await button.focus();
    await button.press('Enter');
    const form = gatewayWindow(p);
    await form.locator('#number').waitFor();
    // Every child of <body> but the window is inert: the <h1>, the shop's form (and its button), the shop's own inert aside.
    const children = await p.evaluate(() => [...document.body.children].map((c) => ({ tag: c.tagName, overlay: c.classList.contains('kpayment-overlay'), inert: c.hasAttribute('inert') })));
    for (const child of children) expect(child.inert, `${child.tag} inert`).toBe(!child.overlay);

    // Tab goes round the window, never onto the shop's page behind it.
    for (let i = 0; i < 12; i++) {
      await p.keyboard.press('Tab');
      const outside = await p.evaluate(() => {
        const active = document.activeElement;
        return active && active !== document.body && !active.closest('.kpayment-overlay') ? active.outerHTML.slice(0, 80) : null;
      });
      expect(outside).toBeNull();
    }

    await clickClose(form.locator('#close'));
    await waitUntil(async () => (await p.locator('iframe.kpayment-frame').count()) === 0, 'the window closed');
    expect(await inertChildren(p)).toEqual(['shop-inert']);
    expect(await button.evaluate((b) => b === document.activeElement)).toBe(true);
  });

  it('gives the page back when the page takes the script\'s form away; the next show() opens a new window', async () => {
    const m = newMerchant();
    const p = await openShop({ apikey: m.pk, amount: '74.00', currency: 'THB', 'payment-methods': 'card', mid: MID, 'show-button': 'false' });
    await p.evaluate(() => (window as any).KPayment.show());
    await gatewayWindow(p).locator('#number').waitFor();
    expect(await p.evaluate(() => document.querySelector('h1')!.hasAttribute('inert'))).toBe(true);
    // As a checkout element does when it shows a result of its own: the form (and the script in it) is taken out.
    await p.evaluate(() => {
      (window as any).firstFrame = document.querySelector('iframe.kpayment-frame');
      (window as any).script = document.querySelector('form#shop script');
      document.getElementById('shop')!.remove();
    });
    await waitUntil(() => p.evaluate(() => !document.querySelector('h1')!.hasAttribute('inert')), 'the page released');
    await p.evaluate(() => {
      const form = document.createElement('form');
      form.id = 'again';
      form.append((window as any).script);
      document.body.prepend(form);
      (window as any).KPayment.show();
    });
    expect(await p.evaluate(() => (window as any).firstFrame === document.querySelector('iframe.kpayment-frame'))).toBe(false);
    expect(await p.locator('iframe.kpayment-frame').count()).toBe(1);
    expect(await inertChildren(p)).toEqual(['again', '']);
  });
});

describe('the card form’s errors', () => {
  it('are each the description of their field; submit focuses the first field in error; typing clears its error', async () => {
    const m = newMerchant();
    const p = await openShop({ apikey: m.pk, amount: '74.00', currency: 'THB', 'payment-methods': 'card', mid: MID, 'show-button': 'false' });
    await p.evaluate(() => (window as any).KPayment.show());
    const form = gatewayWindow(p);
    await form.locator('#name').fill('Somchai Jaidee');
    await form.locator('#number').fill('4024007134786227');
    await form.locator('#expiry').fill('01/20');
    await form.locator('#cvv').fill('1');
    await form.locator('#pay').click();
    expect(await described(form.locator('#name'))).toEqual({ invalid: null, description: '' });
    expect(await described(form.locator('#number'))).toEqual({ invalid: 'true', description: 'The card number is invalid' });
    expect(await described(form.locator('#expiry'))).toEqual({ invalid: 'true', description: 'The card has expired' });
    expect(await described(form.locator('#cvv'))).toEqual({ invalid: 'true', description: 'Enter the 3-digit security code' });
    // The focus is on the first field to correct, whose error a screen reader reads with it.
    expect(await form.locator('#number').evaluate((input) => input === document.activeElement)).toBe(true);

    await form.locator('#number').fill('4024007134786226');
    expect(await described(form.locator('#number'))).toEqual({ invalid: null, description: '' });
    await form.locator('#cvv').fill('123');
    expect(await described(form.locator('#cvv'))).toEqual({ invalid: null, description: '' });
    // A field not yet corrected keeps its error.
    expect(await described(form.locator('#expiry'))).toEqual({ invalid: 'true', description: 'The card has expired' });

    await form.locator('#name').fill('');
    await form.locator('#pay').click();
    expect(await form.locator('#name').evaluate((input) => input === document.activeElement)).toBe(true);
    expect(await described(form.locator('#name'))).toEqual({ invalid: 'true', description: 'Enter the name on the card' });
  });
});

describe('the UnionPay page', () => {
  it('ties the error about the card number to the card number field', async () => {
    const m = newMerchant();
    const res = await call(h.url, '/card/v2/charge', { key: m.sk, json: redirectChargeBody('unionpay') });
    const p = await openShop({});
    await p.goto(res.body.redirect_url);
    await p.locator('#card_number').fill('1234');
    await p.locator('#next').click();
    await p.locator('[role=alert]').waitFor();
    expect(await described(p.locator('#card_number'))).toEqual({ invalid: 'true', description: 'Enter the 16 to 19 digits of your UnionPay card number.' });
  });
});
