import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closedPortUrl } from '../../src/gateways/gateway-contract-kit.ts';
import { type FakePayEmulator, startFakePayEmulator } from './emulator.ts';
import { FakePayCharge } from './fakepay-wire.ts';

/** FakePay's emulator on its own: the wire format its client relies on, its refusals and its bounds. */

let emulator: FakePayEmulator;
beforeEach(async () => {
  emulator = await startFakePayEmulator({ maxCharges: 2 });
});
afterEach(async () => {
  await emulator.close();
});

async function call(method: string, path: string, json?: unknown, key = emulator.secretKey): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.status, body: await res.json() };
}

const NEW_CHARGE = { amount: 150_000, currency: 'THB', method: 'alipay', return_uri: 'https://shop.example/return', reference: 'pay_1' };

describe('the FakePay emulator', () => {
  it('creates a pending charge with an authorize page, and answers it again by id', async () => {
    const created = await call('POST', '/charges', NEW_CHARGE);
    expect(created.status).toBe(201);
    expect(FakePayCharge.parse(created.body)).toMatchObject({ ...NEW_CHARGE, object: 'charge', status: 'pending', failure_code: null });
    expect(created.body.authorize_url).toBe(`${emulator.url}/pay/${created.body.id}`);
    expect((await call('GET', `/charges/${created.body.id}`)).body).toEqual(created.body);
  });

  it('answers its own error objects: a wrong key, an unknown charge, an unknown path, a bad body', async () => {
    expect(await call('GET', '/charges/fchg_000000000000000000000000', undefined, 'fsk_test_wrong')).toMatchObject({ status: 401, body: { object: 'error', code: 'authentication_failure' } });
    expect(await call('GET', '/charges/fchg_000000000000000000000000')).toMatchObject({ status: 404, body: { object: 'error', code: 'not_found' } });
    expect(await call('GET', '/refunds')).toMatchObject({ status: 404, body: { object: 'error', code: 'unknown_route' } });
    expect(await call('POST', '/charges', { ...NEW_CHARGE, amount: -1 })).toMatchObject({ status: 400, body: { object: 'error', code: 'invalid_request' } });
    expect(await call('POST', '/charges', { ...NEW_CHARGE, extra: true })).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
  });

  it('cancels only a pending charge, and takes no decision after that', async () => {
    const { body: charge } = await call('POST', '/charges', NEW_CHARGE);
    expect((await call('POST', `/charges/${charge.id}/cancel`)).body).toMatchObject({ id: charge.id, status: 'canceled' });
    expect(await call('POST', `/charges/${charge.id}/cancel`)).toMatchObject({ status: 409, body: { code: 'not_pending' } });
    expect(await call('POST', `/_fake/charges/${charge.id}/complete`, { result: 'paid' })).toMatchObject({ status: 409, body: { code: 'not_pending' } });
    const page = await fetch(charge.authorize_url, { method: 'POST', body: new URLSearchParams({ result: 'paid' }), redirect: 'manual' });
    expect(page.status).toBe(409);
  });

  it('sends webhooks to loopback addresses only, signed with the secret it answered', async () => {
    expect(await call('POST', '/_fake/webhooks', { url: 'https://example.com/hook' })).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
    const url = `${await closedPortUrl()}/hook`;
    expect((await call('POST', '/_fake/webhooks', { url })).body).toEqual({ object: 'webhook_endpoint', url, secret: emulator.webhookSecret });
    const { body: charge } = await call('POST', '/charges', NEW_CHARGE);
    await call('POST', `/_fake/charges/${charge.id}/complete`, { result: 'paid' });
    await emulator.flushWebhooks();
    // Nothing listens there: the attempt is recorded without an answer, and the emulator goes on.
    expect(emulator.deliveries).toEqual([{ eventId: expect.stringMatching(/^fevt_/), url, status: null }]);
  });

  it('keeps a bounded number of charges', async () => {
    await call('POST', '/charges', NEW_CHARGE);
    await call('POST', '/charges', NEW_CHARGE);
    expect(await call('POST', '/charges', NEW_CHARGE)).toMatchObject({ status: 429, body: { code: 'too_many_charges' } });
  });
});
