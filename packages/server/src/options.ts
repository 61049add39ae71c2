import { z } from 'zod';
import { PaymentMethodId } from '@payment-checkout/core';
import { CheckoutConfigError, type ConfigIssue, describeZodIssue, throwIfIssues } from './common/config-error.ts';
import { BaseUrl, UrlOrPath, fillUrlTemplate, fn } from './common/config-schemas.ts';
import type { Payment, PaymentHook, ResolveCustomer, ResolveOrder } from './common/host.ts';
import type { Logger } from './common/logger.ts';
import { BUILTIN_GATEWAYS, type BuiltinGatewayId } from './gateways/index.ts';
import type { GatewayPlugin } from './gateways/module.ts';
import { HOOK_DELIVERY_DEFAULTS } from './services/hook-outbox.ts';
import { ORDER_LOOKUP_TIMEOUT_MS } from './services/context.ts';
import { type PaymentStore, isPaymentStore } from './store/store.ts';

export { CheckoutConfigError } from './common/config-error.ts';
export { SANDBOX_TEST_KEYS } from './common/config-schemas.ts';
export { type CheckoutHooks, OrderAmount, type Payment, type PaymentHook, type ResolveCustomer, type ResolveOrder, Shopper } from './common/host.ts';

/** A `store` string that names a PostgreSQL database rather than a SQLite file. */
export const isPostgresUrl = (store: string): boolean => /^postgres(ql)?:\/\//i.test(store);

/** `sqlite:<file>` and `file:<file>` name a SQLite file too (as DATABASE_URL may); the bare path is what opens. */
export const sqlitePath = (store: string): string => store.replace(/^(sqlite|file):(\/\/)?/i, '');

/** A store string that names a database this companion has no store for (`mysql://…`, a misspelt `postgress://`). */
export function unknownStoreScheme(store: string): string | null {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(store)?.[1];
  return scheme && !/^(postgres(ql)?|sqlite|file)$/i.test(scheme) ? scheme : null;
}

const GatewayPluginSchema = z.custom<GatewayPlugin>(
  (v) => typeof v === 'object' && v !== null && typeof (v as GatewayPlugin).id === 'string' && typeof (v as GatewayPlugin).create === 'function',
  { error: 'must be a gateway module ({ id, create }), as a gateway factory answers' },
);

/** Each built-in gateway's options, under its id (`opn`, `kpayment`): its methods are offered only when it is given. */
const builtinGatewayOptions = Object.fromEntries(Object.entries(BUILTIN_GATEWAYS).map(([id, definition]) => [id, definition.options.optional()])) as {
  [K in BuiltinGatewayId]: z.ZodOptional<(typeof BUILTIN_GATEWAYS)[K]['options']>;
};

/** An operations token: its name (who asked, in the event log) and the secret, at least 32 characters. */
const OperationsToken = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, { error: 'must be 1 to 64 letters, digits or _.@-' }),
  token: z.string().min(32, { error: 'must be at least 32 characters (e.g. openssl rand -base64 32)' }).max(512),
});

const OperationsOptions = z.strictObject({
  /** The bearer tokens that may use the operations API. None: the API is not mounted. */
  tokens: z
    .array(OperationsToken)
    .refine((t) => new Set(t.map((x) => x.name)).size === t.length, { error: 'must not repeat a token name' })
    .refine((t) => new Set(t.map((x) => x.token)).size === t.length, { error: 'must not repeat a token' }),
  /** Where the operations API is mounted. Default /operations. */
  basePath: z
    .string()
    .regex(/^(\/[A-Za-z0-9_-]+)+$/, { error: 'must be a path such as /operations' })
    .refine((p) => !/^\/(checkout|webhooks)(\/|$)/.test(p), { error: "must not be under the shopper's /checkout or /webhooks" })
    .default('/operations'),
});

