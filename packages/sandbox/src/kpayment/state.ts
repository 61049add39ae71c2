import type { Currency } from '@payment-checkout/core';
import { FaultScenario } from '../faults.ts';
import type { CardBrand, QrChannel, ResponseCode } from './data.ts';
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

// ── Thai QR and WeChat Pay ──────────────────────────────────────────────────────────────────────

export type QrSourceType = 'qr' | 'wechat';

/** An order of the Order API (§6.3): what one QR code will be for. */
export interface OrderRecord {
  id: string;
  amount: number;
  currency: Currency;
  description: string;
  sourceType: QrSourceType;
  referenceOrder: string;
  additionalData: { mid: string | null; tid: string | null; smartpayId: string | null; term: number | null; campaignId: string | null } | null;
  customerId: string | null;
  /** As the merchant sent it (a list of items, or an object: the guide shows both, L2625). */
  metadata: unknown;
  refs: [string | null, string | null, string | null];
  infos: [string | null, string | null, string | null];
  shopImageUrl: string | null;
  createdAt: number;
  expireSeconds: number;
  /** The QR code shown for it, once the script opened it (one per order). */
  qrId: string | null;
}

/** `pending` until paid, failed, expired (the order's expiry, or the simulator) or cancelled (Cancel QR). */
export type QrState = 'pending' | 'paid' | 'failed' | 'expired' | 'cancelled';

export interface QrRecord {
  id: string;
  orderId: string;
  createdAt: number;
  /** The order's expiry, or when the simulator expired it. */
  expiresAt: number;
  state: QrState;
  /** What the image encodes: a Thai QR (EMVCo) or a WeChat Pay link. */
  payload: string;
  shopName: string;
  /** The charge of the payment (paid or failed), once there is one. */
  chargeId: string | null;
}

export type QrTransactionState = 'Authorized' | 'Declined' | 'Voided' | 'Settled';

/** The charge a QR payment creates (Inquiry QR, Void QR, the QR notify). */
export interface QrChargeRecord {
  id: string;
  orderId: string;
  qrId: string;
  sourceType: QrSourceType;
  amount: number;
  currency: Currency;
  description: string;
  metadata: unknown;
  referenceOrder: string;
  channel: QrChannel;
  state: QrTransactionState;
  status: 'success' | 'fail';
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: number;
}

// ── Alipay and UnionPay ─────────────────────────────────────────────────────────────────────────

export type RedirectKind = 'alipay' | 'unionpay';

/** A Create Charge with `source_type` alipay or unionpay: `Initialize` until the hosted page decides. */
export interface RedirectChargeRecord {
  id: string;
  kind: RedirectKind;
  /** The source id (`redr_test_…`, L3265) and the hosted page's path segment. */
  redirectId: string;
  redirectUrl: string;
  amount: number;
  currency: Currency;
  description: string;
  referenceOrder: string;
  orderId: string | null;
  refs: [string | null, string | null, string | null];
  metadata: Record<string, unknown>;
  mid: string | null;
  callbackType: 'web' | 'mobile';
  state: 'Initialize' | 'Authorized' | 'Declined';
  status: 'success' | 'fail';
  failureCode: string | null;
  failureMessage: string | null;
  approvalCode: string | null;
  /** UnionPay: the card number of the first step, then its network and masked number. */
  unionpay: { number: string; network: 'TPN' | 'UPI'; masking: string } | null;
  createdAt: number;
  decidedAt: number | null;
}

export interface Settings {
  /** The merchant's name as registered for its merchant ids: what the bank's 3-D Secure page shows (null: none shown). */
  merchantName: string | null;
  callbackUrl: string | null;
  notifyUrl: string | null;
  threeDSecure: boolean;
  mid: string;
  dccMid: string;
  smartpayIds: z.output<typeof SmartpayIdSetting>[];
  installmentPlans: z.output<typeof InstallmentPlanSetting>[];
  notify: z.output<typeof NotifyMode>;
  /** `expire_time_seconds` of new orders when the request does not say. */
  orderExpireSeconds: number;
  /** Who settles Authorized card charges: the merchant (Settle API) or the account itself at the day's cut-off. */
  settlement: 'manual' | 'auto';
}

export interface Merchant {
  /** The `<x>` of `pkey_test_<x>` / `skey_test_<x>`. */
  id: string;
  secretKey: string;
  settings: Settings;
  tokens: Map<string, TokenRecord>;
  charges: Map<string, ChargeRecord>;
  customers: Map<string, CustomerRecord>;
  orders: Map<string, OrderRecord>;
  qrCodes: Map<string, QrRecord>;
  qrCharges: Map<string, QrChargeRecord>;
  redirectCharges: Map<string, RedirectChargeRecord>;
  deliveries: NotifyAttempt[];
  /** Faults of this merchant's API requests and notifies (`faults.ts`). */
  scenario: FaultScenario;
}

export function defaultSettings(): Settings {
  return {
    merchantName: null,
    callbackUrl: null,
    notifyUrl: null,
    threeDSecure: DEFAULT_SETTINGS.threeDSecure,
    mid: DEFAULT_SETTINGS.mid,
    dccMid: DEFAULT_SETTINGS.dccMid,
    smartpayIds: DEFAULT_SETTINGS.smartpayIds.map((s) => ({ ...s, terms: [...s.terms] })),
    installmentPlans: DEFAULT_SETTINGS.installmentPlans.map((p) => ({ ...p, terms: [...p.terms] })),
    notify: 'normal',
    orderExpireSeconds: DEFAULT_SETTINGS.orderExpireSeconds,
    settlement: DEFAULT_SETTINGS.settlement,
  };
}

/** All merchants, created on first use of a well-formed key; lookups across merchants for the hosted pages. */
export class KpaymentStore {
  private readonly merchants = new Map<string, Merchant>();
  private readonly byAuthId = new Map<string, { merchant: Merchant; charge: ChargeRecord }>();
  /** Customer id → owner, so that another merchant's customer is `customer_authen_fail`, not `customer_invalid`. */
  private readonly customerOwner = new Map<string, Merchant>();
  /** QR id → owner, in creation order (the QR simulator lists them). */
  private readonly qrOwner = new Map<string, { merchant: Merchant; qr: QrRecord }>();
  private readonly byRedirectId = new Map<string, { merchant: Merchant; charge: RedirectChargeRecord }>();

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
        orders: new Map(),
        qrCodes: new Map(),
        qrCharges: new Map(),
        redirectCharges: new Map(),
        deliveries: [],
        scenario: new FaultScenario(),
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

  addQr(merchant: Merchant, qr: QrRecord): void {
    merchant.qrCodes.set(qr.id, qr);
    this.qrOwner.set(qr.id, { merchant, qr });
  }

  byQr(qrId: string): { merchant: Merchant; qr: QrRecord } | undefined {
    return this.qrOwner.get(qrId);
  }

  /** Every QR code of the sandbox, newest first. */
  allQrs(): Array<{ merchant: Merchant; qr: QrRecord }> {
    return [...this.qrOwner.values()].reverse();
  }

  addRedirectCharge(merchant: Merchant, charge: RedirectChargeRecord): void {
    merchant.redirectCharges.set(charge.id, charge);
    this.byRedirectId.set(charge.redirectId, { merchant, charge });
  }

  byRedirect(redirectId: string): { merchant: Merchant; charge: RedirectChargeRecord } | undefined {
    return this.byRedirectId.get(redirectId);
  }
}
