import { z } from 'zod';
import { KpaymentApiError } from './errors.ts';
import { type KpaymentErrorCode, MAX_ORDER_EXPIRE_SECONDS, MIN_ORDER_EXPIRE_SECONDS } from './data.ts';

/**
 * Request parameters, parsed once with zod. The guide's samples send numbers where its tables say
 * strings and the reverse (§10.13), so ids, codes and terms accept either. A missing mandatory field
 * is `mandatory_is_empty`; a field of the wrong kind is `invalid_parameter`.
 */

const text = (max: number) => z.string().trim().min(1).max(max);
/** A string or a number, kept as text: `"term": "10"` and `"term": 10` are the same (§10.13). */
const textOrNumber = (max: number) =>
  z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .pipe(z.string().min(1).max(max));
const optionalText = (max: number) => z.union([z.string().max(max), z.null()]).optional();
/** A decimal amount as the samples send it: a JSON number (`200.50`) or a string (`"200.50"`). */
const DecimalAmount = z.union([z.number(), z.string().trim().min(1)]);
const Bool = z.union([z.boolean(), z.enum(['true', 'false', 'TRUE', 'FALSE', 'True', 'False']).transform((v) => v.toLowerCase() === 'true')]);
const Integer = z.union([z.number().int(), z.string().regex(/^\s*\d{1,3}\s*$/).transform(Number)]);

export const CreateChargeParams = z.object({
  amount: DecimalAmount,
  currency: z.string().trim().regex(/^[A-Za-z]{3}$/, { error: 'currency must be a three-letter ISO 4217 code' }).transform((c) => c.toUpperCase()),
  description: text(255),
  source_type: z.string().trim().min(1).transform((s) => s.toLowerCase()),
  mode: z.string().trim().min(1).transform((s) => s.toLowerCase()).optional(),
  reference_order: text(50),
  token: text(60).optional(),
  savecard: Bool.optional(),
  order_id: text(100).optional(),
  ref_1: optionalText(128),
  ref_2: optionalText(128),
  ref_3: optionalText(128),
  dcc_data: z.object({ dcc_currency: z.string().trim().regex(/^[A-Za-z]{3}$/).transform((c) => c.toUpperCase()) }).optional(),
  customer: z.object({ customer_id: text(256), card_id: text(60).optional() }).optional(),
  additional_data: z
    .object({
      mid: textOrNumber(22),
      tid: textOrNumber(20).optional(),
      campaign_id: textOrNumber(8).optional(),
      smartpay_id: textOrNumber(6).optional(),
      term: Integer.optional(),
    })
    .optional(),
  callback_type: z.enum(['web', 'mobile']).optional(),
  smartpay: z
    .object({
      plan_id: textOrNumber(3),
      ipan_mode: z.union([z.string(), z.number()]).transform((v) => String(v).padStart(2, '0')).pipe(z.enum(['01', '02', '03', '04'])),
      product_type: textOrNumber(3),
      payment_term: Integer,
      supplier_no: textOrNumber(20),
      model_no: textOrNumber(10),
    })
    .optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type CreateChargeParams = z.infer<typeof CreateChargeParams>;

export const VoidParams = z.object({ reason: text(256) });

export const SettleParams = z.object({ amount: DecimalAmount, type: z.enum(['full', 'partial'], { error: 'type must be full or partial' }) });
export type SettleParams = z.infer<typeof SettleParams>;

export const RefundParams = z.object({ amount: DecimalAmount, reason: text(256), transaction_date: z.string().trim().optional() });
export type RefundParams = z.infer<typeof RefundParams>;

/** The hosted card form's backend: a new card, or a saved card of `customer_id`. */
export const CreateTokenParams = z.union([
  z.object({
    number: z.string().transform((n) => n.replace(/[\s-]/g, '')).pipe(z.string().regex(/^\d{12,19}$/, { error: 'card number must be 12 to 19 digits' })),
    expiry_month: Integer.pipe(z.number().min(1).max(12)),
    expiry_year: Integer.pipe(z.number().min(0).max(9999)),
    cvv: z.string().trim().regex(/^\d{3,4}$/, { error: 'cvv must be 3 or 4 digits' }),
    name: text(100),
    savecard: Bool.optional(),
  }),
  z.object({ customer_id: text(256), card_id: text(60) }),
]);
export type CreateTokenParams = z.infer<typeof CreateTokenParams>;

/** What the card form asks before showing the DCC offer. */
export const DccOfferParams = z.object({
  number: z.string().transform((n) => n.replace(/[\s-]/g, '')).pipe(z.string().regex(/^\d{12,19}$/)),
  mid: textOrNumber(22),
  amount: DecimalAmount,
  currency: z.string().trim().toUpperCase().default('THB'),
});

export const CreateCustomerParams = z.object({
  email: z.email({ error: 'email must be an e-mail address' }).max(50),
  name: text(256),
  mode: z.string().trim().toLowerCase().pipe(z.literal('token', { error: 'mode must be token' })),
  token: text(60).optional(),
});

export const UpdateCustomerParams = z.object({
  email: z.email({ error: 'email must be an e-mail address' }).max(50),
  name: text(256).optional(),
  default_card: text(60).optional(),
});

export const AddCardParams = z.object({
  mode: z.string().trim().toLowerCase().pipe(z.literal('token', { error: 'mode must be token' })),
  token: text(60).optional(),
});

const httpUrl = z.string().refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), { error: 'must be an http(s) URL' });
const Terms = z.array(z.number().int().min(1).max(99)).min(1);
const IpanMode = z.enum(['01', '02', '03', '04']);

