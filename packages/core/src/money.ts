import { z } from 'zod';

/** ISO 4217 currencies the product handles, with their minor-unit exponent. */
export const CURRENCY_EXPONENT = { THB: 2, SGD: 2, USD: 2, JPY: 0 } as const;

export const Currency = z.enum(['THB', 'SGD', 'USD', 'JPY']);
export type Currency = z.infer<typeof Currency>;

/** An amount in minor units (satang, cents): a positive safe integer. */
export const MinorAmount = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** Minor units to a decimal string in major units, as K-Payment expects (`150000`, THB → `"1500.00"`). */
export function minorToDecimal(amount: number, currency: Currency): string {
  const exp = CURRENCY_EXPONENT[currency];
  if (exp === 0) return String(amount);
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const unit = 10 ** exp;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(exp, '0')}`;
}

/** A decimal amount in major units (string or number) to minor units; throws on more decimals than the currency has. */
export function decimalToMinor(value: string | number, currency: Currency): number {
  const exp = CURRENCY_EXPONENT[currency];
  const text = typeof value === 'number' ? value.toFixed(exp) : value.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RangeError(`not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole, frac = ''] = match;
  const trimmed = frac.replace(/0+$/, '');
  if (trimmed.length > exp) throw new RangeError(`${currency} takes at most ${exp} decimals: ${text}`);
  const minor = Number(whole) * 10 ** exp + Number(trimmed.padEnd(exp, '0') || '0');
  return sign ? -minor : minor;
}

/** Formats minor units for a shopper, e.g. `formatMoney(150000, 'THB', 'th-TH')` → `฿1,500.00`. */
export function formatMoney(amount: number, currency: Currency, locale = 'en'): string {
  const exp = CURRENCY_EXPONENT[currency];
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  }).format(amount / 10 ** exp);
}
