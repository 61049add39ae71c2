import * as z from 'zod/mini';
import { type Currency, formatMoney } from './money.ts';

export const Gateway = z.enum(['opn', 'kpayment']);
export type Gateway = z.infer<typeof Gateway>;

/** Our method ids; for Opn they are the source `type`. */
export const PaymentMethodId = z.enum(['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay', 'card', 'thai_qr', 'wechat_pay', 'alipay', 'unionpay']);
export type PaymentMethodId = z.infer<typeof PaymentMethodId>;

export const Platform = z.enum(['IOS', 'ANDROID', 'WEB']);
export type Platform = z.infer<typeof Platform>;

export const MethodGroup = z.enum(['mobile_banking', 'wallet', 'card', 'qr']);
export type MethodGroup = z.infer<typeof MethodGroup>;

export const AmountLimit = z.object({ min: z.int().check(z.positive()), max: z.int().check(z.positive()) });

export const PaymentMethod = z.object({
  id: PaymentMethodId,
  gateway: Gateway,
  group: MethodGroup,
  /** Per currency, the accepted amount range in minor units (inclusive). */
  limits: z.record(z.string(), AmountLimit),
  /**
   * `app_redirect`: Opn source + authorize_uri; `embedded_form`: kpayment.min.js in a form, token posted to the
   * companion; `embedded_qr`: a K-Payment order shown as a QR by kpayment.min.js, `chargeId` posted to the companion;
   * `redirect`: a K-Payment charge whose `redirect_url` hosts the payment (Alipay, UnionPay).
   */
  flow: z.enum(['app_redirect', 'embedded_form', 'embedded_qr', 'redirect']),
  /** `platform_type` values the gateway accepts; on a desktop mobile banking sends none (decisions.md 13). */
  platforms: z.array(Platform),
  desktopPlatform: z.nullable(Platform),
  /** Minutes after which a pending charge expires by itself; null when the gateway sets no such timer. */
  expiryMinutes: z.nullable(z.int().check(z.positive())),
  /** Whether a pending charge can be expired early (`POST /charges/:id/expire`). */
  canExpireEarly: z.boolean(),
  voidable: z.boolean(),
  refundable: z.boolean(),
  manualCapture: z.boolean(),
  requiresHttpsReturn: z.boolean(),
  label: z.object({ en: z.string(), th: z.string() }),
});
export type PaymentMethod = z.infer<typeof PaymentMethod>;

const THB_MOBILE_BANKING = { THB: { min: 2000, max: 15_000_000 } };

/** The catalog of payment methods, from the seeds (see shared/spec/opn-payments.md). */
export const CATALOG: readonly PaymentMethod[] = [
  {
    id: 'mobile_banking_kbank',
    gateway: 'opn',
    group: 'mobile_banking',
    limits: THB_MOBILE_BANKING,
    flow: 'app_redirect',
    platforms: ['IOS', 'ANDROID'],
    desktopPlatform: null,
    expiryMinutes: 10,
    canExpireEarly: false,
    voidable: false,
    refundable: false,
    manualCapture: false,
    requiresHttpsReturn: false,
    label: { en: 'KBank K PLUS', th: 'K PLUS ธนาคารกสิกรไทย' },
  },
  {
    id: 'mobile_banking_bay',
    gateway: 'opn',
    group: 'mobile_banking',
    limits: THB_MOBILE_BANKING,
    flow: 'app_redirect',
    platforms: ['IOS', 'ANDROID'],
    desktopPlatform: null,
    expiryMinutes: 15,
    canExpireEarly: true,
    voidable: false,
    refundable: false,
    manualCapture: false,
    requiresHttpsReturn: false,
    label: { en: 'Krungsri KMA', th: 'KMA ธนาคารกรุงศรีอยุธยา' },
  },
  {
    id: 'kakaopay',
    gateway: 'opn',
    group: 'wallet',
    limits: { SGD: { min: 100, max: 2_000_000 }, THB: { min: 2000, max: 15_000_000 } },
    flow: 'app_redirect',
    platforms: ['IOS', 'ANDROID', 'WEB'],
    desktopPlatform: 'WEB',
    expiryMinutes: null,
    canExpireEarly: false,
    voidable: true,
    refundable: true,
    manualCapture: true,
    requiresHttpsReturn: true,
    label: { en: 'KakaoPay', th: 'KakaoPay' },
  },
  {
    // K-Payment Gateway cards (Visa, Mastercard, JCB, UnionPay): 3-D Secure or not, MCC, DCC, SmartPay.
    // The guide sets no per-method limits (they are per merchant); the API takes Decimal(12,2), the script (10,2).
    id: 'card',
    gateway: 'kpayment',
    group: 'card',
    limits: {
      THB: { min: 100, max: 9_999_999_999 },
      USD: { min: 100, max: 9_999_999_999 },
      SGD: { min: 100, max: 9_999_999_999 },
      JPY: { min: 1, max: 99_999_999 },
    },
    flow: 'embedded_form',
    platforms: [],
    desktopPlatform: null,
    expiryMinutes: null,
    canExpireEarly: false,
    voidable: true,
    refundable: true,
    manualCapture: false,
    requiresHttpsReturn: false,
    label: { en: 'Credit / debit card', th: 'บัตรเครดิต / เดบิต' },
  },
  // K-Payment QR and redirect methods (guide §3.1.2–3.1.3): THB only; the guide sets no per-method limits, so the
  // API's Decimal(12,2) bounds them. The QR order expires with its `expire_time_seconds`.
  ...(
    [
      ['thai_qr', 'qr', 'embedded_qr', { en: 'Thai QR (PromptPay)', th: 'Thai QR (พร้อมเพย์)' }, false],
      ['wechat_pay', 'wallet', 'embedded_qr', { en: 'WeChat Pay', th: 'WeChat Pay' }, false],
      ['alipay', 'wallet', 'redirect', { en: 'Alipay', th: 'Alipay' }, false],
      ['unionpay', 'wallet', 'redirect', { en: 'UnionPay', th: 'UnionPay' }, false],
    ] as const
  ).map(([id, group, flow, label, voidable]) => ({
    id,
    gateway: 'kpayment' as const,
    group,
    limits: { THB: { min: 100, max: 9_999_999_999 } },
    flow,
    platforms: [],
    desktopPlatform: null,
    expiryMinutes: null,
    canExpireEarly: false,
    voidable,
    refundable: false,
    manualCapture: false,
    requiresHttpsReturn: false,
    label,
  })),
].map((m) => PaymentMethod.parse(m));

/** The methods of one gateway (e.g. what an Opn emulator or adapter accepts as a source type). */
export function methodsOf(gateway: Gateway): PaymentMethod[] {
  return CATALOG.filter((m) => m.gateway === gateway);
}

/** Opn source types among our method ids. */
export type OpnMethodId = 'mobile_banking_kbank' | 'mobile_banking_bay' | 'kakaopay';

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
export function methodsForOrder(amount: number, currency: Currency, enabled?: readonly PaymentMethodId[]): PaymentMethod[] {
  return CATALOG.filter((m) => (!enabled || enabled.includes(m.id)) && amountProblem(m, amount, currency) === null);
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
