import * as z from 'zod/mini';

// The money schemas the companion validates with. Apart from money.ts, whose helpers the browser imports without zod.

/** ISO 4217 currencies the product handles (their minor-unit exponents are money.ts's `CURRENCY_EXPONENT`). */
export const Currency = z.enum(['THB', 'SGD', 'USD', 'JPY']);
export type Currency = z.infer<typeof Currency>;

/** An amount in minor units (satang, cents): a positive safe integer. */
export const MinorAmount = z.int().check(z.positive(), z.maximum(Number.MAX_SAFE_INTEGER));
