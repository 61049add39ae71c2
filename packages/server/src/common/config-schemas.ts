import { z } from 'zod';
import type { ConfigIssue } from './config-error.ts';

/** Schema pieces shared by the companion's options and each gateway module's options and environment. */

/** A function option, with what it should look like in the message. */
export const fn = <T>(what: string) => z.custom<T>((v) => typeof v === 'function', { error: `must be a function (${what})` });

/** An http(s) URL option, without its trailing slashes. */
export const HttpUrl = z
  .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a URL string') })
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), { error: 'must be an http(s) URL' })
  .transform((v) => v.replace(/\/+$/, ''));

/** An http(s) URL that other URLs are built under (`publicBaseUrl`, an API's URL): no query string, no fragment. */
export const BaseUrl = HttpUrl.refine((v) => !/[?#]/.test(v), { error: 'must be a base URL, without a query string (?…) or a fragment (#…): paths are added to it' });

/** A URL option that may also be an absolute path on the companion's host (result pages). */
export const UrlOrPath = z.string().refine((v) => v.startsWith('/') || URL.canParse(v), { error: 'must be a URL or an absolute path' });

/** A URL template option filled in: each `{name}` of `values` replaced by its value, URL-encoded. */
export function fillUrlTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? encodeURIComponent(values[name]) : whole));
}

/** An environment variable: empty strings count as unset, as in most .env files; values are trimmed. */
export const envVar = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v), schema.optional());

/** An http(s) URL in an environment variable. */
export const EnvUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** A true/false environment variable. */
export const EnvFlag = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' });

export const flagOn = (value: string | undefined): boolean => value === 'true' || value === '1';

const isTestKey = (key: string | undefined) => key === undefined || /^[ps]key_test_/.test(key);

/**
 * The checks every gateway's key pair gets: both keys or neither (neither: the sandbox, at its URL), test keys
 * only against the sandbox, never a test key with a live one. Answers whether the sandbox is used.
 */
export function checkKeyPair(
  at: string,
  name: string,
  keys: { publicKey?: string; secretKey?: string; apiUrl?: string; sandbox?: boolean },
  issues: ConfigIssue[],
): { sandbox: boolean; testKeys: boolean } {
  const hasKeys = Boolean(keys.publicKey || keys.secretKey);
  if (Boolean(keys.publicKey) !== Boolean(keys.secretKey)) {
    issues.push({ path: keys.publicKey ? `${at}.secretKey` : `${at}.publicKey`, message: 'give both publicKey and secretKey, or neither to use the sandbox' });
  }
  const sandbox = keys.sandbox ?? !hasKeys;
  if ((sandbox || !hasKeys) && !keys.apiUrl) {
    const why = hasKeys ? 'with sandbox: true' : `without ${name} keys`;
    issues.push({
      path: `${at}.apiUrl`,
      message: `${why} the companion uses the sandbox: give its URL here (${at.toUpperCase()}_API_URL in the environment), e.g. http://127.0.0.1:8010 (npx @payment-checkout/sandbox)${hasKeys ? '' : ', or give publicKey and secretKey'}`,
    });
  }
  if (sandbox && (!isTestKey(keys.publicKey) || !isTestKey(keys.secretKey))) {
    issues.push({ path: `${at}.sandbox`, message: 'the sandbox takes test keys (pkey_test_…/skey_test_…), never live ones' });
  }
  if (hasKeys && isTestKey(keys.publicKey) !== isTestKey(keys.secretKey)) {
    issues.push({ path: `${at}.publicKey`, message: 'publicKey and secretKey must both be test keys or both live keys' });
  }
  return { sandbox, testKeys: isTestKey(keys.publicKey) };
}

/** The sandbox's own test keys, used when a gateway runs against it without keys. */
export const SANDBOX_TEST_KEYS = { publicKey: 'pkey_test_demo', secretKey: 'skey_test_demo' } as const;
