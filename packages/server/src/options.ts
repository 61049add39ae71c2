import { z } from 'zod';
import { Currency, MinorAmount, PaymentMethodId } from '@payment-checkout/core';
import type { Logger } from './logger.ts';
import { type PaymentRecord, type PaymentStore, isPaymentStore } from './store/store.ts';

/** A payment as the host sees it (hooks, result URLs): the stored record without its return token. */
export type Payment = Omit<PaymentRecord, 'returnToken'>;

/** What `resolveOrder` answers: the order's amount in minor units and its currency. */
export const OrderAmount = z.strictObject({ amount: MinorAmount, currency: Currency });
export type OrderAmount = z.infer<typeof OrderAmount>;

export type ResolveOrder = (orderId: string) => Promise<OrderAmount | null> | OrderAmount | null;
export type PaymentHook = (payment: Payment) => unknown;

export interface CheckoutHooks {
  /** The order is paid (once per order, by the first payment that succeeds). */
  onPaid?: PaymentHook;
  /** The order's current payment ended unpaid (failed, expired, canceled) and the order is not paid. */
  onFailed?: PaymentHook;
  /** A payment succeeded after another payment had already paid the order: refund it. */
  onNeedsRefund?: PaymentHook;
}

/** A `store` string that names a PostgreSQL database rather than a SQLite file. */
export const isPostgresUrl = (store: string): boolean => /^postgres(ql)?:\/\//i.test(store);

const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', { error: `must be a function (${what})` });

const HttpUrl = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a URL string') })
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { error: 'must be an http(s) URL' })
  .transform((v) => v.replace(/\/+$/, ''));

const PublicKey = z.string().regex(/^pkey_(test_)?[A-Za-z0-9_]+$/, 'must be an Opn public key (pkey_…)');
const SecretKey = z.string().regex(/^skey_(test_)?[A-Za-z0-9_]+$/, 'must be an Opn secret key (skey_…)');

export const OpnOptions = z.strictObject({
  publicKey: PublicKey.optional(),
  secretKey: SecretKey.optional(),
  /** Default: https://api.omise.co, or required (the sandbox's URL) when no keys are given. */
  apiUrl: HttpUrl.optional(),
  vaultUrl: HttpUrl.optional(),
  /** Where the browser loads Omise.js. Default: the sandbox's `/omise.js`, or https://cdn.omise.co/omise.js. */
  scriptUrl: HttpUrl.optional(),
  /** Base64 webhook signing secret; when set, unsigned or badly signed webhooks are refused. */
  webhookSecret: z.string().regex(/^[A-Za-z0-9+/=_-]{16,}$/, 'must be the base64 webhook secret').optional(),
  /** Running against the sandbox: registers the companion's webhook URL there at start-up. */
  sandbox: z.boolean().optional(),
  /** Per request to Opn. Default 10 000. */
  timeoutMs: z.number().int().positive().max(120_000).optional(),
});
export type OpnOptions = z.input<typeof OpnOptions>;

const KpaymentPublicKey = z.string().regex(/^pkey_[A-Za-z0-9_]+$/, 'must be a K-Payment public key (pkey_…)');
const KpaymentSecretKey = z.string().regex(/^skey_[A-Za-z0-9_]+$/, 'must be a K-Payment secret key (skey_…)');
/** `data-mid` is Varchar(15) (guide §4.1.1.1). */
const MerchantId = z.string().regex(/^\d{1,15}$/, 'must be a K-Payment merchant id (up to 15 digits)');

/** SmartPay instalments (guide §4.1.1.1 c/d): a SmartpayID, or one Installment Plan exported from the portal. */
export const SmartpayOptions = z
  .strictObject({
    /** The SmartpayID variant (`data-smartpay-id`, `additional_data.smartpay_id`). */
    smartpayId: z.string().regex(/^\d{1,6}$/, 'must be the SmartpayID digits, e.g. "0001"').optional(),
    /** The Installment Plan variant: the row of the portal's Installment Plan Report to offer. */
    plan: z
      .strictObject({
        planId: z.string().regex(/^\d{1,3}$/, 'must be the PlanID (up to 3 digits)'),
        ipanMode: z.enum(['01', '02', '03', '04'], { error: 'must be 01, 02, 03 or 04' }),
        productType: z.string().regex(/^\d{1,3}$/, 'must be the ProductType (up to 3 digits)'),
        supplierNo: z.string().regex(/^[A-Za-z0-9]{1,20}$/, 'must be the SupplierNo.'),
        modelNo: z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'must be the ModelNo.'),
      })
      .optional(),
    /** A fixed number of months (`data-term`); without it the shopper picks a term in the card form. */
    term: z.number().int().min(1).max(99).optional(),
  })
  .refine((s) => Boolean(s.smartpayId) !== Boolean(s.plan), { error: 'give either smartpayId or plan (the guide allows only one set)' });
