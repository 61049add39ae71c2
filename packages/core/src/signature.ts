import { timingSafeEqual } from 'node:crypto';

/** Node-only: webhook signing and verification, both sides, so tests sign with the code that verifies. */

/** Constant-time equality of two hex digests (false when their lengths differ). */
export function safeEqualHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
