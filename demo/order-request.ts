import { z } from 'zod';
import { CURRENCY_EXPONENT, decimalToMinor } from '@payment-checkout/core/money';
import { describeAmountProblem } from './web/i18n.ts';

/**
 * What `POST /api/orders` takes: a product of the shop (`{"productId"}`, its price from the shop's list), or any
 * amount in a currency the shop sells in (`{"amount": "15.00", "currency": "THB"}`), so a tester can try the methods'
 * limits. The amount is the decimal text the shopper typed, never a float, so "15.001" is refused, not rounded.
 */

/** The currencies the shop sells in (its products'). */
export const SHOP_CURRENCIES = ['THB', 'SGD'] as const;
export type ShopCurrency = (typeof SHOP_CURRENCIES)[number];

/** Above every method's maximum (so "no method takes this" can be seen), far below where numbers lose precision. */
const MAX_AMOUNT = 99_999_999_999;

const ProductOrder = z.object({ productId: z.string().min(1).max(64) });

/** What is wrong with an amount a shopper typed: the page words it in the shopper's language (web/i18n.ts). */
export type AmountProblem =
  | { reason: 'missing' | 'too_long' | 'not_positive' }
  | { reason: 'not_a_number'; written: string }
  | { reason: 'too_many_decimals'; currency: ShopCurrency; decimals: number; written: string }
  | { reason: 'too_large'; max: number; currency: ShopCurrency };

/** The decimal text in minor units, or what is wrong with it. */
function amountInMinorUnits(text: string, currency: ShopCurrency): number | AmountProblem {
  if (text.length > 32) return { reason: 'too_long' };
  const written = text.trim();
  if (written === '') return { reason: 'missing' };
  if (!/^-?\d+(\.\d+)?$/.test(written)) return { reason: 'not_a_number', written };
  const decimals = CURRENCY_EXPONENT[currency];
  if ((written.split('.')[1] ?? '').replace(/0+$/, '').length > decimals) return { reason: 'too_many_decimals', currency, decimals, written };
  const amount = decimalToMinor(written, currency);
  if (amount <= 0) return { reason: 'not_positive' };
  if (amount > MAX_AMOUNT) return { reason: 'too_large', max: MAX_AMOUNT, currency };
  return amount;
}

const AmountOrder = z.object({
  amount: z.string({ error: 'Send the amount as text, e.g. "15.00".' }),
  currency: z.enum(SHOP_CURRENCIES, { error: `The shop sells in ${SHOP_CURRENCIES.join(' and ')} only.` }),
});

export type OrderRequest = z.infer<typeof ProductOrder> | { amount: number; currency: ShopCurrency };

export interface OrderRequestError {
  code: 'bad_request' | 'invalid_amount';
  /** In English; the storefront words `problem` in the shopper's language. */
  message: string;
  issues?: z.core.$ZodIssue[];
  problem?: AmountProblem;
}

/** The order the body asks for, or the 400 answer's error: the first problem, in a sentence. */
export function readOrderRequest(body: unknown): OrderRequest | { error: OrderRequestError } {
  const fields = typeof body === 'object' && body !== null ? body : {};
  if ('productId' in fields) {
    const product = ProductOrder.safeParse(fields);
    if (product.success) return product.data;
    return { error: { code: 'bad_request', message: 'Send {"productId": "<a product id>"} as JSON.', issues: product.error.issues } };
  }
  if ('amount' in fields || 'currency' in fields) {
    const order = AmountOrder.safeParse(fields);
    if (!order.success) return { error: { code: 'invalid_amount', message: order.error.issues[0].message, issues: order.error.issues } };
    const amount = amountInMinorUnits(order.data.amount, order.data.currency);
    if (typeof amount === 'number') return { amount, currency: order.data.currency };
    return { error: { code: 'invalid_amount', message: describeAmountProblem(amount, 'en'), problem: amount } };
  }
  return { error: { code: 'bad_request', message: 'Send {"productId": "<a product id>"} or {"amount": "15.00", "currency": "THB"} as JSON.' } };
}