export type SmartpayOptions = z.infer<typeof SmartpayOptions>;

/** A card registration (register-3D) as the host sees it, for `kpayment.registrationResultUrl`. */
export interface CardRegistrationView {
  id: string;
  orderId: string;
  status: 'pending' | 'saved' | 'failed';
}

export const KpaymentOptions = z.strictObject({
  publicKey: KpaymentPublicKey.optional(),
  secretKey: KpaymentSecretKey.optional(),
  /** Default: K-Payment's API for the keys (test keys → the bank's dev host), or required (the sandbox's URL) without keys. */
  apiUrl: HttpUrl.optional(),
  /** Where the browser loads kpayment.min.js. Default: the sandbox's, or the bank's for the keys. */
  scriptUrl: HttpUrl.optional(),
  /** The merchant id for cards (Full MCC / SmartPay); the sandbox's default when running against it. */
  mid: MerchantId.optional(),
  /** The Full DCC merchant id: THB orders then use it, and foreign Visa/Mastercard holders may pay in their currency. */
  dccMid: MerchantId.optional(),
  /** `data-name`, Varchar(15). */
  merchantName: z.string().trim().min(1).max(15, { error: 'must be at most 15 characters (data-name)' }).optional(),
  smartpay: SmartpayOptions.optional(),
  /** Running against the sandbox: registers the companion's callback and notify URLs there at start-up. */
  sandbox: z.boolean().optional(),
  /** Per request to K-Payment. Default 15 000. */
  timeoutMs: z.number().int().positive().max(120_000).optional(),
  /**
   * Thai QR / WeChat Pay: how long a QR order lives, sent as `expire_time_seconds` in Create Order (the sandbox
   * takes it; the guide shows it in the answer only). Default: not sent, the gateway's own (3600 in the guide).
   */
  qrExpireSeconds: z.number().int().min(60).max(86_400).optional(),
  /**
   * Where the shopper goes after saving a card with register-3D: a function, or a template with
   * {registrationId}, {orderId}, {status}. Without it, `POST /checkout/kpayment/registrations` is off.
   */
  registrationResultUrl: z
    .union([
      fn<(registration: CardRegistrationView) => string>('registration => url'),
      z.string().refine((v) => v.startsWith('/') || URL.canParse(v), { error: 'must be a URL or an absolute path' }),
    ])
    .optional(),
});
export type KpaymentOptions = z.input<typeof KpaymentOptions>;

/** The signed-in shopper of an order, for remembered cards: a stable id of the merchant's, an e-mail and a name. */
export const Shopper = z.object({
  id: z.string().trim().min(1).max(128),
  email: z.email().max(50),
  name: z.string().trim().min(1).max(256),
});
export type Shopper = z.infer<typeof Shopper>;
export type ResolveCustomer = (orderId: string) => Promise<Shopper | null> | Shopper | null;

