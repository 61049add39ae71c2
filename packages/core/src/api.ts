import * as z from 'zod/mini';
import { Gateway, MethodGroup, PaymentMethodId, Platform } from './catalog.ts';
import { Currency } from './money.ts';
import { PaymentStatus } from './status.ts';

/** The companion's own HTTP API, shared by the server (validation) and the element (typed fetch). */

export const OrderId = z.string().check(z.trim(), z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_\-.:]+$/, 'letters, digits and _-.: only'));

export const MethodOffer = z.object({
  id: PaymentMethodId,
  gateway: Gateway,
  group: MethodGroup,
  label: z.object({ en: z.string(), th: z.string() }),
  platforms: z.array(Platform),
  desktopPlatform: z.nullable(Platform),
});
export type MethodOffer = z.infer<typeof MethodOffer>;

export const CheckoutConfig = z.object({
  orderId: OrderId,
  amount: z.int().check(z.positive()),
  currency: Currency,
  methods: z.array(MethodOffer),
  opn: z.nullable(z.object({ publicKey: z.string().check(z.startsWith('pkey_')), scriptUrl: z.url() })),
  /**
   * K-Payment cards, when configured: the script and public key (also in the `kpayment` next action), whether
   * this order may be paid in SmartPay instalments (ask with `installments: true`), and whether the signed-in
   * shopper has saved cards the form will list.
   */
  kpayment: z.optional(
    z.nullable(
      z.object({ publicKey: z.string().check(z.startsWith('pkey_')), scriptUrl: z.url(), installments: z.boolean(), savedCards: z.boolean() }),
    ),
  ),
  sandbox: z.boolean(),
});
export type CheckoutConfig = z.infer<typeof CheckoutConfig>;

export const CreatePaymentRequest = z.strictObject({
  orderId: OrderId,
  method: PaymentMethodId,
  /** A source the browser created with Omise.js; without it the companion creates the source itself. */
  sourceId: z.optional(z.string().check(z.regex(/^src_[a-z0-9_]+$/, 'an Opn source id'))),
  platform: z.optional(z.nullable(Platform)),
  /** Cards: pay in SmartPay instalments (when the config says `kpayment.installments`); default: in full. */
  installments: z.optional(z.boolean()),
});
export type CreatePaymentRequest = z.infer<typeof CreatePaymentRequest>;

export const NextAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('redirect'), url: z.url() }),
  /**
   * K-Payment embedded form: the element puts `<form method="POST" action=formAction>` with
   * `<script src=scriptUrl data-*=attributes>` in the light DOM and calls `KPayment.show()`; the script posts the
   * token to `formAction`. `attributes` are the `data-*` names without the prefix (apikey, amount, currency,
   * payment-methods, mid, name, customer-id, smartpay-id, term, plan-id, …), all computed by the server.
   */
  z.object({
    type: z.literal('kpayment'),
    scriptUrl: z.url(),
    formAction: z.url(),
    attributes: z.record(z.string().check(z.regex(/^[a-z][a-z-]*$/)), z.string()),
    /**
     * QR payments (`payment-methods` qr / wechat, with `order-id`): when the order expires (ISO 8601), for the
     * element's countdown. The element also polls the payment's status, so the page completes even if the
     * script's own submit never comes.
     */
    expiresAt: z.optional(z.iso.datetime({ offset: true })),
  }),
  z.object({ type: z.literal('done'), status: PaymentStatus }),
]);
export type NextAction = z.infer<typeof NextAction>;

export const CreatePaymentResponse = z.object({
  paymentId: z.string(),
  status: PaymentStatus,
  next: NextAction,
  /** True when an existing live payment of this order was returned instead of a new one. */
  reused: z.boolean(),
});
export type CreatePaymentResponse = z.infer<typeof CreatePaymentResponse>;

export const PaymentView = z.object({
  id: z.string(),
  orderId: OrderId,
  method: PaymentMethodId,
  amount: z.int(),
  currency: Currency,
  status: PaymentStatus,
  failureCode: z.nullable(z.string()),
  /** The customer-facing message for `failureCode`. */
  failureMessage: z.nullable(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PaymentView = z.infer<typeof PaymentView>;

export const ApiErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), issues: z.optional(z.array(z.unknown())) }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
