import { customerMessage } from '@payment-checkout/core';
import { describe, expect, it } from 'vitest';
import { CARD_FORM_TEXTS } from './card-form-texts.ts';
import { KPAYMENT_JS_TEXTS } from './kpayment-js-texts.ts';
import { KPAYMENT_PAGE_TEXTS } from './page-texts.ts';
import { QR_SIMULATOR_TEXTS } from './qr-simulator-texts.ts';
import { QR_TEXTS } from './qr-texts.ts';
import { REDIRECT_TEXTS } from './redirect-texts.ts';
import { expectWrittenInEachLanguage } from '../../test/texts-kit.ts';
import { MID, call, newMerchant, orderWithQr, payWithCard, redirectChargeBody, setSettings, useKpayment } from '../../test/kpayment-kit.ts';

/**
 * Every K-Payment hosted page in the shopper's language, from the browser's Accept-Language (the guide's script has
 * no language attribute): its `<html lang>`, its words, and a failure worded in that language, not the gateway's.
 */

const h = useKpayment();
const THAI = 'th-TH,th;q=0.9,en-US;q=0.8,en;q=0.7';
const JAPANESE = 'ja-JP,ja;q=0.9';

/** A hosted page (GET, or a form POST) as a browser in `language` gets it. */
async function page(url: string, language: string, form?: Record<string, string>) {
  const res = await call(h.url, url, { headers: { 'accept-language': language }, form });
  return { status: res.status, text: String(res.body), headers: res.headers };
}

describe('the 3-D Secure page', () => {
  it('asks for the OTP in Thai, with the date in the Buddhist year, and words a failed authentication in Thai', async () => {
    const m = newMerchant();
    await setSettings(h.url, m.sk, { callbackUrl: 'https://shop.example/callback' });
    const { charge } = await payWithCard(h.url, m, { number: '5404888000072727' });
    const first = await page(charge.redirect_url, THAI);
    expect(first.text).toContain('<html lang="th">');
    expect(first.text).toContain('<h1>ยืนยันการชำระเงิน</h1>');
    expect(first.text).toContain('ธนาคารผู้ออกบัตรต้องยืนยันว่าเป็นคุณ');
    expect(first.text).toMatch(/<dt>วันที่<\/dt><dd>\d{1,2} [\u0E00-\u0E7F]+ 25\d\d เวลา \d\d:\d\d GMT\+7<\/dd>/);
    expect(first.text).toContain('>ขอรหัส OTP</button>');
    await page(`${charge.redirect_url}/otp`, THAI, {});
    expect((await page(charge.redirect_url, THAI)).text).toContain('<label for="otp">รหัสผ่านใช้ครั้งเดียว (OTP)</label>');
    const failed = await page(`${charge.redirect_url}/verify`, THAI, { otp: '000000' });
    expect(failed.text).toContain(`การยืนยันตัวตนไม่สำเร็จ: ${customerMessage('50', 'th')} (50)`);
    expect(failed.text).toContain('>กลับไปยังร้านค้า</button>');
    expect(failed.text).not.toContain('Failed Authentication');
  });

  it('shows its result in Japanese on a later visit', async () => {
    const m = newMerchant();
    const { charge } = await payWithCard(h.url, m, { number: '5404888000072727' });
    await page(`${charge.redirect_url}/otp`, JAPANESE, {});
    await page(`${charge.redirect_url}/verify`, JAPANESE, { otp: '123456' });
    const later = await page(charge.redirect_url, JAPANESE);
    expect(later.text).toContain('<html lang="ja">');
    expect(later.text).toContain('<h1>お支払い結果</h1>');
    expect(later.text).toContain('お支払いが承認されました。');
    expect((await page(`${h.url}/KPGW-Auth3d-Webapi/Authorize/auth_test_nothing`, JAPANESE)).text).toContain('<h1>お支払いが見つかりません</h1>');
  });
});

describe("kpayment.min.js and the card form it opens", () => {
  const cardForm = (query: Record<string, string>) => `/ui/v2/card-form?${new URLSearchParams({ parent: 'http://shop.example', amount: '74.00', currency: 'THB', ...query })}`;

  it('draws its own button and names its frame in the language it is served in', async () => {
    const thai = await page('/ui/v2/kpayment.min.js', THAI);
    expect(thai.headers.get('vary')).toMatch(/Accept-Language/i);
    expect(thai.text).toContain(`var TEXTS = ${JSON.stringify(KPAYMENT_JS_TEXTS.th)};`);
    expect(thai.text).toContain('"payNow":"ชำระเงิน"');
    expect((await page('/ui/v2/kpayment.min.js', 'de')).text).toContain('"payNow":"Pay Now"');
  });

  it('speaks Japanese: its labels, its pay button and the sentences its script shows', async () => {
    const m = newMerchant();
    const { text } = await page(cardForm({ apikey: m.pk, mid: MID }), JAPANESE);
    expect(text).toContain('<html lang="ja">');
    expect(text).toContain('<label for="number">カード番号 <span class="brand" id="brand"></span></label>');
    expect(text).toContain('<button class="primary" type="submit" id="pay">฿74.00を支払う</button>');
    expect(text).toContain('"numberInvalid":"カード番号が正しくありません"');
  });

  it('tells in Thai why it cannot open, with the code for the merchant', async () => {
    const m = newMerchant();
    const { text } = await page(cardForm({ apikey: m.pk }), THAI);
    expect(text).toContain('<h1>ไม่สามารถชำระเงินด้วยบัตรได้</h1>');
    expect(text).toContain(`${customerMessage('mandatory_is_empty', 'th')} (<code>mandatory_is_empty</code>)`);
    expect(text).toContain('>ปิด</button>');
  });
});

