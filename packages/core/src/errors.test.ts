import { describe, expect, it } from 'vitest';
import { CheckoutErrorCode, ERROR_CUSTOMER_MESSAGES, errorCustomerMessage, NON_SHOPPER_ERROR_CODES, type ShopperErrorCode } from './errors.ts';

describe('error messages for shoppers', () => {
  const shopperFacing = CheckoutErrorCode.options.filter((code) => !(NON_SHOPPER_ERROR_CODES as readonly string[]).includes(code));

  it('has a text in each language for every companion error a shopper can meet, and none for the merchant-only ones', () => {
    for (const code of shopperFacing) {
      expect(ERROR_CUSTOMER_MESSAGES.th[code as ShopperErrorCode], code).toMatch(/[\u0E00-\u0E7F]/);
      expect(ERROR_CUSTOMER_MESSAGES.en[code as ShopperErrorCode], code).toMatch(/^[A-Z].*\.$/);
    }
    for (const locale of ['en', 'th'] as const) {
      for (const code of NON_SHOPPER_ERROR_CODES) expect(Object.hasOwn(ERROR_CUSTOMER_MESSAGES[locale], code), code).toBe(false);
    }
  });

  it('says our sentence for the code, never an error\'s own words, and the generic one for a code it does not know', () => {
    expect(errorCustomerMessage('payment_final', 'en')).toBe('This order is already paid.');
    expect(errorCustomerMessage('payment_final', 'th')).toBe('คำสั่งซื้อนี้ชำระเงินแล้ว');
    expect(errorCustomerMessage('teapot', 'en')).toBe('Something went wrong. Please try again.');
    // A code that happens to name an object property is not a code with a text.
    expect(errorCustomerMessage('constructor', 'th')).toBe('เกิดข้อผิดพลาด กรุณาลองอีกครั้ง');
  });
});
