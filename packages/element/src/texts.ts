import type { CheckoutTexts } from '@payment-checkout/core/texts';
import { BOOT_TEXTS, type BootTexts } from '@payment-checkout/core/boot-texts';
import type { Locale } from '@payment-checkout/core/locale';

export type { BootTexts, CheckoutTexts, Locale };
// Core's, so that the companion words a payment's summary the same way (core payment-summary.ts).
export { fillText } from '@payment-checkout/core/boot-texts';
export { formatAmount } from '@payment-checkout/core/money';

/**
 * The element's locale: the first of its `locale` attribute, the page's `<html lang>` and the browser's languages
 * (`navigator.languages`, in the shopper's order) that we speak, else English.
 */
export function resolveLocale(attribute: string | null | undefined, pageLang: string | null | undefined, browserLanguages: readonly string[] = []): Locale {
  for (const tag of [attribute, pageLang, ...browserLanguages]) {
    const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
    if (language === 'th' || language === 'en' || language === 'ja') return language;
  }
  return 'en';
}

/** What the element can say before the companion's texts arrive (or when it cannot reach the companion at all). */
export const bootTexts = (locale: Locale): BootTexts => BOOT_TEXTS[locale];