export const SmartpayIdSetting = z.object({
  smartpayId: z.string().min(1).max(6),
  terms: Terms,
  /** Who absorbs the interest: 01 merchant, 02 cardholder (a SmartpayID supports only these, L636). */
  ipanMode: z.enum(['01', '02']).default('02'),
});

export const InstallmentPlanSetting = z.object({
  planId: z.string().min(1).max(3),
  ipanMode: IpanMode,
  productType: z.string().min(1).max(3),
  supplierNo: z.string().min(1).max(20),
  modelNo: z.string().min(1).max(10),
  modelName: z.string().max(30).default(''),
  terms: Terms,
  minPrice: z.number().nonnegative().default(0),
  maxPrice: z.number().positive().default(999_999_999),
});

export const NotifyMode = z.enum(['normal', 'drop', 'duplicate']);

/** A merchant's settings (decisions.md 3). Posting settings replaces the fields given and keeps the others. */
export const SettingsParams = z
  .object({
    merchantName: z.string().trim().min(1).max(40).nullable(),
    callbackUrl: httpUrl.nullable(),
    notifyUrl: httpUrl.nullable(),
    threeDSecure: z.boolean(),
    mid: z.string().regex(/^\d{1,20}$/, { error: 'mid must be digits' }),
    dccMid: z.string().regex(/^\d{1,20}$/, { error: 'dccMid must be digits' }),
    smartpayIds: z.array(SmartpayIdSetting),
    installmentPlans: z.array(InstallmentPlanSetting),
    /** Fault control kept from before the scenario: `drop` never sends the notify, `duplicate` sends it twice; a scenario's `webhooks` other than `normal` wins. */
    notify: NotifyMode,
    /** `expire_time_seconds` of new orders (Order API). */
    orderExpireSeconds: z.number().int().min(MIN_ORDER_EXPIRE_SECONDS).max(MAX_ORDER_EXPIRE_SECONDS),
    /** `auto`: Authorized card charges settle at the day's cut-off by themselves; `manual`: only the Settle API settles. */
    settlement: z.enum(['manual', 'auto']),
  })
  .partial()
  .strict();
export type SettingsParams = z.infer<typeof SettingsParams>;
export type SettingsInput = z.input<typeof SettingsParams>;

/**
 * Create Order (L2595–2634). `source_type` is "qr" or "wechat" (L2599). `expire_time_seconds` is a
 * sandbox extension (the guide has it in the response only): tests and demos ask for short orders.
 */
