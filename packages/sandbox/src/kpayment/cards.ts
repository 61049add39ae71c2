import { CURRENCY_EXPONENT, Currency, decimalToMinor } from '@payment-checkout/core';
import { type CardBrand, DCC_RATES, type ResponseCode, TEST_CARDS, UNKNOWN_CARD_CODE } from './data.ts';
import { KpaymentApiError } from './errors.ts';
import type { Merchant } from './state.ts';

/** Card and money rules shared by the API and the hosted card form. */

/** Luhn check digit validation. */
export function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return number.length >= 12 && sum % 10 === 0;
}

/** Visa, MasterCard (51–55, 2221–2720) and JCB (3528–3589): the brands of the Embedded UI (L326). */
export function cardBrand(number: string): CardBrand | null {
  if (/^4/.test(number)) return 'visa';
  const two = Number(number.slice(0, 2));
  const four = Number(number.slice(0, 4));
  if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720)) return 'mastercard';
  if (four >= 3528 && four <= 3589) return 'jcb';
  return null;
}

export function maskCard(number: string): string {
  return `${number.slice(0, 6)}*****${number.slice(-4)}`;
}

/** What the issuer answers for this card: its test-table code, or "14 Invalid Card Number" for any other number. */
export function issuerResponse(number: string): ResponseCode {
  return TEST_CARDS[number]?.code ?? UNKNOWN_CARD_CODE;
}

/** The card's own currency when it is one of the guide's foreign (DCC) test cards. */
export function foreignCurrency(number: string): 'USD' | 'JPY' | null {
  return TEST_CARDS[number]?.dccCurrency ?? null;
}

export function parseCurrency(code: string): Currency {
  const parsed = Currency.safeParse(code);
  if (!parsed.success) throw new KpaymentApiError('currency_invalid', `Currency is currently not supported: ${code}`);
  return parsed.data;
}

/** Largest amount of Decimal(12,2): ten digits before the point. */
const MAX_MAJOR = 9_999_999_999.99;

/**
 * A decimal amount in major units (JSON number or string) to minor units (decisions.md 9): positive,
 * at most the currency's decimals; a currency without minor units refuses decimals with `float_not_support`.
 */
export function parseAmount(value: number | string, currency: Currency, field = 'amount'): number {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : 'NaN') : value.trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new KpaymentApiError('amount_invalid', `${field} must be a decimal number`);
  if (Number(text) <= 0) throw new KpaymentApiError('amount_invalid', `${field} must be positive`);
  if (Number(text) > MAX_MAJOR) throw new KpaymentApiError('amount_invalid', `${field} must be at most ${MAX_MAJOR}`);
  try {
    return decimalToMinor(text, currency);
  } catch {
    if (CURRENCY_EXPONENT[currency] === 0) throw new KpaymentApiError('float_not_support', `Decimal places are not supported with small CHARGE currencies (${currency})`);
    throw new KpaymentApiError('amount_invalid', `${field} takes at most ${CURRENCY_EXPONENT[currency]} decimals in ${currency}`);
  }
}

/** Minor units to the JSON number the API shows (`30550` THB → `305.5`). */
export function toMajor(minor: number, currency: Currency): number {
  return minor / 10 ** CURRENCY_EXPONENT[currency];
}

/** Rounds to `decimals` places, half away from zero, without binary surprises (`1.005` → `1.01`). */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9) / factor;
}

/** The DCC quote: a baht amount in the card's currency at the sandbox's fixed rate. */
export function dccQuote(bahtMinor: number, cardCurrency: 'USD' | 'JPY') {
  const { rate, name } = DCC_RATES[cardCurrency];
  const baht = toMajor(bahtMinor, 'THB');
  const converted = round(baht / rate, CURRENCY_EXPONENT[cardCurrency]);
  return { currency: cardCurrency, name, rate, baht, converted };
}

/** The DCC offer the card form shows under the card number (L611–623): only on the DCC merchant id, only for a foreign card. */
export function dccOffer(merchant: Merchant, params: { number: string; mid: string; amount: number | string; currency: string }) {
  const currency = parseCurrency(params.currency);
  const amount = parseAmount(params.amount, currency);
  const cardCurrency = foreignCurrency(params.number);
  const brand = cardBrand(params.number);
  if (params.mid !== merchant.settings.dccMid || currency !== 'THB' || !cardCurrency || (brand !== 'visa' && brand !== 'mastercard')) {
    return { object: 'dcc_offer' as const, eligible: false };
  }
  const quote = dccQuote(amount, cardCurrency);
  return {
    object: 'dcc_offer' as const,
    eligible: true,
    currency: quote.currency,
    currency_name: quote.name,
    rate: quote.rate,
    baht_amount: quote.baht,
    converted_amount: quote.converted,
    /** The converted amount as the form prints it, with the card currency's decimals ("44.70 USD", "6479 JPY"). */
    converted_label: `${quote.converted.toFixed(CURRENCY_EXPONENT[quote.currency])} ${quote.currency}`,
  };
}
