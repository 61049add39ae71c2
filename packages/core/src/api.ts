import * as z from 'zod/mini';
import { Gateway, MethodBadge, MethodGroup, PaymentMethod, PaymentMethodId, Platform } from './method.ts';
import { Currency } from './money-schemas.ts';
import { PaymentStatus } from './status.ts';
import { CheckoutTexts } from './texts.ts';

/** The companion's own HTTP API, shared by the server (validation) and the element (typed fetch). */

// Never dots only: a URL's path reads `.` and `..` as folders (the operations API's /orders/:id/payments).
export const OrderId = z.string().check(z.trim(), z.minLength(1), z.maxLength(64), z.regex(/^(?!\.+$)[A-Za-z0-9_\-.:]+$/, 'letters, digits and _-.: only, not dots alone'));

export const MethodOffer = z.object({
  id: PaymentMethodId,
  gateway: Gateway,
  group: MethodGroup,
  /** How the element starts it (the catalog's `flow`): a redirect, the gateway's card form, or its QR code. */
  flow: PaymentMethod.shape.flow,
  label: PaymentMethod.shape.label,
  badge: MethodBadge,
  platforms: z.array(Platform),
  desktopPlatform: z.nullable(Platform),
  /** This order may be paid with this method in instalments (ask with `installments: true`). */
  installments: z.optional(z.boolean()),
});
export type MethodOffer = z.infer<typeof MethodOffer>;

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
  /**
   * Why this payment did not pay its order (the order was paid by another payment, or changed meanwhile) and what
   * happens to its money, in the request's locale: the element shows it in place of its usual result (core
   * `payment-notices.ts`).
   */
  notice: z.optional(z.object({ kind: z.string(), headline: z.string(), message: z.string() })),
  /**
   * What was paid (or, unpaid, what would have been), in the request's locale: the method, the amount and currency
   * actually charged, and the instalments (core `payment-summary.ts`), e.g. `US$44.70 (฿1,500.00) with Credit / debit card`.
   */
  summary: z.optional(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type PaymentView = z.infer<typeof PaymentView>;

/**
 * What the browser needs before the shopper chooses: the methods that fit the order and, per gateway that offers
 * one of them, that gateway's block (keyed by gateway id; its schema lives in the gateway's folder, e.g.
 * `OpnBrowserConfig`), and the shopper's texts. Never a secret.
 */
export const CheckoutConfig = z.object({
  orderId: OrderId,
  amount: z.int().check(z.positive()),
  currency: Currency,
  methods: z.array(MethodOffer),
  gateways: z.record(Gateway, z.record(z.string(), z.unknown())),
  sandbox: z.boolean(),
  /** What the element shows the shopper, in the locale the request asked for (English without one). */
  texts: CheckoutTexts,
  /** The order is paid: the payment that paid it, for the shopper's receipt (`methods` is empty then). */
  paid: z.optional(PaymentView),
  /**
   * A payment of this order is still open at the gateway and cannot be cancelled (core `stillOpenNotice`): what the
   * shopper reads above the choices, in the request's locale, before paying a second way.
   */
  notice: z.optional(z.string()),
});
export type CheckoutConfig = z.infer<typeof CheckoutConfig>;

export const CreatePaymentRequest = z.strictObject({
  orderId: OrderId,
  method: PaymentMethodId,
  /** A source the browser created with the gateway's script (Opn); without it the companion creates the source itself. */
  sourceId: z.optional(z.string().check(z.regex(/^src_[a-z0-9_]+$/, 'a source id (src_…)'))),
  platform: z.optional(z.nullable(Platform)),
  /** Cards: pay in instalments (when the method's offer says `installments`); default: in full. */
  installments: z.optional(z.boolean()),
});
export type CreatePaymentRequest = z.infer<typeof CreatePaymentRequest>;

/**
 * A form the gateway's script fills in the page: the element puts `<form method="POST" action=formAction>` with
 * `<script src=scriptUrl data-*=attributes>` in the light DOM and lets the gateway's starter show it; the script
 * posts back to `formAction`. `attributes` are the `data-*` names without the prefix, all computed by the server.
 */
const ScriptForm = {
  scriptUrl: z.url(),
  formAction: z.url(),
  attributes: z.record(z.string().check(z.regex(/^[a-z][a-z-]*$/)), z.string()),
};

/** What the browser does next. Generic: the chosen method's gateway starter in the element acts on it. */
export const NextAction = z.discriminatedUnion('type', [
  /** Send the shopper to the gateway's page (Opn's authorize_uri, K-Payment's hosted Alipay / UnionPay page). */
  z.object({ type: z.literal('redirect'), url: z.url() }),
  /** A card form drawn by the gateway's script (K-Payment's kpayment.min.js). */
  z.object({ type: z.literal('script_form'), ...ScriptForm }),
  /**
   * A QR drawn by the gateway's script from a server-side order; `expiresAt` (ISO 8601) is when the gateway's order
   * expires, `expiresIn` the whole seconds left then by the companion's clock: the element counts down from
   * `expiresIn` on its arrival, never against the device's clock (which may be wrong). The element also polls the
   * payment's status, so the page completes even if the script's own submit never comes.
   */
  z.object({
    type: z.literal('qr'),
    ...ScriptForm,
    expiresAt: z.optional(z.iso.datetime({ offset: true })),
    expiresIn: z.optional(z.int().check(z.nonnegative())),
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


export const ApiErrorBody = z.object({
  error: z.object({
    code: z.string(),
    /** The companion's own message, in English (logs, the page's `checkout-error` events, support). */
    message: z.string(),
    /** The message in the shopper's language, when the request named its `locale` (decisions.md C20). */
    customerMessage: z.optional(z.string()),
    issues: z.optional(z.array(z.unknown())),
    /** A gateway's own refusal of a merchant operation (`operation_refused`). */
    gateway: z.optional(z.object({ code: z.string(), message: z.string() })),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
