import { describe, expect, it } from 'vitest';
import { FAILURE_MESSAGES, customerMessage } from '../../errors.ts';
import { KPAYMENT_CARD_FAILURE_CODES, KPAYMENT_QR_FAILURE_CODES } from './failures.ts';
import { KpaymentCharge, KpaymentCustomer, KpaymentNotify, KpaymentOrder, KpaymentQrCancel, kpaymentRefunded, kpaymentState, kpaymentTimeToEpochMs, statusFromKpaymentCharge } from './wire.ts';

describe('K-Payment schemas', () => {
  it('read the guide\'s samples (numbers or strings for amounts, null or absent optional fields)', () => {
    const charge = KpaymentCharge.parse({
      id: 'chrg_prod_6024360e68682f247f082b7fdcdac803c2f', object: 'charge', amount: 305, currency: 'thb', transaction_state: 'Authorized',
      source: { id: 'card_prod_1', object: 'card', brand: 'visa', card_masking: '441770*****1827' }, created: '20220307212451000', status: 'SUCCESS',
      livemode: true, failure_code: null, redirect_url: null, reference_order: 'AP220307314388053',
    });
    expect(charge).toMatchObject({ currency: 'THB', status: 'success', amount: 305 });
    expect(KpaymentCharge.safeParse({ id: 'chrg_x', object: 'charge', amount: '11.50', currency: 'THB', transaction_state: 'Voided', status: 'success' }).success).toBe(true);
    expect(KpaymentCharge.safeParse({ id: 'ch_x', object: 'charge', amount: 1, currency: 'THB', transaction_state: 'x', status: 'success' }).success).toBe(false);
    const customer = KpaymentCustomer.parse({ id: 'cust_prod_1', object: 'customer', cards: [{ id: 'card_1', card_masking: '514950*****9015' }, { id: 'card_2', number: '441770*****0915' }] });
    expect(customer.cards.map((c) => c.masked)).toEqual(['514950*****9015', '441770*****0915']);
    expect(KpaymentNotify.safeParse({ id: 'chrg_prod_1', amount: 15, currency: 'THB', status: 'success', transaction_state: 'Authorized', checksum: 'zz' }).success).toBe(false);
  });

  it('spells states canonically, VOID included (decisions.md 6)', () => {
    expect(kpaymentState('VOID')).toBe('Voided');
    expect(kpaymentState('pre-authorized')).toBe('Pre-Authorized');
    expect(kpaymentState('REFUND SENT')).toBe('Refund Sent');
    expect(kpaymentState('Mystery')).toBeNull();
  });

  it('maps charge states to the payment status (digest §5); only Authorized + success pays', () => {
    const s = (transaction_state: string, status: string, extra: object = {}) => statusFromKpaymentCharge({ transaction_state, status, amount: 100, ...extra });
    expect(s('Pre-Authorized', 'success')).toBe('pending');
    expect(s('Pre-Authorized', 'pending')).toBe('pending');
    expect(s('Pre-Authorized', 'fail')).toBe('failed');
    expect(s('Authorized', 'success')).toBe('succeeded');
    expect(s('Authorized', 'pending')).toBe('pending');
    expect(s('Initialize', 'success')).toBe('pending');
    expect(s('Declined', 'fail')).toBe('failed');
    expect(s('Reversed', 'fail')).toBe('failed');
    expect(s('Captured', 'success')).toBe('succeeded');
    expect(s('Settled', 'success')).toBe('succeeded');
    expect(s('Voided', 'success')).toBe('voided');
    expect(s('VOID', 'success')).toBe('voided');
    expect(s('Refunded', 'success')).toBe('refunded');
    expect(s('Partial Refund', 'success')).toBe('partially_refunded');
    expect(s('Refund Sent', 'success', { refund_info: [{ refund_amount: 40 }] })).toBe('partially_refunded');
    expect(s('Refund Sent', 'success', { refund_info: [{ refund_amount: 40 }, { settle_amount: 60 }] })).toBe('refunded');
    // Settled for less than its amount (a partial settle): refunding what was settled refunds it all.
    const settled1200 = { amount: 1500, settlement_info: { settle_amount: 1200 } };
    expect(s('Refund Sent', 'success', { ...settled1200, refund_info: [{ refund_amount: 700 }, { refund_amount: 500 }] })).toBe('refunded');
    expect(s('Refund Sent', 'success', { ...settled1200, refund_info: [{ refund_amount: 700 }] })).toBe('partially_refunded');
    expect(s('Something new', 'success')).toBe('pending');
  });

  it('adds refunds exactly: 0.01 and 49.98 of a 49.99 charge refund it all (decimals, not floating point)', () => {
    const s = (refunds: (string | number)[], extra: object = {}) =>
      statusFromKpaymentCharge({ transaction_state: 'Refund Sent', status: 'success', amount: '49.99', refund_info: refunds.map((r) => ({ refund_amount: r })), ...extra } as never);
    expect(s(['0.01', '49.98'])).toBe('refunded');
    expect(s([0.01, 49.98])).toBe('refunded');
    expect(s([0.1, 0.2, 49.69])).toBe('refunded');
    expect(s(['0.01', '49.97'])).toBe('partially_refunded');
    expect(s([0.1, 0.2], { settlement_info: { settle_amount: 0.3 } })).toBe('refunded');
    expect(kpaymentRefunded({ refund_info: [{ refund_amount: 0.1 }, { refund_amount: 0.2 }] })).toBe(0.3);
  });
});

