import { describe, expect, it } from 'vitest';
import { signOpnWebhook, verifyOpnWebhook } from './signature.ts';

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
