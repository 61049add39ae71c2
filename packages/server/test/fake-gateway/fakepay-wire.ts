import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * FakePay's wire format, written once: the emulator answers with these shapes, the client and the adapter read
 * them. The signing side of webhooks lives here too, so that tests sign with the code the adapter verifies with.
 */

export const CHARGE_ID = /^fchg_[0-9a-f]{24}$/;
export const EVENT_ID = /^fevt_[0-9a-f]{24}$/;

export const FakePayMethod = z.enum(['alipay', 'unionpay']);
export const FakePayChargeStatus = z.enum(['pending', 'paid', 'declined', 'canceled']);
/** Why a charge was declined; core already tells shoppers something specific about each. */
export const FakePayFailureCode = z.enum(['payment_rejected', 'insufficient_fund']);

export const FakePayCharge = z.object({
  object: z.literal('charge'),
  id: z.string().regex(CHARGE_ID),
  status: FakePayChargeStatus,
  authorize_url: z.url(),
  amount: z.number().int().positive(),
  currency: z.string(),
  method: FakePayMethod,
  /** The merchant's own reference (the companion's payment id), echoed. */
  reference: z.string(),
  return_uri: z.url(),
  failure_code: FakePayFailureCode.nullable(),
  created_at: z.iso.datetime(),
});
export type FakePayCharge = z.infer<typeof FakePayCharge>;

export const FakePayError = z.object({ object: z.literal('error'), code: z.string(), message: z.string() });
export type FakePayError = z.infer<typeof FakePayError>;

/** The event envelope, strict: a key FakePay never sends means the body is not FakePay's. */
export const FakePayEvent = z.strictObject({
  object: z.literal('event'),
  id: z.string().regex(EVENT_ID),
  type: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/),
  created_at: z.iso.datetime(),
  data: z.unknown(),
});
export type FakePayEvent = z.infer<typeof FakePayEvent>;

/** The events whose `data` is a charge (anything else is acknowledged and ignored). */
export const CHARGE_EVENTS = ['charge.complete', 'charge.cancel'] as const;

export const WebhookEndpoint = z.object({ object: z.literal('webhook_endpoint'), url: z.url(), secret: z.string().min(32) });
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const SIGNATURE_HEADER = 'fakepay-signature';

/** The signature FakePay puts in `fakepay-signature`: hex HMAC-SHA256 of the exact body bytes. */
export function signFakePayWebhook(rawBody: Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Whether `header` signs these exact bytes with `secret`; constant time once the length fits. */
export function verifyFakePayWebhook(rawBody: Buffer, header: unknown, secret: string): boolean {
  if (typeof header !== 'string' || !/^[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(signFakePayWebhook(rawBody, secret), 'hex');
  const given = Buffer.from(header, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
