import { maskCard, parseAmount, parseCurrency } from './cards.ts';
import { ALIPAY_DECLINE, UNIONPAY_DECLINES, UNIONPAY_TEST_CARDS } from './data.ts';
import { KpaymentApiError } from './errors.ts';
import { approvalCode, kpaymentDate, kpaymentId } from './ids.ts';
import type { CreateChargeParams, UnionpayPaymentParams } from './params.ts';
import type { KpaymentStore, Merchant, RedirectChargeRecord, RedirectKind } from './state.ts';

/** Called when an Alipay or UnionPay charge reaches its result: the notify goes out (§6.5.4). */
export type OnRedirectDecided = (merchant: Merchant, charge: RedirectChargeRecord) => void;

/** Where the hosted pages live: `/kpgw/alipay/{redr_…}` (as the guide's `…/alipay/dfesf31223/`, L3278) and `/kpgw/unionpay/{redr_…}`. */
export const REDIRECT_BASE = '/kpgw';

export type UnionpayDetails = Omit<UnionpayPaymentParams, 'card_number'>;

/**
 * Alipay and UnionPay (§4.4, §4.5): Create Charge answers `Initialize` + `success` with the hosted page in
 * `redirect_url`; the page decides (`Authorized` or `Declined`), the notify goes out and the browser is
 * sent to the merchant's callback URL with `objectId` and `status`.
 */
export class KpaymentRedirects {
  constructor(
    private readonly store: KpaymentStore,
    private readonly clock: { now(): number },
    private readonly onDecided: OnRedirectDecided,
  ) {}

  create(merchant: Merchant, params: CreateChargeParams, origin: string): RedirectChargeRecord {
    const kind = params.source_type as RedirectKind;
    if (kind !== 'alipay' && kind !== 'unionpay') throw new KpaymentApiError('invalid_parameter', 'source_type must be alipay or unionpay');
    const currency = parseCurrency(params.currency);
    if (currency !== 'THB') throw new KpaymentApiError('currency_invalid', `${kind === 'alipay' ? 'Alipay' : 'UnionPay'} charges are in THB, not ${currency}`);
    const amount = parseAmount(params.amount, currency);
    // The UnionPay sample sends additional_data.mid, the Alipay one nothing (L1472–1500): checked when given.
    const mid = params.additional_data?.mid ?? null;
    if (mid !== null && mid !== merchant.settings.mid) throw new KpaymentApiError('mid_and_tid_not_exist', `MID ${mid} does not exist for this merchant`);
    if (params.token || params.dcc_data || params.smartpay || params.customer) {
      throw new KpaymentApiError('invalid_parameter', `token, dcc_data, smartpay and customer are for card charges, not ${kind}`);
    }
    const redirectId = kpaymentId('redr');
    const charge: RedirectChargeRecord = {
      id: kpaymentId('chrg'),
      kind,
      redirectId,
      redirectUrl: `${origin}${REDIRECT_BASE}/${kind}/${redirectId}`,
      amount,
      currency,
      description: params.description,
      referenceOrder: params.reference_order,
      orderId: params.order_id ?? null,
      refs: [params.ref_1 ?? null, params.ref_2 ?? null, params.ref_3 ?? null],
      metadata: params.metadata ?? {},
      mid,
      callbackType: params.callback_type ?? 'web',
      state: 'Initialize',
      status: 'success',
      failureCode: null,
      failureMessage: null,
      approvalCode: null,
      unionpay: null,
      createdAt: this.clock.now(),
      decidedAt: null,
    };
    this.store.addRedirectCharge(merchant, charge);
    return charge;
  }

  /** By charge id, `order_id` or `reference_order` (the latest), as the card inquiry finds charges (§10.8). */
  find(merchant: Merchant, key: string): RedirectChargeRecord | undefined {
    if (key.startsWith('chrg_')) return merchant.redirectCharges.get(key);
    const byOrder = /^(order|ordr)_/.test(key);
    let found: RedirectChargeRecord | undefined;
    for (const c of merchant.redirectCharges.values()) if ((byOrder ? c.orderId : c.referenceOrder) === key) found = c;
    return found;
  }

  checkTransactionDate(charge: RedirectChargeRecord, date: string): void {
    if (!/^\d{8}$/.test(date)) throw new KpaymentApiError('transaction_date_invalid');
    if (date !== kpaymentDate(charge.createdAt)) throw new KpaymentApiError('invalid_parameter', 'Invalid Charge ID or Transaction date value');
  }

