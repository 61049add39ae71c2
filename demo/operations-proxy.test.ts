import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOperationsToken, operationsProxy } from './operations-proxy.ts';

/**
 * The proxy between the merchant page and the operations API, against a stand-in API that answers what it got:
 * the bearer header is added on the server's side, only JSON goes through, and the answer comes back as it is.
 */

const TOKEN = newOperationsToken();
let upstream: Server;
let proxy: Server;
let proxyUrl: string;
const seen: { method: string; url: string; authorization?: string; idempotencyKey?: string; body: unknown }[] = [];

function listen(app: express.Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

beforeAll(async () => {
  const api = express();
  api.use(express.json());
  api.use((req, res) => {
    seen.push({ method: req.method, url: req.url, authorization: req.get('authorization'), idempotencyKey: req.get('idempotency-key'), body: req.body });
    if (req.get('idempotency-key') === 'again') res.set('idempotent-replayed', 'true');
    if (req.url.startsWith('/operations/payments/pay_refused')) {
      res.status(409).json({ error: { code: 'operation_refused', message: 'The gateway refused it.', gateway: { code: 'refund_state_invalid', message: 'no' } } });
    } else if (req.url.startsWith('/operations/text')) res.type('text/plain').send('hello');
    else if (req.url.startsWith('/operations/slow')) setTimeout(() => res.json({ late: true }), 1_000);
    else res.set('cache-control', 'no-store').json({ ok: true, url: req.url });
  });
  upstream = await listen(api);
  const app = express();
  app.use('/api/merchant/operations', operationsProxy({ upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/operations`, token: TOKEN, timeoutMs: 300 }));
  proxy = await listen(app);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/merchant/operations`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await new Promise((resolve) => upstream?.close(resolve));
});

const postJson = (path: string, body: string, type = 'application/json') =>
  fetch(`${proxyUrl}${path}`, { method: 'POST', headers: { 'content-type': type }, body });

describe('the operations proxy', () => {
  it('makes a token of 32+ random characters, a new one each time', () => {
    const token = newOperationsToken();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(token).not.toBe(newOperationsToken());
  });

  it('forwards a GET with its query, adding the bearer token the browser never sees', async () => {
    const res = await fetch(`${proxyUrl}/payments?orderId=ord_1&limit=5`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ ok: true, url: '/operations/payments?orderId=ord_1&limit=5' });
    expect(body).not.toContain(TOKEN);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', authorization: `Bearer ${TOKEN}` });
  });

  it('forwards a JSON POST body, and the API’s error status and body as they are', async () => {
    const res = await postJson('/payments/pay_refused/refund', JSON.stringify({ amount: 100, reason: 'wrong size' }));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: { code: 'operation_refused', message: 'The gateway refused it.', gateway: { code: 'refund_state_invalid', message: 'no' } } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/operations/payments/pay_refused/refund', body: { amount: 100, reason: 'wrong size' } });
  });

  it("passes a POST's Idempotency-Key on, and the API's word that it answered an earlier request with it", async () => {
    const res = await fetch(`${proxyUrl}/payments/pay_1/refund`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'again' }, body: '{}' });
    expect(res.headers.get('idempotent-replayed')).toBe('true');
    expect(seen.at(-1)).toMatchObject({ url: '/operations/payments/pay_1/refund', idempotencyKey: 'again' });
    await fetch(`${proxyUrl}/payments?x=1`, { headers: { 'idempotency-key': 'get' } });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', idempotencyKey: undefined });
  });

  it('sends {} for a POST without fields', async () => {
    const res = await postJson('/payments/pay_1/capture', '{}');
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toMatchObject({ url: '/operations/payments/pay_1/capture', body: {} });
  });

  it.each([
    ['a form post', 'amount=100', 'application/x-www-form-urlencoded', 415],
    ['text/plain (what another site may send without asking)', '{"amount":100}', 'text/plain', 415],
    ['malformed JSON', '{"amount":', 'application/json', 400],
    ['a body over 4 kB', JSON.stringify({ reason: 'x'.repeat(5_000) }), 'application/json', 413],
  ])('refuses %s before reaching the API', async (_name, body, type, status) => {
    const before = seen.length;
    const res = await postJson('/payments/pay_1/refund', body, type);
    expect(res.status).toBe(status);
    expect((await res.json()).error.code).toEqual(expect.any(String));
    expect(seen.length).toBe(before);
  });

  it('refuses other methods, and paths that are not the API’s (no way out of its base path)', async () => {
    const before = seen.length;
    expect((await fetch(`${proxyUrl}/payments/pay_1`, { method: 'DELETE' })).status).toBe(405);
    for (const path of ['', '/', '/payments/%2e%2e/%2e%2e/checkout/config', '/payments/..', '/a/b/c/d/e', '/payments/%E0%A4%A', '/payments/a%2Fb']) {
      const res = await fetch(`${proxyUrl}${path}`);
      expect(res.status, path).toBe(404);
    }
    expect(seen.length).toBe(before);
  });

  it('past its time limit (120 s by default, here 300 ms), answers 502 and says a POST may have happened', async () => {
    const post = await postJson('/slow', '{}');
    expect(post.status).toBe(502);
    expect((await post.json()).error).toEqual({ code: 'operations_unreachable', message: 'The operations API did not answer. The operation may have happened: check the payment before trying again.' });
    const get = await fetch(`${proxyUrl}/slow`);
    expect((await get.json()).error.message).toBe('The operations API did not answer.');
  });

  it('answers 502 when the API does not answer JSON', async () => {
    const res = await fetch(`${proxyUrl}/text`);
    expect(res.status).toBe(502);
    expect((await res.json()).error.code).toBe('bad_gateway');
  });
});
