import { z } from 'zod';
import { CURRENCY_EXPONENT, decimalToMinor, formatMoney } from '@payment-checkout/core/money';

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

/** The decimal text in minor units, or what is wrong with it in words a shopper reads. */
function amountInMinorUnits(text: string, currency: ShopCurrency): number | string {
  const written = text.trim();
  if (written === '') return 'Enter an amount, e.g. 15.00.';
  if (!/^-?\d+(\.\d+)?$/.test(written)) return `"${written}" is not an amount: write digits with a decimal point, e.g. 15.00.`;
  const decimals = CURRENCY_EXPONENT[currency];
  if ((written.split('.')[1] ?? '').replace(/0+$/, '').length > decimals) return `${currency} amounts have at most ${decimals} decimals: "${written}".`;
  const amount = decimalToMinor(written, currency);
  if (amount <= 0) return 'The amount must be more than zero.';
  if (amount > MAX_AMOUNT) return `The demo takes orders of at most ${formatMoney(MAX_AMOUNT, currency, 'en', { symbol: true })}.`;
  return amount;
}

const AmountOrder = z
  .object({
    amount: z.string({ error: 'Send the amount as text, e.g. "15.00".' }).max(32, 'That amount is too long.'),
    currency: z.enum(SHOP_CURRENCIES, { error: `The shop sells in ${SHOP_CURRENCIES.join(' and ')} only.` }),
  })
  .transform((order, ctx) => {
    const amount = amountInMinorUnits(order.amount, order.currency);
    if (typeof amount === 'string') {
      ctx.issues.push({ code: 'custom', message: amount, input: order.amount, path: ['amount'] });
      return z.NEVER;
    }
    return { amount, currency: order.currency };
  });

export type OrderRequest = z.infer<typeof ProductOrder> | z.infer<typeof AmountOrder>;

export interface OrderRequestError {
  code: 'bad_request' | 'invalid_amount';
  message: string;
  issues?: z.core.$ZodIssue[];
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
    if (order.success) return order.data;
    return { error: { code: 'invalid_amount', message: order.error.issues[0].message, issues: order.error.issues } };
  }
  return { error: { code: 'bad_request', message: 'Send {"productId": "<a product id>"} or {"amount": "15.00", "currency": "THB"} as JSON.' } };
}
