import { type APIRequestContext, type Page, expect, test } from '@playwright/test';
import { signOpnWebhook } from '@payment-checkout/core/signature';
import { KAKAOPAY, KMA, KPLUS, PUBLIC_KEY, SANDBOX_URL, SCARF, type ExpectedResult, type Charge, allCharges, approve, buy, chargesFor, checkoutElement, choose, decline, expectAuthorizePage, expectResult, getOrder, getPaymentView, leave, methodButton, onlyCharge, paymentIdOf, getSource, webhookSecret, payWith, payButton } from './support/shop.ts';

/** The security invariants of DESIGN.md, as a shopper (or someone pretending to be one) can try to break them. */

test.describe('1. the amount comes from the merchant, never from the browser', () => {
  test('an amount lowered in the config the browser receives is refused, not charged; the real amount then pays', async ({ page, request }) => {
    const product = SCARF;
    const lowered = 2_345; // ฿23.45: within K PLUS's limits, so the element offers it
    await page.route('**/checkout/config?*', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), amount: lowered } });
    });
    await page.goto('/');
    await page.getByRole('button', { name: `Buy ${product.name}` }).click();
    await page.waitForURL(/\/checkout\.html\?orderId=/);
    const orderId = new URL(page.url()).searchParams.get('orderId')!;
    const element = checkoutElement(page);
    // The tampered page shows the lowered amount, and the source the browser makes is for it.
    await expect(element.locator('[part="amount-value"]')).toHaveText('฿23.45');

    // The element's requests carry the shopper's language (`?locale=`, decisions.md C20): match the path.
    const posted = page.waitForRequest((r) => new URL(r.url()).pathname.endsWith('/checkout/payments') && r.method() === 'POST');
    await payWith(page, KPLUS);
    const { sourceId } = (await posted).postDataJSON() as { sourceId: string };

    // Our sentence for the code: the companion's own message (amounts, ids) is for its logs.
    await expect(element.getByRole('status')).toHaveText('The payment details did not match the order. Please choose your payment method again.');
    await expect(element.locator('[part="message"]')).toHaveAttribute('data-code', 'source_mismatch');
    // The same request would be refused again: no "Try again", and the choices stay usable.
    await expect(element.getByRole('button', { name: 'Try again' })).toHaveCount(0);
    await expect(methodButton(page, KPLUS)).toBeEnabled();
    expect(new URL(page.url()).pathname).toBe('/checkout.html');

    // The browser did make a source for the lowered amount; no charge was made from it, nor for the order.
    expect(await getSource(request, sourceId)).toMatchObject({ amount: lowered, currency: 'THB', charge_status: 'unknown' });
    const charges = await allCharges(request);
    expect(charges.filter((c) => c.source.id === sourceId || c.amount === lowered)).toEqual([]);
    expect(await chargesFor(request, orderId)).toEqual([]);
    expect(await getOrder(request, orderId)).toMatchObject({ state: 'awaiting_payment', paidBy: null });

    // Untampered, the same order is charged what the merchant says.
    await page.unroute('**/checkout/config?*');
    await page.reload();
    await expect(element.locator('[part="amount-value"]')).toHaveText(product.shown);
    await choose(page, KPLUS, product);
    expect(await onlyCharge(request, orderId)).toMatchObject({ amount: product.amount, currency: 'THB', status: 'pending' });
  });

  test('a source made from the page with Omise.createSource for another amount, currency or method is refused', async ({ page, request }) => {
    const product = SCARF; // ฿1,500.00, payable with KakaoPay
    const orderId = await buy(page, product);

    const attempts = [
      { type: KAKAOPAY.id, params: { amount: 2_000, currency: 'THB', platform_type: 'WEB' }, problem: 'amount 2000 instead of 150000' },
      { type: KAKAOPAY.id, params: { amount: 150_000, currency: 'SGD', platform_type: 'WEB' }, problem: 'currency SGD instead of THB' },
      { type: KPLUS.id, params: { amount: 150_000, currency: 'THB' }, problem: `type ${KPLUS.id} instead of ${KAKAOPAY.id}` },
    ];
    const sourceIds: string[] = [];
    for (const attempt of attempts) {
      const source = await createSourceInPage(page, attempt.type, attempt.params);
      expect(source.status, JSON.stringify(source.body)).toBe(200);
      sourceIds.push(source.body.id);
      const answer = await postFromPage(page, { orderId, method: KAKAOPAY.id, sourceId: source.body.id, platform: 'WEB' });
      expect(answer.status).toBe(422);
      expect(answer.body.error.code).toBe('source_mismatch');
      expect(answer.body.error.message).toContain(attempt.problem);
    }
    // The browser cannot name an amount at all.
    const withAmount = await postFromPage(page, { orderId, method: KAKAOPAY.id, amount: 100 });
    expect(withAmount.status).toBe(400);
    expect(withAmount.body.error.code).toBe('bad_request');

    const charges = await allCharges(request);
    expect(charges.filter((c) => sourceIds.includes(c.source.id))).toEqual([]);
    expect(await chargesFor(request, orderId)).toEqual([]);
    expect(await getOrder(request, orderId)).toMatchObject({ state: 'awaiting_payment', paidBy: null });
    // The shopper's own click still works, for the order's amount.
    await choose(page, KAKAOPAY, product);
    expect(await onlyCharge(request, orderId)).toMatchObject({ amount: product.amount, currency: 'THB' });
  });
});

