import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, call, newMerchant, startSandbox } from '../../test/test-kit.ts';
import { RETURN_URI, createCharge, decide } from '../../test/opn-kit.ts';
import { expectWrittenInEachLanguage } from '../../test/texts-kit.ts';
import { AUTHORIZE_TEXTS } from './page-texts.ts';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.close());

async function page(uri: string, acceptLanguage?: string) {
  const res = await fetch(uri, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const FAILURE_CODES = ['payment_expired', 'payment_rejected', 'failed_processing', 'invalid_account', 'insufficient_fund'];

describe('the authorize page', () => {
  it('shows the method, the formatted amount and the merchant, with Successful, Failed and a way out', async () => {
    const m = newMerchant('acmeshop');
    const charge = await createCharge(h.url, m, { type: 'mobile_banking_kbank', amount: 150000, platform_type: 'IOS' });
    const { status, headers, text } = await page(charge.authorize_uri);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(text).toContain('<html lang="en">');
    expect(text).toContain('KBank K PLUS');
    expect(text).toMatch(/THB\s1,500\.00/);
    expect(text).toContain('acmeshop');
    expect(text).toContain(charge.id);
    expect(text).toMatch(/<button class="ok" type="submit" name="action" value="successful">Successful<\/button>/);
    expect(text).toMatch(/<button class="fail" type="submit" name="action" value="failed">Failed<\/button>/);
    expect(text).toContain('<label for="failure_code">Failure code</label>');
    const options = [...text.matchAll(/<option value="([a-z_]+)"/g)].map((m) => m[1]);
    expect(options).toEqual(FAILURE_CODES);
    expect(text).toContain(`action="/payments/${charge.authorize_uri.split('/')[4]}/authorize"`);
    expect(text).toContain(`<a href="${RETURN_URI}">Leave without deciding (back to the merchant)</a>`);
    // A phone platform: the sandbox says it stands in for the bank's app.
    expect(text).toContain('On a phone (IOS)');
    // The secret key never reaches a page.
    expect(text).not.toContain(m.sk);
    // Looking at the page (or leaving it) decides nothing.
    expect((await call(h.url, `/charges/${charge.id}`, { key: m.sk })).body.status).toBe('pending');
  });

  it('writes the expiry for people: date and time in Bangkok, the ISO time only in datetime', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'mobile_banking_kbank' });
    const { text } = await page(charge.authorize_uri);
    const bangkok = new Date(Date.parse(charge.expires_at) + 7 * 3_600_000);
    const month = bangkok.toLocaleString('en', { month: 'long', timeZone: 'UTC' });
    const clock = `${String(bangkok.getUTCHours()).padStart(2, '0')}:${String(bangkok.getUTCMinutes()).padStart(2, '0')}`;
    expect(text).toContain(
      `<dt>Expires</dt><dd><time datetime="${charge.expires_at}">${month} ${bangkok.getUTCDate()}, ${bangkok.getUTCFullYear()} at ${clock} GMT+7</time></dd>`,
    );
  });

  it('formats SGD and names KakaoPay; on the web it shows a QR code of the authorize URL', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'kakaopay', currency: 'SGD', amount: 123456, platform_type: 'WEB' });
    const { text } = await page(charge.authorize_uri);
    expect(text).toContain('KakaoPay');
    expect(text).toMatch(/SGD\s1,234\.56/);
    const src = /<img src="(data:image\/png;base64,[^"]+)" alt="QR code of this payment, to scan with the KakaoPay app">/.exec(text);
    expect(src).not.toBeNull();
    expect(src![1]).toBe(await QRCode.toDataURL(charge.authorize_uri, { margin: 1, width: 220 }));
  });

  it('shows no QR code for mobile banking or for KakaoPay on a phone', async () => {
    const m = newMerchant();
    for (const params of [
      { type: 'mobile_banking_bay' as const },
      { type: 'kakaopay' as const, currency: 'SGD', platform_type: 'ANDROID' },
    ]) {
      const charge = await createCharge(h.url, m, params);
      expect((await page(charge.authorize_uri)).text).not.toContain('<img');
    }
  });

  it('escapes everything it shows', async () => {
    const m = newMerchant();
    const evil = 'https://shop.example/r?x="><script>alert(1)</script>';
    const res = await call(h.url, '/charges', {
      key: m.sk,
      json: {
        amount: 150000,
        currency: 'THB',
        source: { type: 'mobile_banking_kbank' },
        return_uri: evil,
        description: '<img src=x onerror=alert(2)> & "friends"',
      },
    });
    expect(res.status).toBe(200);
    const { text } = await page(res.body.authorize_uri);
    expect(text).not.toContain('<script>alert(1)');
    expect(text).not.toContain('<img src=x');
    expect(text).toContain('&lt;img src=x onerror=alert(2)&gt; &amp; &quot;friends&quot;');
    expect(text).toContain('href="https://shop.example/r?x=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('after a decision shows the state and only the link back', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'mobile_banking_bay' });
    await decide(charge.authorize_uri, { action: 'failed', failure_code: 'insufficient_fund' });
    const { status, text } = await page(charge.authorize_uri);
    expect(status).toBe(200);
    expect(text).toContain('This payment <strong>failed</strong>');
    expect(text).toContain('Insufficient funds in the account or the payment method has reached its limit.');
    expect(text).not.toContain('<form');
    expect(text).not.toContain('<button');
    expect(text).toContain(`<a href="${RETURN_URI}">Return to the merchant</a>`);

    const paid = await createCharge(h.url, m, { type: 'mobile_banking_bay' });
    await decide(paid.authorize_uri, { action: 'successful' });
    expect((await page(paid.authorize_uri)).text).toContain('This payment was <strong>successful</strong>.');
  });

  it('shows an authorized KakaoPay charge as waiting for capture', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'kakaopay', currency: 'SGD', capture: false });
    await decide(charge.authorize_uri, { action: 'successful' });
    const { text } = await page(charge.authorize_uri);
    expect(text).toContain('<strong>authorized</strong> and waits for the merchant to capture it');
    expect(text).not.toContain('<form');
  });

  it('answers 404 for an unknown payment', async () => {
    const res = await page(`${h.url}/payments/pay2_test_nothinghere/authorize`);
    expect(res.status).toBe(404);
    expect(res.text).toContain('Payment not found');
    const post = await decide(`${h.url}/payments/pay2_test_nothinghere/authorize`, { action: 'successful' });
    expect(post.status).toBe(404);
  });
});

