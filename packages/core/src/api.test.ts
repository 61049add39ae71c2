import { describe, expect, it } from 'vitest';
import { CreatePaymentRequest, OrderId } from './api.ts';
import { CheckoutError, customerMessage } from './errors.ts';

describe('companion API schemas', () => {
  it('accepts a well-formed payment request', () => {
    expect(CreatePaymentRequest.parse({ orderId: 'ord-1', method: 'kakaopay', sourceId: 'src_test_5abc', platform: 'WEB' })).toEqual({
      orderId: 'ord-1',
      method: 'kakaopay',
      sourceId: 'src_test_5abc',
      platform: 'WEB',
    });
  });

  it('refuses amounts from the browser, unknown methods and malformed ids', () => {
    expect(CreatePaymentRequest.safeParse({ orderId: 'ord-1', method: 'kakaopay', amount: 1 }).success).toBe(false);
    expect(CreatePaymentRequest.safeParse({ orderId: 'ord-1', method: 'bitcoin' }).success).toBe(false);
    expect(CreatePaymentRequest.safeParse({ orderId: 'ord-1', method: 'kakaopay', sourceId: 'chrg_x' }).success).toBe(false);
    expect(OrderId.safeParse('<script>').success).toBe(false);
    expect(OrderId.safeParse('').success).toBe(false);
  });
});

describe('errors', () => {
  it('gives shoppers a message for each failure code, in English and Thai', () => {
    expect(customerMessage('insufficient_fund')).toMatch(/Insufficient funds/);
    expect(customerMessage('payment_rejected', 'th')).toMatch(/ธนาคารปฏิเสธ/);
    expect(customerMessage('something_new')).toBe(customerMessage('generic'));
  });

  it('maps codes to HTTP statuses', () => {
    expect(new CheckoutError('source_mismatch', 'x').status).toBe(422);
    expect(new CheckoutError('invalid_json', 'x').status).toBe(400);
    expect(new CheckoutError('invalid_signature', 'x').name).toBe('CheckoutError');
  });
});
