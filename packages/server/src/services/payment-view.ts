import { type CheckoutTexts, type Locale, type PaymentNoticeKind, type PaymentView, customerMessage, isEndedUnpaid, isPaid, paymentNotice, paymentSummary } from '@payment-checkout/core';
import type { PaymentRecord } from '../store/store.ts';
import { paidTheOrder } from './context.ts';

/**
 * The payment as the shopper may see it, in `texts`' locale: what it charged (or would have), why it failed in the
 * shopper's language, never the gateway's text; and, when `order` holds its order's payments, why it did not pay
 * the order if another one did (or the order changed).
 */
export function toView(payment: PaymentRecord, texts: CheckoutTexts, locale: Locale, order: readonly PaymentRecord[] = []): PaymentView {
  const ended = isEndedUnpaid(payment.status);
  const notice = noticeOf(payment, order);
  return {
    id: payment.id,
    orderId: payment.orderId,
    method: payment.method,
    amount: payment.amount,
    currency: payment.currency,
    status: payment.status,
    failureCode: ended ? payment.failureCode : null,
    failureMessage: ended ? customerMessage(payment.failureCode ?? (payment.status === 'expired' ? 'payment_expired' : null), locale) : null,
    ...(notice ? { notice: paymentNotice(notice, locale) } : {}),
    summary: paymentSummary(payment, texts, locale),
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
  };
}

/** Whether the order's payments may say something about this one that its status alone does not (all but the paying one). */
export function needsOrderForView(payment: PaymentRecord): boolean {
  return payment.needsRefund || !isPaid(payment.status);
}

function noticeOf(payment: PaymentRecord, order: readonly PaymentRecord[]): PaymentNoticeKind | null {
  const paidByOther = order.some((p) => p.id !== payment.id && paidTheOrder(p));
  if (payment.needsRefund && isPaid(payment.status)) {
    // Given back (voided, refunded) by the companion, or still held for the shop to refund.
    const refunded = payment.status !== 'succeeded' && payment.status !== 'authorized';
    if (paidByOther) return refunded ? 'paid_twice_refunded' : 'paid_twice_to_refund';
    return refunded ? 'order_changed_refunded' : 'order_changed_to_refund';
  }
  if (!paidByOther || isPaid(payment.status)) return null;
  return isEndedUnpaid(payment.status) ? 'paid_by_other' : 'paid_by_other_open';
}
