import { randomBytes } from 'node:crypto';
import { type Currency, type PaymentStatus, isMoneyReturned } from '@payment-checkout/core';

/** The storefront's own order book: what the merchant sells and what each order costs. In memory, for the demo. */

export const PRODUCTS = [
  { id: 'thai-silk-scarf', name: 'Thai silk scarf', amount: 150_000, currency: 'THB' },
  { id: 'jasmine-rice-5kg', name: 'Jasmine rice, 5 kg', amount: 35_000, currency: 'THB' },
  { id: 'celadon-teapot', name: 'Celadon teapot', amount: 480_000, currency: 'THB' },
  { id: 'kaya-toast-set', name: 'Kaya toast set (Singapore)', amount: 1_500, currency: 'SGD' },
  { id: 'orchid-print', name: 'Orchid print (Singapore)', amount: 12_900, currency: 'SGD' },
] as const satisfies readonly { id: string; name: string; amount: number; currency: Currency }[];

export type ProductId = (typeof PRODUCTS)[number]['id'];

export type OrderState = 'awaiting_payment' | 'paid' | 'payment_failed' | 'payment_expired' | 'payment_canceled';

/** What an order says when its payment ended unpaid: expired and canceled are not called failed. */
const UNPAID_STATES: Partial<Record<PaymentStatus, OrderState>> = { expired: 'payment_expired', canceled: 'payment_canceled' };

export interface Order {
  id: string;
  /** The product bought, or null for an order of any amount (demo/order-request.ts). */
  productId: ProductId | null;
  name: string;
  amount: number;
  currency: Currency;
  state: OrderState;
  /** The signed-in shopper who placed the order (the shop's id), or null for a guest: cards are remembered for shoppers. */
  shopperId: string | null;
  /** The payment that paid the order; later successes of other payments need a refund. */
  paidBy: string | null;
  needsRefund: string[];
  history: string[];
}

/** What an order of any amount is called on the checkout and result pages. */
export const ANY_AMOUNT_NAME = 'Any amount';

export class OrderBook {
  readonly #orders = new Map<string, Order>();

  /** An order of one product at its price; null when the shop sells no such product. */
  create(productId: string, shopperId: string | null = null): Order | null {
    const product = PRODUCTS.find((p) => p.id === productId);
    if (!product) return null;
    return this.#add({ productId: product.id, name: product.name, amount: product.amount, currency: product.currency }, shopperId);
  }

  /** An order of an amount the shopper chose (minor units, already validated), to try the methods' limits. */
  createForAmount(amount: number, currency: Currency, shopperId: string | null = null): Order {
    return this.#add({ productId: null, name: ANY_AMOUNT_NAME, amount, currency }, shopperId);
  }

  /** How many orders the shop holds. */
  get size(): number {
    return this.#orders.size;
  }

  #add(what: Pick<Order, 'productId' | 'name' | 'amount' | 'currency'>, shopperId: string | null): Order {
    // Unguessable: an order id is all the checkout asks for, and it reaches the order's shopper's saved cards.
    const id = `ord_${randomBytes(12).toString('base64url')}`;
    const order: Order = { id, ...what, state: 'awaiting_payment', shopperId, paidBy: null, needsRefund: [], history: ['created'] };
    this.#orders.set(id, order);
    return order;
  }

  get(id: string): Order | null {
    return this.#orders.get(id) ?? null;
  }

  markPaid(id: string, paymentId: string): void {
    const order = this.#orders.get(id);
    if (!order) return;
    order.state = 'paid';
    order.paidBy = paymentId;
    order.history.push(`paid by ${paymentId}`);
  }

  markFailed(id: string, paymentId: string, status: PaymentStatus, code: string | null): void {
    const order = this.#orders.get(id);
    if (!order || order.state === 'paid') return;
    order.state = UNPAID_STATES[status] ?? 'payment_failed';
    order.history.push(`payment ${paymentId} ${status} (${code ?? 'no code'})`);
  }

  /** A payment that succeeded after its order was paid: to refund, unless the companion already gave the money back. */
  markNeedsRefund(id: string, paymentId: string, status: PaymentStatus): void {
    const order = this.#orders.get(id);
    if (!order) return;
    if (isMoneyReturned(status)) {
      order.history.push(`payment ${paymentId} succeeded after the order was paid: ${status} by the checkout, nothing to refund`);
      return;
    }
    order.needsRefund.push(paymentId);
    order.history.push(`payment ${paymentId} succeeded after the order was paid: needs a refund`);
  }
}