export const CheckoutOptionsSchema = z.strictObject({
  /** The only source of amounts: the merchant's order, looked up on the server. */
  resolveOrder: fn<ResolveOrder>('orderId => { amount, currency } | null'),
  /** Where browsers reach the companion; the Opn return URL is built on it. */
  publicBaseUrl: HttpUrl,
  /** Where the shopper goes after the return: a function, or a template with {paymentId}, {orderId}, {status}. */
  resultUrl: z.union([
    fn<(payment: Payment) => string>('payment => url'),
    z.string().refine((v) => v.startsWith('/') || URL.canParse(v), { error: 'must be a URL or an absolute path' }),
  ]),
  /** Opn Payments (K PLUS, KMA, KakaoPay); its methods are offered only when this is given. */
  opn: OpnOptions.optional(),
  /** K-Payment Gateway (cards, Thai QR, WeChat Pay, Alipay, UnionPay); its methods are offered only when this is given. */
  kpayment: KpaymentOptions.optional(),
  /**
   * The shopper signed in for an order, or null for a guest: cards are remembered (K-Payment customers) only
   * for a shopper, and the card form then lists the shopper's saved cards.
   */
  resolveCustomer: fn<ResolveCustomer>('orderId => { id, email, name } | null').optional(),
  /**
   * A PostgreSQL URL (`postgres://` or `postgresql://`: a PostgresStore in the "public" schema), a SQLite file
   * path, ':memory:', or a PaymentStore. The companion closes a store it opened. Default: payment-checkout.db.
   */
  store: z
    .union([
      z.string().min(1).refine((v) => !isPostgresUrl(v) || URL.canParse(v), { error: 'must be a valid postgres:// URL' }),
      z.custom<PaymentStore>(isPaymentStore, { error: 'must be a postgres:// URL, a file path, ":memory:" or a PaymentStore' }),
    ])
    .default('payment-checkout.db'),
  /** The methods to offer (default: all the catalog's methods that fit the order). */
  methods: z
    .array(PaymentMethodId)
    .nonempty({ error: 'must list at least one method' })
    .refine((m) => new Set(m).size === m.length, { error: 'must not repeat a method' })
    .optional(),
  hooks: z
    .strictObject({
      onPaid: fn<PaymentHook>('payment => void').optional(),
      onFailed: fn<PaymentHook>('payment => void').optional(),
      onNeedsRefund: fn<PaymentHook>('payment => void').optional(),
    })
    .default({}),
  logger: z
    .custom<Logger>(
      (v) => typeof v === 'object' && v !== null && ['info', 'warn', 'error'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function'),
      { error: 'must have info, warn and error methods' },
    )
    .optional(),
  /** A pending payment is asked about at the gateway at most once per this many ms when polled. Default 2000. */
  refreshIntervalMs: z.number().int().min(0).max(60_000).default(2_000),
  /** How long the return URL waits for a still-pending charge to settle. Default 3000. */
  returnWaitMs: z.number().int().min(0).max(30_000).default(3_000),
  /** Pause between retrievals while the return URL waits. Default 500. */
  returnRetryMs: z.number().int().min(10).max(10_000).default(500),
  /** Run the reconciler every this many ms (default: never; call `checkout.reconcile()` yourself). */
  reconcileEveryMs: z.number().int().min(1_000).optional(),
  /** Seconds of clock skew accepted on webhook signatures (0 or less means the default, 300). */
  webhookToleranceSeconds: z.number().int().optional(),
  /** The clock, in ms since the epoch (tests). Default Date.now. */
  now: fn<() => number>('() => ms').optional(),
}).refine((o) => o.opn !== undefined || o.kpayment !== undefined, {
  path: ['opn'],
  error: 'configure at least one gateway: opn, kpayment or both (each takes {} plus apiUrl to use the sandbox)',
});

export type CheckoutOptions = z.input<typeof CheckoutOptionsSchema>;

/** Opn settings after defaults: what the companion actually uses. */
export interface ResolvedOpnOptions {
  publicKey: string;
  secretKey: string;
  apiUrl: string;
  vaultUrl: string;
  scriptUrl: string;
  webhookSecret: string | null;
  sandbox: boolean;
  timeoutMs: number;
}

/** K-Payment settings after defaults. */
export interface ResolvedKpaymentOptions {
  publicKey: string;
  secretKey: string;
  apiUrl: string;
  scriptUrl: string;
  mid: string;
  dccMid: string | null;
  merchantName: string | null;
  smartpay: SmartpayOptions | null;
  sandbox: boolean;
  timeoutMs: number;
  qrExpireSeconds: number | null;
  registrationResultUrl: ((registration: CardRegistrationView) => string) | null;
}

/** The bank's hosts (guide §1.3): test keys go to the dev hosts, live keys to production. */
export const KPAYMENT_HOSTS = {
  test: { api: 'https://dev-kpaymentgateway-services.kasikornbank.com', script: 'https://dev-kpaymentgateway.kasikornbank.com/ui/v2/kpayment.min.js' },
  live: { api: 'https://kpaymentgateway-services.kasikornbank.com', script: 'https://kpaymentgateway.kasikornbank.com/ui/v2/kpayment.min.js' },
} as const;

/** The sandbox's default merchant id (its settings can change it). */
export const KPAYMENT_SANDBOX_MID = '401000000000001';

export type ResolvedCheckoutOptions = Omit<z.output<typeof CheckoutOptionsSchema>, 'opn' | 'kpayment' | 'resultUrl' | 'now'> & {
  opn: ResolvedOpnOptions | null;
  kpayment: ResolvedKpaymentOptions | null;
  resultUrl: (payment: Payment) => string;
  now: () => number;
};

export const SANDBOX_TEST_KEYS = { publicKey: 'pkey_test_demo', secretKey: 'skey_test_demo' } as const;

/** The options were wrong: `issues` lists each bad option by its path; the message lists them all. */
export class CheckoutConfigError extends Error {
  override name = 'CheckoutConfigError';
  readonly code = 'invalid_config';
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`Invalid payment-checkout configuration:\n${issues.map((i) => `  - ${i.path || '(options)'}: ${i.message}`).join('\n')}`);
  }
}

