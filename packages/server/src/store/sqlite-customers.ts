import type Database from 'better-sqlite3';
import { CUSTOMER_CLAIMED, type CustomerRow, customerFromRow } from './store-rows.ts';
import type { ShopperCustomer } from './card-store.ts';
import { statement } from './sqlite-statements.ts';

/**
 * SqliteStore's shopper → gateway customer mapping (the `gateway_customers` table; CardStore's first four methods).
 * Writes run in the store's write queue; a claim is one upsert, so connections to one file (processes) agree.
 */

type Gateway = ShopperCustomer['gateway'];

export function getCustomer(db: Database.Database, gateway: Gateway, shopperId: string): ShopperCustomer | null {
  const row = statement(db, 'SELECT * FROM gateway_customers WHERE gateway = ? AND shopper_id = ? AND customer_id <> ?').get(gateway, shopperId, CUSTOMER_CLAIMED) as CustomerRow | undefined;
  return row ? customerFromRow(row) : null;
}

export function claimCustomer(db: Database.Database, gateway: Gateway, shopperId: string, at: string, claim: { staleBefore: string; replacing?: string }): boolean {
  const claimed = statement(db,
      `INSERT INTO gateway_customers AS c (gateway, shopper_id, customer_id, created_at, updated_at) VALUES (@gateway, @shopper, @claimed, @at, @at)
       ON CONFLICT (gateway, shopper_id) DO UPDATE SET customer_id = @claimed, updated_at = @at
       WHERE (c.customer_id = @claimed AND c.updated_at < @stale) OR c.customer_id = @replacing
       RETURNING 1`,
    )
    .get({ gateway, shopper: shopperId, claimed: CUSTOMER_CLAIMED, at, stale: claim.staleBefore, replacing: claim.replacing ?? null });
  return claimed !== undefined;
}

export function releaseCustomer(db: Database.Database, gateway: Gateway, shopperId: string): void {
  statement(db, 'DELETE FROM gateway_customers WHERE gateway = ? AND shopper_id = ? AND customer_id = ?').run(gateway, shopperId, CUSTOMER_CLAIMED);
}

export function saveCustomer(db: Database.Database, record: Pick<ShopperCustomer, 'gateway' | 'shopperId' | 'customerId'>, at: string): ShopperCustomer {
  const row = statement(db,
      `INSERT INTO gateway_customers (gateway, shopper_id, customer_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (gateway, shopper_id) DO UPDATE SET customer_id = excluded.customer_id, updated_at = excluded.updated_at
       RETURNING *`,
    )
    .get(record.gateway, record.shopperId, record.customerId, at, at) as CustomerRow;
  return customerFromRow(row);
}
