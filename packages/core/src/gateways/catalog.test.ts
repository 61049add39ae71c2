import { describe, expect, it } from 'vitest';
import { amountProblem, CATALOG, methodsOf, detectPlatform, getMethod, methodsForOrder, platformFor } from '../catalog.ts';
import { PaymentMethod } from '../method.ts';

describe('payment-method catalog', () => {
  it('holds only entries the PaymentMethod schema accepts as they are, each method once', () => {
    // The entries are plain data (the browser reads them without zod): the schema checks them here.
    for (const method of CATALOG) expect(PaymentMethod.parse(method), method.id).toEqual(method);
    expect(new Set(CATALOG.map((m) => m.id)).size).toBe(CATALOG.length);
    expect(() => PaymentMethod.parse({ ...CATALOG[0], limits: { THB: { min: 0, max: 10 } } })).toThrow();
  });

  it("draws every badge's initials legibly on its colour (WCAG contrast 4.5:1 or more), each badge its own", () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => {
        const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a: string, b: string) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    expect(contrast('#ffffff', '#00a950'), 'the check itself: white on #00a950 is 3.09:1').toBeLessThan(4.5);
    for (const { id, badge } of CATALOG) expect(contrast(badge.ink, badge.color), id).toBeGreaterThanOrEqual(4.5);
    expect(new Set(CATALOG.map((m) => `${m.badge.color}${m.badge.text}`)).size).toBe(CATALOG.length);
  });

  it('holds the three Opn methods with the seeds limits', () => {
    expect(CATALOG.map((m) => m.id)).toEqual(['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay', 'card', 'thai_qr', 'wechat_pay', 'alipay', 'unionpay']);
    expect(getMethod('alipay')).toMatchObject({ gateway: 'kpayment', group: 'wallet', flow: 'redirect', limits: { THB: { min: 100 } } });
    expect(getMethod('thai_qr')).toMatchObject({ gateway: 'kpayment', group: 'qr', flow: 'embedded_qr' });
    expect(methodsOf('opn').map((m) => m.id)).toEqual(['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay']);
    expect(getMethod('card')).toMatchObject({ gateway: 'kpayment', group: 'card', flow: 'embedded_form' });
    expect(getMethod('mobile_banking_kbank').limits).toEqual({ THB: { min: 2000, max: 15_000_000 } });
    expect(getMethod('kakaopay').limits.SGD).toEqual({ min: 100, max: 2_000_000 });
    expect(getMethod('mobile_banking_kbank').expiryMinutes).toBe(10);
    expect(getMethod('mobile_banking_bay').expiryMinutes).toBe(15);
    expect(getMethod('mobile_banking_bay').canExpireEarly).toBe(true);
    expect(getMethod('mobile_banking_kbank').refundable).toBe(false);
  });

  it('checks amounts at the exact limits', () => {
    const kbank = getMethod('mobile_banking_kbank');
    expect(amountProblem(kbank, 2000, 'THB')).toBeNull();
    expect(amountProblem(kbank, 1999, 'THB')).toMatch(/at least/);
    expect(amountProblem(kbank, 15_000_000, 'THB')).toBeNull();
    expect(amountProblem(kbank, 15_000_001, 'THB')).toMatch(/at most/);
    expect(amountProblem(kbank, 5000, 'SGD')).toMatch(/does not accept SGD/);
    expect(amountProblem(getMethod('kakaopay'), 100, 'SGD')).toBeNull();
    expect(amountProblem(getMethod('kakaopay'), 99, 'SGD')).not.toBeNull();
  });

  it('offers only the methods that fit an order', () => {
    const kpaymentThb = ['card', 'thai_qr', 'wechat_pay', 'alipay', 'unionpay'];
    expect(methodsForOrder(150000, 'THB').map((m) => m.id)).toEqual(['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay', ...kpaymentThb]);
    expect(methodsForOrder(1500, 'SGD').map((m) => m.id)).toEqual(['kakaopay', 'card']);
    expect(methodsForOrder(1000, 'THB').map((m) => m.id)).toEqual(kpaymentThb);
    expect(methodsForOrder(99, 'THB')).toEqual([]);
    expect(methodsForOrder(150000, 'THB', ['kakaopay']).map((m) => m.id)).toEqual(['kakaopay']);
  });

  it('derives platform_type as the official plugins do', () => {
    expect(detectPlatform('Mozilla/5.0 (Linux; Android 14; Pixel 8)')).toBe('ANDROID');
    expect(detectPlatform('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)')).toBe('IOS');
    expect(detectPlatform('Mozilla/5.0 (X11; Linux x86_64) Chrome/156')).toBeNull();
    expect(platformFor(getMethod('mobile_banking_bay'), null)).toBeNull();
    expect(platformFor(getMethod('kakaopay'), null)).toBe('WEB');
    expect(platformFor(getMethod('kakaopay'), 'IOS')).toBe('IOS');
    expect(platformFor(getMethod('mobile_banking_kbank'), 'ANDROID')).toBe('ANDROID');
  });
});
