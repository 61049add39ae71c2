import { type Currency, type PaymentMethod, formatMoney, kakaopayVoidDeadline } from '@payment-checkout/core';

/** Opn's rules for the three methods, as functions of the catalog (data) — no HTTP here. */

/** KakaoPay: the void window closes at 00:15 GMT+8 of the day after creation (core's rule, decisions.md 14). */
export const voidDeadline = kakaopayVoidDeadline;

/**
 * KakaoPay needs an HTTPS `return_uri`. Loopback hosts count as secure, as browsers treat them
 * (a "potentially trustworthy origin"), because the demo runs on http://127.0.0.1.
 */
export function isSecureReturnUri(uri: string): boolean {
  const url = new URL(uri);
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** Why the method refuses this amount or currency (naming the rule), or null. */
export function amountRule(method: PaymentMethod, amount: number, currency: Currency | string): string | null {
  const limit = method.limits[currency];
  if (!limit) {
    return `currency ${currency} is not supported by ${method.id} (supported: ${Object.keys(method.limits).join(', ')})`;
  }
  const money = (v: number) => `${v} (${formatMoney(v, currency as Currency)})`;
  if (amount < limit.min) return `amount must be at least ${money(limit.min)} for ${method.id} in ${currency}`;
  if (amount > limit.max) return `amount must be at most ${money(limit.max)} for ${method.id} in ${currency}`;
  return null;
}

/** Why the method refuses this `platform_type`, or null (decisions.md 13). */
export function platformRule(method: PaymentMethod, platformType: string | undefined): string | null {
  if (platformType === undefined) return null;
  if ((method.platforms as string[]).includes(platformType)) return null;
  return `platform_type ${platformType} is not supported by ${method.id} (allowed: ${method.platforms.join(', ')})`;
}
