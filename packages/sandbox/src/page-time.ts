import { PAGE_LANG } from './hosted-page.ts';

/**
 * A moment as the hosted pages show it to people: date and time in Bangkok (the gateways' time zone, whatever
 * the server's), in the page's language, with the zone named so that nobody reads it as their own.
 */
export function formatPageTime(ms: number, locale = PAGE_LANG): string {
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
