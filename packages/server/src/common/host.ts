import { z } from 'zod';
import { Currency, MinorAmount } from '@payment-checkout/core';
import type { PaymentRecord } from '../store/store.ts';

/** What the host (the merchant's server) gives the companion and gets from it: orders, shoppers, hooks. */

/** A payment as the host sees it (hooks, result URLs): the stored record without its return token. */
export type Payment = Omit<PaymentRecord, 'returnToken'>;

/** What `resolveOrder` answers: the order's amount in minor units and its currency. */
export const OrderAmount = z.strictObject({ amount: MinorAmount, currency: Currency });
export type OrderAmount = z.infer<typeof OrderAmount>;

export type ResolveOrder = (orderId: string) => Promise<OrderAmount | null> | OrderAmount | null;
export type PaymentHook = (payment: Payment) => unknown;

export interface CheckoutHooks {
  /** The order is paid (once per order, by the first payment that succeeds). */
  onPaid?: PaymentHook;
  /** The order's current payment ended unpaid (failed, expired, canceled) and the order is not paid. */
  onFailed?: PaymentHook;
  /** A payment succeeded after another payment had already paid the order: refund it. */
  onNeedsRefund?: PaymentHook;
}

/** The signed-in shopper of an order, for remembered cards: a stable id of the merchant's, an e-mail and a name. */
export const Shopper = z.object({
  id: z.string().trim().min(1).max(128),
  email: z.email().max(50),
  name: z.string().trim().min(1).max(256),
});
export type Shopper = z.infer<typeof Shopper>;
export type ResolveCustomer = (orderId: string) => Promise<Shopper | null> | Shopper | null;

/** The payment without its return token, for the host. */
export function toPayment(record: PaymentRecord): Payment {
  const { returnToken: _token, ...payment } = record;
  return payment;
}
