import { z } from 'zod';
import { PaymentMethodId } from '@payment-checkout/core';
import { CheckoutConfigError, type ConfigIssue } from './common/config-error.ts';
import { EnvUrl, envVar } from './common/config-schemas.ts';
import { BUILTIN_GATEWAYS, type BuiltinGatewayId } from './gateways/index.ts';
import { type CheckoutOptions, isPostgresUrl, sqlitePath, unknownStoreScheme } from './options.ts';

const definitions = Object.values(BUILTIN_GATEWAYS);

/** Every variable `loadConfigFromEnv` reads: each built-in gateway's own, then the companion's. */
export const CheckoutEnv = z.object({
  ...Object.assign({}, ...definitions.map((d) => d.env.schema.shape)),
  PUBLIC_BASE_URL: envVar(EnvUrl),
  SQLITE_PATH: envVar(z.string()),
  DATABASE_URL: envVar(z.string()),
  CHECKOUT_METHODS: envVar(z.string()),
  /** The operations API's bearer tokens: `name:token,name:token` (each token 32+ characters). */
  CHECKOUT_OPERATIONS_TOKENS: envVar(z.string()),
  HOST: envVar(z.string()),
  PORT: envVar(z.coerce.number().int().min(0).max(65_535)),
});

export interface EnvConfig {
  /**
   * Options for `createCheckout`: add `resolveOrder`, `resultUrl`, hooks, `publicBaseUrl` when PUBLIC_BASE_URL is
   * not set (it is then absent here), and a gateway's `apiUrl` for an in-process sandbox.
   */
  checkout: Pick<CheckoutOptions, BuiltinGatewayId | 'methods' | 'operations'> & {
    /** PUBLIC_BASE_URL, when set. */
    publicBaseUrl?: string;
    /** DATABASE_URL=postgres://… (PostgreSQL), else SQLITE_PATH or DATABASE_URL=sqlite:<file>; default payment-checkout.db. */
    store: string;
  };
  /** True when a configured gateway runs against the sandbox (no keys given: the test keys). */
  sandbox: boolean;
  host: string;
  port: number;
}

/**
 * Reads the companion's settings from environment variables, once, at boot; throws CheckoutConfigError
 * naming each bad variable. Each built-in gateway reads its own variables (gateways/<id>/…-options.ts) and is
 * on when they say so; with none on, the first listed gateway runs against the sandbox with its test keys.
 */
export function loadConfigFromEnv(env: Record<string, string | undefined> = process.env): EnvConfig {
  const parsed = CheckoutEnv.safeParse(env);
  if (!parsed.success) {
    throw new CheckoutConfigError(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
  }
  const e = parsed.data as Record<string, unknown> & { PUBLIC_BASE_URL?: string; SQLITE_PATH?: string; DATABASE_URL?: string; CHECKOUT_METHODS?: string; CHECKOUT_OPERATIONS_TOKENS?: string; HOST?: string; PORT?: number };
  const issues: ConfigIssue[] = [];

  const gateways: Partial<Record<BuiltinGatewayId, unknown>> = {};
  for (const [id, definition] of Object.entries(BUILTIN_GATEWAYS)) {
    const options = definition.env.read(e, issues, false);
    if (options !== null) gateways[id as BuiltinGatewayId] = options;
  }
  const [fallbackId, fallback] = Object.entries(BUILTIN_GATEWAYS)[0];
  if (Object.keys(gateways).length === 0) gateways[fallbackId as BuiltinGatewayId] = fallback.env.read(e, issues, true) ?? undefined;

  let store = 'payment-checkout.db';
  if (e.DATABASE_URL) {
    if (/^postgres(ql)?:/i.test(e.DATABASE_URL)) {
      // The message leaves the URL out: it may carry a password.
      if (!isPostgresUrl(e.DATABASE_URL) || !URL.canParse(e.DATABASE_URL)) {
        issues.push({ path: 'DATABASE_URL', message: 'must be a PostgreSQL URL (postgres://user:password@host:5432/database) or a SQLite path (sqlite:<file>)' });
      }
      store = e.DATABASE_URL;
    } else if (unknownStoreScheme(e.DATABASE_URL)) {
      issues.push({ path: 'DATABASE_URL', message: `${unknownStoreScheme(e.DATABASE_URL)}: is no store of this companion: use a PostgreSQL URL (postgres://user:password@host:5432/database) or a SQLite path (sqlite:<file>)` });
    } else {
      store = sqlitePath(e.DATABASE_URL);
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
  const operations = e.CHECKOUT_OPERATIONS_TOKENS ? operationsFromEnv(e.CHECKOUT_OPERATIONS_TOKENS, issues) : undefined;
  if (issues.length > 0) throw new CheckoutConfigError(issues);

  return {
    checkout: {
      ...(gateways as Pick<CheckoutOptions, BuiltinGatewayId>),
      ...(e.PUBLIC_BASE_URL ? { publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, '') } : {}),
      store,
      ...(methods ? { methods } : {}),
      ...(operations ? { operations } : {}),
    },
    sandbox: Object.values(gateways).some((options) => (options as { sandbox?: boolean }).sandbox === true),
    host: e.HOST ?? '127.0.0.1',
    port: e.PORT ?? 3000,
  };
}

/** `name:token,name:token` → the operations tokens (checked with the rest of the options by createCheckout). */
function operationsFromEnv(value: string, issues: ConfigIssue[]): NonNullable<CheckoutOptions['operations']> {
  const tokens = value.split(',').map((pair) => pair.trim()).filter(Boolean).map((pair) => {
    const colon = pair.indexOf(':');
    return { name: colon > 0 ? pair.slice(0, colon) : '', token: colon > 0 ? pair.slice(colon + 1) : '' };
  });
  // The message never repeats the value: it holds secrets.
  if (tokens.length === 0 || tokens.some((t) => !t.name || !t.token)) {
    issues.push({ path: 'CHECKOUT_OPERATIONS_TOKENS', message: 'must be name:token pairs separated by commas (e.g. ops:<32+ random characters>)' });
  }
  return { tokens };
}
