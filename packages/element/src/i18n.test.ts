import { expect } from '@open-wc/testing';
import { CheckoutErrorCode, NON_SHOPPER_ERROR_CODES } from '@payment-checkout/core/errors';
import { formatAmount, resolveLocale, STRINGS } from './i18n.ts';
import { FINAL_ERRORS } from './controllers/problems.ts';

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

  it('has a Thai text for every companion error a shopper can meet', () => {
    const shopperFacing = CheckoutErrorCode.options.filter((code) => !(NON_SHOPPER_ERROR_CODES as readonly string[]).includes(code));
    for (const code of shopperFacing) expect(STRINGS.th.companionErrors[code], code).to.be.a('string').and.match(/[\u0E00-\u0E7F]/);
    expect(STRINGS.en.companionErrors).to.deep.equal({});
  });

  it('does not ask a Thai shopper to try again where the element offers no "Try again"', () => {
    for (const code of FINAL_ERRORS) expect(STRINGS.th.companionErrors[code as CheckoutErrorCode] ?? '', code).to.not.contain('ลองอีกครั้ง');
  });
});