test.describe('3. nothing is paid because a browser said so', () => {
  test('a return URL with a made-up status or a wrong token marks nothing', async ({ page, request }) => {
    const product = SCARF;
    const orderId = await buy(page, product);
    await choose(page, KPLUS, product);
    const authorizeUrl = page.url();
    const returnUri = new URL((await page.getByRole('link', { name: /Leave without deciding/ }).getAttribute('href'))!);
    const paymentId = returnUri.pathname.split('/').at(-1)!;
    const token = returnUri.searchParams.get('token')!;
    expect(token.length).toBeGreaterThanOrEqual(32);

    const forged = [
      { url: `/checkout/return/${paymentId}?status=successful&paid=true`, status: 403, text: 'This link is not valid or has expired.' },
      { url: `/checkout/return/${paymentId}?token=${token.slice(0, -2)}xx&status=successful`, status: 403, text: 'This link is not valid or has expired.' },
      { url: `/checkout/return/${paymentId}?token=&status=successful`, status: 403, text: 'This link is not valid or has expired.' },
      { url: `/checkout/return/pay_${'0'.repeat(32)}?token=${token}&status=successful`, status: 404, text: 'This link is not valid or has expired.' },
    ];
    for (const attempt of forged) {
      const response = await page.goto(attempt.url);
      expect(response!.status(), attempt.url).toBe(attempt.status);
      await expect(page.getByRole('alert')).toHaveText(attempt.text);
      // The shopper's sentence only: ids and the companion's own words stay in its logs.
      await expect(page.locator('body')).not.toContainText(/pay_|token|not valid\.$/);
      expect(new URL(page.url()).pathname).toMatch(/^\/checkout\/return\//);
    }

    // The genuine link with a made-up status on top: the shop asks the gateway, which still says pending.
    await page.goto(`/checkout/return/${paymentId}?token=${encodeURIComponent(token)}&status=successful&paid=true`);
    await page.waitForURL(/\/result\.html\?paymentId=/);
    expect(paymentIdOf(page)).toBe(paymentId);
    await expectResult(page, { headline: 'Waiting for confirmation…', product, method: KPLUS, orderStatus: 'Awaiting payment' });

    expect(await onlyCharge(request, orderId)).toMatchObject({ status: 'pending', paid: false });
    expect(await getPaymentView(request, paymentId)).toMatchObject({ status: 'pending' });
    expect(await getOrder(request, orderId)).toMatchObject({ state: 'awaiting_payment', paidBy: null, history: ['created'] });

    // The bank's own answer is what counts.
    await page.goto(authorizeUrl);
    await expectAuthorizePage(page, KPLUS, product);
    await approve(page);
    await expectResult(page, { headline: 'Payment successful', product, method: KPLUS, orderStatus: 'Paid' });
  });

  test('a webhook whose body lies about the status does not change the order, signed or unsigned', async ({ page, request }) => {
    const product = SCARF;
    const orderId = await buy(page, product);
    await choose(page, KMA, product);
    const charge = await onlyCharge(request, orderId);
    const paymentId = charge.metadata.payment_id;
    const secret = await webhookSecret(request);

    const lie = lyingEvent(charge, { status: 'successful', paid: true, authorized: true, paid_at: new Date().toISOString() });
    // Unsigned, or signed with another secret: refused.
    expect((await postWebhook(request, lie, null)).status()).toBe(401);
    const wrongSecret = Buffer.from('not the sandbox secret at all').toString('base64');
    expect((await postWebhook(request, lie, wrongSecret)).status()).toBe(401);
    // Signed correctly: accepted, but the charge is re-fetched and the gateway says pending.
    const accepted = await postWebhook(request, lie, secret);
    expect(accepted.status()).toBe(200);
    expect(await accepted.json()).toMatchObject({ received: true, paymentId, status: 'pending' });

    expect(await getOrder(request, orderId)).toMatchObject({ state: 'awaiting_payment', paidBy: null, history: ['created'] });
    expect(await getPaymentView(request, paymentId)).toMatchObject({ status: 'pending' });
    expect(await onlyCharge(request, orderId)).toMatchObject({ status: 'pending', paid: false });

    // The shopper then declines at the bank; a later lie, even signed, does not turn the failure into a payment.
    await decline(page, 'insufficient_fund');
    const failed: ExpectedResult = {
      headline: 'Payment failed',
      message: 'Insufficient funds, or the account has reached its limit.',
      code: 'insufficient_fund',
      product,
      method: KMA,
      orderStatus: 'Payment failed',
    };
    await expectResult(page, failed);
    const lateLie = await postWebhook(request, lyingEvent(charge, { status: 'successful', paid: true, failure_code: null }), secret);
    expect(lateLie.status()).toBe(200);
    expect(await lateLie.json()).toMatchObject({ paymentId, status: 'failed' });
    expect(await getOrder(request, orderId)).toMatchObject({ state: 'payment_failed', paidBy: null });
    await page.reload();
    await expectResult(page, failed);
  });
});

test.describe('4. one order, one live charge', () => {
  test('a double click, going back, a refresh and a second tab do not create a second charge', async ({ page, context, request }) => {
    const product = SCARF;
    const orderId = await buy(page, product);
    const checkoutUrl = page.url();
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/checkout/payments')) posts.push(r.url());
    });

    // Two clicks in the same instant, before the element can re-render (the guard must be synchronous).
    await expect(methodButton(page, KPLUS)).toBeEnabled();
    await methodButton(page, KPLUS).check();
    await payButton(page).evaluate((button: HTMLElement) => {
      button.click();
      button.click();
    });
    await expectAuthorizePage(page, KPLUS, product);
    const authorizeUrl = page.url();
    expect(posts).toHaveLength(1);
    const charge = await onlyCharge(request, orderId);

    // A real double click.
    await page.goto(checkoutUrl);
    await methodButton(page, KPLUS).check();
    await payButton(page).dblclick();
    await page.waitForURL(authorizeUrl);

    // Back, and the same method again.
    await page.goBack();
    await page.waitForURL(checkoutUrl);
    await choose(page, KPLUS, product);
    expect(page.url()).toBe(authorizeUrl);

    // A refresh of the checkout page, and the same method again.
    await page.goto(checkoutUrl);
    await page.reload();
    await choose(page, KPLUS, product);
    expect(page.url()).toBe(authorizeUrl);

    // Two tabs of the same checkout clicking at once.
    const other = await context.newPage();
    await other.goto(checkoutUrl);
    await page.goto(checkoutUrl);
    await Promise.all([expect(methodButton(page, KPLUS)).toBeEnabled(), expect(methodButton(other, KPLUS)).toBeEnabled()]);
    await Promise.all([methodButton(page, KPLUS).check(), methodButton(other, KPLUS).check()]);
    await Promise.all([payButton(page).click(), payButton(other).click()]);
    await Promise.all([page.waitForURL(authorizeUrl), other.waitForURL(authorizeUrl)]);
    await other.close();

    const charges = await chargesFor(request, orderId);
    expect(charges.map((c) => c.id)).toEqual([charge.id]);
    expect(charges[0].status).toBe('pending');

    await approve(page);
    await expectResult(page, { headline: 'Payment successful', product, method: KPLUS, orderStatus: 'Paid' });
    expect(await chargesFor(request, orderId)).toHaveLength(1);
    expect(await getOrder(request, orderId)).toMatchObject({ state: 'paid', paidBy: charge.metadata.payment_id, needsRefund: [] });

    // Once paid, back at the checkout the shopper sees the order's receipt at once: no error, nothing to pay with.
    const consoleErrors: string[] = [];
    const refusals: number[] = [];
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    page.on('response', (r) => void (r.status() >= 400 && refusals.push(r.status())));
    await page.goto(checkoutUrl);
    await expect(checkoutElement(page).locator('[part="headline"]')).toHaveText('Payment successful');
    await expect(checkoutElement(page).locator('[part="summary"]')).toHaveText(`${product.shown} with ${KPLUS.label}`);
    await expect(checkoutElement(page).locator('[part="method"]')).toHaveCount(0);
    await expect(checkoutElement(page).locator('.error')).toHaveCount(0);
    expect([consoleErrors, refusals]).toEqual([[], []]);
    // A request from the page is refused all the same.
    const again = await request.post('/checkout/payments', { data: { orderId, method: 'mobile_banking_bay' } });
    expect([again.status(), (await again.json()).error.code]).toEqual([409, 'payment_final']);
    expect(new URL(page.url()).pathname).toBe('/checkout.html');
    expect(await chargesFor(request, orderId)).toHaveLength(1);
  });

  test('leaving the bank page undecided and choosing the same method again reuses the charge', async ({ page, request }) => {
    const product = SCARF;
    const orderId = await buy(page, product);
    await choose(page, KPLUS, product);
    const authorizeUrl = page.url();
    await leave(page);
    await expectResult(page, { headline: 'Waiting for confirmation…', product, method: KPLUS, orderStatus: 'Awaiting payment' });

    await page.getByRole('link', { name: 'Choose another payment method' }).click();
    await page.waitForURL(/\/checkout\.html\?orderId=/);
    await choose(page, KPLUS, product);
    expect(page.url()).toBe(authorizeUrl);
    expect(await chargesFor(request, orderId)).toHaveLength(1);
  });
});

