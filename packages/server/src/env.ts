import { z } from 'zod';
import { PaymentMethodId } from '@payment-checkout/core';
import { CheckoutConfigError, type KpaymentOptions, type OpnOptions, SANDBOX_TEST_KEYS, isPostgresUrl } from './options.ts';

/** Empty strings count as unset, as in most .env files. */
const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), schema.optional());

const Url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

export const CheckoutEnv = z.object({
  OPN_PUBLIC_KEY: optional(z.string().regex(/^pkey_(test_)?[A-Za-z0-9_]+$/, 'must be an Opn public key (pkey_…)')),
  OPN_SECRET_KEY: optional(z.string().regex(/^skey_(test_)?[A-Za-z0-9_]+$/, 'must be an Opn secret key (skey_…)')),
  OPN_API_URL: optional(Url),
  OPN_VAULT_URL: optional(Url),
  OPN_SCRIPT_URL: optional(Url),
  OPN_WEBHOOK_SECRET: optional(z.string().regex(/^[A-Za-z0-9+/=_-]{16,}$/, 'must be the base64 webhook secret')),
  OPN_SANDBOX: optional(z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' })),
  OPN_TIMEOUT_MS: optional(z.coerce.number().int().positive().max(120_000)),
  KPAYMENT_PUBLIC_KEY: optional(z.string().regex(/^pkey_[A-Za-z0-9_]+$/, 'must be a K-Payment public key (pkey_…)')),
  KPAYMENT_SECRET_KEY: optional(z.string().regex(/^skey_[A-Za-z0-9_]+$/, 'must be a K-Payment secret key (skey_…)')),
  KPAYMENT_API_URL: optional(Url),
  KPAYMENT_SCRIPT_URL: optional(Url),
  KPAYMENT_MID: optional(z.string().regex(/^\d{1,15}$/, 'must be a K-Payment merchant id (up to 15 digits)')),
  KPAYMENT_DCC_MID: optional(z.string().regex(/^\d{1,15}$/, 'must be a K-Payment merchant id (up to 15 digits)')),
  KPAYMENT_MERCHANT_NAME: optional(z.string().max(15, 'must be at most 15 characters')),
  KPAYMENT_SMARTPAY_ID: optional(z.string().regex(/^\d{1,6}$/, 'must be the SmartpayID digits')),
  KPAYMENT_SMARTPAY_TERM: optional(z.coerce.number().int().min(1).max(99)),
  KPAYMENT_SANDBOX: optional(z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' })),
  KPAYMENT_TIMEOUT_MS: optional(z.coerce.number().int().positive().max(120_000)),
  KPAYMENT_QR_EXPIRE_SECONDS: optional(z.coerce.number().int().min(60, 'must be 60 to 86400 seconds').max(86_400, 'must be 60 to 86400 seconds')),
  PUBLIC_BASE_URL: optional(Url),
  SQLITE_PATH: optional(z.string()),
  DATABASE_URL: optional(z.string()),
  CHECKOUT_METHODS: optional(z.string()),
  HOST: optional(z.string()),
  PORT: optional(z.coerce.number().int().min(0).max(65_535)),
});

export interface EnvConfig {
  /** Options for `createCheckout` (add `resolveOrder`, `resultUrl`, hooks; and `opn.apiUrl` for an in-process sandbox). */
  checkout: {
    /** Opn: with its keys, against the sandbox with OPN_API_URL, or by default when K-Payment is not configured. */
    opn?: OpnOptions;
    /** K-Payment cards: with its keys, or against the sandbox when KPAYMENT_API_URL or KPAYMENT_SANDBOX=true says so. */
    kpayment?: KpaymentOptions;
    publicBaseUrl?: string;
    /** DATABASE_URL=postgres://… (PostgreSQL), else SQLITE_PATH or DATABASE_URL=sqlite:<file>; default payment-checkout.db. */
    store: string;
    methods?: [PaymentMethodId, ...PaymentMethodId[]];
  };
  /** True when a configured gateway runs against the sandbox (no keys given: the test keys). */
  sandbox: boolean;
  host: string;
  port: number;
}

/**
 * Reads the companion's settings from environment variables, once, at boot; throws CheckoutConfigError
 * naming each bad variable. With no Opn keys it means "use the sandbox" with `pkey_test_demo`/`skey_test_demo`.
 * A K-Payment-only merchant sets only KPAYMENT_* variables: Opn is then left out (no OPN_* variable set).
 */
export function loadConfigFromEnv(env: Record<string, string | undefined> = process.env): EnvConfig {
  const parsed = CheckoutEnv.safeParse(env);
  if (!parsed.success) {
    throw new CheckoutConfigError(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
  }
  const e = parsed.data;
  const issues: { path: string; message: string }[] = [];

  if (Boolean(e.OPN_PUBLIC_KEY) !== Boolean(e.OPN_SECRET_KEY)) {
    issues.push({ path: e.OPN_PUBLIC_KEY ? 'OPN_SECRET_KEY' : 'OPN_PUBLIC_KEY', message: 'set both OPN_PUBLIC_KEY and OPN_SECRET_KEY, or neither to use the sandbox' });
  }
  const hasKeys = Boolean(e.OPN_PUBLIC_KEY && e.OPN_SECRET_KEY);
  const sandbox = e.OPN_SANDBOX === undefined ? !hasKeys : e.OPN_SANDBOX === 'true' || e.OPN_SANDBOX === '1';

  let store = 'payment-checkout.db';
  if (e.DATABASE_URL) {
    if (/^postgres(ql)?:/i.test(e.DATABASE_URL)) {
      // The message leaves the URL out: it may carry a password.
      if (!isPostgresUrl(e.DATABASE_URL) || !URL.canParse(e.DATABASE_URL)) {
        issues.push({ path: 'DATABASE_URL', message: 'must be a PostgreSQL URL (postgres://user:password@host:5432/database) or a SQLite path (sqlite:<file>)' });
      }
      store = e.DATABASE_URL;
    } else {
      store = e.DATABASE_URL.replace(/^(sqlite|file):(\/\/)?/i, '');
    }
  }
  if (e.SQLITE_PATH) {
    if (e.DATABASE_URL && store !== e.SQLITE_PATH) {
      issues.push({ path: 'SQLITE_PATH', message: 'SQLITE_PATH and DATABASE_URL name different databases; set one' });
    }
    store = e.SQLITE_PATH;
  }

  let methods: EnvConfig['checkout']['methods'];
  if (e.CHECKOUT_METHODS) {
    const names = e.CHECKOUT_METHODS.split(',').map((m) => m.trim()).filter(Boolean);
    const bad = names.filter((m) => !PaymentMethodId.safeParse(m).success);
    if (bad.length > 0 || names.length === 0) {
      issues.push({ path: 'CHECKOUT_METHODS', message: `unknown method(s) ${bad.join(', ') || '(none given)'}; known: ${PaymentMethodId.options.join(', ')}` });
    } else {
      methods = names as [PaymentMethodId, ...PaymentMethodId[]];
    }
  }
  if (Boolean(e.KPAYMENT_PUBLIC_KEY) !== Boolean(e.KPAYMENT_SECRET_KEY)) {
    issues.push({
      path: e.KPAYMENT_PUBLIC_KEY ? 'KPAYMENT_SECRET_KEY' : 'KPAYMENT_PUBLIC_KEY',
      message: 'set both KPAYMENT_PUBLIC_KEY and KPAYMENT_SECRET_KEY, or neither (with KPAYMENT_API_URL: the sandbox)',
    });
  }
  const kpaymentKeys = Boolean(e.KPAYMENT_PUBLIC_KEY && e.KPAYMENT_SECRET_KEY);
  const kpaymentSandbox = e.KPAYMENT_SANDBOX === undefined ? !kpaymentKeys : e.KPAYMENT_SANDBOX === 'true' || e.KPAYMENT_SANDBOX === '1';
  const kpaymentOn = kpaymentKeys || Boolean(e.KPAYMENT_API_URL) || e.KPAYMENT_SANDBOX === 'true' || e.KPAYMENT_SANDBOX === '1';
  if (kpaymentOn && kpaymentKeys && !kpaymentSandbox && !e.KPAYMENT_MID) {
    issues.push({ path: 'KPAYMENT_MID', message: 'set the merchant id K-Payment assigned' });
  }
  if (e.KPAYMENT_SMARTPAY_TERM !== undefined && !e.KPAYMENT_SMARTPAY_ID) {
    issues.push({ path: 'KPAYMENT_SMARTPAY_TERM', message: 'needs KPAYMENT_SMARTPAY_ID' });
  }
  if (issues.length > 0) throw new CheckoutConfigError(issues);

  const kpayment: KpaymentOptions | undefined = kpaymentOn
    ? {
        publicKey: e.KPAYMENT_PUBLIC_KEY ?? (kpaymentKeys ? undefined : SANDBOX_TEST_KEYS.publicKey),
        secretKey: e.KPAYMENT_SECRET_KEY ?? (kpaymentKeys ? undefined : SANDBOX_TEST_KEYS.secretKey),
        sandbox: kpaymentSandbox,
        ...(e.KPAYMENT_API_URL ? { apiUrl: e.KPAYMENT_API_URL } : {}),
        ...(e.KPAYMENT_SCRIPT_URL ? { scriptUrl: e.KPAYMENT_SCRIPT_URL } : {}),
        ...(e.KPAYMENT_MID ? { mid: e.KPAYMENT_MID } : {}),
        ...(e.KPAYMENT_DCC_MID ? { dccMid: e.KPAYMENT_DCC_MID } : {}),
        ...(e.KPAYMENT_MERCHANT_NAME ? { merchantName: e.KPAYMENT_MERCHANT_NAME } : {}),
        ...(e.KPAYMENT_SMARTPAY_ID ? { smartpay: { smartpayId: e.KPAYMENT_SMARTPAY_ID, ...(e.KPAYMENT_SMARTPAY_TERM ? { term: e.KPAYMENT_SMARTPAY_TERM } : {}) } } : {}),
        ...(e.KPAYMENT_TIMEOUT_MS ? { timeoutMs: e.KPAYMENT_TIMEOUT_MS } : {}),
        ...(e.KPAYMENT_QR_EXPIRE_SECONDS ? { qrExpireSeconds: e.KPAYMENT_QR_EXPIRE_SECONDS } : {}),
      }
    : undefined;

  // Opn is on when any OPN_* variable says so, or when nothing else is configured (the sandbox world).
  const opnOn = [e.OPN_PUBLIC_KEY, e.OPN_SECRET_KEY, e.OPN_API_URL, e.OPN_VAULT_URL, e.OPN_SCRIPT_URL, e.OPN_WEBHOOK_SECRET, e.OPN_SANDBOX].some((v) => v !== undefined) || !kpayment;
  const opn: OpnOptions = {
    publicKey: e.OPN_PUBLIC_KEY ?? (hasKeys ? undefined : SANDBOX_TEST_KEYS.publicKey),
    secretKey: e.OPN_SECRET_KEY ?? (hasKeys ? undefined : SANDBOX_TEST_KEYS.secretKey),
    sandbox,
    ...(e.OPN_API_URL ? { apiUrl: e.OPN_API_URL } : {}),
    ...(e.OPN_VAULT_URL ? { vaultUrl: e.OPN_VAULT_URL } : {}),
    ...(e.OPN_SCRIPT_URL ? { scriptUrl: e.OPN_SCRIPT_URL } : {}),
    ...(e.OPN_WEBHOOK_SECRET ? { webhookSecret: e.OPN_WEBHOOK_SECRET } : {}),
    ...(e.OPN_TIMEOUT_MS ? { timeoutMs: e.OPN_TIMEOUT_MS } : {}),
  };
  return {
    checkout: { ...(opnOn ? { opn } : {}), ...(kpayment ? { kpayment } : {}), ...(e.PUBLIC_BASE_URL ? { publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, '') } : {}), store, ...(methods ? { methods } : {}) },
    sandbox: (opnOn && sandbox) || Boolean(kpayment?.sandbox),
    host: e.HOST ?? '127.0.0.1',
    port: e.PORT ?? 3000,
  };
}
