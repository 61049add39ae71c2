import type { OpnCharge } from '@payment-checkout/core';
import type { PaymentRecord } from '../../store/store.ts';
import type { OpnClient } from './opn-client.ts';
import { OpnClientError } from './opn-errors.ts';

/**
 * Finding the charge a create made for a payment when the create's answer was lost. The seeds document no
 * search and no lookup by metadata; the charge list (`GET /charges`, Opn's list object: `from`, `order`,
 * `limit`, `offset`, `total`) is read from just before the payment was stored, oldest first, and the charge
 * whose `metadata.payment_id` is the payment's is the one (the adapter sends it on every create).
 */

/** Opn's largest page (public API documentation; the sandbox's limit too). */
const PAGE_LIMIT = 100;
/** A lookup reads at most this many pages: its cost is bounded whatever the merchant's volume. */
const MAX_PAGES = 10;
/** How far the companion's clock and Opn's may differ when a payment's time is compared with a charge's. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface ChargeLookup {
  /** The companion's clock (the one `payment.createdAt` was stamped with). */
  now: () => number;
  /**
   * How long after the payment was stored a create may still land at Opn (its answer timed out, Opn was
   * still working): until then, finding nothing proves nothing.
   */
  settleMs: number;
  signal?: AbortSignal;
}

/**
 * The charge Opn made for `payment`. Throws `charge_not_found` when none exists and none can still appear,
 * `charge_not_found_yet` while one could still land, `charge_lookup_incomplete` when the pages ran out first.
 */
export async function findChargeOfPayment(client: OpnClient, payment: PaymentRecord, lookup: ChargeLookup): Promise<OpnCharge> {
  const storedAt = Date.parse(payment.createdAt);
  const from = new Date(storedAt - CLOCK_SKEW_MS).toISOString();
  // A charge created after this (Opn's clock) cannot be this payment's: the scan stops there.
  const lastPossible = storedAt + lookup.settleMs + CLOCK_SKEW_MS;
  let offset = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const list = await client.listCharges({ from, order: 'chronological', limit: PAGE_LIMIT, offset }, { signal: lookup.signal });
    const match = list.data.find((charge) => charge.metadata?.payment_id === payment.id);
    if (match) return match;
    offset += list.data.length;
    const exhausted = list.data.length === 0 || offset >= list.total || list.data.some((charge) => Date.parse(charge.created_at) > lastPossible);
    if (exhausted) {
      if (lookup.now() - storedAt < lookup.settleMs) {
        throw new OpnClientError('charge_not_found_yet', `No charge for payment ${payment.id} yet; its create may still be running at Opn.`);
      }
      throw new OpnClientError('charge_not_found', `Opn has no charge for payment ${payment.id}.`);
    }
  }
  throw new OpnClientError('charge_lookup_incomplete', `Read ${MAX_PAGES * PAGE_LIMIT} charges after payment ${payment.id} without finding its charge or the end of its window.`);
}
