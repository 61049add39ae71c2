import { describe, expect, it } from 'vitest';
import { paymentSummary } from './payment-summary.ts';
import { checkoutTexts } from './texts.ts';

const paid = { method: 'mobile_banking_kbank', amount: 150_000, currency: 'THB', chargedAmount: null, chargedCurrency: null, installmentTerm: null } as const;

describe('paymentSummary', () => {
  it('says the amount and the method, in each locale', () => {
    expect(paymentSummary(paid, checkoutTexts('en'), 'en')).toBe('฿1,500.00 with KBank K PLUS');
    expect(paymentSummary(paid, checkoutTexts('th'), 'th')).toBe(`฿1,500.00 ผ่าน ${checkoutTexts('th').methods.mobile_banking_kbank}`);
  });

  it('puts the amount the card was charged in its own currency first (DCC)', () => {
    const dcc = { ...paid, method: 'card', chargedAmount: 4470, chargedCurrency: 'USD' } as const;
    expect(paymentSummary(dcc, checkoutTexts('en'), 'en')).toBe('US$44.70 (฿1,500.00) with Credit / debit card');
    expect(paymentSummary(dcc, checkoutTexts('th'), 'th')).toBe('US$44.70 (฿1,500.00) ผ่าน บัตรเครดิต / เดบิต');
  });

  it('says the instalments: how many months and the monthly amount, to the minor unit', () => {
    const instalments = { ...paid, method: 'card', installmentTerm: 6 } as const;
    expect(paymentSummary(instalments, checkoutTexts('en'), 'en')).toBe('฿1,500.00 with KBank credit card in instalments: 6 monthly payments of ฿250.00');
    expect(paymentSummary(instalments, checkoutTexts('th'), 'th')).toBe('฿1,500.00 ผ่าน บัตรเครดิตกสิกรไทยแบบผ่อนชำระ: 6 เดือน เดือนละ ฿250.00');
    expect(paymentSummary({ ...instalments, amount: 100_000, installmentTerm: 3 }, checkoutTexts('en'), 'en')).toMatch(/3 monthly payments of ฿333\.33$/);
    // A method whose gateway does not name its instalments: the texts' own wording.
    expect(paymentSummary({ ...instalments, method: 'unionpay' }, checkoutTexts('en'), 'en')).toBe('฿1,500.00 with UnionPay in instalments: 6 monthly payments of ฿250.00');
  });
});
