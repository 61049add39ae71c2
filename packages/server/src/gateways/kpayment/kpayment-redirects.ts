import { CheckoutError, type PaymentMethodId, kpaymentState, minorToDecimal } from '@payment-checkout/core';
import type { PaymentRecord } from '../../store/store.ts';
import type { StartedPayment } from '../gateway.ts';
import { amountMismatch, chargeOutcome } from './kpayment-charge-status.ts';
import type { KpaymentClient } from './kpayment-client.ts';

/** Our redirect methods and Create Charge's `source_type` for each (guide §4.4, §4.5). */
export const REDIRECT_SOURCE_TYPES = { alipay: 'alipay', unionpay: 'unionpay' } as const satisfies Partial<Record<PaymentMethodId, string>>;
export type RedirectMethodId = keyof typeof REDIRECT_SOURCE_TYPES;

export function isRedirectMethod(method: PaymentMethodId): method is RedirectMethodId {
  return Object.hasOwn(REDIRECT_SOURCE_TYPES, method);
}

/**
 * Alipay and UnionPay (TPN / UPI): Create Charge with the order's amount and `reference_order` = the payment
 * id; the shopper is sent to `redirect_url` only after checking `Initialize` + `success` (§4.4 step 3). The
 * hosted page decides; the callback and the notify only trigger an inquiry (the card inquiry finds these charges).
 */
export async function startRedirectCharge(client: KpaymentClient, mid: string, payment: PaymentRecord, method: RedirectMethodId): Promise<StartedPayment> {
  const charge = await client.createRedirectCharge({
    amount: Number(minorToDecimal(payment.amount, payment.currency)),
    currency: payment.currency,
    description: `Order ${payment.orderId}`,
    source_type: REDIRECT_SOURCE_TYPES[method],
    reference_order: payment.id,
    // The UnionPay sample sends the merchant id, the Alipay one nothing (guide L1472–1500).
    ...(method === 'unionpay' ? { additional_data: { mid } } : {}),
  });
  const mismatch = amountMismatch(payment, charge) ?? (charge.reference_order && charge.reference_order !== payment.id ? `its reference is ${charge.reference_order}` : null);
  if (mismatch) throw new CheckoutError('gateway_error', `K-Payment created a charge that is not this payment's: ${mismatch}.`);

  const gatewayIds = { chargeId: charge.id, sourceId: null };
  const url = charge.redirect_url ?? null;
  const ready = kpaymentState(charge.transaction_state) === 'Initialize' && charge.status === 'success' && url !== null && isHttpUrl(url);
  if (ready) {
    return { status: 'pending', failureCode: null, failureMessage: null, gatewayIds, authorizeUri: url, next: { type: 'redirect', url } };
  }
  const outcome = chargeOutcome(charge);
  // Anything but Initialize + success with a page: the shopper is not sent anywhere (and cannot pay this charge).
  const ended =
    outcome.status === 'pending'
      ? { status: 'failed' as const, failureCode: 'gateway_error', failureMessage: `Create Charge answered ${charge.transaction_state} / ${charge.status} without a payment page` }
      : outcome;
  return { ...ended, gatewayIds, authorizeUri: null, next: { type: 'done', status: ended.status } };
}

function isHttpUrl(value: string): boolean {
  return URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);
}
