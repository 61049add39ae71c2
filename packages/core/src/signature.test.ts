import { describe, expect, it } from 'vitest';
import { kpaymentChecksum, signOpnWebhook, verifyKpaymentChecksum, verifyOpnWebhook } from './signature.ts';

const SECRET = Buffer.from('a webhook secret of 32 bytes....').toString('base64');

describe('Opn webhook signature', () => {
  const body = JSON.stringify({ object: 'event', key: 'charge.complete' });
  const now = 1_700_000_000;
  const sig = signOpnWebhook(body, SECRET, now);

  it('verifies what it signed', () => {
    expect(verifyOpnWebhook({ rawBody: body, signatureHeader: sig, timestampHeader: String(now), secretBase64: SECRET, nowSeconds: now })).toEqual({ ok: true });
  });

  it('accepts any of several signatures during key rotation', () => {
    const header = `${'0'.repeat(64)},${sig}`;
    expect(verifyOpnWebhook({ rawBody: body, signatureHeader: header, timestampHeader: String(now), secretBase64: SECRET, nowSeconds: now }).ok).toBe(true);
  });

  it('refuses a changed body, a wrong secret, a missing header and a stale timestamp', () => {
    const base = { signatureHeader: sig, timestampHeader: String(now), secretBase64: SECRET, nowSeconds: now };
    expect(verifyOpnWebhook({ ...base, rawBody: body.replace('complete', 'create') })).toEqual({ ok: false, reason: 'signature mismatch' });
    expect(verifyOpnWebhook({ ...base, rawBody: body, secretBase64: Buffer.from('other').toString('base64') }).ok).toBe(false);
    expect(verifyOpnWebhook({ ...base, rawBody: body, signatureHeader: undefined }).ok).toBe(false);
    expect(verifyOpnWebhook({ ...base, rawBody: body, nowSeconds: now + 301 })).toEqual({ ok: false, reason: 'timestamp outside tolerance' });
  });

  it('cannot switch the tolerance off with zero', () => {
    const check = verifyOpnWebhook({ rawBody: body, signatureHeader: sig, timestampHeader: String(now), secretBase64: SECRET, nowSeconds: now + 3600, toleranceSeconds: 0 });
    expect(check.ok).toBe(false);
  });
});

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
});
