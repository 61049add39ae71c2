import { describe, expect, it } from 'vitest';
import { alipayPayload, crc16, crcValid, decodeTlv, thaiQrPayload, tlv, wechatPayload, withCrc } from './thai-qr.ts';

/**
 * The EMVCo encoder behind the Thai QR codes. The expected payloads below were written by hand, tag by
 * tag, and their CRCs computed apart from this code, with Python's `binascii.crc_hqx(data, 0xFFFF)`
 * (CRC-16/CCITT-FALSE); the first one is also the well-known PromptPay payload of mobile 081-234-5678.
 */

/** A PromptPay credit transfer (tag 29, AID A000000677010111), built from the encoder's parts. */
function promptPay(proxy: { mobile?: string; nationalId?: string }, amount?: string): string {
  const id = proxy.mobile ? tlv('01', `0066${proxy.mobile.replace(/^0/, '')}`) : tlv('02', proxy.nationalId!);
  return withCrc(
    tlv('00', '01') + tlv('01', amount ? '12' : '11') + tlv('29', tlv('00', 'A000000677010111') + id) + tlv('58', 'TH') + tlv('53', '764') + (amount ? tlv('54', amount) : ''),
  );
}

describe('CRC-16/CCITT-FALSE', () => {
  it('has the catalogue check value: "123456789" → 29B1', () => {
    expect(crc16('123456789')).toBe('29B1');
  });

  it('pads to four uppercase hex digits', () => {
    expect(crc16('')).toBe('FFFF');
    expect(crc16('A')).toMatch(/^[0-9A-F]{4}$/);
  });
});

describe('TLV encoder', () => {
  it('writes tag, two-digit length and value', () => {
    expect(tlv('58', 'TH')).toBe('5802TH');
    expect(tlv('00', 'A000000677010111')).toBe('0016A000000677010111');
    expect(tlv('62', 'x'.repeat(99))).toBe(`6299${'x'.repeat(99)}`);
  });

  it('refuses what EMVCo cannot hold: empty or 100+ characters, a bad tag, non-ASCII', () => {
    expect(() => tlv('59', '')).toThrow(RangeError);
    expect(() => tlv('59', 'x'.repeat(100))).toThrow(/1 to 99/);
    expect(() => tlv('5', 'TH')).toThrow(/two digits/);
    expect(() => tlv('59', 'ร้านค้า')).toThrow(/ASCII/);
  });

  it('reproduces PromptPay payloads computed by hand (static, with an amount, by national id)', () => {
    expect(promptPay({ mobile: '0812345678' })).toBe('00020101021129370016A000000677010111011300668123456785802TH530376463045D82');
    expect(promptPay({ mobile: '0812345678' }, '100.25')).toBe('00020101021229370016A000000677010111011300668123456785802TH53037645406100.256304139D');
    expect(promptPay({ nationalId: '1234567890123' }, '1234.50')).toBe('00020101021229370016A000000677010111021312345678901235802TH530376454071234.506304F2B2');
  });

  it('decodes what it encodes and checks the CRC', () => {
    const payload = promptPay({ mobile: '0812345678' }, '100.25');
    expect(crcValid(payload)).toBe(true);
    expect(crcValid(payload.replace('100.25', '900.25'))).toBe(false);
    expect(decodeTlv(payload).map((o) => o.tag)).toEqual(['00', '01', '29', '58', '53', '54', '63']);
    expect(decodeTlv(decodeTlv(payload)[2].value)).toEqual([
      { tag: '00', value: 'A000000677010111' },
      { tag: '01', value: '0066812345678' },
    ]);
    expect(() => decodeTlv('0002010102')).toThrow(/cut short/);
  });
});

describe('Thai QR bill payment payload of an order', () => {
  const payload = thaiQrPayload({
    billerId: '401000000000001',
    reference1: '3f2a9c00d1e2b3a4c5d6',
    reference2: 'inv-2024/0042',
    amountMinor: 20050,
    merchantName: 'Awesome Shop',
    terminal: 'KPGW1234abcd',
  });
  const objects = Object.fromEntries(decodeTlv(payload).map((o) => [o.tag, o.value]));

  it('is a dynamic EMVCo QR for one payment of the amount in baht, with a valid CRC', () => {
    expect(crcValid(payload)).toBe(true);
    expect(objects).toMatchObject({ '00': '01', '01': '12', '53': '764', '54': '200.50', '58': 'TH', '59': 'AWESOME SHOP', '60': 'BANGKOK' });
    expect(payload.startsWith('000201010212')).toBe(true);
  });

  it('carries the biller id and the references in tag 30 (Thai QR bill payment)', () => {
    expect(decodeTlv(objects['30'])).toEqual([
      { tag: '00', value: 'A000000677010112' },
      { tag: '01', value: '401000000000001' },
      { tag: '02', value: '3F2A9C00D1E2B3A4C5D6' },
      { tag: '03', value: 'INV20240042' },
    ]);
    expect(decodeTlv(objects['62'])).toEqual([{ tag: '07', value: 'KPGW1234ABCD' }]);
  });

  it('keeps names and references within what a bank app reads (ASCII, uppercase, bounded)', () => {
    const thai = thaiQrPayload({ billerId: '1', reference1: 'x'.repeat(40), amountMinor: 100, merchantName: 'ร้านกาแฟ', terminal: '' });
    const parts = Object.fromEntries(decodeTlv(thai).map((o) => [o.tag, o.value]));
    expect(parts['59']).toBe('KPGW SANDBOX SHOP');
    expect(parts['54']).toBe('1.00');
    expect(decodeTlv(parts['30'])[1].value).toBe('000000000000001');
    expect(decodeTlv(parts['30'])[2].value).toBe('X'.repeat(20));
    expect(decodeTlv(parts['30'])).toHaveLength(3);
  });
});

describe('wallet links', () => {
  it('WeChat Pay: a weixin:// native payment link; Alipay: a qr.alipay.com link', () => {
    expect(wechatPayload('qr_test_0123456789abcdef0123')).toBe('weixin://wxpay/bizpayurl?pr=0123456789abcdef');
    expect(alipayPayload('redr_test_abc')).toBe('https://qr.alipay.com/sandbox/redr_test_abc');
  });
});
