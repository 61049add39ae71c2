import { CUSTOMER_CLAIMED, type CustomerRow, customerFromRow } from './store-rows.ts';
import type { ShopperCustomer } from './card-store.ts';

/**
 * PostgresStore's shopper → gateway customer mapping (the `gateway_customers` table; CardStore's first four
 * methods). `query` runs one statement on the store's pool; `t` names a table of the store's schema. A claim is
 * one upsert, so processes agree.
 */

type Gateway = ShopperCustomer['gateway'];
type Query = <R extends object>(sql: string, params: unknown[]) => Promise<R[]>;
type Table = (name: string) => string;

export async function getCustomer(query: Query, t: Table, gateway: Gateway, shopperId: string): Promise<ShopperCustomer | null> {
  const rows = await query<CustomerRow>(`SELECT * FROM ${t('gateway_customers')} WHERE gateway = $1 AND shopper_id = $2 AND customer_id <> $3`, [gateway, shopperId, CUSTOMER_CLAIMED]);
  return rows.length > 0 ? customerFromRow(rows[0]) : null;
}

export async function claimCustomer(query: Query, t: Table, gateway: Gateway, shopperId: string, at: string, claim: { staleBefore: string; replacing?: string }): Promise<boolean> {
  const rows = await query(
    `INSERT INTO ${t('gateway_customers')} AS c (gateway, shopper_id, customer_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (gateway, shopper_id) DO UPDATE SET customer_id = $3, updated_at = $4
     WHERE (c.customer_id = $3 AND c.updated_at < $5) OR c.customer_id = $6
     RETURNING 1`,
    [gateway, shopperId, CUSTOMER_CLAIMED, at, claim.staleBefore, claim.replacing ?? null],
  );
  return rows.length === 1;
}

export async function releaseCustomer(query: Query, t: Table, gateway: Gateway, shopperId: string): Promise<void> {
  await query(`DELETE FROM ${t('gateway_customers')} WHERE gateway = $1 AND shopper_id = $2 AND customer_id = $3`, [gateway, shopperId, CUSTOMER_CLAIMED]);
}

export async function saveCustomer(query: Query, t: Table, record: Pick<ShopperCustomer, 'gateway' | 'shopperId' | 'customerId'>, at: string): Promise<ShopperCustomer> {
  const rows = await query<CustomerRow>(
    `INSERT INTO ${t('gateway_customers')} (gateway, shopper_id, customer_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
     ON CONFLICT (gateway, shopper_id) DO UPDATE SET customer_id = excluded.customer_id, updated_at = excluded.updated_at
     RETURNING *`,
    [record.gateway, record.shopperId, record.customerId, at],
  );
  return customerFromRow(rows[0]);
}
