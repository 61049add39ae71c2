import { type FrameLocator, type Page, devices, expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe.ts';
import {
  CARD_LABEL,
  DCC_MID,
  DEFAULT_CARD_SETTINGS,
  KPAYMENT_SECRET_KEY,
  MID,
  OTP,
  type TestCard,
  cardForm,
  enterCard,
  expectCardResult,
  expectThreeDSecurePage,
  openCardForm,
  orderAndCheckout,
  pay,
  setCardSettings,
  tokenPost,
} from './support/cards.ts';
import { ALIPAY, THAI_QR, UNIONPAY, UNIONPAY_CARDS, WECHAT, kpaymentButton, openQr, openRedirect, qrPopup } from './support/kpayment.ts';
import { KAKAOPAY, KMA, KPLUS, type Method, ORCHID, type Product, RICE, SANDBOX_URL, SCARF, approve, buy, checkoutElement, choose, methodButton, payWith } from './support/shop.ts';

/**
 * Every page of the sandbox a shopper can meet, as the shopper meets it from the demo: axe (WCAG 2.1 AA, colour
 * contrast included) finds nothing on it, and it speaks to people (no internal ids, times and amounts written for
 * them). Opn's authorize page on a desktop and on phones; K-Payment's card form, 3-D Secure page and its result,
 * QR popup and QR Simulator, Alipay and UnionPay pages, and both gateways' "not found" pages. In English, then each
 * page again in Thai and in Japanese: a browser in that language (its Accept-Language) gets the page in it.
 */

const FRAME = 'iframe.kpayment-frame';
const BANGKOK_TIME = /^[A-Z][a-z]+ \d{1,2}, \d{4} at \d{2}:\d{2} GMT\+7$/;

const PHONES = [
  { name: 'an iPhone', use: phone(devices['iPhone 13']) },
  { name: 'an Android phone', use: phone(devices['Pixel 7']) },
];

/** The device's screen and user agent, in Chromium. */
function phone(device: (typeof devices)[string]) {
  const { userAgent, viewport, deviceScaleFactor, isMobile, hasTouch } = device;
  return { userAgent, viewport, deviceScaleFactor, isMobile, hasTouch };
}

/** What the shopper pays each method with: KakaoPay in Singapore dollars, mobile banking in baht. */
const OPN_METHODS: Array<{ method: Method; product: typeof RICE }> = [
  { method: KPLUS, product: RICE },
  { method: KMA, product: RICE },
  { method: KAKAOPAY, product: ORCHID },
];

async function expectOpnExpiry(page: Page, method: Method): Promise<void> {
  const expires = page.locator('dt:text-is("Expires") + dd time');
  if (method.expiryMinutes === null) return expect(expires).toHaveCount(0);
  await expect(expires).toHaveText(BANGKOK_TIME);
  expect(Date.parse((await expires.getAttribute('datetime'))!)).toBeGreaterThan(Date.now());
}

test.describe("Opn's authorize page", () => {
  for (const { method, product } of OPN_METHODS) {
    test(`${method.label} on a desktop: accessible, the expiry in Bangkok time`, async ({ page }) => {
      await buy(page, product);
      await choose(page, method, product);
      await expectOpnExpiry(page, method);
      await expectAccessible(page, `the ${method.label} authorize page`);
    });
  }

  for (const device of PHONES) {
    test.describe(`on ${device.name}`, () => {
      test.use(device.use);
      for (const { method, product } of OPN_METHODS) {
        test(`${method.label}: accessible`, async ({ page }) => {
          await buy(page, product);
          await choose(page, method, product);
          await expect(page.getByText(/On a phone/)).toBeVisible();
          await expectAccessible(page, `the ${method.label} authorize page on ${device.name}`);
        });
      }
    });
  }

  test('after the decision, and for an unknown payment: accessible', async ({ page }) => {
    await buy(page, RICE);
    await choose(page, KPLUS, RICE);
    const authorizeUrl = page.url();
    await approve(page);
    await page.goto(authorizeUrl);
    await expect(page.getByRole('status')).toHaveText('This payment was successful.');
    await expectAccessible(page, 'a decided authorize page');
    await page.goto(`${SANDBOX_URL}/payments/pay2_test_nothinghere/authorize`);
    await expect(page.getByRole('heading', { name: 'Payment not found' })).toBeVisible();
    await expectAccessible(page, "Opn's not-found page");
  });
});

test.describe("K-Payment's card pages", () => {
  const USD_CARD: TestCard = { number: '5239620007270264', brand: 'MASTERCARD' };
  const SETTINGS = `${SANDBOX_URL}/_sandbox/kpayment/settings`;

  test.afterAll(async ({ playwright }) => {
    const api = await playwright.request.newContext();
    await api.post(SETTINGS, { headers: { 'x-api-key': KPAYMENT_SECRET_KEY }, data: { merchantName: null } });
    await api.dispose();
  });

  test('DCC: the offer is accessible, starts unticked, and paying in dollars waits for the tick; then the 3-D Secure pages', async ({ page, request }) => {
    await setCardSettings(request, { threeDSecure: true, dcc: true });
    await orderAndCheckout(page, SCARF);
    const form = await openCardForm(page, SCARF.shown);
    await expectAccessible(page, 'the card form', FRAME);
    await enterCard(form, USD_CARD);
    await expect(form.locator('#dcc-text')).toContainText('Your credit card currency: USD');
    await expectAccessible(page, 'the card form with a DCC offer', FRAME);

    const accept = form.getByLabel(/I accept the payment currency and exchange rate/);
    await expect(accept).not.toBeChecked();
    let posted = false;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().includes('/checkout/kpayment/token/')) posted = true;
    });
    await form.getByRole('button', { name: 'Pay 44.70 USD', exact: true }).click();
    await expect(form.getByRole('alert')).toHaveText(`Tick “I accept the payment currency and exchange rate” to pay in USD, or pay ${SCARF.shown}.`);
    await expect(accept).toBeFocused();
    expect(posted, 'nothing is paid before the tick').toBe(false);
    await expectAccessible(page, 'the card form asking for the tick', FRAME);

    await accept.check();
    const token = tokenPost(page);
    await form.getByRole('button', { name: 'Pay 44.70 USD', exact: true }).click();
    const fields = new URLSearchParams((await token).postData() ?? '');
    expect(fields.get('dcc_currency')).toBe('USD');

    await expectThreeDSecurePage(page, SCARF.shown, USD_CARD);
    await expectAccessible(page, 'the 3-D Secure page');
    const authUrl = page.url();
    await page.getByRole('button', { name: 'Request OTP' }).click();
    await page.getByLabel('One-time password').fill(OTP);
    await expectAccessible(page, 'the 3-D Secure OTP page');
    await page.getByRole('button', { name: 'Confirm' }).click();
    // What the card was charged, in dollars, and what the order cost.
    await expectCardResult(page, { paid: true, product: SCARF, summary: 'US$44.70 (฿1,500.00) with Credit / debit card' });
    // Back on the bank's page: its result, with the way back to the merchant.
    await page.goto(authUrl);
    await expect(page.getByRole('status')).toHaveText('Payment approved.');
    await expectAccessible(page, 'the 3-D Secure result page');
    await page.goto(`${SANDBOX_URL}/KPGW-Auth3d-Webapi/Authorize/auth_test_nothinghere`);
    await expectAccessible(page, "K-Payment's not-found page");
  });

  test("the 3-D Secure page shows what an issuer shows: the merchant's name, amount, date and masked card, no internal ids", async ({ page, request }) => {
    await setCardSettings(request, { threeDSecure: true, dcc: true });
    const named = await request.post(SETTINGS, { headers: { 'x-api-key': KPAYMENT_SECRET_KEY }, data: { merchantName: 'Thai Silk House' } });
    expect(named.status()).toBe(200);
    const card: TestCard = { number: '4024007134786226', brand: 'VISA' };
    await orderAndCheckout(page, SCARF);
    const form = await openCardForm(page, SCARF.shown);
    await enterCard(form, card);
    const posted = await pay(page, form, `Pay ${SCARF.shown}`);
    await expectThreeDSecurePage(page, SCARF.shown, card);
    const details = page.locator('dl');
    await expect(details.locator('dt')).toHaveText(['Merchant', 'Amount', 'Date', 'Card']);
    await expect(details.locator('dd')).toHaveText(['Thai Silk House', SCARF.shown, BANGKOK_TIME, 'VISA 402400*****6226']);
    const body = page.locator('body');
    for (const id of [posted.paymentId, DCC_MID, MID]) await expect(body).not.toContainText(id);
  });

  test('instalments: each term with its monthly amount, accessible; the term posted is unchanged', async ({ page, request }) => {
    await setCardSettings(request, { smartpay: DEFAULT_CARD_SETTINGS.smartpay });
    await orderAndCheckout(page, SCARF);
    const form = await openCardForm(page, SCARF.shown, 'KBank credit card in instalments');
    const term = form.getByLabel('Installment term (months)');
    await expect(term.locator('option')).toHaveText(['3 months: ฿500.00 a month', '4 months: ฿375.00 a month', '6 months: ฿250.00 a month', '10 months: ฿150.00 a month']);
    await expect(form.locator('#term-note')).toHaveText('Monthly amounts before the card issuer’s interest, which the bank adds.');
    await expectAccessible(page, 'the instalment card form', FRAME);
    await term.selectOption('4');
    await enterCard(cardForm(page), { number: '5411768003140872', brand: 'MASTERCARD' });
    const posted = await pay(page, form, `Pay ${SCARF.shown}`);
    expect(posted.fields).toMatchObject({ smartpayId: '0001', term: '4' });
  });
});

