import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.ts';
import { describeCardStoreContract } from './card-store-contract.ts';

/** The CardStore half of the SQLite store: shopper → K-Payment customer, and card registrations. */

const T0 = '2030-01-01T00:00:00.000Z';
const dir = mkdtempSync(join(tmpdir(), 'card-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeCardStoreContract('sqlite (memory)', () => new SqliteStore({ path: ':memory:' }));

describe('SqliteStore as a CardStore', () => {
  it('migrates a database of the previous version, keeping its payments', async () => {
    const path = join(dir, 'v1.db');
    const old = new SqliteStore({ path });
    await old.createPayment({
      id: `pay_${'1'.repeat(32)}`, orderId: 'o-1', method: 'card', gateway: 'gateway_b', amount: 100, currency: 'THB', platform: null, chargeId: null,
      sourceId: null, status: 'pending', failureCode: null, failureMessage: null, returnToken: 'x'.repeat(43), authorizeUri: null, createdAt: T0,
    });
    await old.close();
    const raw = new Database(path);
    // Back to version 1: without version 2's card tables, version 3's reconciler columns, version 4's money columns,
    // version 5's hook outbox, version 6's columns of what was paid, version 7's index of the reconciler's claim and
    // version 8's column of when the charge was made.
    raw.exec('ALTER TABLE payments DROP COLUMN charge_created_at; DROP INDEX payments_reconcile_due;');
    raw.exec('ALTER TABLE payments DROP COLUMN charged_currency; ALTER TABLE payments DROP COLUMN charged_amount; ALTER TABLE payments DROP COLUMN installment_term;');
    raw.exec('DROP TABLE hook_outbox;');
    raw.exec('DROP INDEX payments_by_created; ALTER TABLE payments DROP COLUMN refunded_amount; ALTER TABLE payments DROP COLUMN settled_amount;');
    raw.exec('ALTER TABLE payments DROP COLUMN reconcile_after; ALTER TABLE payments DROP COLUMN reconcile_attempts;');
    raw.exec('DROP TABLE gateway_customers; DROP TABLE card_registrations; PRAGMA user_version = 1;');
    raw.close();

    const migrated = new SqliteStore({ path });
    expect(migrated.schemaVersion).toBe(8);
    expect(await migrated.getPayment(`pay_${'1'.repeat(32)}`)).toMatchObject({ status: 'pending', method: 'card' });
    await migrated.saveShopperCustomer({ gateway: 'gateway_b', shopperId: 's', customerId: 'cust_test_1' }, T0);
    await migrated.close();
  });
});
