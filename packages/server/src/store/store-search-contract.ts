import { expect, it } from 'vitest';
import { newPaymentFixture } from './store-contract.ts';
import type { PaymentRecord, PaymentSearch, PaymentStore } from './store.ts';

/**
 * The contract of `searchPayments` (the merchant's list), run by `describeStoreContract` against each adapter;
 * `store()` answers the test's fresh store.
 */
export function describeSearchContract(store: () => PaymentStore): void {
  /** 7 payments over 3 orders, 2 gateways, 3 statuses; two created at the same instant (ties break by id). */
  async function seed(): Promise<PaymentRecord[]> {
    const at = (minute: number) => `2030-01-01T00:${String(minute).padStart(2, '0')}:00.000Z`;
    const specs: [string, string, PaymentRecord['status'], string, number][] = [
      ['order-a', 'gateway_a', 'failed', 'mobile_banking_kbank', 1],
      ['order-a', 'gateway_a', 'succeeded', 'thai_qr', 2],
      ['order-b', 'gateway_b', 'pending', 'card', 3],
      ['order-c', 'gateway_a', 'expired', 'thai_qr', 4],
      ['order-d', 'gateway_b', 'failed', 'card', 4],
      ['order-e', 'gateway_a', 'pending', 'mobile_banking_kbank', 5],
      ['order-f', 'gateway_b', 'succeeded', 'card', 6],
    ];
    const created: PaymentRecord[] = [];
    for (const [orderId, gateway, status, method, minute] of specs) {
      created.push(await store().createPayment(newPaymentFixture({ orderId, gateway, status, method: method as PaymentRecord['method'] }, at(minute))));
    }
    return created;
  }
  const newestFirst = (payments: PaymentRecord[]) =>
    [...payments].sort((a, b) => (a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1)).map((p) => p.id);
  const ids = async (query: PaymentSearch) => (await store().searchPayments(query)).map((p) => p.id);

  it('searchPayments: newest first by (createdAt, id), at most `limit`', async () => {
    const all = await seed();
    expect(await ids({ limit: 100 })).toEqual(newestFirst(all));
    expect(await ids({ limit: 3 })).toEqual(newestFirst(all).slice(0, 3));
    expect(await store().searchPayments({ limit: 1 })).toEqual([all[6]]);
  });

  it('searchPayments: each filter, and filters together', async () => {
    const all = await seed();
    const expectFilter = async (query: Omit<PaymentSearch, 'limit'>, match: (p: PaymentRecord) => boolean) => {
      const expected = newestFirst(all.filter(match));
      expect(expected.length).toBeGreaterThan(0);
      expect(await ids({ ...query, limit: 100 })).toEqual(expected);
    };
    await expectFilter({ orderId: 'order-a' }, (p) => p.orderId === 'order-a');
    await expectFilter({ status: 'failed' }, (p) => p.status === 'failed');
    await expectFilter({ method: 'card' }, (p) => p.method === 'card');
    await expectFilter({ gateway: 'gateway_b' }, (p) => p.gateway === 'gateway_b');
    await expectFilter({ createdFrom: '2030-01-01T00:03:00.000Z' }, (p) => p.createdAt >= '2030-01-01T00:03:00.000Z');
    await expectFilter({ createdTo: '2030-01-01T00:04:00.000Z' }, (p) => p.createdAt < '2030-01-01T00:04:00.000Z');
    await expectFilter({ gateway: 'gateway_a', status: 'pending', createdFrom: '2030-01-01T00:02:00.000Z' }, (p) => p.gateway === 'gateway_a' && p.status === 'pending');
    expect(await ids({ orderId: 'order-none', limit: 100 })).toEqual([]);
    expect(await ids({ status: 'failed', gateway: 'gateway_a', method: 'card', limit: 100 })).toEqual([]);
  });

  it('searchPayments: keyset pages go through every payment once, across equal timestamps, with filters kept', async () => {
    const all = await seed();
    const pages: string[][] = [];
    let after: PaymentSearch['after'];
    for (;;) {
      const page = await store().searchPayments({ limit: 2, after });
      if (page.length === 0) break;
      pages.push(page.map((p) => p.id));
      after = { createdAt: page.at(-1)!.createdAt, id: page.at(-1)!.id };
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
    expect(pages.flat()).toEqual(newestFirst(all));

    const first = await store().searchPayments({ gateway: 'gateway_b', limit: 2 });
    const second = await store().searchPayments({ gateway: 'gateway_b', limit: 2, after: { createdAt: first[1].createdAt, id: first[1].id } });
    expect([...first, ...second].map((p) => p.id)).toEqual(newestFirst(all.filter((p) => p.gateway === 'gateway_b')));
  });
}
