import type { Currency } from '@payment-checkout/core';
import type { CardBrand, ResponseCode } from './data.ts';
import { DEFAULT_SETTINGS } from './data.ts';
import type { InstallmentPlanSetting, NotifyMode, SmartpayIdSetting } from './params.ts';
import type { z } from 'zod';

/** The emulator's in-memory records. Amounts are minor units; times are sandbox epoch ms; wire formats live in serialize.ts. */

export type TransactionState =
  | 'Initialize'
  | 'Pre-Authorized'
  | 'Authorized'
  | 'Declined'
  | 'Reversed'
  | 'Voided'
  | 'Captured'
  | 'Settled'
  | 'Refund Sent'
  | 'Refunded'
  | 'Partial Refund';

/** A card the emulator knows: tokenised once, possibly saved to a customer. The number never leaves the sandbox. */
export interface CardRecord {
  id: string;
  number: string;
  brand: CardBrand;
  name: string;
  expiryMonth: number;
  expiryYear: number;
  /** `441770*****5830`: first six, five stars, last four (L1400). */
  masking: string;
}

export interface TokenRecord {
  id: string;
  card: CardRecord;
  createdAt: number;
  /** The customer whose saved card this token stands for (the form's saved-card list), if any. */
  customerId: string | null;
  /** "Remember card" was ticked on the form. */
  savecard: boolean;
  /** The charge that used it (a token is single-use, decisions.md 10). */
  chargeId: string | null;
  /** The one extra use for Create Customer / Add Card after a successful charge with savecard (§10.23). */
  savedBy: string | null;
}

export interface RefundRecord {
  id: string;
  amount: number;
  reason: string;
  createdAt: number;
}

export interface ChargeRecord {
  id: string;
  amount: number;
  currency: Currency;
  description: string;
  mode: 'token' | 'customer' | 'register3d';
  referenceOrder: string;
  orderId: string | null;
  refs: [string | null, string | null, string | null];
  metadata: Record<string, unknown>;
  tokenId: string | null;
  card: CardRecord;
  customerId: string | null;
  savecard: boolean;
  mid: string;
  tid: string | null;
  campaignId: string | null;
  /** SmartpayID installments (additional_data.smartpay_id + term). */
  smartpayId: string | null;
  /** Installment Plan (the `smartpay` object). */
  plan: { planId: string; ipanMode: string; productType: string; paymentTerm: number; supplierNo: string; modelNo: string } | null;
  term: number | null;
  /** Who absorbs the interest of an installment charge (01 merchant, 02 cardholder, 03 supplier); null when paid in full. */
  ipanMode: string | null;
  dcc: { currency: 'USD' | 'JPY'; rate: number; convertedAmount: number } | null;
  callbackType: 'web' | 'mobile';
  threeDSecure: boolean;
  state: TransactionState;
  status: 'success' | 'fail';
  failureCode: ResponseCode | null;
  failureMessage: string | null;
  approvalCode: string | null;
  mpi: Record<string, unknown> | null;
  /** The path segment of `redirect_url` (`auth_test_…`), for 3-D Secure charges. */
  authId: string | null;
  redirectUrl: string | null;
  otpRequestedAt: number | null;
  createdAt: number;
  /** When the 3-D Secure result (or the non-3DS answer) was reached. */
  decidedAt: number | null;
  settlement: { amount: number; at: number } | null;
  refunds: RefundRecord[];
  /** When the latest Refund Sent was sent (it completes the next day). */
  refundSentAt: number | null;
}

export interface CustomerRecord {
  id: string;
  email: string;
  name: string;
  createdAt: number;
  cards: CardRecord[];
  defaultCardId: string | null;
  deleted: boolean;
}

export interface NotifyAttempt {
  object: 'notify_delivery';
  charge_id: string;
  transaction_state: TransactionState;
  url: string;
  attempt: number;
  /** HTTP status of the merchant's answer; null when the request failed (network error, timeout). */
  status_code: number | null;
  error: string | null;
  /** Sandbox time of the attempt (`YYYYMMDDHHmmSSsss`). */
  attempted_at: string;
}

export interface Settings {
  callbackUrl: string | null;
  notifyUrl: string | null;
  threeDSecure: boolean;
  mid: string;
  dccMid: string;
  smartpayIds: z.output<typeof SmartpayIdSetting>[];
  installmentPlans: z.output<typeof InstallmentPlanSetting>[];
  notify: z.output<typeof NotifyMode>;
}

export interface Merchant {
  /** The `<x>` of `pkey_test_<x>` / `skey_test_<x>`. */
  id: string;
  secretKey: string;
  settings: Settings;
  tokens: Map<string, TokenRecord>;
  charges: Map<string, ChargeRecord>;
  customers: Map<string, CustomerRecord>;
  deliveries: NotifyAttempt[];
}

export function defaultSettings(): Settings {
  return {
    callbackUrl: null,
    notifyUrl: null,
    threeDSecure: DEFAULT_SETTINGS.threeDSecure,
    mid: DEFAULT_SETTINGS.mid,
    dccMid: DEFAULT_SETTINGS.dccMid,
    smartpayIds: DEFAULT_SETTINGS.smartpayIds.map((s) => ({ ...s, terms: [...s.terms] })),
    installmentPlans: DEFAULT_SETTINGS.installmentPlans.map((p) => ({ ...p, terms: [...p.terms] })),
    notify: 'normal',
  };
}

/** All merchants, created on first use of a well-formed key; lookups across merchants for the hosted pages. */
export class KpaymentStore {
  private readonly merchants = new Map<string, Merchant>();
  private readonly byAuthId = new Map<string, { merchant: Merchant; charge: ChargeRecord }>();
  /** Customer id → owner, so that another merchant's customer is `customer_authen_fail`, not `customer_invalid`. */
  private readonly customerOwner = new Map<string, Merchant>();

  merchant(id: string): Merchant {
    let merchant = this.merchants.get(id);
    if (!merchant) {
      merchant = {
        id,
        secretKey: `skey_test_${id}`,
        settings: defaultSettings(),
        tokens: new Map(),
        charges: new Map(),
        customers: new Map(),
        deliveries: [],
      };
      this.merchants.set(id, merchant);
    }
    return merchant;
  }

  addCharge(merchant: Merchant, charge: ChargeRecord): void {
    merchant.charges.set(charge.id, charge);
    if (charge.authId) this.byAuthId.set(charge.authId, { merchant, charge });
  }

  byAuth(authId: string): { merchant: Merchant; charge: ChargeRecord } | undefined {
    return this.byAuthId.get(authId);
  }

  addCustomer(merchant: Merchant, customer: CustomerRecord): void {
    merchant.customers.set(customer.id, customer);
    this.customerOwner.set(customer.id, merchant);
  }

  customerOwnerOf(customerId: string): Merchant | undefined {
    return this.customerOwner.get(customerId);
  }
}