describe('the QR popup and the QR Simulator', () => {
  it('the popup speaks Thai, and its poll words a failure in Thai', async () => {
    const m = newMerchant();
    const { order, qr } = await orderWithQr(h.url, m.sk, { amount: 74 });
    const popup = `/ui/v2/qr-popup?${new URLSearchParams({ parent: 'http://shop.example', apikey: m.pk, amount: '74.00', 'payment-methods': 'qr', 'order-id': order.id })}`;
    const { text } = await page(popup, THAI);
    expect(text).toContain('<html lang="th">');
    expect(text).toContain('สแกนด้วย K PLUS หรือแอปธนาคาร/วอลเล็ตใดก็ได้ในประเทศไทย (Thai QR Payment)');
    expect(text).toContain('>บันทึกรูป QR Code</a>');
    expect(text).toContain('"expiresIn":"หมดอายุใน {time}"');
    await call(h.url, `/_sandbox/kpayment/qr/${qr.id}/fail`, { key: m.sk, json: { failure_code: 'invalid_account' } });
    const poll = await call(h.url, `/ui/v2/qr/${qr.id}`, { key: m.pk, headers: { 'accept-language': THAI } });
    expect(poll.body).toMatchObject({ state: 'failed', failure_code: 'invalid_account', failure_reason: customerMessage('invalid_account', 'th') });
  });

  it('the simulator speaks Japanese', async () => {
    const m = newMerchant();
    const { qr } = await orderWithQr(h.url, m.sk);
    const { text } = await page(`/_sandbox/kpayment/qr-simulator?qr=${qr.id}`, JAPANESE);
    expect(text).toContain('<html lang="ja">');
    expect(text).toContain('<h1>QRシミュレーター</h1>');
    expect(text).toContain('<dd id="detail-state">支払い待ち</dd>');
    expect(text).toContain('<button class="primary" type="submit" id="pay">支払う</button>');
  });
});

describe('the Alipay and UnionPay pages', () => {
  const redirectCharge = async (sk: string, sourceType: 'alipay' | 'unionpay') => (await call(h.url, '/card/v2/charge', { key: sk, json: redirectChargeBody(sourceType) })).body;

  it('Alipay speaks Japanese, and words its decline in Japanese', async () => {
    const m = newMerchant();
    const charge = await redirectCharge(m.sk, 'alipay');
    const { text } = await page(charge.redirect_url, JAPANESE);
    expect(text).toContain('<html lang="ja">');
    expect(text).toContain('<h1>Alipayで支払う</h1>');
    expect(text).toContain('<p>Alipayアプリで読み取ってお支払いください</p>');
    const declined = await page(`${charge.redirect_url}/fail`, JAPANESE, {});
    expect(declined.text).toMatch(/お支払いが承認されませんでした：[^<]*（\d+）/);
  });

  it('UnionPay speaks Thai, and asks again in Thai for a card number it cannot read', async () => {
    const m = newMerchant();
    const charge = await redirectCharge(m.sk, 'unionpay');
    const { text } = await page(charge.redirect_url, THAI);
    expect(text).toContain('<html lang="th">');
    expect(text).toContain('<h1>ชำระเงินด้วยบัตร UnionPay</h1>');
    expect(text).toContain('<label for="card_number">หมายเลขบัตร</label>');
    const wrong = await page(`${charge.redirect_url}/card`, THAI, { card_number: '12' });
    expect(wrong.text).toContain('กรุณากรอกหมายเลขบัตร UnionPay 16 ถึง 19 หลัก');
  });
});

describe("the pages' texts", () => {
  it('are written in each language (brands and standards keep their names)', () => {
    expectWrittenInEachLanguage(KPAYMENT_PAGE_TEXTS, ['threeDsTitle']);
    expectWrittenInEachLanguage(CARD_FORM_TEXTS);
    expectWrittenInEachLanguage(KPAYMENT_JS_TEXTS);
    expectWrittenInEachLanguage(QR_TEXTS);
    expectWrittenInEachLanguage(QR_SIMULATOR_TEXTS, ['title']);
    expectWrittenInEachLanguage(REDIRECT_TEXTS, ['upiHeading']);
  });
});
