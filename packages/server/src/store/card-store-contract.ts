import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PaymentStore, StoreConflictError } from './store.ts';
import { type CardStore, type NewCardRegistration, isCardStore } from './card-store.ts';

/**
 * The contract of a store that is also a CardStore (shopper → K-Payment customer, card registrations):
 * `describeCardStoreContract('sqlite (memory)', () => new SqliteStore({ path: ':memory:' }))`.
 */
export function describeCardStoreContract(name: string, makeStore: () => Promise<CardStore & Pick<PaymentStore, 'close'>> | (CardStore & Pick<PaymentStore, 'close'>)): void {
  describe(`CardStore contract: ${name}`, () => {
    let store: CardStore & Pick<PaymentStore, 'close'>;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const T0 = '2030-01-01T00:00:00.000Z';
    const T1 = '2030-01-01T00:05:00.000Z';

    function registration(overrides: Partial<NewCardRegistration> = {}): NewCardRegistration {
      return {
        id: `creg_${'a'.repeat(32)}`,
        gateway: 'gateway_b',
        orderId: 'order-1',
        shopperId: 'shopper-1',
        returnToken: 'r'.repeat(43),
        cardToken: null,
        chargeId: null,
        status: 'pending',
        failureCode: null,
        failureMessage: null,
        customerId: null,
        createdAt: T0,
        ...overrides,
      };
    }

    it('is one', () => {
      expect(isCardStore(store)).toBe(true);
      expect(isCardStore({ getShopperCustomer() {} })).toBe(false);
    });

    it('maps a shopper to one customer per gateway, and replaces it', async () => {
      expect(await store.getShopperCustomer('gateway_b', 'shopper-1')).toBeNull();
      await store.saveShopperCustomer({ gateway: 'gateway_b', shopperId: 'shopper-1', customerId: 'cust_test_1' }, T0);
      await store.saveShopperCustomer({ gateway: 'gateway_b', shopperId: 'shopper-2', customerId: 'cust_test_2' }, T0);
      const replaced = await store.saveShopperCustomer({ gateway: 'gateway_b', shopperId: 'shopper-1', customerId: 'cust_test_3' }, T1);
      expect(replaced).toEqual({ gateway: 'gateway_b', shopperId: 'shopper-1', customerId: 'cust_test_3', createdAt: T0, updatedAt: T1 });
      expect((await store.getShopperCustomer('gateway_b', 'shopper-2'))?.customerId).toBe('cust_test_2');
      expect(await store.getShopperCustomer('gateway_a', 'shopper-1')).toBeNull();
    });

    it('lets one caller at a time create a shopper\'s customer: a claim holds until saved, released or stale', async () => {
      const T2 = '2030-01-01T00:10:00.000Z';
      const claim = (at: string, staleBefore = T0, replacing?: string) => store.claimShopperCustomer('gateway_b', 'shopper-1', at, { staleBefore, ...(replacing ? { replacing } : {}) });
      expect(await claim(T0)).toBe(true);
      expect(await store.getShopperCustomer('gateway_b', 'shopper-1')).toBeNull();
      expect(await claim(T0)).toBe(false);
      expect(await claim(T1, T0)).toBe(false);
      // Its holder died: taken again once older than staleBefore.
      expect(await claim(T1, T1)).toBe(true);
      expect(await store.claimShopperCustomer('gateway_b', 'shopper-2', T1, { staleBefore: T1 })).toBe(true);
      await store.releaseShopperCustomer('gateway_b', 'shopper-1');
      expect(await claim(T1)).toBe(true);

      await store.saveShopperCustomer({ gateway: 'gateway_b', shopperId: 'shopper-1', customerId: 'cust_test_1' }, T2);
      expect((await store.getShopperCustomer('gateway_b', 'shopper-1'))?.customerId).toBe('cust_test_1');
      expect(await claim(T2, T2)).toBe(false);
      await store.releaseShopperCustomer('gateway_b', 'shopper-1');
      expect((await store.getShopperCustomer('gateway_b', 'shopper-1'))?.customerId).toBe('cust_test_1');
      // A customer the gateway no longer knows is replaced by one new customer, not two.
      expect(await claim(T2, T0, 'cust_test_9')).toBe(false);
      expect(await claim(T2, T0, 'cust_test_1')).toBe(true);
      expect(await store.getShopperCustomer('gateway_b', 'shopper-1')).toBeNull();
      expect(await claim(T2, T0, 'cust_test_1')).toBe(false);
      const replaced = await store.saveShopperCustomer({ gateway: 'gateway_b', shopperId: 'shopper-1', customerId: 'cust_test_2' }, T2);
      expect(replaced).toMatchObject({ customerId: 'cust_test_2', updatedAt: T2 });
    });

    it('keeps registrations, finds them by charge id, and updates them in one transaction', async () => {
      const created = await store.createRegistration(registration());
      expect(await store.getRegistration(created.id)).toEqual({ ...created, updatedAt: T0 });
      expect(await store.updateRegistration(created.id, () => null, T1)).toBeNull();
      const update = await store.updateRegistration(created.id, (r) => (r.status === 'pending' ? { chargeId: 'chrg_test_1', cardToken: 'tokn_test_1' } : null), T1);
      expect(update?.after).toMatchObject({ chargeId: 'chrg_test_1', cardToken: 'tokn_test_1', status: 'pending', updatedAt: T1 });
      expect((await store.findRegistrationByChargeId('chrg_test_1'))?.id).toBe(created.id);
      expect(await store.findRegistrationByChargeId('chrg_test_2')).toBeNull();
      await store.updateRegistration(created.id, () => ({ status: 'saved', customerId: 'cust_test_1' }), T1);
      expect(await store.getRegistration(created.id)).toMatchObject({ status: 'saved', customerId: 'cust_test_1' });
      await expect(store.updateRegistration(`creg_${'b'.repeat(32)}`, () => ({ status: 'failed' }), T1)).rejects.toThrow(/no card registration/);
    });

    it('refuses a second registration with the same charge or return token', async () => {
      const first = await store.createRegistration(registration());
      await store.updateRegistration(first.id, () => ({ chargeId: 'chrg_test_1' }), T1);
      const second = await store.createRegistration(registration({ id: `creg_${'c'.repeat(32)}`, returnToken: 's'.repeat(43) }));
      await expect(store.updateRegistration(second.id, () => ({ chargeId: 'chrg_test_1' }), T1)).rejects.toBeInstanceOf(StoreConflictError);
      await expect(store.createRegistration(registration({ id: `creg_${'d'.repeat(32)}` }))).rejects.toMatchObject({ code: 'duplicate' });
    });
  });
}
