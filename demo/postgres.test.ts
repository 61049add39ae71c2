import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PostgresCluster, startPostgres } from '../packages/server/test/support/postgres.ts';
import { type Demo, startDemo } from './app.ts';

/**
 * The demo with `--db postgres://…` (or DATABASE_URL): the companion keeps its payments in PostgreSQL, so a paid
 * payment is still there, and still paid, for a demo started again on the same database.
 */

let cluster: PostgresCluster;
const demos: Demo[] = [];
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  for (const demo of demos) await demo.close();
  await cluster?.stop();
});

async function demoOn(db: string): Promise<Demo> {
  const demo = await startDemo({ port: 0, sandboxPort: 0, db });
  demos.push(demo);
  return demo;
}

it('keeps the payments in PostgreSQL: a payment made through one demo is read, paid, by the next one on the same database', async () => {
  const first = await demoOn(cluster.url);
  const order = await (await fetch(`${first.url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productId: 'celadon-teapot' }) })).json();
  const created = await (
    await fetch(`${first.url}/checkout/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: order.id, method: 'mobile_banking_kbank' }) })
  ).json();
  // The shopper approves at the sandbox's authorize page and comes back through the companion's return URL.
  const decided = await fetch(created.next.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ action: 'successful' }).toString(),
    redirect: 'manual',
  });
  const back = await fetch(decided.headers.get('location')!, { redirect: 'manual' });
  expect(back.headers.get('location')).toBe(`${first.url}/result.html?paymentId=${created.paymentId}`);

  const rows = await cluster.query<{ id: string; status: string; amount: string; currency: string }>('SELECT id, status, amount, currency FROM payments WHERE order_id = $1', [order.id]);
  expect(rows).toEqual([{ id: created.paymentId, status: 'succeeded', amount: String(order.amount), currency: order.currency }]);

  const second = await demoOn(cluster.url);
  const view = await (await fetch(`${second.url}/checkout/payments/${created.paymentId}`)).json();
  expect(view).toMatchObject({ id: created.paymentId, orderId: order.id, status: 'succeeded', amount: order.amount, currency: order.currency });
}, 60_000);
