import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, basicAuth, call, newMerchant, startSandbox } from '../../test/test-kit.ts';
import { createCharge, createSource } from '../../test/opn-kit.ts';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.close());

const AUTH_FAILURE = {
  object: 'error',
  location: 'https://www.omise.co/api-errors#authentication-failure',
  code: 'authentication_failure',
  message: 'authentication failed',
};

describe('keys and merchants', () => {
  it('refuses a request without credentials with Opn authentication_failure (401)', async () => {
    const res = await call(h.url, '/charges');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(AUTH_FAILURE);
  });

  it.each([
    ['a made-up key', 'please_let_me_in'],
    ['a live secret key', 'skey_prod_abc123'],
    ['a key with underscores in its tail', 'skey_test_please_let_me_in'],
    ['an empty key', ''],
    ['a key with a bad prefix', 'sk_test_abc123'],
  ])('refuses %s', async (_what, key) => {
    const res = await call(h.url, '/charges', { headers: { authorization: basicAuth(key) } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(AUTH_FAILURE);
  });

  it('refuses a non-Basic Authorization header', async () => {
    const { sk } = newMerchant();
    const res = await call(h.url, '/charges', { headers: { authorization: `Bearer ${sk}` } });
    expect(res.status).toBe(401);
  });

  it('accepts Basic auth with or without the trailing colon', async () => {
    const { sk } = newMerchant();
    for (const colon of [true, false]) {
      const res = await call(h.url, '/charges', { headers: { authorization: basicAuth(sk, colon) } });
      expect(res.status).toBe(200);
      expect(res.body.object).toBe('list');
    }
  });

  it('refuses the public key on a secret-key endpoint', async () => {
    const m = newMerchant();
    const charge = await createCharge(h.url, m, { type: 'mobile_banking_kbank' });
    for (const [method, path] of [
      ['GET', '/charges'],
      ['GET', `/charges/${charge.id}`],
      ['POST', '/charges'],
      ['POST', `/charges/${charge.id}/expire`],
      ['GET', '/events'],
    ]) {
      const res = await call(h.url, path, { key: m.pk, method, json: method === 'POST' ? {} : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.code).toBe('authentication_failure');
    }
  });

  it('creates sources with the public key (and the secret key), and reads them back', async () => {
    const m = newMerchant();
    const byPublic = await createSource(h.url, m.pk, { type: 'mobile_banking_bay', amount: 5000, currency: 'THB' });
    const bySecret = await createSource(h.url, m.sk, { type: 'mobile_banking_bay', amount: 5000, currency: 'THB' });
    expect(byPublic.id).toMatch(/^src_test_[0-9a-z]{19}$/);
    expect(bySecret.id).toMatch(/^src_test_[0-9a-z]{19}$/);
    const read = await call(h.url, `/sources/${byPublic.id}`, { key: m.pk });
    expect(read.body).toEqual(byPublic);
  });

  it('keeps merchants apart: another key pair gets not_found for everything of the first', async () => {
    const a = newMerchant();
    const b = newMerchant();
    const charge = await createCharge(h.url, a, { type: 'mobile_banking_kbank' });
    await call(h.url, `/_sandbox/opn/charges/${charge.id}/complete`, { key: a.sk, json: { result: 'successful' } });
    const events = await call(h.url, '/events', { key: a.sk });
    expect(events.body.data.map((e: { key: string }) => e.key)).toEqual(['charge.create', 'charge.complete']);

    const reads = [
      `/charges/${charge.id}`,
      `/sources/${charge.source.id}`,
      `/events/${events.body.data[0].id}`,
      `/charges/${charge.id}/refunds`,
    ];
    for (const path of reads) {
      const res = await call(h.url, path, { key: b.sk });
      expect(res.status, path).toBe(404);
      expect(res.body).toMatchObject({ object: 'error', code: 'not_found', location: 'https://www.omise.co/api-errors#not-found' });
    }
    expect((await call(h.url, `/charges/${charge.id}`, { key: b.sk })).body.message).toBe(`charge ${charge.id} was not found`);
    // B can neither charge A's source nor act on A's charge.
    const steal = await call(h.url, '/charges', {
      key: b.sk,
      json: { amount: 150000, currency: 'THB', source: charge.source.id, return_uri: 'https://b.example/' },
    });
    expect(steal.status).toBe(404);
    const expire = await call(h.url, `/charges/${charge.id}/expire`, { key: b.sk, method: 'POST' });
    expect(expire.status).toBe(404);
    // Lists only show one's own objects.
    expect((await call(h.url, '/charges', { key: b.sk })).body.total).toBe(0);
    expect((await call(h.url, '/events', { key: b.sk })).body.total).toBe(0);
    expect((await call(h.url, '/charges', { key: a.sk })).body.total).toBe(1);
    // The pair's public half alone does not open the secret half's data.
    expect((await call(h.url, `/charges/${charge.id}`, { key: a.pk })).status).toBe(401);
  });
});

describe('bodies', () => {
  it('accepts form-encoded bodies with bracketed inline sources, as the seeds\' curl examples send', async () => {
    const m = newMerchant();
    const res = await call(h.url, '/charges', {
      key: m.sk,
      form: {
        amount: '150000',
        currency: 'THB',
        return_uri: 'http://example.com/orders/345678/complete',
        'source[type]': 'mobile_banking_bay',
        'source[platform_type]': 'IOS',
        'metadata[order_id]': '345678',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'charge',
      amount: 150000,
      currency: 'THB',
      status: 'pending',
      metadata: { order_id: '345678' },
      source: { type: 'mobile_banking_bay', platform_type: 'IOS', amount: 150000, currency: 'THB', charge_status: 'pending' },
    });
  });

  it('accepts a form-encoded source as the Omise curl example sends it', async () => {
    const m = newMerchant();
    const res = await call(h.url, '/sources', {
      key: m.pk,
      form: { amount: '150000', currency: 'THB', type: 'mobile_banking_kbank', platform_type: 'IOS' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ amount: 150000, currency: 'THB', type: 'mobile_banking_kbank', platform_type: 'IOS', flow: 'app_redirect', charge_status: 'unknown' });
  });

  it('answers malformed JSON with bad_request and creates nothing', async () => {
    const m = newMerchant();
    const res = await fetch(`${h.url}/charges`, {
      method: 'POST',
      headers: { authorization: basicAuth(m.sk), 'content-type': 'application/json' },
      body: '{"amount": 150000,',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ object: 'error', code: 'bad_request', location: 'https://www.omise.co/api-errors#bad-request' });
    expect((await call(h.url, '/charges', { key: m.sk })).body.total).toBe(0);
  });

  it('answers a JSON array body with bad_request', async () => {
    const m = newMerchant();
    const res = await call(h.url, '/sources', { key: m.pk, json: [1, 2] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'bad_request', message: 'request body must be an object' });
  });

  it('answers a path that is not valid percent-encoding with bad_request, not a 500', async () => {
    const m = newMerchant();
    for (const path of ['/charges/%E0%A4%A', '/sources/%', '/payments/%E0%A4%A/authorize']) {
      const res = await call(h.url, path, { key: m.sk });
      expect(res.status, path).toBe(400);
      expect(res.body, path).toMatchObject({ object: 'error', code: 'bad_request' });
    }
  });

  it('answers an unknown path with Opn not_found', async () => {
    const m = newMerchant();
    const res = await call(h.url, '/customers', { key: m.sk });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ object: 'error', code: 'not_found' });
  });
});

describe('CORS on /sources (Omise.js posts from the shop\'s origin)', () => {
  it('answers the preflight of /sources/ with the headers the browser asks for', async () => {
    const res = await fetch(`${h.url}/sources/`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://shop.localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://shop.localhost:5173');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase();
    expect(allowed).toContain('authorization');
    expect(allowed).toContain('content-type');
  });

  it('sends CORS headers on the POST itself, errors included, so the browser can read them', async () => {
    const m = newMerchant();
    const ok = await call(h.url, '/sources/', {
      key: m.pk,
      headers: { origin: 'http://shop.localhost:5173' },
      json: { type: 'kakaopay', amount: 100, currency: 'SGD', platform_type: 'WEB' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.object).toBe('source');
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://shop.localhost:5173');
    const denied = await call(h.url, '/sources/', { key: 'pkey_nope', headers: { origin: 'http://shop.localhost:5173' }, json: {} });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe('http://shop.localhost:5173');
  });

  it('does not open the secret-key API to other origins', async () => {
    const res = await fetch(`${h.url}/charges`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.localhost', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
