import { describe, expect, it } from 'vitest';
import { CheckoutErrorCode, ERROR_CUSTOMER_MESSAGES, errorCustomerMessage, NON_SHOPPER_ERROR_CODES } from './errors.ts';

describe('error messages for shoppers', () => {
  const shopperFacing = CheckoutErrorCode.options.filter((code) => !(NON_SHOPPER_ERROR_CODES as readonly string[]).includes(code));

  it('has a Thai text for every companion error a shopper can meet, and none for the merchant-only ones', () => {
    for (const code of shopperFacing) expect(ERROR_CUSTOMER_MESSAGES.th[code], code).toMatch(/[\u0E00-\u0E7F]/);
    for (const code of NON_SHOPPER_ERROR_CODES) expect(ERROR_CUSTOMER_MESSAGES.th[code], code).toBeUndefined();
  });

  it("keeps the error's own message in English, and for a code without a text", () => {
    expect(errorCustomerMessage('payment_final', 'This order is already paid.', 'en')).toBe('This order is already paid.');
    expect(errorCustomerMessage('payment_final', 'This order is already paid.', 'th')).toBe('คำสั่งซื้อนี้ชำระเงินแล้ว');
    expect(errorCustomerMessage('teapot', 'I am a teapot.', 'th')).toBe('I am a teapot.');
    // A code that happens to name an object property is not a code with a text.
    expect(errorCustomerMessage('constructor', 'Refused.', 'th')).toBe('Refused.');
  });
});
