import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpnClient } from './opn-client.ts';
import { OpnApiError, OpnClientError, OpnNetworkError, OpnResponseError, OpnTimeoutError } from './opn-errors.ts';
import { GatewayError } from '../gateway.ts';

/** A scripted stand-in for Opn that records what the client sends; each test sets the next answer. */
interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}
let server: Server;
let base: string;
let requests: Recorded[] = [];
let answer: { status: number; body: unknown; delayMs?: number; raw?: string } = { status: 200, body: {} };

const charge = (overrides: Record<string, unknown> = {}) => ({
  object: 'charge',
  id: 'chrg_test_abc',
  livemode: false,
  location: '/charges/chrg_test_abc',
  amount: 150000,
  currency: 'thb',
  status: 'pending',
  authorize_uri: 'http://127.0.0.1/payments/pay2_test_x/authorize',
  return_uri: 'http://127.0.0.1/return',
  source: null,
  failure_code: null,
  failure_message: null,
  metadata: {},
  authorized: false,
  capturable: false,
  capture: true,
  paid: false,
  expired: false,
  reversed: false,
  voided: false,
  refunded_amount: 0,
  created_at: '2030-01-01T00:00:00Z',
  paid_at: null,
  expires_at: '2030-01-01T00:10:00Z',
  ...overrides,
});

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.use((req, res) => {
    requests.push({ method: req.method, path: req.url, headers: req.headers, body: req.body });
    const send = () => {
      if (answer.raw !== undefined) res.status(answer.status).type('text/html').send(answer.raw);
      else res.status(answer.status).json(answer.body);
    };
    if (answer.delayMs) setTimeout(send, answer.delayMs);
    else send();
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  requests = [];
  answer = { status: 200, body: charge() };
});

const client = (options: Partial<ConstructorParameters<typeof OpnClient>[0]> = {}) =>
  new OpnClient({ secretKey: 'skey_test_unit', publicKey: 'pkey_test_unit', apiUrl: `${base}/`, ...options });

