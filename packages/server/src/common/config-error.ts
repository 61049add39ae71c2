import type { z } from 'zod';

/** The options were wrong: `issues` lists each bad option by its path; the message lists them all. */
export class CheckoutConfigError extends Error {
  override name = 'CheckoutConfigError';
  readonly code = 'invalid_config';
  constructor(readonly issues: { path: string; message: string }[]) {
    super(`Invalid payment-checkout configuration:\n${issues.map((i) => `  - ${i.path || '(options)'}: ${i.message}`).join('\n')}`);
  }
}

/** A config issue: where (an option path or an environment variable) and what is wrong. */
export type ConfigIssue = { path: string; message: string };

/** Throws CheckoutConfigError with the issues, each once, when there are any. */
export function throwIfIssues(issues: ConfigIssue[]): void {
  const unique = new Map(issues.map((i) => [`${i.path}:${i.message}`, i]));
  if (unique.size > 0) throw new CheckoutConfigError([...unique.values()]);
}

/** A zod issue of the options as a config issue, its path under `prefix` (a gateway's id). */
export function describeZodIssue(issue: z.core.$ZodIssue, prefix?: string): ConfigIssue {
  const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.');
  if (issue.code === 'unrecognized_keys') return { path, message: `unknown option(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` };
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return { path, message: 'is required' };
  return { path, message: issue.message };
}