describe('card failure messages', () => {
  it('give every card failure code of the appendix its own message, in English, Thai and Japanese', () => {
    const codes = Object.keys(KPAYMENT_CARD_FAILURE_CODES);
    expect(codes).toHaveLength(82); // 01–44, 50–68, 75, 86–99, N7, NC, 500, 600
    for (const code of codes) {
      expect(FAILURE_MESSAGES[code], code).toBeDefined();
      expect(customerMessage(code, 'en'), code).not.toBe(customerMessage('generic', 'en'));
      expect(customerMessage(code, 'th'), code).toMatch(/[\u0E00-\u0E7F]/);
      expect(customerMessage(code, 'ja'), code).toMatch(/[\u3040-\u30FF\u4E00-\u9FFF]/);
      expect(customerMessage(code, 'en'), code).not.toMatch(/[\u0E00-\u0E7F]/);
    }
    expect(customerMessage('51')).toMatch(/Insufficient funds/);
    expect(customerMessage('50')).toMatch(/3-D Secure/);
    expect(customerMessage('500')).toMatch(/did not answer in time/);
    expect(customerMessage('05')).not.toBe(customerMessage('51'));
  });

  it('word 05 (Do Not Honor) for a card and for a wallet: the sandbox declines Alipay with it too', () => {
    expect(customerMessage('05')).toBe(
      'Your bank or wallet did not approve this payment (it failed a security check, or the funds are frozen). Please pay with another card or payment method.',
    );
    expect(customerMessage('05', 'th')).toBe('ธนาคารหรือวอลเล็ตไม่อนุมัติรายการนี้ (ไม่ผ่านการตรวจสอบความปลอดภัย หรือวงเงินถูกระงับ) กรุณาชำระด้วยบัตรอื่นหรือวิธีชำระเงินอื่น');
    expect(customerMessage('05')).not.toMatch(/the card|this card/);
    // 20 Invalid Response is "same as 05" in the appendix.
    expect(FAILURE_MESSAGES['20']).toBe(FAILURE_MESSAGES['05']);
  });

  it('tell one incorrect PIN (55) from too many wrong PINs (38, 75)', () => {
    expect(customerMessage('55')).toBe('The PIN was incorrect. Please try again.');
    expect(customerMessage('55', 'th')).toBe('รหัส PIN ไม่ถูกต้อง กรุณาลองใหม่อีกครั้ง');
    expect(customerMessage('55', 'ja')).toBe('暗証番号が正しくありません。もう一度お試しください。');
    for (const code of ['38', '75']) {
      expect(customerMessage(code), code).toBe('The PIN was wrong too many times. Please contact your bank, or pay with another card.');
      expect(customerMessage(code, 'th'), code).toBe('ใส่รหัส PIN ผิดเกินจำนวนครั้งที่กำหนด กรุณาติดต่อธนาคาร หรือชำระด้วยบัตรอื่น');
    }
  });
});

