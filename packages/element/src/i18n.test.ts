import { expect } from '@open-wc/testing';
import { formatAmount, resolveLocale, STRINGS } from './i18n.ts';

describe('i18n', () => {
  it('takes the locale attribute first, then the page language, else English', () => {
    expect(resolveLocale('th', 'en')).to.equal('th');
    expect(resolveLocale('en-GB', 'th')).to.equal('en');
    expect(resolveLocale(null, 'th-TH')).to.equal('th');
    expect(resolveLocale('fr', 'th_TH')).to.equal('th');
    expect(resolveLocale(undefined, 'de')).to.equal('en');
    expect(resolveLocale('', '')).to.equal('en');
  });

  it('formats amounts with the local sign in both languages', () => {
    expect(formatAmount(150000, 'THB', 'en')).to.equal('฿1,500.00');
    expect(formatAmount(150000, 'THB', 'th')).to.equal('฿1,500.00');
    expect(formatAmount(1500, 'SGD', 'en')).to.equal('S$15.00');
    expect(formatAmount(2000000, 'SGD', 'th')).to.equal('S$20,000.00');
  });

  it('has every English string in Thai, and different from the English', () => {
    const en = STRINGS.en as unknown as Record<string, unknown>;
    const th = STRINGS.th as unknown as Record<string, unknown>;
    expect(Object.keys(th).sort()).to.deep.equal(Object.keys(en).sort());
    for (const key of Object.keys(en)) {
      const sample = (value: unknown) => (typeof value === 'function' ? (value as (a: string, b: string) => string)('X', 'Y') : JSON.stringify(value));
      expect(sample(th[key]), key).to.not.equal(sample(en[key]));
    }
  });
});
