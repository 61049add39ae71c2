import { expect } from '@open-wc/testing';
import { formatMoney } from '@payment-checkout/core/money';
import { fillText, formatAmount, resolveLocale } from './texts.ts';

describe('texts', () => {
  it('takes the locale attribute first, then the page language, then the browser\'s languages, else English', () => {
    expect(resolveLocale('th', 'en')).to.equal('th');
    expect(resolveLocale('ja', 'th', ['en'])).to.equal('ja');
    expect(resolveLocale('ja-JP', null)).to.equal('ja');
    expect(resolveLocale(null, 'ja', ['th-TH'])).to.equal('ja');
    expect(resolveLocale('fr', 'de', ['ja-JP', 'en-US'])).to.equal('ja');
    expect(resolveLocale(undefined, undefined, ['fr-FR', 'th', 'ja'])).to.equal('th');
    expect(resolveLocale(null, 'en', ['ja'])).to.equal('en');
    expect(resolveLocale(null, '', ['de-DE', 'fr'])).to.equal('en');
    expect(resolveLocale(null, null, [])).to.equal('en');
    expect(resolveLocale('en-GB', 'th')).to.equal('en');
    expect(resolveLocale(null, 'th-TH')).to.equal('th');
    expect(resolveLocale('fr', 'th_TH')).to.equal('th');
    expect(resolveLocale(undefined, 'de')).to.equal('en');
    expect(resolveLocale('', '')).to.equal('en');
  });

  it('formats amounts with the local sign in every language, as its country does', () => {
    expect(formatAmount(150000, 'THB', 'ja')).to.equal('฿1,500.00');
    expect(formatAmount(150000, 'JPY', 'ja')).to.equal('¥150,000');
    for (const [locale, region] of [['en', 'en-US'], ['th', 'th-TH'], ['ja', 'ja-JP']] as const) {
      for (const currency of ['THB', 'SGD', 'USD', 'JPY'] as const) {
        expect(formatAmount(-123456789, currency, locale), `${locale} ${currency}`).to.equal(formatMoney(-123456789, currency, region, { symbol: true }));
      }
    }
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
