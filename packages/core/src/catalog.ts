import { BUILTIN_METHODS } from './gateways/index.ts';
import { type Currency, formatMoney } from './money.ts';
import type { Gateway, PaymentMethod, PaymentMethodId, Platform } from './method.ts';

// The catalog and its helpers, free of zod: the browser imports them. The schemas are method.ts's.
export type { Gateway, MethodGroup, PaymentMethod, PaymentMethodId, Platform } from './method.ts';

/** The catalog of the built-in gateways' payment methods, each gateway's entries from its own folder. */
export const CATALOG: readonly PaymentMethod[] = BUILTIN_METHODS;

/** The methods of one gateway (e.g. what an Opn emulator or adapter accepts as a source type). */
export function methodsOf(gateway: Gateway): PaymentMethod[] {
  return CATALOG.filter((m) => m.gateway === gateway);
}

export function getMethod(id: PaymentMethodId): PaymentMethod {
  const method = CATALOG.find((m) => m.id === id);
  if (!method) throw new Error(`unknown payment method ${id}`);
  return method;
}

/** Why a method cannot take an amount, or null when it can. */
export function amountProblem(method: PaymentMethod, amount: number, currency: Currency): string | null {
  const limit = method.limits[currency];
  if (!limit) return `${method.id} does not accept ${currency}`;
  if (!Number.isInteger(amount) || amount < limit.min) {
    return `${method.id} needs at least ${formatMoney(limit.min, currency)}`;
  }
  if (amount > limit.max) return `${method.id} accepts at most ${formatMoney(limit.max, currency)}`;
  return null;
}

/** The methods that can take this order's amount and currency. */
export function methodsForOrder(
  amount: number,
  currency: Currency,
  enabled?: readonly PaymentMethodId[],
  catalog: readonly PaymentMethod[] = CATALOG,
): PaymentMethod[] {
  return catalog.filter((m) => (!enabled || enabled.includes(m.id)) && amountProblem(m, amount, currency) === null);
}

/** The `platform_type` the official plugins derive from the user agent (opn-payments.md). */
export function detectPlatform(userAgent: string): 'IOS' | 'ANDROID' | null {
  if (/Android/i.test(userAgent)) return 'ANDROID';
  if (/iPad|iPhone|iPod/.test(userAgent)) return 'IOS';
  return null;
}

/** The `platform_type` to send for a method from a device (null: omit it). */
export function platformFor(
  method: Pick<PaymentMethod, 'platforms' | 'desktopPlatform'>,
  device: 'IOS' | 'ANDROID' | null,
): Platform | null {
  if (device && method.platforms.includes(device)) return device;
  return method.desktopPlatform;
}