const HOOK_POLL = { error: 'must be a whole number of ms, at least 100, or false to deliver only right after a change and through checkout.deliverHooks()' };
/** When the merchant's hooks are retried and looked for (services/hook-outbox.ts); every field has a default. */
const HookDeliveryOptions = z
  .strictObject({
    /** The wait before the first retry of a hook that threw, in ms; it doubles with each failed attempt. Default 1000. */
    retryFirstMs: z.number().int().min(100).max(3_600_000).default(HOOK_DELIVERY_DEFAULTS.retryFirstMs),
    /** The longest wait between two attempts, in ms. Default 600000 (10 minutes). */
    retryMaxMs: z.number().int().min(1_000).max(86_400_000).default(HOOK_DELIVERY_DEFAULTS.retryMaxMs),
    /** How often due hook calls are looked for in the background, in ms (also at start). Default 5000; false: off. */
    pollEveryMs: z.union([z.literal(false), z.number(HOOK_POLL).int(HOOK_POLL).min(100, HOOK_POLL)], HOOK_POLL).default(HOOK_DELIVERY_DEFAULTS.pollEveryMs),
    /** How long one process holds a hook call it took: longer than any hook takes, in ms. Default 300000 (5 minutes). */
    leaseMs: z.number().int().min(1_000).max(3_600_000).default(HOOK_DELIVERY_DEFAULTS.leaseMs),
    /**
     * How long the request that changed a payment waits for the hook call it makes, in ms, before it answers without
     * it (the call goes on; its outcome is recorded when it ends). Default 3000: a webhook is answered within its
     * gateway's timeout, a shopper's return within seconds, however slow a hook.
     */
    requestWaitMs: z.number().int().min(0).max(60_000).default(HOOK_DELIVERY_DEFAULTS.requestWaitMs),
    /**
     * How long `close()` waits for hook calls still running, in ms. Default 10000. A call not waited for is made
     * again (same idempotency key) once its lease ends, by the next process on the database.
     */
    closeWaitMs: z.number().int().min(0).max(600_000).default(HOOK_DELIVERY_DEFAULTS.closeWaitMs),
  })
  .refine((o) => o.retryMaxMs >= o.retryFirstMs, { path: ['retryMaxMs'], error: 'must be at least retryFirstMs' });

const RECONCILE_EVERY = { error: 'must be a whole number of ms, at least 1000, or false to switch the reconciler off' };
const ReconcileEvery = z.union([z.literal(false), z.number(RECONCILE_EVERY).int(RECONCILE_EVERY).min(1_000, RECONCILE_EVERY)], RECONCILE_EVERY);

export const CheckoutOptionsSchema = z
  .strictObject({
    /** The only source of amounts: the merchant's order, looked up on the server. */
    resolveOrder: fn<ResolveOrder>('orderId => { amount, currency } | null | undefined'),
    /**
     * How long the companion waits for `resolveOrder`, in ms, before it answers the shopper that the shop could not
     * look the order up (nothing charged; a webhook then decides without the order, as when the lookup throws).
     * Default 5000.
     */
    orderLookupTimeoutMs: z.number().int().min(100).max(120_000).default(ORDER_LOOKUP_TIMEOUT_MS),
    /** Where browsers reach the companion; the gateways' return and callback URLs are built on it. */
    publicBaseUrl: BaseUrl,
    /** Where the shopper goes after the return: a function, or a template with {paymentId}, {orderId}, {status}. */
    resultUrl: z.union([fn<(payment: Payment) => string>('payment => url'), UrlOrPath], {
      error: (issue) =>
        issue.input === undefined
          ? 'is required: the shop page shoppers come back to, a URL or an absolute path ({paymentId}, {orderId} and {status} are filled in), or payment => url'
          : 'must be a URL or an absolute path ({paymentId}, {orderId} and {status} are filled in), or a function payment => url',
    }),
    ...builtinGatewayOptions,
    /** Gateway modules besides (or instead of) the built-in options above: `gateways: [opn({ … }), myGateway({ … })]`. */
    gateways: z.array(GatewayPluginSchema).optional(),
    /**
     * The shopper signed in for an order, or null for a guest: cards are remembered (K-Payment customers) only
     * for a shopper, and the card form then lists the shopper's saved cards.
     */
    resolveCustomer: fn<ResolveCustomer>('(orderId, purpose) => { id, email, name } | null').optional(),
    /**
     * A PostgreSQL URL (`postgres://` or `postgresql://`: a PostgresStore in the "public" schema), a SQLite file
     * path, ':memory:', or a PaymentStore. The companion closes a store it opened. Default: payment-checkout.db.
     */
    store: z
      .union([
        z.string().min(1),
        z.custom<PaymentStore>(isPaymentStore, { error: 'must be a postgres:// URL, a file path, ":memory:" or a PaymentStore' }),
      ])
      .superRefine((store, ctx) => {
        if (typeof store !== 'string') return;
        if (isPostgresUrl(store) && !URL.canParse(store)) ctx.addIssue({ code: 'custom', message: 'must be a valid postgres:// URL' });
        const scheme = unknownStoreScheme(store);
        if (scheme) ctx.addIssue({ code: 'custom', message: `${scheme}: is no store of this companion: use a postgres:// URL, a SQLite file path (or sqlite:<file>) or ":memory:"` });
      })
      .transform((store) => (typeof store === 'string' ? sqlitePath(store) : store))
      .default('payment-checkout.db'),
    /**
     * The merchant's operations API (list, search, one payment's log, check now), behind bearer tokens. Without
     * tokens it is not mounted.
     */
    operations: OperationsOptions.optional(),
    /** The methods to offer (default: all the configured gateways' methods that fit the order). */
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
    /**
     * How often the reconciler runs in the background, in ms: default 60000 (every minute; the first run one
     * interval after start). `false` switches it off (then call `checkout.reconcile()` yourself). Runs never
     * overlap in one process, and several processes on one database share the payments out.
     */
    reconcileEveryMs: ReconcileEvery.default(60_000),
    /** The age (ms) after which the reconciler asks the gateway about a live payment. Default 600000 (10 minutes). */
    reconcileOlderThanMs: z.number().int().min(0, { error: 'must be 0 or more (ms)' }).default(600_000),
    /**
     * The hooks' delivery: each hook call is written with the status change that causes it and called right after
     * the commit; one that throws is retried after `retryFirstMs`, doubling up to `retryMaxMs`, never dropped.
     */
    hookDelivery: HookDeliveryOptions.prefault({}),
    /**
     * A payment that succeeds after its order was already paid by another is voided or refunded in full at its
     * gateway where the gateway allows it; `onNeedsRefund` then reports it with its new status (`voided`,
     * `refunded`), or as `succeeded` when nothing could be done. Default true; false leaves it to the merchant.
     */
    reverseDuplicatePayments: z.boolean().default(true),
    /** Seconds of clock skew accepted on webhook signatures (0 or less means the default, 300). */
    webhookToleranceSeconds: z.number().int().optional(),
    /** The clock, in ms since the epoch (tests). Default Date.now. */
    now: fn<() => number>('() => ms').optional(),
  })
  .refine((o) => Object.keys(BUILTIN_GATEWAYS).some((id) => o[id as BuiltinGatewayId] !== undefined) || (o.gateways?.length ?? 0) > 0, {
    path: [Object.keys(BUILTIN_GATEWAYS)[0]],
    error: `configure at least one gateway: ${Object.keys(BUILTIN_GATEWAYS).join(', ')} or both (each takes {} plus apiUrl to use the sandbox), or gateways: [...]`,
  });

