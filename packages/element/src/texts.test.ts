import { expect } from '@open-wc/testing';
import { fillText, formatAmount, resolveLocale } from './texts.ts';

describe('texts', () => {
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

  it('fills the marks of a text, and leaves unknown ones as they are', () => {
    expect(fillText('{amount} with {method}', { amount: '฿1.00', method: 'Alipay' })).to.equal('฿1.00 with Alipay');
    expect(fillText('Expires in {clock} {other}', { clock: '01:00' })).to.equal('Expires in 01:00 {other}');
    expect(fillText('{toString}', {})).to.equal('{toString}');
  });
});
