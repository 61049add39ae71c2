import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { kpaymentChecksum, verifyKpaymentChecksum } from './signature.ts';

describe('K-Payment notify checksum', () => {
  // The guide's worked example, §6.5.1 (shared/spec/decisions.md 1).
  const vector = { id: 'chrg_prod_12345678', amount: 15, currency: 'THB', status: 'success', transaction_state: 'Authorized' };
  const secret = 'skey_prod_41Bbw6At8dJjVyKV3ZaXghhLpRro5oAtR';

  it('reproduces the guide example', () => {
    expect(kpaymentChecksum(vector, secret)).toBe('cc1152742bc4a1169341f8fee95baf2d5886510d577fa95e751cdc6c29162a3a');
  });

  it('accepts the form with and without failure_code, and nothing else', () => {
    const withCode = kpaymentChecksum({ ...vector, failure_code: '05' }, secret, true);
    expect(verifyKpaymentChecksum({ ...vector, failure_code: '05', checksum: withCode }, secret)).toBe(true);
    expect(verifyKpaymentChecksum({ ...vector, checksum: 'cc1152742bc4a1169341f8fee95baf2d5886510d577fa95e751cdc6c29162a3a' }, secret)).toBe(true);
    expect(verifyKpaymentChecksum({ ...vector, amount: 16, checksum: kpaymentChecksum(vector, secret) }, secret)).toBe(false);
    expect(verifyKpaymentChecksum({ ...vector, checksum: 'abc' }, secret)).toBe(false);
  });

  it('accepts the Java sample\'s form of a null failure_code (String.join writes "null"), and an empty one as nothing', () => {
    const java = (failureCode: string) => createHash('sha256').update(`chrg_prod_1234567815.0000THBsuccessAuthorized${failureCode}${secret}`).digest('hex');
    expect(verifyKpaymentChecksum({ ...vector, failure_code: null, checksum: java('null') }, secret)).toBe(true);
    expect(verifyKpaymentChecksum({ ...vector, checksum: java('null') }, secret)).toBe(true);
    expect(verifyKpaymentChecksum({ ...vector, failure_code: '', checksum: java('') }, secret)).toBe(true);
    expect(verifyKpaymentChecksum({ ...vector, failure_code: '', checksum: java('null') }, secret)).toBe(false);
    expect(verifyKpaymentChecksum({ ...vector, failure_code: '05', checksum: java('null') }, secret)).toBe(false);
  });
});