test.describe("K-Payment's QR and redirect pages", () => {
  for (const method of [THAI_QR, WECHAT]) {
    test(`${method}: the QR popup and the QR Simulator are accessible`, async ({ page, context }) => {
      await buy(page, RICE);
      const qrId = await openQr(page, method, /350\.00/);
      await expect(qrPopup(page).locator('#countdown')).toHaveText(/Expires in/);
      await expectAccessible(page, `the ${method} popup`, FRAME);
      const simulator = await context.newPage();
      await simulator.goto(`${SANDBOX_URL}/_sandbox/kpayment/qr-simulator?qr=${qrId}`);
      await expect(simulator.locator('#detail-state')).toHaveText('pending');
      await expectAccessible(simulator, 'the QR Simulator');
      await simulator.close();
    });
  }

  test('Alipay and UnionPay (TPN and UPI): accessible', async ({ page }) => {
    await buy(page, SCARF);
    await openRedirect(page, ALIPAY);
    await expectAccessible(page, 'the Alipay page');
    await buy(page, SCARF);
    await openRedirect(page, UNIONPAY);
    await expectAccessible(page, 'the UnionPay card number page');
    const upi = UNIONPAY_CARDS.find((c) => c.network === 'UPI')!;
    await page.getByLabel('Card Number').fill(upi.number);
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('UnionPay International');
    await expectAccessible(page, 'the UnionPay International page');
  });
});

