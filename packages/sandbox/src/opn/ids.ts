import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Opn-style ids: prefix + `_test_` + 19 lowercase base-36 characters (`chrg_test_5z4yonmt7asq7eg2q0x`). */
export function opnId(prefix: 'src' | 'chrg' | 'pay2' | 'evnt' | 'rfnd' | 'trxn'): string {
  const bytes = randomBytes(19);
  let tail = '';
  // 252 is the largest multiple of 36 below 256; rejecting above it keeps the characters uniform.
  for (let i = 0; tail.length < 19; i++) {
    const byte = i < bytes.length ? bytes[i] : randomBytes(1)[0];
    if (byte < 252) tail += ALPHABET[byte % 36];
  }
  return `${prefix}_test_${tail}`;
}

/** A provider reference like the seeds' `reference_number_1` (`4MfonZT0X4pTb7Wg`). */
export function providerReference(): string {
  return randomBytes(12).toString('base64url').slice(0, 16);
}

/** A webhook secret as Opn shows it in the dashboard: base64 of 32 random bytes. */
export function webhookSecret(): string {
  return randomBytes(32).toString('base64');
}
