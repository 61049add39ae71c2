import { createHmac } from 'node:crypto';
import { safeEqualHex } from '../../signature.ts';

/** Node-only: Opn's webhook signature, both sides, so tests sign with the code that verifies. */

/** Opn: hex HMAC-SHA256 over `timestamp + "." + rawBody`, keyed by the base64-decoded webhook secret. */
export function signOpnWebhook(rawBody: string | Buffer, secretBase64: string, timestamp: number): string {
  return createHmac('sha256', Buffer.from(secretBase64, 'base64'))
    .update(`${timestamp}.`)
    .update(rawBody)
    .digest('hex');
}

export type OpnSignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Verifies `Omise-Signature` (comma-separated during key rotation) and `Omise-Signature-Timestamp`.
 * The tolerance is a number of seconds; zero or less falls back to the default instead of disabling the check.
 */
export function verifyOpnWebhook(input: {
  rawBody: string | Buffer;
  signatureHeader: string | undefined;
  timestampHeader: string | undefined;
  secretBase64: string;
  toleranceSeconds?: number;
  nowSeconds?: number;
}): OpnSignatureCheck {
  const tolerance = input.toleranceSeconds && input.toleranceSeconds > 0 ? input.toleranceSeconds : 300;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (!input.signatureHeader || !input.timestampHeader) return { ok: false, reason: 'missing signature headers' };
  if (!/^\d{1,12}$/.test(input.timestampHeader)) return { ok: false, reason: 'malformed timestamp' };
  const timestamp = Number(input.timestampHeader);
  if (Math.abs(now - timestamp) > tolerance) return { ok: false, reason: 'timestamp outside tolerance' };
  const expected = signOpnWebhook(input.rawBody, input.secretBase64, timestamp);
  const matches = input.signatureHeader.split(',').some((s) => safeEqualHex(s.trim().toLowerCase(), expected));
  return matches ? { ok: true } : { ok: false, reason: 'signature mismatch' };
}

