import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCheckout } from '../src/index.ts';

/** The set-up mistakes a developer makes mounting the companion, said in the log at the first request that shows them. */

const servers: import('node:http').Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

async function shop(mount: string, publicBaseUrl: string, before?: express.RequestHandler): Promise<{ url: string; errors: string[] }> {
  const errors: string[] = [];
  const app = express();
  if (before) app.use(before);
  app.use(
    mount,
    createCheckout({
      resolveOrder: async () => null,
      publicBaseUrl,
      resultUrl: '/r',
      opn: { publicKey: 'pkey_test_mount', secretKey: 'skey_test_mount' },
      store: ':memory:',
      logger: { info() {}, warn() {}, error: (m) => void errors.push(m) },
    }),
  );
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${mount === '/' ? '' : mount}`, errors };
}

describe('mounting the companion', () => {
  it('says, once, that publicBaseUrl must end with the sub-path the router is mounted at', async () => {
    const { url, errors } = await shop('/api', 'https://shop.example');
    expect((await fetch(`${url}/checkout/payments/pay_00000000000000000000000000000000`)).status).toBe(404);
    await fetch(`${url}/checkout/payments/pay_00000000000000000000000000000000`);
    expect(errors).toEqual([expect.stringContaining('mounted at /api but publicBaseUrl (https://shop.example) does not end with it')]);
    expect(errors[0]).toContain('set publicBaseUrl to https://shop.example/api');
  });

  it('is quiet for a request that spells the mount path in other case, and never logs a password in publicBaseUrl', async () => {
    const { url, errors } = await shop('/api', 'https://shop.example/api');
    await fetch(`${url.replace('/api', '/API')}/checkout/payments/pay_00000000000000000000000000000000`);
    expect(errors).toEqual([]);
    const secret = await shop('/pay', 'https://user:hunter2@shop.example');
    await fetch(`${secret.url}/checkout/payments/pay_00000000000000000000000000000000`);
    expect(secret.errors).toEqual([expect.stringContaining('publicBaseUrl (https://shop.example) does not end with it')]);
    expect(secret.errors.join()).not.toContain('hunter2');
  });

  it('is quiet when publicBaseUrl ends with the mount path, also behind a proxy that adds a prefix, or at the root', async () => {
    for (const [mount, base] of [['/api', 'https://shop.example/api/'], ['/api', 'https://shop.example/shop/api'], ['/', 'https://shop.example/pay']] as const) {
      const { url, errors } = await shop(mount, base);
      expect((await fetch(`${url}/checkout/payments/pay_00000000000000000000000000000000`)).status).toBe(404);
      expect(errors, `${mount} ${base}`).toEqual([]);
    }
  });

  it('says at the first JSON request, not only at the first webhook, that express.json() ran before it', async () => {
    const { url, errors } = await shop('/', 'https://shop.example', express.json());
    const created = await fetch(`${url}/checkout/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: 'ord_1', method: 'mobile_banking_kbank' }) });
    expect(created.status).toBe(404); // resolveOrder finds no order
    expect(errors).toEqual([expect.stringContaining('mount the checkout router before express.json()')]);
  });

  it('is quiet with a form parser mounted first (the companion reads forms either way)', async () => {
    const { url, errors } = await shop('/', 'https://shop.example', express.urlencoded({ extended: false }));
    await fetch(`${url}/checkout/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: 'ord_1', method: 'mobile_banking_kbank' }) });
    expect(errors).toEqual([]);
  });
});