/** Validates and completes the options; throws CheckoutConfigError naming every bad option. */
export function parseCheckoutOptions(input: unknown): ResolvedCheckoutOptions {
  const parsed = CheckoutOptionsSchema.safeParse(input);
  if (!parsed.success) throw new CheckoutConfigError(parsed.error.issues.map(describeIssue));
  const options = parsed.data;
  const opn = options.opn ? resolveOpn(options.opn) : null;
  const kpayment = options.kpayment ? resolveKpayment(options.kpayment) : null;
  const resultUrl = options.resultUrl;
  return {
    ...options,
    opn,
    kpayment,
    resultUrl: typeof resultUrl === 'function' ? resultUrl : (payment) => fillTemplate(resultUrl, payment),
    now: options.now ?? Date.now,
  };
}

function resolveOpn(opn: z.output<typeof OpnOptions>): ResolvedOpnOptions {
  const issues: { path: string; message: string }[] = [];
  const hasKeys = Boolean(opn.publicKey || opn.secretKey);
  if (Boolean(opn.publicKey) !== Boolean(opn.secretKey)) {
    issues.push({ path: opn.publicKey ? 'opn.secretKey' : 'opn.publicKey', message: 'give both publicKey and secretKey, or neither to use the sandbox' });
  }
  const sandbox = opn.sandbox ?? !hasKeys;
  if (!hasKeys && !opn.apiUrl) {
    issues.push({ path: 'opn.apiUrl', message: 'without Opn keys the companion uses the sandbox: give the sandbox URL here (or give publicKey and secretKey)' });
  }
  if (sandbox && !opn.apiUrl) issues.push({ path: 'opn.apiUrl', message: 'sandbox: true needs the sandbox URL' });
  const isTest = (key: string | undefined) => key === undefined || /^[ps]key_test_/.test(key);
  if (sandbox && (!isTest(opn.publicKey) || !isTest(opn.secretKey))) {
    issues.push({ path: 'opn.sandbox', message: 'the sandbox takes test keys (pkey_test_…/skey_test_…), never live ones' });
  }
  if (hasKeys && isTest(opn.publicKey) !== isTest(opn.secretKey)) {
    issues.push({ path: 'opn.publicKey', message: 'publicKey and secretKey must both be test keys or both live keys' });
  }
  const unique = new Map(issues.map((i) => [`${i.path}:${i.message}`, i]));
  if (unique.size > 0) throw new CheckoutConfigError([...unique.values()]);

  const apiUrl = opn.apiUrl ?? 'https://api.omise.co';
  return {
    publicKey: opn.publicKey ?? SANDBOX_TEST_KEYS.publicKey,
    secretKey: opn.secretKey ?? SANDBOX_TEST_KEYS.secretKey,
    apiUrl,
    vaultUrl: opn.vaultUrl ?? (sandbox ? apiUrl : 'https://vault.omise.co'),
    scriptUrl: opn.scriptUrl ?? (sandbox ? `${apiUrl}/omise.js` : 'https://cdn.omise.co/omise.js'),
    webhookSecret: opn.webhookSecret ?? null,
    sandbox,
    timeoutMs: opn.timeoutMs ?? 10_000,
  };
}

