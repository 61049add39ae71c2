import * as z from 'zod/mini';
import { Messages } from './locale.ts';

/**
 * A gateway's id (`opn`, `kpayment`, …): each gateway module says its own; core lists the built-in ones in
 * `gateways/index.ts`. Open, so that a gateway plugs in without editing core.
 */
export const Gateway = z.string().check(z.regex(/^[a-z][a-z0-9_]{0,31}$/, 'a gateway id'));
export type Gateway = z.infer<typeof Gateway>;

/** Our method ids; for Opn they are the source `type`. */
export const PaymentMethodId = z.enum(['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay', 'card', 'thai_qr', 'wechat_pay', 'alipay', 'unionpay']);
export type PaymentMethodId = z.infer<typeof PaymentMethodId>;

export const Platform = z.enum(['IOS', 'ANDROID', 'WEB']);
export type Platform = z.infer<typeof Platform>;

export const MethodGroup = z.enum(['mobile_banking', 'wallet', 'card', 'qr']);
export type MethodGroup = z.infer<typeof MethodGroup>;

/**
 * A method's badge, drawn by the element as a small SVG of our own: the brand's colour and its initials (no copied
 * artwork). `ink`: the initials' colour, legible on `color` (WCAG contrast 4.5:1 or more, checked by a test).
 */
export const MethodBadge = z.object({
  color: z.string().check(z.regex(/^#[0-9a-f]{6}$/i)),
  ink: z.string().check(z.regex(/^#[0-9a-f]{6}$/i)),
  text: z.string().check(z.minLength(1), z.maxLength(4)),
});
export type MethodBadge = z.infer<typeof MethodBadge>;

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
  /** Its name in every locale. */
  label: Messages,
  badge: MethodBadge,
  /** The choice of paying this method in instalments, when its gateway names it (else "{method} in instalments"). */
  installmentsLabel: z.optional(Messages),
});
export type PaymentMethod = z.infer<typeof PaymentMethod>;
