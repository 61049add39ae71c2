import type { Request } from 'express';
import { Locale, customerMessage } from '@payment-checkout/core';

/**
 * The language of a hosted page: the first of English, Thai and Japanese in the browser's Accept-Language (the
 * shopper's languages, in their order), else English. Express's negotiation, as the companion's error pages use it.
 */
export function pageLocale(req: Request): Locale {
  // No Accept-Language (or none we speak) reads as the first one offered: English.
  return Locale.safeParse(req.acceptsLanguages(...Locale.options)).data ?? 'en';
}

/**
 * Why a payment failed, in the page's language: in English the gateway's own words (the guide's, as the real page
 * shows them); in Thai and Japanese, for which the guides give no wording, core's sentence for the code.
 */
export function failureReason(locale: Locale, code: string | null, gatewayMessage: string | null): string {
  return locale === 'en' && gatewayMessage ? gatewayMessage : customerMessage(code, locale);
}
