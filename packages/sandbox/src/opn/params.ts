import { z } from 'zod';
import { OpnFailureCode } from '@payment-checkout/core';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT } from './data.ts';
import { OpnApiError } from './errors.ts';

/**
 * Request parameters, parsed once with zod. Bodies arrive as JSON or form-encoded (every value a string),
 * so integers and booleans accept their text forms too.
 */

const required = (name: string, kind: string) => (issue: { input: unknown }) =>
  issue.input === undefined || issue.input === '' ? `${name} is required` : `${name} must be ${kind}`;

const integerText = (v: unknown) => (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : v);
const booleanText = (v: unknown) => (v === 'true' ? true : v === 'false' ? false : v);

function integer(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return z.preprocess(
    integerText,
    z
      .number({ error: required(name, 'an integer') })
      .int({ error: `${name} must be an integer` })
      .min(min, { error: `${name} must be at least ${min}` })
      .max(max, { error: `${name} must be at most ${max}` }),
  );
}

const Amount = integer('amount', 1);

const CurrencyCode = z
  .string({ error: required('currency', 'a three-letter ISO 4217 code') })
  .regex(/^[A-Za-z]{3}$/, { error: 'currency must be a three-letter ISO 4217 code' })
  .transform((c) => c.toUpperCase());

const PlatformType = z
  .string({ error: 'platform_type must be a string' })
  .transform((p) => p.toUpperCase())
  .optional();

const SourceType = z.string({ error: required('type', 'a string') }).min(1, { error: 'type is required' });

const Metadata = z.record(z.string(), z.unknown(), { error: 'metadata must be an object' });

export const CreateSourceParams = z.object({
  type: SourceType,
  amount: Amount,
  currency: CurrencyCode,
  platform_type: PlatformType,
});
export type CreateSourceParams = z.infer<typeof CreateSourceParams>;

export const InlineSourceParams = z.object({ type: SourceType, platform_type: PlatformType });

export const CreateChargeParams = z.object({
  amount: Amount,
  currency: CurrencyCode,
  source: z.union([z.string().min(1), InlineSourceParams], {
    error: 'source must be a source id or an object with type and platform_type',
  }).optional(),
  card: z.unknown().optional(),
  customer: z.unknown().optional(),
  return_uri: z.string({ error: 'return_uri must be a string' }).optional(),
  capture: z.preprocess(booleanText, z.boolean({ error: 'capture must be true or false' })).default(true),
  description: z.string({ error: 'description must be a string' }).max(255).nullable().optional(),
  metadata: Metadata.optional(),
});
export type CreateChargeParams = z.infer<typeof CreateChargeParams>;

export const CreateRefundParams = z.object({ amount: Amount, metadata: Metadata.optional() });

export const ListParams = z.object({
  limit: integer('limit', 1, LIST_MAX_LIMIT).default(LIST_DEFAULT_LIMIT),
  offset: integer('offset', 0).default(0),
  order: z
    .enum(['chronological', 'reverse_chronological'], { error: 'order must be chronological or reverse_chronological' })
    .default('chronological'),
  from: z.iso.datetime({ offset: true, error: 'from must be an ISO 8601 date-time' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'to must be an ISO 8601 date-time' }).optional(),
});
export type ListParams = z.infer<typeof ListParams>;

export const CompleteChargeParams = z.object({
  result: z.enum(['successful', 'failed'], { error: 'result must be successful or failed' }),
  failure_code: z.optional(OpnFailureCode),
});
export type CompleteChargeParams = z.infer<typeof CompleteChargeParams>;

/** The authorize page's form: the same decision, under the form's field names. */
export const AuthorizeFormParams = z.object({
  action: z.enum(['successful', 'failed'], { error: 'choose Successful or Failed' }),
  failure_code: z.optional(OpnFailureCode),
});

const httpUrl = (name: string) =>
  z
    .string({ error: required(name, 'a URL') })
    .refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), { error: `${name} must be an http(s) URL` });

export const RegisterWebhookParams = z.object({ url: httpUrl('url') });

export const AdvanceClockParams = z.object({ ms: integer('ms', 0, 366 * 24 * 3600 * 1000) });

/** Parses parameters or throws Opn's `bad_request` naming the first problem. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  if (input === undefined || input === null) input = {};
  if (typeof input !== 'object' || Array.isArray(input)) throw new OpnApiError('bad_request', 'request body must be an object');
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.join('.');
  const message =
    issue.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys.join(', ')}` : issue.message;
  throw new OpnApiError('bad_request', message.includes(path) || !path ? message : `${path}: ${message}`);
}
