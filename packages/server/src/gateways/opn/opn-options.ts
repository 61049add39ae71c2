import { z } from 'zod';
import type { ConfigIssue } from '../../common/config-error.ts';
import { BaseUrl, EnvFlag, EnvUrl, HttpUrl, SANDBOX_TEST_KEYS, checkKeyPair, envVar, flagOn } from '../../common/config-schemas.ts';

const PublicKey = z.string().regex(/^pkey_(test_)?[A-Za-z0-9_]+$/, 'must be an Opn public key (pkey_…)');
const SecretKey = z.string().regex(/^skey_(test_)?[A-Za-z0-9_]+$/, 'must be an Opn secret key (skey_…)');
const WebhookSecret = z.string().regex(/^[A-Za-z0-9+/=_-]{16,}$/, 'must be the webhook secret of the Opn dashboard (its Webhooks page): base64, at least 16 characters');
const TimeoutMs = z.number().int().positive().max(120_000);

/** What a merchant writes for Opn: `createCheckout({ opn: {...} })` or `opn({...})`. */
export const OpnOptions = z.strictObject({
  publicKey: PublicKey.optional(),
  secretKey: SecretKey.optional(),
  /** Default: https://api.omise.co, or required (the sandbox's URL) when no keys are given. */
  apiUrl: BaseUrl.optional(),
  vaultUrl: BaseUrl.optional(),
  /** Where the browser loads Omise.js. Default: the sandbox's `/omise.js`, or https://cdn.omise.co/omise.js. */
  scriptUrl: HttpUrl.optional(),
  /** Base64 webhook signing secret; when set, unsigned or badly signed webhooks are refused. */
  webhookSecret: WebhookSecret.optional(),
  /** Running against the sandbox: registers the companion's webhook URL there at start-up. */
  sandbox: z.boolean().optional(),
  /** Per request to Opn. Default 10 000. */
  timeoutMs: TimeoutMs.optional(),
  /**
   * Charge methods that allow it (KakaoPay) with `capture: false`: the shopper's payment is only authorised,
   * and the merchant captures or reverses it (operations API). Default false: captured at once.
   */
  manualCapture: z.boolean().optional(),
});
export type OpnOptions = z.input<typeof OpnOptions>;

/** Completes parsed Opn options; pushes what is wrong, under `opn.`. */
export function resolveOpn(opn: z.output<typeof OpnOptions>, issues: ConfigIssue[]) {
  const { sandbox } = checkKeyPair('opn', 'Opn', opn, issues);
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
    manualCapture: opn.manualCapture ?? false,
  };
}

/** Opn settings after defaults: what the companion actually uses (the type of what `resolveOpn` answers). */
export type ResolvedOpnOptions = ReturnType<typeof resolveOpn>;

/** Opn's environment variables. */
export const OpnEnv = z.object({
  OPN_PUBLIC_KEY: envVar(PublicKey),
  OPN_SECRET_KEY: envVar(SecretKey),
  OPN_API_URL: envVar(EnvUrl),
  OPN_VAULT_URL: envVar(EnvUrl),
  OPN_SCRIPT_URL: envVar(EnvUrl),
  OPN_WEBHOOK_SECRET: envVar(WebhookSecret),
  OPN_SANDBOX: envVar(EnvFlag),
  OPN_TIMEOUT_MS: envVar(z.coerce.number().int().positive().max(120_000)),
  OPN_MANUAL_CAPTURE: envVar(EnvFlag),
});

/**
 * Opn's options from the environment: with no keys, the sandbox with its test keys. Null when no OPN_* variable
 * is set, unless `fallback` (no other gateway is configured: Opn against the sandbox is the default world).
 */
export function opnFromEnv(vars: Record<string, unknown>, issues: ConfigIssue[], fallback: boolean): OpnOptions | null {
  const e = vars as z.output<typeof OpnEnv>;
  if (!fallback && Object.keys(OpnEnv.shape).every((name) => e[name as keyof typeof e] === undefined)) return null;
  if (Boolean(e.OPN_PUBLIC_KEY) !== Boolean(e.OPN_SECRET_KEY)) {
    issues.push({ path: e.OPN_PUBLIC_KEY ? 'OPN_SECRET_KEY' : 'OPN_PUBLIC_KEY', message: 'set both OPN_PUBLIC_KEY and OPN_SECRET_KEY, or neither to use the sandbox' });
  }
  const hasKeys = Boolean(e.OPN_PUBLIC_KEY && e.OPN_SECRET_KEY);
  return {
    publicKey: e.OPN_PUBLIC_KEY ?? (hasKeys ? undefined : SANDBOX_TEST_KEYS.publicKey),
    secretKey: e.OPN_SECRET_KEY ?? (hasKeys ? undefined : SANDBOX_TEST_KEYS.secretKey),
    sandbox: e.OPN_SANDBOX === undefined ? !hasKeys : flagOn(e.OPN_SANDBOX),
    ...(e.OPN_API_URL ? { apiUrl: e.OPN_API_URL } : {}),
    ...(e.OPN_VAULT_URL ? { vaultUrl: e.OPN_VAULT_URL } : {}),
    ...(e.OPN_SCRIPT_URL ? { scriptUrl: e.OPN_SCRIPT_URL } : {}),
    ...(e.OPN_WEBHOOK_SECRET ? { webhookSecret: e.OPN_WEBHOOK_SECRET } : {}),
    ...(e.OPN_TIMEOUT_MS ? { timeoutMs: e.OPN_TIMEOUT_MS } : {}),
    ...(e.OPN_MANUAL_CAPTURE !== undefined ? { manualCapture: flagOn(e.OPN_MANUAL_CAPTURE) } : {}),
  };
}
