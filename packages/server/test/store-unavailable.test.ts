import { createServer, type Server, type Socket } from 'node:net';
import { signOpnWebhook } from '@payment-checkout/core/signature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/store/postgres-store.ts';
import { startWorld, type World } from './support/world.ts';

/**
 * A database that takes connections and never answers (a hung server, a proxy with nothing behind it): requests fail
 * within the store's connect timeout, with the companion's clear error, instead of waiting forever — node-postgres
 * waits forever by default.
 */

let silent: Server;
let url: string;
const sockets: Socket[] = [];
beforeAll(async () => {
  silent = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  url = `postgres://checkout:secret@127.0.0.1:${port}/payments`;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe('a database that does not answer', () => {
  it('fails a store call after the connect timeout', async () => {
    const store = new PostgresStore({ connectionString: url, connectTimeoutMs: 300 });
    const started = performance.now();
    await expect(store.getPayment('pay_0123456789abcdef0123456789abcdef')).rejects.toThrow(/timeout/i);
    expect(performance.now() - started).toBeLessThan(3_000);
    await store.close();
  });

  describe('behind the companion', () => {
    let world: World;
    beforeAll(async () => {
      world = await startWorld({ checkout: { store: new PostgresStore({ connectionString: url, connectTimeoutMs: 300 }) } });
    });
    afterAll(async () => world?.close());

    it("answers a shopper's create and status read with an error within the timeout, and says why in the log", async () => {
      const started = performance.now();
      const created = await world.createPayment(world.order(150_000), 'mobile_banking_kbank');
      expect(created.status).toBe(500);
      expect(created.body.error.code).toBe('internal_error');
      const status = await world.api('/checkout/payments/pay_0123456789abcdef0123456789abcdef?locale=th');
      expect(status.status).toBe(500);
      expect(status.body.error.customerMessage).toBe('เกิดข้อผิดพลาดในระบบ กรุณาลองอีกครั้ง');
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(await world.chargeCount()).toBe(0);
      expect(world.logs.some((l) => l.level === 'error' && /timeout/i.test(JSON.stringify(l.data)))).toBe(true);
    });

    it('answers a genuine webhook with a 5xx within the timeout, so that the gateway sends it again', async () => {
      const secret = (await world.opn('/_sandbox/opn/webhooks')).body.data[0].secret as string;
      const body = JSON.stringify({ object: 'event', id: 'evnt_test_storedown01', livemode: false, key: 'charge.complete', created_at: new Date().toISOString(), data: { object: 'charge', id: 'chrg_test_storedown01' } });
      const timestamp = Math.floor(Date.now() / 1000);
      const started = performance.now();
      const webhook = await world.api('/webhooks/opn', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'omise-signature': signOpnWebhook(body, secret, timestamp), 'omise-signature-timestamp': String(timestamp) },
      });
      expect(webhook.status).toBe(500);
      expect(performance.now() - started).toBeLessThan(5_000);
    });
  });
});
