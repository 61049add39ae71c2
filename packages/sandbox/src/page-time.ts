import type { Locale } from '@payment-checkout/core';

/**
 * A moment as the hosted pages show it to people: date and time in Bangkok (the gateways' time zone, whatever
 * the server's), in the page's language (Thai with the Buddhist year, as Thai banks write it), with the zone
 * named so that nobody reads it as their own.
 */
export function formatPageTime(ms: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Asia/Bangkok',
    timeZoneName: 'short',
  }).format(ms);
}