export const CreateOrderParams = z.object({
  amount: DecimalAmount,
  currency: z.string().trim().regex(/^[A-Za-z]{3}$/, { error: 'currency must be a three-letter ISO 4217 code' }).transform((c) => c.toUpperCase()),
  description: text(255),
  source_type: z.string().trim().min(1).transform((s) => s.toLowerCase()),
  reference_order: text(50),
  additional_data: z
    .object({
      mid: textOrNumber(20).optional(),
      tid: textOrNumber(20).optional(),
      smartpay_id: textOrNumber(6).optional(),
      term: Integer.optional(),
      campaign_id: textOrNumber(8).optional(),
    })
    .nullable()
    .optional(),
  customer: z.object({ customer_id: text(256) }).nullable().optional(),
  metadata: z
    .union([z.array(z.record(z.string(), z.unknown())).max(255), z.record(z.string(), z.unknown())])
    .nullable()
    .optional(),
  ref_1: optionalText(128),
  ref_2: optionalText(128),
  ref_3: optionalText(128),
  info1: optionalText(128),
  info2: optionalText(128),
  info3: optionalText(128),
  shop_image_url: optionalText(128),
  expire_time_seconds: z
    .union([z.number().int(), z.string().regex(/^\s*\d{1,6}\s*$/).transform(Number)])
    .pipe(z.number().int().min(MIN_ORDER_EXPIRE_SECONDS).max(MAX_ORDER_EXPIRE_SECONDS))
    .optional(),
});
export type CreateOrderParams = z.infer<typeof CreateOrderParams>;

/** The QR simulator's and the controls' actions. */
export const QrPayParams = z.object({ channel: z.enum(['kplus', 'other_bank', 'wechat'], { error: 'channel must be kplus, other_bank or wechat' }).optional() });
export const QrFailParams = z.object({ failure_code: z.string().trim().min(1).max(64).optional() });

/** The Alipay page's answer, and the control that does the same. */
export const AlipayResultParams = z.object({ result: z.enum(['pay', 'fail'], { error: 'result must be pay or fail' }) });

/** What the UnionPay pages take (§7.3): the card number, then expiry, CVN2, SMS code (UPI) and PIN. */
export const UnionpayNumberForm = z.object({
  card_number: z.string().transform((n) => n.replace(/[\s-]/g, '')).pipe(z.string().regex(/^\d{16,19}$/, { error: 'card number must be 16 to 19 digits' })),
});
export const UnionpayDetailsForm = z.object({
  expiry: z.string().trim().max(7).default(''),
  cvn2: z.string().trim().max(4).default(''),
  sms_code: z.string().trim().max(8).default(''),
  pin: z.string().trim().max(8).default(''),
});
export const UnionpayPaymentParams = UnionpayNumberForm.extend(UnionpayDetailsForm.shape);
export type UnionpayPaymentParams = z.infer<typeof UnionpayPaymentParams>;

/** The 3-D Secure page's form. */
export const OtpForm = z.object({ otp: z.string().trim().max(12).default('') });

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** Parses parameters, or throws `mandatory_is_empty` / `invalid_parameter` naming the first problem. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown, invalid: KpaymentErrorCode = 'invalid_parameter'): z.output<S> {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new KpaymentApiError('invalid_parameter', 'request body must be a JSON object');
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.join('.');
  const missing = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
  if (issue.code === 'invalid_union' && issue.path.length === 0) {
    // The token body: say which card field is missing rather than "invalid input".
    const branch = issue.errors[0]?.[0];
    if (branch) {
      const field = branch.path.join('.');
      if (missing(valueAt(input, branch.path))) throw new KpaymentApiError('mandatory_is_empty', `Mandatory parameter is missing: ${field}`);
      throw new KpaymentApiError(invalid, `${field}: ${branch.message}`);
    }
  }
  if (missing(valueAt(input, issue.path)) && issue.path.length > 0) {
    throw new KpaymentApiError('mandatory_is_empty', `Mandatory parameter is missing: ${path}`);
  }
  if (issue.code === 'unrecognized_keys') throw new KpaymentApiError(invalid, `unknown parameter ${issue.keys.join(', ')}`);
  throw new KpaymentApiError(invalid, path ? `${path}: ${issue.message}` : issue.message);
}
