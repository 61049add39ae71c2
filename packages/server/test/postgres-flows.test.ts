import { describe, expect, it } from 'vitest';
import { PostgresStore } from '../src/store/postgres-store.ts';
import { usePostgres } from './support/postgres.ts';
import { queryOf, raceTwoCompanions, startWorld } from './support/world.ts';

/** The companion with `store: 'postgres://…'`: a whole payment against the sandbox, and two companions on one database. */

const cluster = usePostgres();

describe('the companion on PostgreSQL', () => {
  it('runs a payment from creation to paid, webhook included, and closes the store it opened', async () => {
    const world = await startWorld({ checkout: { store: cluster().url } });
    try {
      const { store } = world.companion.checkout;
      expect(store).toBeInstanceOf(PostgresStore);
      const configured = world.logs.find((l) => l.message === 'checkout companion configured');
      expect(JSON.stringify(configured?.data)).toContain(`"store":"${cluster().url.replace(/:[^:@/]+@/, ':***@')}"`);
      expect(JSON.stringify(world.logs)).not.toContain(new URL(cluster().url).password);

      const orderId = world.order(150_000);
      const created = await world.createPayment(orderId, 'mobile_banking_kbank');
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const payment = await world.paymentOf(created.body.paymentId);
      expect(payment).toMatchObject({ orderId, amount: 150_000, currency: 'THB', status: 'pending', gateway: 'opn' });
      // A repeat reuses the live payment kept in PostgreSQL.
      expect((await world.createPayment(orderId, 'mobile_banking_kbank')).body).toMatchObject({ paymentId: payment.id, reused: true });

      const back = await world.visit(await world.authorize(created.body.next.url, 'successful'));
      expect(queryOf(back.location)).toEqual({ payment: payment.id, status: 'succeeded' });
      await world.flushWebhooks();
      expect(world.hooks.onPaid.map((p) => [p.id, p.status])).toEqual([[payment.id, 'succeeded']]);
      expect((await world.api(`/checkout/payments/${payment.id}`)).body).toMatchObject({ status: 'succeeded', amount: 150_000 });

      const rows = await cluster().query<{ status: string; amount: string }>('SELECT status, amount FROM payments WHERE order_id = $1', [orderId]);
      expect(rows).toEqual([{ status: 'succeeded', amount: '150000' }]);
      const events = await store.listEvents(payment.id);
      expect(events.filter((e) => e.type === 'status_changed').map((e) => e.toStatus)).toEqual(['pending', 'succeeded']);
      expect(events.map((e) => e.type)).toContain('webhook_received');
    } finally {
      await world.close();
    }
    await expect(world.companion.checkout.store.getPayment('pay_00000000000000000000000000000000')).rejects.toThrow(/closed/);
  });

  it('two companions on one database (two processes) still create one charge', async () => {
    const world = await startWorld();
    try {
      await raceTwoCompanions(world, await cluster().createDatabase('two_companions'), async (statuses, store) => {
        expect(statuses.filter((s) => s === 201)).toHaveLength(1);
        expect(statuses.every((s) => [200, 201, 409].includes(s))).toBe(true);
        expect(await world.chargeCount()).toBe(1);
        expect(await store.listPaymentsForOrder('shared-order')).toHaveLength(1);
      });
    } finally {
      await world.close();
    }
  });
});