/**
 * What a shopper whose browser is in Thai or Japanese reads first on each page (the shop's pages stay English: their
 * `<html lang="en">` decides the element's language, not the browser).
 */
const LANGUAGES = [
  {
    name: 'Thai',
    locale: 'th-TH',
    lang: 'th',
    bangkokTime: /^\d{1,2} [\u0E00-\u0E7F]+ 25\d\d เวลา \d\d:\d\d GMT\+7$/,
    authorize: 'ยืนยันการชำระเงิน',
    successful: 'สำเร็จ',
    decided: 'การชำระเงินนี้สำเร็จแล้ว',
    onPhone: /^บนโทรศัพท์/,
    notFound: 'ไม่พบรายการชำระเงิน',
    card: { name: 'ชื่อบนบัตร', number: 'หมายเลขบัตร', expiry: 'วันหมดอายุบัตร (MM/YY)', cvv: 'รหัสความปลอดภัย (CVV)' },
    dccOffer: 'สกุลเงินของบัตรเครดิตของคุณ: USD',
    dccAccept: /ฉันยอมรับสกุลเงินและอัตราแลกเปลี่ยน/,
    tickFirst: /^กรุณาเลือก “ฉันยอมรับสกุลเงินและอัตราแลกเปลี่ยน” เพื่อชำระเป็น USD/,
    term: 'ระยะเวลาผ่อนชำระ (เดือน)',
    firstTerm: '3 เดือน: เดือนละ ฿500.00',
    verify: 'ยืนยันการชำระเงิน',
    requestOtp: 'ขอรหัส OTP',
    otp: 'รหัสผ่านใช้ครั้งเดียว (OTP)',
    confirm: 'ยืนยัน',
    approved: 'การชำระเงินได้รับการอนุมัติ',
    expiresIn: /^หมดอายุใน \d+:\d\d$/,
    simulator: 'QR Simulator',
    alipay: 'ชำระเงินด้วย Alipay',
    unionpay: 'ชำระเงินด้วยบัตร UnionPay',
    next: 'ถัดไป',
  },
  {
    name: 'Japanese',
    locale: 'ja-JP',
    lang: 'ja',
    bangkokTime: /^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d GMT\+7$/,
    authorize: 'お支払いの承認',
    successful: '成功',
    decided: 'このお支払いは完了しました。',
    onPhone: /^スマートフォン/,
    notFound: 'お支払いが見つかりません',
    card: { name: 'カード名義', number: 'カード番号', expiry: '有効期限（MM/YY）', cvv: 'セキュリティコード' },
    dccOffer: 'お客様のクレジットカードの通貨：USD',
    dccAccept: /上記の決済通貨と為替レートに同意します/,
    tickFirst: /^USDで支払うには「上記の決済通貨と為替レートに同意します」にチェックを入れてください。/,
    term: '分割回数',
    firstTerm: '3回：月々฿500.00',
    verify: 'ご本人確認',
    requestOtp: 'OTPを取得',
    otp: 'ワンタイムパスワード',
    confirm: '確認',
    approved: 'お支払いが承認されました。',
    expiresIn: /^有効期限まで \d+:\d\d$/,
    simulator: 'QRシミュレーター',
    alipay: 'Alipayで支払う',
    unionpay: 'UnionPayカードでのお支払い',
    next: '次へ',
  },
] as const;