describe("the authorize page in the shopper's language (Accept-Language)", () => {
  it('speaks Thai: its lang, heading, details, buttons and the failure codes, the expiry with the Buddhist year', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'mobile_banking_kbank', amount: 150000, platform_type: 'IOS' });
    const { text } = await page(charge.authorize_uri, 'th-TH,th;q=0.9,en-US;q=0.8,en;q=0.7');
    expect(text).toContain('<html lang="th">');
    expect(text).toContain('<h1>ยืนยันการชำระเงิน</h1>');
    expect(text).toContain('<dt>ช่องทางการชำระเงิน</dt><dd>K PLUS ธนาคารกสิกรไทย</dd>');
    expect(text).toContain('<dt>จำนวนเงิน</dt><dd class="amount">฿1,500.00</dd>');
    expect(text).toMatch(/<dt>หมดอายุ<\/dt><dd><time datetime="[^"]+">\d{1,2} [\u0E00-\u0E7F]+ 25\d\d เวลา \d\d:\d\d GMT\+7<\/time><\/dd>/);
    expect(text).toContain('บนโทรศัพท์ (IOS) หน้าจริงจะเปิดแอป K PLUS ธนาคารกสิกรไทย');
    expect(text).toContain('value="successful">สำเร็จ</button>');
    expect(text).toContain('<option value="insufficient_fund">insufficient_fund — ยอดเงินไม่เพียงพอ หรือบัญชีถึงวงเงินที่กำหนดแล้ว</option>');
    expect(text).toContain('Opn Payments แซนด์บ็อกซ์ · โหมดทดสอบ');
    expect(text).not.toMatch(/Successful|Amount|Leave without deciding/);
  });

  it('speaks Japanese: a failed payment in its words, the way back, and the page of an unknown payment', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'mobile_banking_bay' });
    await decide(charge.authorize_uri, { action: 'failed', failure_code: 'insufficient_fund' });
    const { text } = await page(charge.authorize_uri, 'ja,en;q=0.5');
    expect(text).toContain('<html lang="ja">');
    expect(text).toContain('<h1>お支払い</h1>');
    expect(text).toContain('このお支払いは<strong>失敗</strong>しました：残高が不足しているか、口座の利用限度額を超えています。（<code>insufficient_fund</code>）');
    expect(text).toContain(`<a href="${RETURN_URI}">加盟店に戻る</a>`);
    expect(text).not.toContain('Insufficient funds');
    const missing = await page(`${h.url}/payments/pay2_test_nothinghere/authorize`, 'ja-JP');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<h1>お支払いが見つかりません</h1>');
  });

  it('speaks English to a browser that names none of its languages', async () => {
    const charge = await createCharge(h.url, newMerchant(), { type: 'mobile_banking_kbank' });
    const { text } = await page(charge.authorize_uri, 'fr-FR,de;q=0.8');
    expect(text).toContain('<html lang="en">');
    expect(text).toContain('<h1>Authorize payment</h1>');
  });

  it('has every text in each language', () => {
    expectWrittenInEachLanguage(AUTHORIZE_TEXTS);
  });
});
