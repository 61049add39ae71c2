import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of two secrets of any length (both hashed first, so lengths do not leak). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** A random, unguessable token for a URL (return links, form actions). */
export function newUrlToken(): string {
  return randomBytes(32).toString('base64url');
}