  charge(merchant: Merchant, chargeId: string): RedirectChargeRecord {
    const charge = merchant.redirectCharges.get(chargeId);
    if (!charge) throw new KpaymentApiError('charge_id_not_exist');
    return charge;
  }

  awaiting(charge: RedirectChargeRecord): boolean {
    return charge.state === 'Initialize' && charge.decidedAt === null;
  }

  /** The Alipay wallet's answer (the page's "Pay" or "Fail"). */
  alipay(merchant: Merchant, charge: RedirectChargeRecord, result: 'pay' | 'fail'): RedirectChargeRecord {
    this.expect(charge, 'alipay');
    if (result === 'pay') return this.approve(merchant, charge);
    return this.decline(merchant, charge, ALIPAY_DECLINE);
  }

  /**
   * UnionPay step 1 (TPN's page): the card number. A number of §7.3 goes on to its network's page
   * (TPN: expiry, CVN2, PIN; UPI: also the SMS code); any other is declined `14` Invalid Card Number.
   */
  unionpayNumber(merchant: Merchant, charge: RedirectChargeRecord, number: string): RedirectChargeRecord {
    this.expect(charge, 'unionpay');
    if (charge.unionpay) throw new KpaymentApiError('invalid_parameter', 'the card number was already entered');
    const card = UNIONPAY_TEST_CARDS[number];
    charge.unionpay = { number, network: card?.network ?? 'TPN', masking: maskCard(number) };
    if (!card) return this.decline(merchant, charge, UNIONPAY_DECLINES.unknownCard);
    return charge;
  }

  /** UnionPay step 2: the card's details as §7.3 lists them; the first wrong one declines (one try). */
  unionpayDetails(merchant: Merchant, charge: RedirectChargeRecord, details: UnionpayDetails): RedirectChargeRecord {
    this.expect(charge, 'unionpay');
    if (!charge.unionpay) throw new KpaymentApiError('invalid_parameter', 'enter the card number first');
    const card = UNIONPAY_TEST_CARDS[charge.unionpay.number];
    const expiry = details.expiry.replace(/\s/g, '');
    if (expiry !== card.expiry) return this.decline(merchant, charge, UNIONPAY_DECLINES.wrongExpiry);
    if (details.cvn2 !== card.cvn2) return this.decline(merchant, charge, UNIONPAY_DECLINES.wrongCvn2);
    if (card.network === 'UPI' && !card.smsCodes.includes(details.sms_code)) return this.decline(merchant, charge, UNIONPAY_DECLINES.wrongSmsCode);
    if (details.pin !== card.pin) return this.decline(merchant, charge, UNIONPAY_DECLINES.wrongPin);
    return this.approve(merchant, charge);
  }

  /** Both UnionPay steps at once (the control for tests without a browser). */
  unionpay(merchant: Merchant, charge: RedirectChargeRecord, params: UnionpayPaymentParams): RedirectChargeRecord {
    const { card_number: number, ...details } = params;
    this.unionpayNumber(merchant, charge, number);
    return this.awaiting(charge) ? this.unionpayDetails(merchant, charge, details) : charge;
  }

  private expect(charge: RedirectChargeRecord, kind: RedirectKind): void {
    if (charge.kind !== kind) throw new KpaymentApiError('invalid_parameter', `this is ${charge.kind === 'alipay' ? 'an Alipay' : 'a UnionPay'} charge`);
    if (!this.awaiting(charge)) throw new KpaymentApiError('invalid_parameter', 'this payment is no longer waiting for the payer');
  }

  private approve(merchant: Merchant, charge: RedirectChargeRecord): RedirectChargeRecord {
    charge.state = 'Authorized';
    charge.status = 'success';
    charge.approvalCode = approvalCode();
    charge.decidedAt = this.clock.now();
    this.onDecided(merchant, charge);
    return charge;
  }

  private decline(merchant: Merchant, charge: RedirectChargeRecord, reason: { code: string; message: string }): RedirectChargeRecord {
    charge.state = 'Declined';
    charge.status = 'fail';
    charge.failureCode = reason.code;
    charge.failureMessage = reason.message;
    charge.decidedAt = this.clock.now();
    this.onDecided(merchant, charge);
    return charge;
  }
}
