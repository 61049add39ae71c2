import { z } from 'zod';
import { Currency, MinorAmount } from '@payment-checkout/core';
import type { PaymentRecord } from '../store/store.ts';

/** What the host (the merchant's server) gives the companion and gets from it: orders, shoppers, hooks. */

/** A payment as the host sees it (hooks, result URLs): the stored record without its return token. */
export type Payment = Omit<PaymentRecord, 'returnToken'>;

/** What `resolveOrder` answers: the order's amount in minor units and its currency (other fields of the shop's order are ignored). */
export const OrderAmount = z.object({ amount: MinorAmount, currency: Currency });
export type OrderAmount = z.infer<typeof OrderAmount>;

/** The order's amount, or null or undefined when the shop has no such order (the shopper gets 404 `order_not_found`). */
export type ResolveOrder = (orderId: string) => Promise<OrderAmount | null | undefined> | OrderAmount | null | undefined;

/** Which call of a hook this is: the companion gives it as the hook's second argument (a hook may ignore it). */
export interface HookDelivery {
  /**
   * Stable for one hook call of one transition (`pay_…:succeeded:onPaid`), whichever attempt or process makes it.
   * A hook is called at least once, so record this key with the work it does and skip a key already done.
   */
  idempotencyKey: string;
  /** 1 for the first attempt, then 2, 3…: the call is retried, with backoff, until it returns without throwing. */
  attempt: number;
}

/**
 * A merchant hook. It is written to the outbox in the transaction of the change that causes it and called after
 * the commit, then again (with backoff, never dropped) while it throws or when the process stopped before it
 * returned: at least once, once in practice. The companion always passes `delivery`; it is optional in the type
 * so that hooks written for one argument, and code that calls them, keep compiling.
 */
export type PaymentHook = (payment: Payment, delivery?: HookDelivery) => unknown;

export interface CheckoutHooks {
  /** The order is paid (once per order, by the first payment that succeeds; see `PaymentHook` for retries). */
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
/**
 * Why the shopper of an order is asked: `show`, the shopper's saved cards are about to be offered (and charged) in the
 * browser that asks — answer only when that browser is the shopper's (check the shop's session: the call runs inside
 * the shopper's request); `save`, a card the order's payer asked to remember is saved for them (after the payment, maybe
 * from a retry with no request at all).
 */
export type CustomerPurpose = 'show' | 'save';
export type ResolveCustomer = (orderId: string, purpose: CustomerPurpose) => Promise<Shopper | null> | Shopper | null;

/** The payment without its return token, for the host. */
export function toPayment(record: PaymentRecord): Payment {
  const { returnToken: _token, ...payment } = record;
  return payment;
}
