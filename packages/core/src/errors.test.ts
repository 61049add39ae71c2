import { describe, expect, it } from 'vitest';
import { CheckoutErrorCode, customerMessage, ERROR_CUSTOMER_MESSAGES, errorCustomerMessage, FAILURE_MESSAGES, NON_SHOPPER_ERROR_CODES, type ShopperErrorCode } from './errors.ts';
import { Locale } from './locale.ts';

describe('error messages for shoppers', () => {
  const shopperFacing = CheckoutErrorCode.options.filter((code) => !(NON_SHOPPER_ERROR_CODES as readonly string[]).includes(code));

  it('has a text in each language for every companion error a shopper can meet, and none for the merchant-only ones', () => {
    for (const code of shopperFacing) {
      expect(ERROR_CUSTOMER_MESSAGES.th[code as ShopperErrorCode], code).toMatch(/[\u0E00-\u0E7F]/);
      expect(ERROR_CUSTOMER_MESSAGES.ja[code as ShopperErrorCode], code).toMatch(/^[^A-Za-z].*[\u3040-\u30FF\u4E00-\u9FFF].*。$/);
      expect(ERROR_CUSTOMER_MESSAGES.en[code as ShopperErrorCode], code).toMatch(/^[A-Z].*\.$/);
    }
    for (const locale of Locale.options) {
      for (const code of NON_SHOPPER_ERROR_CODES) expect(Object.hasOwn(ERROR_CUSTOMER_MESSAGES[locale], code), code).toBe(false);
    }
  });

  it('says our sentence for the code, never an error\'s own words, and the generic one for a code it does not know', () => {
    expect(errorCustomerMessage('payment_final', 'en')).toBe('This order is already paid.');
    expect(errorCustomerMessage('payment_final', 'th')).toBe('คำสั่งซื้อนี้ชำระเงินแล้ว');
    expect(errorCustomerMessage('payment_final', 'ja')).toBe('このご注文はお支払い済みです。');
    expect(errorCustomerMessage('teapot', 'en')).toBe('Something went wrong. Please try again.');
    // A code that happens to name an object property is not a code with a text.
    expect(errorCustomerMessage('constructor', 'th')).toBe('เกิดข้อผิดพลาด กรุณาลองอีกครั้ง');
    expect(errorCustomerMessage('teapot', 'ja')).toBe('エラーが発生しました。もう一度お試しください。');
  });
});

describe('failure messages for shoppers', () => {
  it('words every failure code, core\'s and each gateway\'s, in every language: Thai in Thai, Japanese in Japanese', () => {
    const codes = Object.keys(FAILURE_MESSAGES);
    expect(codes.length).toBeGreaterThan(100);
    for (const code of codes) {
      expect(Object.keys(FAILURE_MESSAGES[code]).sort(), code).toEqual([...Locale.options].sort());
      expect(customerMessage(code, 'th'), code).toMatch(/[\u0E00-\u0E7F]/);
      expect(customerMessage(code, 'ja'), code).toMatch(/[\u3040-\u30FF\u4E00-\u9FFF]/);
      expect(customerMessage(code, 'ja'), code).toMatch(/。$/);
    }
    expect(customerMessage('insufficient_fund', 'ja')).toBe('残高が不足しているか、口座の利用限度額を超えています。');
  });
});
