import { networkInterfaces } from 'node:os';
import Omise from 'omise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListeningSandbox, Sandbox } from '../sandbox.ts';
import { createSandbox } from '../sandbox.ts';
import { newMerchant } from '../../test/test-kit.ts';
import { decide } from '../../test/opn-kit.ts';

/**
 * Opn's official Node client (npm `omise`), unmodified, against the sandbox. The client takes a host name
 * and a scheme but no port (lib/api.js builds `{host, path}` for http.request), so the sandbox listens on
 * port 80 of a loopback address of its own, with `scheme: 'http'`. Binding port 80 needs root or
 * CAP_NET_BIND_SERVICE, which the development container and CI have.
 */

/** Whether an IPv4 address lies in a loopback network of this machine (127.0.0.0/8 on `lo`). */
function isLoopback(address: string): boolean {
  const toInt = (a: string) => a.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;
  return Object.values(networkInterfaces())
    .flat()
    .some((i) => {
      if (!i || !i.internal || i.family !== 'IPv4') return false;
      const mask = toInt(i.netmask);
      return (toInt(i.address) & mask) === (toInt(address) & mask);
    });
}

/** Port 80 on the first free loopback address other than 127.0.0.1 (other suites may hold one). */
async function listenOnPort80(sandbox: Sandbox): Promise<{ host: string; server: ListeningSandbox }> {
  const candidates = ['127.0.0.2', ...Array.from({ length: 8 }, (_, i) => `127.0.80.${10 + i + Math.floor(Math.random() * 200)}`)];
  let lastError: unknown;
  for (const host of candidates) {
    if (!isLoopback(host)) continue;
    try {
      return { host, server: await sandbox.listen(80, host) };
    } catch (error) {
      lastError = error;
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') break;
    }
  }
  throw new Error(`cannot listen on port 80 of a loopback address (needs root or CAP_NET_BIND_SERVICE): ${String(lastError)}`);
}

let sandbox: Sandbox;
let host: string;
const savedProxy = process.env.http_proxy;

beforeAll(async () => {
  // The client routes through `http_proxy` when it is set; the sandbox is local.
  delete process.env.http_proxy;
  sandbox = createSandbox();
  ({ host } = await listenOnPort80(sandbox));
});
afterAll(async () => {
  if (savedProxy !== undefined) process.env.http_proxy = savedProxy;
  await sandbox.close();
});

function client(keys: { pk: string; sk: string }) {
  return Omise({ publicKey: keys.pk, secretKey: keys.sk, host, vaultHost: host, scheme: Omise.Scheme.Http, omiseVersion: '2019-05-29' });
}

describe('the official omise client', () => {
  it('uses a loopback address', () => {
    expect(isLoopback(host)).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });

  it('creates a source and a charge, retrieves and lists it, and expires it (KMA)', async () => {
    const keys = newMerchant();
    const omise = client(keys);

    const source = await omise.sources.create({ type: 'mobile_banking_bay', amount: 150000, currency: 'THB', platform_type: 'IOS' } as any);
    expect(source).toMatchObject({ object: 'source', type: 'mobile_banking_bay', amount: 150000, currency: 'THB', charge_status: 'unknown' });

    const charge = await omise.charges.create({
      amount: 150000,
      currency: 'THB',
      return_uri: 'https://example.com/orders/345678/complete',
      source: source.id,
    } as any);
    expect(charge).toMatchObject({ object: 'charge', status: 'pending', amount: 150000, source: { id: source.id } });
    expect(charge.authorize_uri).toMatch(new RegExp(`^http://${host.replaceAll('.', '\\.')}/payments/pay2_test_\\w+/authorize$`));

    const retrieved = await omise.charges.retrieve(charge.id);
    expect(retrieved).toMatchObject({ id: charge.id, status: 'pending' });
    const sourceAgain = await omise.sources.retrieve(source.id);
    expect((sourceAgain as any).charge_status).toBe('pending');

    const list = await omise.charges.list({ limit: 1, offset: 0 } as any);
    expect(list).toMatchObject({ object: 'list', limit: 1, offset: 0, total: 1 });
    expect(list.data[0].id).toBe(charge.id);

    const expired = await omise.charges.expire(charge.id);
    expect(expired).toMatchObject({ id: charge.id, status: 'expired', expired: true });
    await expect(omise.charges.expire(charge.id)).rejects.toMatchObject({ object: 'error', code: 'failed_expire' });
  });

  it('creates a charge with an inline source, sees it paid, reads its event, and refunds KakaoPay', async () => {
    const keys = newMerchant();
    const omise = client(keys);
    const charge = await omise.charges.create({
      amount: 5000,
      currency: 'SGD',
      return_uri: 'https://example.com/return',
      source: { type: 'kakaopay', platform_type: 'WEB' },
    } as any);
    expect(charge.source).toMatchObject({ type: 'kakaopay', platform_type: 'WEB' });
    await decide(charge.authorize_uri!, { action: 'successful' });
    expect(await omise.charges.retrieve(charge.id)).toMatchObject({ status: 'successful', paid: true });

    const events = await omise.events.list();
    expect(events.data.map((e: any) => e.key)).toEqual(['charge.create', 'charge.complete']);
    expect(await omise.events.retrieve(events.data[0].id)).toMatchObject({ key: 'charge.create', data: { id: charge.id, status: 'pending' } });
    const event = await omise.events.retrieve(events.data[1].id);
    expect(event).toMatchObject({ key: 'charge.complete', data: { id: charge.id, status: 'successful' } });

    const refund = await omise.charges.createRefund(charge.id, { amount: 5000 } as any);
    expect(refund).toMatchObject({ object: 'refund', amount: 5000, voided: expect.any(Boolean) });
    const refunds = await omise.charges.listRefunds(charge.id);
    expect(refunds.total).toBe(1);
  });

  it('gets authentication_failure for a wrong key, and not_found for another merchant\'s charge', async () => {
    const wrong = Omise({ publicKey: 'pkey_test_x', secretKey: 'skey_live_wrong', host, scheme: Omise.Scheme.Http });
    await expect(wrong.charges.list()).rejects.toEqual({
      object: 'error',
      location: 'https://www.omise.co/api-errors#authentication-failure',
      code: 'authentication_failure',
      message: 'authentication failed',
    });

    const owner = client(newMerchant());
    const charge = await owner.charges.create({
      amount: 2000,
      currency: 'THB',
      return_uri: 'https://example.com/return',
      source: { type: 'mobile_banking_kbank' },
    } as any);
    await expect(client(newMerchant()).charges.retrieve(charge.id)).rejects.toMatchObject({ code: 'not_found' });
  });
});
