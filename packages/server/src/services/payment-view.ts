import { type Locale, type PaymentView, customerMessage, isEndedUnpaid } from '@payment-checkout/core';
import type { PaymentRecord } from '../store/store.ts';

/** The payment as the shopper may see it: why it failed in the shopper's language, never the gateway's text. */
export function toView(payment: PaymentRecord, locale: Locale): PaymentView {
  const ended = isEndedUnpaid(payment.status);
  return {
    id: payment.id,
    orderId: payment.orderId,
    method: payment.method,
    amount: payment.amount,
    currency: payment.currency,
    status: payment.status,
    failureCode: ended ? payment.failureCode : null,
    failureMessage: ended ? customerMessage(payment.failureCode ?? (payment.status === 'expired' ? 'payment_expired' : null), locale) : null,
    createdAt: payment.createdAt,
    updatedAt: payment.updatedAt,
  };
}
