import { createHash } from 'node:crypto';
import { safeEqualHex } from '../../signature.ts';

/** Node-only: K-Payment's notify checksum, both sides, so tests sign with the code that verifies. */

/** K-Payment: the amount as the checksum writes it, exactly 4 decimals (decisions.md 1). */
export function kpaymentChecksumAmount(amount: string | number): string {
  return Number(amount).toFixed(4);
}

/** What the guide's Java sample (`String.join` of the fields) writes for a null `failure_code`. */
const JAVA_NULL = 'null';

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
    (withFailureCode ? (fields.failure_code ?? JAVA_NULL) : '') +
    secretKey;
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Accepts the checksum computed without or with `failure_code` (the guide's prose and Java sample differ); with it, a
 * null or absent code is written as the Java sample writes it, `null`, and an empty one as nothing (digest §10.7).
 */
export function verifyKpaymentChecksum(
  fields: Parameters<typeof kpaymentChecksum>[0] & { checksum: string },
  secretKey: string,
): boolean {
  const given = String(fields.checksum).toLowerCase();
  const plain = safeEqualHex(given, kpaymentChecksum(fields, secretKey, false));
  const withCode = safeEqualHex(given, kpaymentChecksum(fields, secretKey, true));
  return plain || withCode;
}
