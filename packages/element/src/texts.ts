import type { CheckoutTexts } from '@payment-checkout/core/texts';
import { BOOT_TEXTS, type BootTexts } from '@payment-checkout/core/boot-texts';
import type { Locale } from '@payment-checkout/core/locale';

export type { BootTexts, CheckoutTexts, Locale };
// Core's, so that the companion words a payment's summary the same way (core payment-summary.ts).
export { fillText } from '@payment-checkout/core/boot-texts';
export { formatAmount } from '@payment-checkout/core/money';

/** The element's locale: its `locale` attribute, else the page's `<html lang>`, else English. */
export function resolveLocale(attribute: string | null | undefined, pageLang: string | null | undefined): Locale {
  for (const tag of [attribute, pageLang]) {
    const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (language === 'th') return 'th';
    if (language === 'en') return 'en';
  }
  return 'en';
}

/** What the element can say before the companion's texts arrive (or when it cannot reach the companion at all). */
export const bootTexts = (locale: Locale): BootTexts => BOOT_TEXTS[locale];
