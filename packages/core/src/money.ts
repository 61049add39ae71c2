import type { Locale } from './locale.ts';
import type { Currency } from './money-schemas.ts';

// Pure helpers, free of zod: the browser imports them (the schemas are in money-schemas.ts).
export type { Currency };

/** Each currency's minor-unit exponent. */
export const CURRENCY_EXPONENT = { THB: 2, SGD: 2, USD: 2, JPY: 0 } as const satisfies Record<Currency, number>;

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

/** Signs a shopper in the region reads without doubt (Intl's narrow `$` would not tell SGD from USD). */
export const CURRENCY_SYMBOL: Record<Currency, string> = { THB: '฿', SGD: 'S$', USD: 'US$', JPY: '¥' };

export interface FormatMoneyOptions {
  /** Write the currency as its local sign (`฿1,500.00`, `S$15.00`) whatever the locale; default: the locale's own way. */
  symbol?: boolean;
}

/** Formats minor units for a shopper, e.g. `formatMoney(150000, 'THB', 'th-TH')` → `฿1,500.00`. */
export function formatMoney(amount: number, currency: Currency, locale = 'en', options: FormatMoneyOptions = {}): string {
  const exp = CURRENCY_EXPONENT[currency];
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    currencyDisplay: options.symbol ? 'narrowSymbol' : 'symbol',
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  });
  const value = amount / 10 ** exp;
  if (!options.symbol) return format.format(value);
  return format
    .formatToParts(value)
    .map((part) => (part.type === 'currency' ? CURRENCY_SYMBOL[currency] : part.value))
    .join('');
}

/** An amount as a shopper in `locale` reads it, with the local sign: `฿1,500.00`, `S$15.00`, `US$44.70`. */
export function formatAmount(amount: number, currency: Currency, locale: Locale): string {
  // The bare language formats as its country does (CLDR's likely region: `th` as `th-TH`, `ja` as `ja-JP`, `en` as `en-US`).
  return formatMoney(amount, currency, locale, { symbol: true });
}
