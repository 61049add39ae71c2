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
  opn: OpnOptions,
  /** A SQLite file path, ':memory:', or a PaymentStore. Default: payment-checkout.db. */
  store: z
    .union([z.string().min(1), z.custom<PaymentStore>(isPaymentStore, { error: 'must be a file path, ":memory:" or a PaymentStore' })])
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

export type ResolvedCheckoutOptions = Omit<z.output<typeof CheckoutOptionsSchema>, 'opn' | 'resultUrl' | 'now'> & {
  opn: ResolvedOpnOptions;
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
  const opn = resolveOpn(options.opn);
  const resultUrl = options.resultUrl;
  return {
    ...options,
    opn,
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