function resolveKpayment(k: z.output<typeof KpaymentOptions>): ResolvedKpaymentOptions {
  const issues: { path: string; message: string }[] = [];
  const hasKeys = Boolean(k.publicKey || k.secretKey);
  if (Boolean(k.publicKey) !== Boolean(k.secretKey)) {
    issues.push({ path: k.publicKey ? 'kpayment.secretKey' : 'kpayment.publicKey', message: 'give both publicKey and secretKey, or neither to use the sandbox' });
  }
  const sandbox = k.sandbox ?? !hasKeys;
  if (!hasKeys && !k.apiUrl) {
    issues.push({ path: 'kpayment.apiUrl', message: 'without K-Payment keys the companion uses the sandbox: give the sandbox URL here (or give publicKey and secretKey)' });
  }
  if (sandbox && !k.apiUrl) issues.push({ path: 'kpayment.apiUrl', message: 'sandbox: true needs the sandbox URL' });
  const isTest = (key: string | undefined) => key === undefined || /^[ps]key_test_/.test(key);
  if (sandbox && (!isTest(k.publicKey) || !isTest(k.secretKey))) {
    issues.push({ path: 'kpayment.sandbox', message: 'the sandbox takes test keys (pkey_test_…/skey_test_…), never live ones' });
  }
  if (hasKeys && isTest(k.publicKey) !== isTest(k.secretKey)) {
    issues.push({ path: 'kpayment.publicKey', message: 'publicKey and secretKey must both be test keys or both live keys' });
  }
  if (!sandbox && !k.mid) issues.push({ path: 'kpayment.mid', message: 'give the merchant id K-Payment assigned (data-mid)' });
  if (k.dccMid && k.mid && k.dccMid === k.mid) issues.push({ path: 'kpayment.dccMid', message: 'the Full DCC merchant id differs from the card merchant id' });
  const unique = new Map(issues.map((i) => [`${i.path}:${i.message}`, i]));
  if (unique.size > 0) throw new CheckoutConfigError([...unique.values()]);

  const hosts = isTest(k.publicKey) ? KPAYMENT_HOSTS.test : KPAYMENT_HOSTS.live;
  const apiUrl = k.apiUrl ?? hosts.api;
  const registrationResultUrl = k.registrationResultUrl;
  return {
    publicKey: k.publicKey ?? SANDBOX_TEST_KEYS.publicKey,
    secretKey: k.secretKey ?? SANDBOX_TEST_KEYS.secretKey,
    apiUrl,
    scriptUrl: k.scriptUrl ?? (sandbox ? `${apiUrl}/ui/v2/kpayment.min.js` : hosts.script),
    mid: k.mid ?? KPAYMENT_SANDBOX_MID,
    dccMid: k.dccMid ?? null,
    merchantName: k.merchantName ?? null,
    smartpay: k.smartpay ?? null,
    sandbox,
    timeoutMs: k.timeoutMs ?? 15_000,
    qrExpireSeconds: k.qrExpireSeconds ?? null,
    registrationResultUrl:
      registrationResultUrl === undefined
        ? null
        : typeof registrationResultUrl === 'function'
          ? registrationResultUrl
          : (r) => registrationResultUrl.replace(/\{(registrationId|orderId|status)\}/g, (_, name: string) => encodeURIComponent(name === 'registrationId' ? r.id : name === 'orderId' ? r.orderId : r.status)),
  };
}

function fillTemplate(template: string, payment: Payment): string {
  const values: Record<string, string> = { paymentId: payment.id, orderId: payment.orderId, status: payment.status };
  return template.replace(/\{(paymentId|orderId|status)\}/g, (_, name: string) => encodeURIComponent(values[name]));
}

function describeIssue(issue: z.core.$ZodIssue): { path: string; message: string } {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') return { path, message: `unknown option(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` };
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return { path, message: 'is required' };
  return { path, message: issue.message };
}