describe('OpnClient', () => {
  it('sends Basic auth with the secret key, the API version and a JSON body, and parses the charge', async () => {
    const result = await client().createCharge({ amount: 150000, currency: 'THB', return_uri: 'http://x/r', source: { type: 'mobile_banking_bay', platform_type: 'IOS' } });
    expect(result).toMatchObject({ id: 'chrg_test_abc', status: 'pending', currency: 'THB', amount: 150000 });
    const [req] = requests;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/charges');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('skey_test_unit:').toString('base64')}`);
    expect(req.headers['omise-version']).toBe('2019-05-29');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual({ amount: 150000, currency: 'THB', return_uri: 'http://x/r', source: { type: 'mobile_banking_bay', platform_type: 'IOS' } });
  });

  it('uses the public key only to create sources', async () => {
    answer = { status: 200, body: { object: 'source', id: 'src_test_1', livemode: false, amount: 2000, currency: 'THB', type: 'kakaopay', flow: 'app_redirect', platform_type: 'WEB', charge_status: 'unknown', created_at: '2030-01-01T00:00:00Z' } };
    await client().createSource({ type: 'kakaopay', amount: 2000, currency: 'THB', platform_type: 'WEB' });
    expect(requests[0].headers.authorization).toBe(`Basic ${Buffer.from('pkey_test_unit:').toString('base64')}`);
    await client().retrieveSource('src_test_1');
    expect(requests[1]).toMatchObject({ method: 'GET', path: '/sources/src_test_1' });
    expect(requests[1].headers.authorization).toBe(`Basic ${Buffer.from('skey_test_unit:').toString('base64')}`);
    await expect(client({ publicKey: undefined }).createSource({ type: 'kakaopay', amount: 2000, currency: 'THB' })).rejects.toThrow(/public key/);
  });

  it('has one method per endpoint at Opn paths', async () => {
    const c = client();
    await c.retrieveCharge('chrg_test_abc');
    await c.expireCharge('chrg_test_abc');
    await c.captureCharge('chrg_test_abc');
    await c.reverseCharge('chrg_test_abc');
    answer = { status: 200, body: { object: 'list', data: [charge()], limit: 5, offset: 10, total: 11, order: 'chronological', location: '/charges' } };
    const list = await c.listCharges({ limit: 5, offset: 10 });
    expect(list.total).toBe(11);
    answer = { status: 200, body: { object: 'refund', id: 'rfnd_test_1', amount: 100, currency: 'sgd', charge: 'chrg_test_abc', voided: true, status: 'closed', created_at: '2030-01-01T00:00:00Z' } };
    expect((await c.createRefund('chrg_test_abc', { amount: 100 })).voided).toBe(true);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /charges/chrg_test_abc',
      'POST /charges/chrg_test_abc/expire',
      'POST /charges/chrg_test_abc/capture',
      'POST /charges/chrg_test_abc/reverse',
      'GET /charges?limit=5&offset=10',
      'POST /charges/chrg_test_abc/refunds',
    ]);
  });

  it('refuses ids that would change the path', async () => {
    await expect(client().retrieveCharge('../charges')).rejects.toBeInstanceOf(TypeError);
    expect(requests).toHaveLength(0);
  });

  it('throws OpnApiError with the Opn code for an Opn error body', async () => {
    answer = { status: 400, body: { object: 'error', location: 'https://www.omise.co/api-errors#failed-expire', code: 'failed_expire', message: 'charge is not pending' } };
    const err = await client().expireCharge('chrg_test_abc').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpnApiError);
    expect(err).toBeInstanceOf(OpnClientError);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ name: 'OpnApiError', code: 'failed_expire', httpStatus: 400, message: 'charge is not pending', gateway: 'opn' });
  });

  it('treats an error object as an error even with HTTP 200 (as Opn clients do)', async () => {
    answer = { status: 200, body: { object: 'error', code: 'authentication_failure', message: 'authentication failed' } };
    await expect(client().retrieveCharge('chrg_test_abc')).rejects.toMatchObject({ name: 'OpnApiError', code: 'authentication_failure', httpStatus: 200 });
  });

  it('treats a non-2xx answer without an Opn error body as an invalid response, not a success', async () => {
    answer = { status: 502, body: null, raw: '<html>Bad gateway</html>' };
    await expect(client().retrieveCharge('chrg_test_abc')).rejects.toMatchObject({ name: 'OpnResponseError', code: 'invalid_response', httpStatus: 502 });
    answer = { status: 500, body: { ok: false } };
    await expect(client().retrieveCharge('chrg_test_abc')).rejects.toBeInstanceOf(OpnResponseError);
  });

  it('refuses a 2xx body that is not the expected object', async () => {
    answer = { status: 200, body: charge({ status: 'paid-ish' }) };
    const err = (await client().retrieveCharge('chrg_test_abc').catch((e: unknown) => e)) as OpnResponseError;
    expect(err).toBeInstanceOf(OpnResponseError);
    expect(err.issues.length).toBeGreaterThan(0);
    answer = { status: 200, body: { object: 'source', id: 'src_test_1' } };
    await expect(client().retrieveCharge('chrg_test_abc')).rejects.toBeInstanceOf(OpnResponseError);
  });

  it('times out with OpnTimeoutError', async () => {
    answer = { status: 200, body: charge(), delayMs: 500 };
    const err = await client({ timeoutMs: 50 }).retrieveCharge('chrg_test_abc').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpnTimeoutError);
    expect(err).toMatchObject({ name: 'OpnTimeoutError', code: 'timeout', timeoutMs: 50 });
  });

  it('reports a refused connection as OpnNetworkError', async () => {
    const closed = express().listen(0, '127.0.0.1');
    await new Promise((resolve) => closed.once('listening', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await new OpnClient({ secretKey: 'skey_test_unit', apiUrl: `http://127.0.0.1:${port}` }).retrieveCharge('chrg_test_abc').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpnNetworkError);
    expect(err).toMatchObject({ name: 'OpnNetworkError', code: 'network_error' });
    expect((err as Error).message).toMatch(/ECONNREFUSED/);
  });

  it("passes the caller's abort through as an abort, not a network error", async () => {
    answer = { status: 200, body: charge(), delayMs: 300 };
    const controller = new AbortController();
    const pending = client().retrieveCharge('chrg_test_abc', { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(pending).rejects.toThrow('caller gave up');
  });

  it('never puts the secret key in error messages', async () => {
    answer = { status: 401, body: { object: 'error', code: 'authentication_failure', message: 'authentication failed' } };
    const err = (await client().retrieveCharge('chrg_test_abc').catch((e: unknown) => e)) as Error;
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('skey_test_unit');
  });
});