describe('K-Payment QR schemas', () => {
  it('read the Order API\'s and the QR API\'s samples (§3.7, §3.8, §6.4)', () => {
    const order = KpaymentOrder.parse({
      id: 'order_prod_12345678', object: 'order', amount: 200, currency: 'THB', reference_order: 'WT1234567', source_type: 'card',
      description: 'TESTPRODUCT', status: 'success', created: '20180625121550200', livemode: true, failure_code: null, failure_message: null, expire_time_seconds: 3600,
    });
    expect(order).toMatchObject({ id: 'order_prod_12345678', expire_time_seconds: 3600, status: 'success' });
    expect(KpaymentOrder.parse({ ...order, expire_time_seconds: '600' }).expire_time_seconds).toBe(600);
    const charge = KpaymentCharge.parse({
      id: 'chrg_test_192f3dac0c01a3048a19678d13c180e2d21', order_id: 'order_test_1927d35fb9b9cf943a19963e5387678db60', object: 'charge', amount: 1.07,
      currency: 'THB', transaction_state: 'Authorized', source: { id: 'qr_test_192840aaed9a01a402893fc99026cee5021', object: 'qr', brand: 'ThaiQR' },
      created: '20190610220533000', status: 'success', reference_order: 'c2676e3f99283143a7d9', description: 'TestDescription', livemode: false, metadata: null,
      failure_code: null, failure_message: null,
    });
    expect(charge.order_id).toBe('order_test_1927d35fb9b9cf943a19963e5387678db60');
    expect(KpaymentQrCancel.parse({ id: 'qr_test_2', object: 'qr', created: '20220311165317200', livemode: false, status: 'SUCCESS', failure_code: null, failure_message: null }).status).toBe('success');
    const notify = KpaymentNotify.parse({
      id: 'chrg_prod_12345678', order_id: 'order_prod_12345678', object: 'qr', amount: 15, currency: 'THB', transaction_state: 'Authorized', status: 'success',
      reference_order: 'WT123456', failure_code: '', checksum: '5f60d113a45fa44055ce2359c51bda57aaf4217281979db824bc2ecb771b736f',
    });
    expect(notify).toMatchObject({ order_id: 'order_prod_12345678', reference_order: 'WT123456' });
  });

  it('reads created times as Bangkok time (UTC+7), 14 to 18 digits', () => {
    expect(new Date(kpaymentTimeToEpochMs('20180625121550200')!).toISOString()).toBe('2018-06-25T05:15:50.200Z');
    expect(new Date(kpaymentTimeToEpochMs('20180625121550')!).toISOString()).toBe('2018-06-25T05:15:50.000Z');
    expect(new Date(kpaymentTimeToEpochMs('20240101030000000')!).toISOString()).toBe('2023-12-31T20:00:00.000Z');
    for (const bad of ['', null, undefined, '2018-06-25', '20181325121550200', '201806251215502001234']) expect(kpaymentTimeToEpochMs(bad), String(bad)).toBeNull();
  });
});

describe('QR failure messages', () => {
  it('give every QR failure code of the appendix (§8.2) a message, in English, Thai and Japanese', () => {
    const codes = Object.keys(KPAYMENT_QR_FAILURE_CODES);
    expect(codes).toHaveLength(28);
    for (const code of codes) {
      expect(FAILURE_MESSAGES[code], code).toBeDefined();
      expect(customerMessage(code, 'en'), code).not.toBe(customerMessage('generic', 'en'));
      expect(customerMessage(code, 'th'), code).toMatch(/[\u0E00-\u0E7F]/);
      expect(customerMessage(code, 'ja'), code).toMatch(/[\u3040-\u30FF\u4E00-\u9FFF]/);
      expect(customerMessage(code, 'en'), code).not.toMatch(/[\u0E00-\u0E7F]/);
    }
    expect(customerMessage('qr_expired')).toMatch(/expired/);
    expect(customerMessage('qr_cancelled')).toMatch(/cancelled/);
    expect(customerMessage('invalid_account')).toMatch(/account/);
    expect(customerMessage('invalid_account')).not.toBe(customerMessage('internal_error'));
  });
});
