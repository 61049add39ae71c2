import { describe, expect, it } from 'vitest';
import { decimalToMinor, formatMoney, minorToDecimal } from './money.ts';

describe('money', () => {
  it('writes minor units as the decimal string K-Payment expects', () => {
    expect(minorToDecimal(150000, 'THB')).toBe('1500.00');
    expect(minorToDecimal(5, 'SGD')).toBe('0.05');
    expect(minorToDecimal(1500, 'JPY')).toBe('1500');
  });

  it('reads decimals back into minor units and refuses extra precision', () => {
    expect(decimalToMinor('1500.00', 'THB')).toBe(150000);
    expect(decimalToMinor('15', 'THB')).toBe(1500);
    expect(decimalToMinor(20.5, 'SGD')).toBe(2050);
    expect(decimalToMinor('1000', 'JPY')).toBe(1000);
    expect(() => decimalToMinor('10.5', 'JPY')).toThrow(/JPY takes at most 0 decimals/);
    expect(() => decimalToMinor('1.234', 'THB')).toThrow(RangeError);
    expect(() => decimalToMinor('abc', 'THB')).toThrow(RangeError);
  });

  it('formats amounts for shoppers in THB and SGD', () => {
    expect(formatMoney(150000, 'THB', 'en')).toBe('THB 1,500.00'.replace('THB ', 'THB\u00a0'));
    expect(formatMoney(150000, 'THB', 'th-TH')).toBe('฿1,500.00');
    expect(formatMoney(1500, 'SGD', 'en-SG')).toBe('$15.00');
    expect(formatMoney(1500, 'SGD', 'en')).toBe('SGD\u00a015.00');
  });

  it('writes the local currency sign when asked, in any locale', () => {
    expect(formatMoney(150000, 'THB', 'en', { symbol: true })).toBe('฿1,500.00');
    expect(formatMoney(150000, 'THB', 'th-TH', { symbol: true })).toBe('฿1,500.00');
    expect(formatMoney(1500, 'SGD', 'en', { symbol: true })).toBe('S$15.00');
    expect(formatMoney(1500, 'SGD', 'th-TH', { symbol: true })).toBe('S$15.00');
    expect(formatMoney(1234567, 'SGD', 'en', { symbol: true })).toBe('S$12,345.67');
  });
});
