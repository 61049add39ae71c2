import { z } from 'zod';
import { Gateway, MethodGroup, PaymentMethodId, Platform } from './catalog.ts';
import { Currency } from './money.ts';
import { PaymentStatus } from './status.ts';

/** The companion's own HTTP API, shared by the server (validation) and the element (typed fetch). */

export const OrderId = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_\-.:]+$/, 'letters, digits and _-.: only');

export const MethodOffer = z.object({
  id: PaymentMethodId,
  gateway: Gateway,
  group: MethodGroup,
  label: z.object({ en: z.string(), th: z.string() }),
  platforms: z.array(Platform),
  desktopPlatform: Platform.nullable(),
});
export type MethodOffer = z.infer<typeof MethodOffer>;

export const CheckoutConfig = z.object({
  orderId: OrderId,
  amount: z.number().int().positive(),
  currency: Currency,
  methods: z.array(MethodOffer),
  opn: z.object({ publicKey: z.string().startsWith('pkey_'), scriptUrl: z.string().url() }).nullable(),
  /**
   * K-Payment cards, when configured: the script and public key (also in the `kpayment` next action), whether
   * this order may be paid in SmartPay instalments (ask with `installments: true`), and whether the signed-in
   * shopper has saved cards the form will list.
   */
  kpayment: z
    .object({ publicKey: z.string().startsWith('pkey_'), scriptUrl: z.string().url(), installments: z.boolean(), savedCards: z.boolean() })
    .nullable()
    .optional(),
  sandbox: z.boolean(),
});
export type CheckoutConfig = z.infer<typeof CheckoutConfig>;

export const CreatePaymentRequest = z.strictObject({
  orderId: OrderId,
  method: PaymentMethodId,
  /** A source the browser created with Omise.js; without it the companion creates the source itself. */
  sourceId: z.string().regex(/^src_[a-z0-9_]+$/, 'an Opn source id').optional(),
  platform: Platform.nullable().optional(),
  /** Cards: pay in SmartPay instalments (when the config says `kpayment.installments`); default: in full. */
  installments: z.boolean().optional(),
});
export type CreatePaymentRequest = z.infer<typeof CreatePaymentRequest>;

export const NextAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('redirect'), url: z.string().url() }),
  /**
   * K-Payment embedded form: the element puts `<form method="POST" action=formAction>` with
   * `<script src=scriptUrl data-*=attributes>` in the light DOM and calls `KPayment.show()`; the script posts the
   * token to `formAction`. `attributes` are the `data-*` names without the prefix (apikey, amount, currency,
   * payment-methods, mid, name, customer-id, smartpay-id, term, plan-id, …), all computed by the server.
   */
  z.object({
    type: z.literal('kpayment'),
    scriptUrl: z.string().url(),
    formAction: z.string().url(),
    attributes: z.record(z.string().regex(/^[a-z][a-z-]*$/), z.string()),
    /**
     * QR payments (`payment-methods` qr / wechat, with `order-id`): when the order expires (ISO 8601), for the
     * element's countdown. The element also polls the payment's status, so the page completes even if the
     * script's own submit never comes.
     */
    expiresAt: z.string().datetime({ offset: true }).optional(),
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
  amount: z.number().int(),
  currency: Currency,
  status: PaymentStatus,
  failureCode: z.string().nullable(),
  /** The customer-facing message for `failureCode`. */
  failureMessage: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PaymentView = z.infer<typeof PaymentView>;

export const ApiErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.unknown()).optional() }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
