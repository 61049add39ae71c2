import { type APIRequestContext, type BrowserContext, type Page, expect, test } from '@playwright/test';
import { DEMO_URL, OTP, enterCard, enterOtp, expectCardResult, openCardForm, pay } from './support/cards.ts';
import { ALIPAY, THAI_QR, expectKpaymentResult, openQr, openRedirect, qrCompletionUrl, qrControl } from './support/kpayment.ts';
import { KPLUS, type Product, RICE, SANDBOX_URL, SCARF, approve, checkoutElement, choose, getOrder, paymentIdOf } from './support/shop.ts';

/**
 * The Content-Security-Policy of the companion (`checkout.contentSecurityPolicy()`) on a strict checkout page
 * (demo/csp-page.ts: the element's script-tag file, no inline script): each gateway's flow is paid under it, and
 * every page and frame of the flow (the shop's, the sandbox's authorize, card form, QR popup, 3-D Secure and
 * Alipay pages, the result pages) reports no violation, neither as a `securitypolicyviolation` event nor in the console.
 */

/** The policy the companion gives when both gateways run against the sandbox. */
const POLICY = `script-src 'self' ${SANDBOX_URL}; connect-src 'self' ${DEMO_URL} ${SANDBOX_URL}; frame-src 'self' ${SANDBOX_URL} ${DEMO_URL}; form-action 'self' ${DEMO_URL} ${SANDBOX_URL}`;

interface Violation {
  kind: 'event' | 'console';
  url: string;
  detail: string;
}

/** Records the CSP violations of every page and frame of the context, from now on. */
async function watchViolations(context: BrowserContext): Promise<Violation[]> {
  const found: Violation[] = [];
  await context.exposeBinding('__reportCspViolation', ({ frame }, detail: string) => {
    found.push({ kind: 'event', url: frame.url(), detail });
  });
  await context.addInitScript(() => {
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        const report = (window as unknown as { __reportCspViolation: (detail: string) => void }).__reportCspViolation;
        void report(`${e.effectiveDirective} refused ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
      },
      true,
    );
  });
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content.Security.Policy/i.test(message.text())) {
      found.push({ kind: 'console', url: message.page()?.url() ?? '', detail: message.text() });
    }
  });
  return found;
}

/** A new order for the product (as the storefront makes it), then its strict checkout page, whose policy is checked. */
async function strictCheckout(page: Page, product: Product): Promise<string> {
  const res = await page.request.post('/api/orders', { data: { productId: product.id } });
  expect(res.status()).toBe(201);
  const { id } = (await res.json()) as { id: string };
  const response = await page.goto(`/csp/checkout?orderId=${encodeURIComponent(id)}`);
  expect(response?.headers()['content-security-policy']).toBe(POLICY);
  await expect(checkoutElement(page).locator('[part="amount-value"]')).toHaveText(product.shown);
  return id;
}

/** The payment's result on the strict result page: the element reads it from the companion under the policy. */
async function expectStrictResult(page: Page, request: APIRequestContext, paymentId: string, orderId: string): Promise<void> {
  const response = await page.goto(`/csp/result?paymentId=${encodeURIComponent(paymentId)}`);
  expect(response?.headers()['content-security-policy']).toBe(POLICY);
  await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
  expect((await getOrder(request, orderId)).state).toBe('paid');
}

test.describe('paying under the companion’s Content-Security-Policy', () => {
  test('the policy is enforced and watched: a script from elsewhere and an inline script are refused and reported', async ({ page, context }) => {
    const violations = await watchViolations(context);
    await strictCheckout(page, RICE);
    await page.evaluate(() => {
      const elsewhere = document.createElement('script');
      elsewhere.src = 'https://scripts.example.invalid/skim.js';
      const inline = document.createElement('script');
      inline.textContent = 'window.inlineRan = true';
      document.head.append(elsewhere, inline);
    });
    await expect.poll(() => violations.filter((v) => v.kind === 'event').map((v) => v.detail)).toEqual([
      expect.stringMatching(/^script-src-elem refused https:\/\/scripts\.example\.invalid\/skim\.js/),
      expect.stringMatching(/^script-src-elem refused inline/),
    ]);
    await expect.poll(() => violations.filter((v) => v.kind === 'console').length).toBe(2);
    expect(await page.evaluate(() => (window as unknown as { inlineRan?: boolean }).inlineRan)).toBeUndefined();
  });

  test('K PLUS (Opn): Omise.js, its source, the authorize page and the return', async ({ page, context, request }) => {
    const violations = await watchViolations(context);
    const orderId = await strictCheckout(page, SCARF);
    await choose(page, KPLUS, SCARF);
    await approve(page);
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
    await expectStrictResult(page, request, paymentIdOf(page), orderId);
    expect(violations).toEqual([]);
  });

  test('a card (K-Payment): kpayment.min.js, the card form frame, the token post, 3-D Secure and the callback', async ({ page, context, request }) => {
    const violations = await watchViolations(context);
    const orderId = await strictCheckout(page, RICE);
    const form = await openCardForm(page, RICE.shown);
    await enterCard(form, { number: '5404888000072727', brand: 'MASTERCARD' });
    const posted = await pay(page, form, `Pay ${RICE.shown}`);
    // The companion answers the form with a redirect to the bank's page: `form-action` must allow it too.
    await page.waitForURL(`${SANDBOX_URL}/KPGW-Auth3d-Webapi/Authorize/*`);
    await enterOtp(page, OTP);
    await expectCardResult(page, { paid: true, product: RICE });
    await expectStrictResult(page, request, posted.paymentId, orderId);
    expect(violations).toEqual([]);
  });

  test('Thai QR (K-Payment): the QR popup frame and its completion post', async ({ page, context, request }) => {
    const violations = await watchViolations(context);
    const orderId = await strictCheckout(page, SCARF);
    const qrId = await openQr(page, THAI_QR, /1,500\.00/);
    const paymentId = /\/checkout\/kpayment\/qr\/(pay_[^/?]+)/.exec(await qrCompletionUrl(page))![1];
    await qrControl(request, qrId, 'pay', { channel: 'kplus' });
    // The popup posts the charge to the companion (or the element, polling, shows the result first): either way, paid.
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
    await page.waitForLoadState('load');
    await expectStrictResult(page, request, paymentId, orderId);
    expect(violations).toEqual([]);
  });

  test('Alipay (K-Payment): the hosted page and the callback', async ({ page, context, request }) => {
    const violations = await watchViolations(context);
    const orderId = await strictCheckout(page, SCARF);
    await openRedirect(page, ALIPAY);
    await page.locator('#pay').click();
    await page.waitForURL(/\/result\.html\?paymentId=/);
    await expectKpaymentResult(page, 'Payment successful', 'Paid');
    await expectStrictResult(page, request, paymentIdOf(page), orderId);
    expect(violations).toEqual([]);
  });
});