// ---- helpers ------------------------------------------------------------------------------------------------

/** A `charge.complete` event about a real charge, with the charge's fields overridden by the liar. */
function lyingEvent(charge: Charge, lies: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'event',
    id: `evnt_test_${Math.random().toString(36).slice(2).padEnd(19, '0').slice(0, 19)}`,
    livemode: false,
    location: '/events/forged',
    key: 'charge.complete',
    created_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    data: { ...charge, ...lies },
  });
}

/** POSTs an Opn webhook to the companion, signed with `secret` (base64) as Opn does, or unsigned. */
async function postWebhook(request: APIRequestContext, body: string, secret: string | null) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret) {
    const timestamp = Math.floor(Date.now() / 1000);
    headers['omise-signature'] = signOpnWebhook(body, secret, timestamp);
    headers['omise-signature-timestamp'] = String(timestamp);
  }
  return request.post('/webhooks/opn', { headers, data: body });
}

/** Omise.js from the sandbox, loaded into the checkout page, creating a source with whatever the page wants. */
async function createSourceInPage(page: Page, type: string, params: Record<string, unknown>): Promise<{ status: number; body: { id: string } }> {
  return page.evaluate(
    async ({ scriptUrl, publicKey, type, params }) => {
      type OmiseJs = { setPublicKey(key: string): void; createSource(type: string, params: unknown, cb: (status: number, response: never) => void): void };
      const w = window as unknown as { Omise?: OmiseJs };
      if (!w.Omise) {
        await new Promise((resolve, reject) => {
          const script = document.createElement('script');
          script.src = scriptUrl;
          script.onload = resolve;
          script.onerror = reject;
          document.head.append(script);
        });
      }
      w.Omise!.setPublicKey(publicKey);
      return new Promise<{ status: number; body: { id: string } }>((resolve) => {
        w.Omise!.createSource(type, params, (status, body) => resolve({ status, body }));
      });
    },
    { scriptUrl: `${SANDBOX_URL}/omise.js`, publicKey: PUBLIC_KEY, type, params },
  );
}

/** `POST /checkout/payments` from the page, as a tampered element would. */
async function postFromPage(page: Page, body: Record<string, unknown>): Promise<{ status: number; body: { error: { code: string; message: string } } }> {
  return page.evaluate(async (body) => {
    const res = await fetch('/checkout/payments', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: await res.json() };
  }, body);
}
