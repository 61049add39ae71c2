import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Node-only: webhook signing and verification, both sides, so tests sign with the code that verifies. */

function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

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

/** K-Payment: the amount as the checksum writes it, exactly 4 decimals (decisions.md 1). */
export function kpaymentChecksumAmount(amount: string | number): string {
  return Number(amount).toFixed(4);
}

/** K-Payment notify checksum: lowercase hex SHA-256 of id + amount(4 dp) + currency + status + transaction_state [+ failure_code] + secret key. */
export function kpaymentChecksum(
  fields: { id: string; amount: string | number; currency: string; status: string; transaction_state: string; failure_code?: string | null },
  secretKey: string,
  withFailureCode = false,
): string {
  const text =
    fields.id +
    kpaymentChecksumAmount(fields.amount) +
    fields.currency +
    fields.status +
    fields.transaction_state +
    (withFailureCode ? (fields.failure_code ?? '') : '') +
    secretKey;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Accepts the checksum computed without or with `failure_code` (the guide's prose and Java sample differ). */
export function verifyKpaymentChecksum(
  fields: Parameters<typeof kpaymentChecksum>[0] & { checksum: string },
  secretKey: string,
): boolean {
  const given = String(fields.checksum).toLowerCase();
  const plain = safeEqualHex(given, kpaymentChecksum(fields, secretKey, false));
  const withCode = safeEqualHex(given, kpaymentChecksum(fields, secretKey, true));
  return plain || withCode;
}
