import { createHash, randomFillSync, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of two secrets of any length (both hashed first, so lengths do not leak). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/**
 * Random bytes from the system's generator, drawn 4 KiB at a time and each handed out once (as node:crypto's
 * `randomUUID` does): `randomBytes` for 16 or 32 bytes costs a job of its own, about 2 µs of a create's CPU each.
 */
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

function randomText(bytes: number, encoding: 'hex' | 'base64url'): string {
  if (used + bytes > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafeSlow(POOL_BYTES));
    used = 0;
  }
  const text = pool.toString(encoding, used, used + bytes);
  used += bytes;
  return text;
}

/** A random, unguessable token for a URL (return links, form actions): 32 bytes, base64url. */
export function newUrlToken(): string {
  return randomText(32, 'base64url');
}

/** A random record id: `prefix` and 16 bytes in hex (`pay_…`, `creg_…`). */
export function newRandomId(prefix: string): string {
  return `${prefix}${randomText(16, 'hex')}`;
}