/** The page, or the gateway's frame over the shop's page, is written in `lang` (and says `heading`, when it has its own). */
async function expectLanguage(target: Page | FrameLocator, lang: string, heading?: string): Promise<void> {
  await expect(target.locator('html')).toHaveAttribute('lang', lang);
  if (heading) await expect(target.getByRole('heading', { level: 1 })).toHaveText(heading);
}

/** From the storefront: buys `product`, chooses an Opn method, and lands on the authorize page in `language`. */
async function openAuthorizePage(page: Page, product: Product, method: Method, language: (typeof LANGUAGES)[number]): Promise<void> {
  await buy(page, product);
  await payWith(page, method);
  await page.waitForURL(`${SANDBOX_URL}/payments/*/authorize`);
  await expectLanguage(page, language.lang, language.authorize);
}

for (const L of LANGUAGES) {
  test.describe(`In ${L.name}`, () => {
    test.use({ locale: L.locale });
    // The browser speaks the language, the shop is switched to English (its own switch, kept in localStorage): the
    // gateway's pages follow the browser, whatever the shop's page says.
    test.beforeEach(async ({ page }) => {
      await page.addInitScript(() => localStorage.setItem('siam-market.language', 'en'));
    });

    test("Opn's authorize page: waiting (with its expiry, with a QR code), decided, not found: accessible", async ({ page }) => {
      await openAuthorizePage(page, RICE, KPLUS, L);
      await expect(page.locator('dd time')).toHaveText(L.bangkokTime);
      await expectAccessible(page, `the K PLUS authorize page in ${L.name}`);
      const authorizeUrl = page.url();

      await openAuthorizePage(page, ORCHID, KAKAOPAY, L);
      await expect(page.locator('.qr img')).toBeVisible();
      await expectAccessible(page, `the KakaoPay authorize page in ${L.name}`);

      await page.goto(authorizeUrl);
      await page.getByRole('button', { name: L.successful, exact: true }).click();
      await page.waitForURL(/\/result\.html\?paymentId=/);
      await page.goto(authorizeUrl);
      await expect(page.getByRole('status')).toHaveText(L.decided);
      await expectAccessible(page, `a decided authorize page in ${L.name}`);
      await page.goto(`${SANDBOX_URL}/payments/pay2_test_nothinghere/authorize`);
      await expectLanguage(page, L.lang, L.notFound);
      await expectAccessible(page, `Opn's not-found page in ${L.name}`);
    });

    test.describe('on an iPhone', () => {
      test.use(PHONES[0].use);
      test("Opn's authorize page: accessible", async ({ page }) => {
        await openAuthorizePage(page, RICE, KMA, L);
        await expect(page.locator('.note')).toHaveText(L.onPhone);
        await expectAccessible(page, `the KMA authorize page on an iPhone in ${L.name}`);
      });
    });

    test("K-Payment's card form with a DCC offer, the 3-D Secure pages and their result: accessible", async ({ page, request }) => {
      await setCardSettings(request, { threeDSecure: true, dcc: true });
      await orderAndCheckout(page, SCARF);
      await payWith(page, CARD_LABEL);
      const form = page.frameLocator(FRAME);
      await expectLanguage(form, L.lang);
      await expectAccessible(page, `the card form in ${L.name}`, FRAME);
      await form.getByLabel(L.card.name).fill('Somchai Jaidee');
      await form.getByLabel(L.card.number).fill('5239620007270264');
      await form.getByLabel(L.card.expiry).fill('12/30');
      await form.getByLabel(L.card.cvv).fill('123');
      await expect(form.locator('#dcc-text')).toContainText(L.dccOffer);
      await expectAccessible(page, `the card form with a DCC offer in ${L.name}`, FRAME);
      await form.locator('#pay-dcc').click();
      await expect(form.getByRole('alert')).toHaveText(L.tickFirst);
      await expectAccessible(page, `the card form asking for the tick in ${L.name}`, FRAME);
      await form.getByLabel(L.dccAccept).check();
      await form.locator('#pay-dcc').click();

      await page.waitForURL(`${SANDBOX_URL}/KPGW-Auth3d-Webapi/Authorize/*`);
      await expectLanguage(page, L.lang, L.verify);
      await expect(page.locator('dl dd').nth(2)).toHaveText(L.bangkokTime);
      await expectAccessible(page, `the 3-D Secure page in ${L.name}`);
      const authUrl = page.url();
      await page.getByRole('button', { name: L.requestOtp }).click();
      await page.getByLabel(L.otp).fill(OTP);
      await expectAccessible(page, `the 3-D Secure OTP page in ${L.name}`);
      await page.getByRole('button', { name: L.confirm, exact: true }).click();
      await page.waitForURL(/\/result\.html\?paymentId=/);
      await page.goto(authUrl);
      await expect(page.getByRole('status')).toHaveText(L.approved);
      await expectAccessible(page, `the 3-D Secure result page in ${L.name}`);
      await page.goto(`${SANDBOX_URL}/KPGW-Auth3d-Webapi/Authorize/auth_test_nothinghere`);
      await expectLanguage(page, L.lang, L.notFound);
      await expectAccessible(page, `K-Payment's not-found page in ${L.name}`);
    });

    test("K-Payment's instalment card form: accessible", async ({ page, request }) => {
      await setCardSettings(request, { smartpay: DEFAULT_CARD_SETTINGS.smartpay });
      await orderAndCheckout(page, SCARF);
      await payWith(page, 'KBank credit card in instalments');
      const form = page.frameLocator(FRAME);
      await expectLanguage(form, L.lang);
      await expect(form.getByLabel(L.term).locator('option').first()).toHaveText(L.firstTerm);
      await expectAccessible(page, `the instalment card form in ${L.name}`, FRAME);
    });

    test("K-Payment's QR popups, QR Simulator, Alipay and UnionPay pages: accessible", async ({ page, context }) => {
      for (const method of [THAI_QR, WECHAT]) {
        await buy(page, RICE);
        const qrId = await openQr(page, method, /350\.00/);
        await expectLanguage(qrPopup(page), L.lang);
        await expect(qrPopup(page).locator('#countdown')).toHaveText(L.expiresIn);
        await expectAccessible(page, `the ${method} popup in ${L.name}`, FRAME);
        const simulator = await context.newPage();
        await simulator.goto(`${SANDBOX_URL}/_sandbox/kpayment/qr-simulator?qr=${qrId}`);
        await expectLanguage(simulator, L.lang, L.simulator);
        await expectAccessible(simulator, `the QR Simulator in ${L.name}`);
        await simulator.close();
      }

      await buy(page, SCARF);
      await payWith(page, ALIPAY);
      await page.waitForURL(`${SANDBOX_URL}/kpgw/alipay/**`);
      await expectLanguage(page, L.lang, L.alipay);
      await expectAccessible(page, `the Alipay page in ${L.name}`);
      await buy(page, SCARF);
      await payWith(page, UNIONPAY);
      await page.waitForURL(`${SANDBOX_URL}/kpgw/unionpay/**`);
      await expectLanguage(page, L.lang, L.unionpay);
      await expectAccessible(page, `the UnionPay card number page in ${L.name}`);
      await page.getByLabel(L.card.number).fill(UNIONPAY_CARDS.find((c) => c.network === 'UPI')!.number);
      await page.getByRole('button', { name: L.next }).click();
      await expectLanguage(page, L.lang, 'UnionPay International');
      await expectAccessible(page, `the UnionPay International page in ${L.name}`);
    });
  });
}
