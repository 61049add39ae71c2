import type { Currency, OpnFailureCode, PaymentMethodId, Platform } from '@payment-checkout/core';
import { webhookSecret } from './ids.ts';
import { FaultScenario } from '../faults.ts';

/** The emulator's in-memory records. Times are sandbox epoch milliseconds; the wire format is built in serialize.ts. */

export interface SourceRecord {
  id: string;
  type: PaymentMethodId;
  amount: number;
  currency: Currency;
  platformType: Platform | null;
  ip: string | null;
  createdAt: number;
  chargeId: string | null;
  providerReference: string | null;
}

export type ChargeStatus = 'pending' | 'successful' | 'failed' | 'expired' | 'reversed';

export interface RefundRecord {
  id: string;
  chargeId: string;
  amount: number;
  currency: Currency;
  voided: boolean;
  transactionId: string;
  metadata: Record<string, unknown>;
  createdAt: number;
}

export interface ChargeRecord {
  id: string;
  /** The `pay2_test_…` id of the authorize page. */
  paymentId: string;
  amount: number;
  currency: Currency;
  sourceId: string;
  sourceType: PaymentMethodId;
  status: ChargeStatus;
  /** The payer approved it (for `capture: false`, the charge then waits for capture or reverse). */
  authorized: boolean;
  capture: boolean;
  failureCode: OpnFailureCode | null;
  failureMessage: string | null;
  returnUri: string;
  authorizeUri: string;
  description: string | null;
  metadata: Record<string, unknown>;
  ip: string | null;
  createdAt: number;
  paidAt: number | null;
  expiresAt: number | null;
  expiredAt: number | null;
  reversedAt: number | null;
  voided: boolean;
  transactionId: string | null;
  refunds: RefundRecord[];
}

export interface EventRecord {
  id: string;
  key: string;
  createdAt: number;
  /** The object as it was when the event happened (a wire charge or refund). */
  data: { object: string; id: string } & Record<string, unknown>;
}

export interface DeliveryAttempt {
  object: 'webhook_delivery';
  event_id: string;
  event_key: string;
  url: string;
  attempt: number;
  /** HTTP status of the receiver's answer; null when the request failed (network error, timeout). */
  status_code: number | null;
  error: string | null;
  /** Sandbox time of the attempt (ISO 8601). */
  attempted_at: string;
}

export interface Merchant {
  /** The `<x>` of `pkey_test_<x>` / `skey_test_<x>`. */
  id: string;
  publicKey: string;
  sources: Map<string, SourceRecord>;
  charges: Map<string, ChargeRecord>;
  events: Map<string, EventRecord>;
  webhookEndpoints: string[];
  webhookSecret: string;
  /** Faults of this merchant's API requests and webhooks (`faults.ts`). */
  scenario: FaultScenario;
  deliveries: DeliveryAttempt[];
}

/** All merchants, created on first use of a well-formed key pair. */
export class OpnStore {
  private readonly merchants = new Map<string, Merchant>();
  private readonly byPaymentId = new Map<string, { merchant: Merchant; charge: ChargeRecord }>();

  merchant(id: string): Merchant {
    let merchant = this.merchants.get(id);
    if (!merchant) {
      merchant = {
        id,
        publicKey: `pkey_test_${id}`,
        sources: new Map(),
        charges: new Map(),
        events: new Map(),
        webhookEndpoints: [],
        webhookSecret: webhookSecret(),
        scenario: new FaultScenario(),
        deliveries: [],
      };
      this.merchants.set(id, merchant);
    }
    return merchant;
  }

  allMerchants(): Iterable<Merchant> {
    return this.merchants.values();
  }

  addCharge(merchant: Merchant, charge: ChargeRecord): void {
    merchant.charges.set(charge.id, charge);
    this.byPaymentId.set(charge.paymentId, { merchant, charge });
  }

  byPayment(paymentId: string): { merchant: Merchant; charge: ChargeRecord } | undefined {
    return this.byPaymentId.get(paymentId);
  }
}
