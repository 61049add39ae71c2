import type { CheckoutTexts } from '@payment-checkout/core/texts';
import { BOOT_TEXTS, type BootTexts } from '@payment-checkout/core/boot-texts';
import type { Locale } from '@payment-checkout/core/locale';
import { type Currency, formatMoney } from '@payment-checkout/core/money';

export type { BootTexts, CheckoutTexts, Locale };

/** The element's locale: its `locale` attribute, else the page's `<html lang>`, else English. */
export function resolveLocale(attribute: string | null | undefined, pageLang: string | null | undefined): Locale {
  for (const tag of [attribute, pageLang]) {
    const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (language === 'th') return 'th';
    if (language === 'en') return 'en';
  }
  return 'en';
}

/** An amount as a shopper reads it, with the local sign: `฿1,500.00`, `S$15.00`. */
export function formatAmount(amount: number, currency: Currency, locale: Locale): string {
  return formatMoney(amount, currency, locale === 'th' ? 'th-TH' : 'en', { symbol: true });
}

/** `text` with each `{name}` replaced by `values.name`: `fillText('Pay with {method}', { method: 'Alipay' })`. */
export function fillText(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(/\{(\w+)\}/g, (mark, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : mark));
}

/** What the element can say before the companion's texts arrive (or when it cannot reach the companion at all). */
export const bootTexts = (locale: Locale): BootTexts => BOOT_TEXTS[locale];
