import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.ts';
import { type NewCardRegistration, StoreConflictError, isCardStore } from './store.ts';

/** The CardStore half of the SQLite store: shopper → K-Payment customer, and card registrations. */

const T0 = '2030-01-01T00:00:00.000Z';
const T1 = '2030-01-01T00:05:00.000Z';
const dir = mkdtempSync(join(tmpdir(), 'card-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function registration(overrides: Partial<NewCardRegistration> = {}): NewCardRegistration {
  return {
    id: `creg_${'a'.repeat(32)}`,
    gateway: 'kpayment',
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

describe('SqliteStore as a CardStore', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = new SqliteStore({ path: ':memory:' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('is one', () => {
    expect(isCardStore(store)).toBe(true);
    expect(isCardStore({ getShopperCustomer() {} })).toBe(false);
  });

  it('maps a shopper to one customer per gateway, and replaces it', async () => {
    expect(await store.getShopperCustomer('kpayment', 'shopper-1')).toBeNull();
    await store.saveShopperCustomer({ gateway: 'kpayment', shopperId: 'shopper-1', customerId: 'cust_test_1' }, T0);
    await store.saveShopperCustomer({ gateway: 'kpayment', shopperId: 'shopper-2', customerId: 'cust_test_2' }, T0);
    const replaced = await store.saveShopperCustomer({ gateway: 'kpayment', shopperId: 'shopper-1', customerId: 'cust_test_3' }, T1);
    expect(replaced).toEqual({ gateway: 'kpayment', shopperId: 'shopper-1', customerId: 'cust_test_3', createdAt: T0, updatedAt: T1 });
    expect((await store.getShopperCustomer('kpayment', 'shopper-2'))?.customerId).toBe('cust_test_2');
    expect(await store.getShopperCustomer('opn', 'shopper-1')).toBeNull();
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

  it('migrates a database of the previous version, keeping its payments', async () => {
    const path = join(dir, 'v1.db');
    const old = new SqliteStore({ path });
    await old.createPayment({
      id: `pay_${'1'.repeat(32)}`, orderId: 'o-1', method: 'card', gateway: 'kpayment', amount: 100, currency: 'THB', platform: null, chargeId: null,
      sourceId: null, status: 'pending', failureCode: null, failureMessage: null, returnToken: 'x'.repeat(43), authorizeUri: null, createdAt: T0,
    });
    await old.close();
    const raw = new Database(path);
    raw.exec('DROP TABLE gateway_customers; DROP TABLE card_registrations; PRAGMA user_version = 1;');
    raw.close();

    const migrated = new SqliteStore({ path });
    expect(migrated.schemaVersion).toBe(2);
    expect(await migrated.getPayment(`pay_${'1'.repeat(32)}`)).toMatchObject({ status: 'pending', method: 'card' });
    await migrated.saveShopperCustomer({ gateway: 'kpayment', shopperId: 's', customerId: 'cust_test_1' }, T0);
    await migrated.close();
  });
});
