import { z } from 'zod';

/** Opn Payments wire objects, as far as the product reads them (seeds 000, 002, 004; spec/opn-payments.md). */

export const OpnSource = z.object({
  object: z.literal('source'),
  id: z.string().startsWith('src_'),
  livemode: z.boolean(),
  amount: z.number().int(),
  currency: z.string().transform((c) => c.toUpperCase()),
  type: z.string(),
  flow: z.string(),
  platform_type: z.string().nullable().optional(),
  charge_status: z.string(),
  created_at: z.string(),
});
export type OpnSource = z.infer<typeof OpnSource>;

export const OpnChargeStatus = z.enum(['pending', 'successful', 'failed', 'expired', 'reversed']);

/** A failed charge's `failure_code` (seeds 000, 002, 004); shoppers read failures.ts's words for each. */
export const OpnFailureCode = z.enum(['payment_expired', 'payment_rejected', 'failed_processing', 'invalid_account', 'insufficient_fund']);
export type OpnFailureCode = z.infer<typeof OpnFailureCode>;

export const OpnCharge = z.object({
  object: z.literal('charge'),
  id: z.string().startsWith('chrg_'),
  livemode: z.boolean(),
  amount: z.number().int(),
  currency: z.string().transform((c) => c.toUpperCase()),
  status: OpnChargeStatus,
  authorize_uri: z.string().nullable(),
  return_uri: z.string().nullable(),
  source: OpnSource.nullable(),
  failure_code: z.string().nullable(),
  failure_message: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  authorized: z.boolean(),
  capturable: z.boolean(),
  capture: z.boolean(),
  paid: z.boolean(),
  expired: z.boolean(),
  reversed: z.boolean(),
  voided: z.boolean(),
  refunded_amount: z.number().int(),
  created_at: z.string(),
  paid_at: z.string().nullable(),
  expires_at: z.string().nullable(),
});
export type OpnCharge = z.infer<typeof OpnCharge>;

export const OpnEvent = z.object({
  object: z.literal('event'),
  id: z.string().startsWith('evnt_'),
  livemode: z.boolean(),
  key: z.string(),
  created_at: z.string(),
  data: z.object({ object: z.string(), id: z.string() }).passthrough(),
});
export type OpnEvent = z.infer<typeof OpnEvent>;

export const OpnRefund = z.object({
  object: z.literal('refund'),
  id: z.string().startsWith('rfnd_'),
  amount: z.number().int(),
  currency: z.string(),
  charge: z.string(),
  voided: z.boolean(),
  status: z.string(),
  created_at: z.string(),
});
export type OpnRefund = z.infer<typeof OpnRefund>;

export function opnList<T extends z.ZodTypeAny>(item: T) {
  return z.object({
    object: z.literal('list'),
    data: z.array(item),
    limit: z.number().int(),
    offset: z.number().int(),
    total: z.number().int(),
    order: z.string().nullable().optional(),
    location: z.string().nullable().optional(),
  });
}

export const OpnError = z.object({
  object: z.literal('error'),
  location: z.string().optional(),
  code: z.string(),
  message: z.string(),
});
export type OpnError = z.infer<typeof OpnError>;
