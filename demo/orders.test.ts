import { describe, expect, it } from 'vitest';
import { OrderBook } from './orders.ts';

describe('the order book', () => {
  it('stays paid when a late failure of another payment arrives, and keeps the extra success for a refund', () => {
    const book = new OrderBook();
    const order = book.create('thai-silk-scarf')!;
    book.markFailed(order.id, 'pay_a', 'failed', 'payment_rejected');
    expect(book.get(order.id)!.state).toBe('payment_failed');
    book.markPaid(order.id, 'pay_b');
    book.markFailed(order.id, 'pay_c', 'expired', 'payment_expired');
    book.markNeedsRefund(order.id, 'pay_d', 'succeeded');
    expect(book.get(order.id)).toMatchObject({ state: 'paid', paidBy: 'pay_b', needsRefund: ['pay_d'] });
  });

  it('calls an order whose payment expired or was canceled so, not failed', () => {
    const book = new OrderBook();
    const expired = book.create('thai-silk-scarf')!;
    book.markFailed(expired.id, 'pay_e', 'expired', 'payment_expired');
    expect(book.get(expired.id)).toMatchObject({ state: 'payment_expired', history: ['created', 'payment pay_e expired (payment_expired)'] });
    const canceled = book.create('thai-silk-scarf')!;
    book.markFailed(canceled.id, 'pay_c', 'canceled', null);
    expect(book.get(canceled.id)!.state).toBe('payment_canceled');
    book.markFailed(canceled.id, 'pay_f', 'failed', 'payment_rejected');
    expect(book.get(canceled.id)!.state).toBe('payment_failed');
  });

  it('lists no refund for a second payment the checkout already voided or refunded, and says so in its history', () => {
    const book = new OrderBook();
    const order = book.create('thai-silk-scarf')!;
    book.markPaid(order.id, 'pay_b');
    book.markNeedsRefund(order.id, 'pay_v', 'voided');
    book.markNeedsRefund(order.id, 'pay_r', 'refunded');
    expect(book.get(order.id)).toMatchObject({ state: 'paid', paidBy: 'pay_b', needsRefund: [] });
    expect(book.get(order.id)!.history.slice(-2)).toEqual([
      'payment pay_v succeeded after the order was paid: voided by the checkout, nothing to refund',
      'payment pay_r succeeded after the order was paid: refunded by the checkout, nothing to refund',
    ]);
  });
});