export type CheckoutOptions = z.input<typeof CheckoutOptionsSchema>;

/** A built-in gateway's options after defaults (null when it is not configured). */
type ResolvedBuiltins = { [K in BuiltinGatewayId]: ReturnType<(typeof BUILTIN_GATEWAYS)[K]['resolve']> | null };

export type ResolvedCheckoutOptions = Omit<z.output<typeof CheckoutOptionsSchema>, BuiltinGatewayId | 'gateways' | 'resultUrl' | 'now'> &
  ResolvedBuiltins & {
  /** Every configured gateway: the built-in ones given by their options, then the `gateways` list. */
  gateways: GatewayPlugin[];
  resultUrl: (payment: Payment) => string;
  now: () => number;
};

/** Validates and completes the options; throws CheckoutConfigError naming every bad option. */
export function parseCheckoutOptions(input: unknown): ResolvedCheckoutOptions {
  const parsed = CheckoutOptionsSchema.safeParse(input);
  if (!parsed.success) throw new CheckoutConfigError(parsed.error.issues.map((issue) => describeZodIssue(issue)));
  const { gateways: extra = [], resultUrl, now, ...options } = parsed.data;
  const gateways: GatewayPlugin[] = [];
  const builtins: Record<string, unknown> = {};
  for (const [id, definition] of Object.entries(BUILTIN_GATEWAYS)) {
    const given = options[id as BuiltinGatewayId];
    delete options[id as BuiltinGatewayId];
    builtins[id] = null;
    if (given === undefined) continue;
    const issues: ConfigIssue[] = [];
    builtins[id] = definition.resolve(given, issues);
    throwIfIssues(issues);
    gateways.push((definition.plugin as (resolved: unknown) => GatewayPlugin)(builtins[id]));
  }
  gateways.push(...extra);
  const ids = gateways.map((g) => g.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new CheckoutConfigError([{ path: 'gateways', message: `the ${twice} gateway is configured twice` }]);
  return {
    ...options,
    ...(builtins as ResolvedBuiltins),
    gateways,
    resultUrl: typeof resultUrl === 'function' ? resultUrl : (payment) => fillUrlTemplate(resultUrl, { paymentId: payment.id, orderId: payment.orderId, status: payment.status }),
    now: now ?? Date.now,
  };
}

