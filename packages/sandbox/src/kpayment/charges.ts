import { CURRENCY_EXPONENT } from '@payment-checkout/core';
import { cardBrand, dccQuote, foreignCurrency, issuerResponse, luhnValid, maskCard, parseAmount, parseCurrency } from './cards.ts';
import {
  FAILED_AUTHENTICATION_CODE,
  REFUND_MAX_DAYS,
  REFUND_WITHOUT_DATE_DAYS,
  RESPONSE_MESSAGES,
  type ResponseCode,
  SANDBOX_OTP,
  TOKEN_LIFETIME_MS,
} from './data.ts';
import { KpaymentApiError, mandatory } from './errors.ts';
import { approvalCode, kpaymentDate, kpaymentId, mpiData, nextLocalMidnight } from './ids.ts';
import type { CreateChargeParams, CreateTokenParams, RefundParams, SettleParams } from './params.ts';
import type { CardRecord, ChargeRecord, KpaymentStore, Merchant, RefundRecord, TokenRecord } from './state.ts';

export interface Clock {
  now(): number;
}

/** Called when a charge reaches its authorization result: the notify webhook goes out. */
export type OnDecided = (merchant: Merchant, charge: ChargeRecord) => void;

const DAY_MS = 86_400_000;
const REFUNDABLE = new Set(['Settled', 'Partial Refund', 'Refund Sent']);

/** Tokens, charges and their state rules (the appendix and §5.3 of the digest). Handlers only parse and serialize. */
export class KpaymentCharges {
  constructor(
    private readonly store: KpaymentStore,
    private readonly clock: Clock,
    private readonly onDecided: OnDecided,
  ) {}

  // ── Tokens (the hosted card form's backend) ─────────────────────────────────────────────────────

  createToken(merchant: Merchant, params: CreateTokenParams): TokenRecord {
    let card: CardRecord;
    let customerId: string | null = null;
    let savecard = false;
    if ('number' in params) {
      if (!luhnValid(params.number)) throw new KpaymentApiError('invalid_parameter', 'card number is invalid');
      const brand = cardBrand(params.number);
      if (!brand) throw new KpaymentApiError('card_error', 'Card type is not supported (Visa, MasterCard and JCB only)');
      const year = params.expiry_year < 100 ? 2000 + params.expiry_year : params.expiry_year;
      const now = new Date(this.clock.now());
      if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && params.expiry_month < now.getUTCMonth() + 1)) {
        throw new KpaymentApiError('invalid_parameter', 'card has expired');
      }
      card = {
        id: kpaymentId('card'),
        number: params.number,
        brand,
        name: params.name,
        expiryMonth: params.expiry_month,
        expiryYear: year,
        masking: maskCard(params.number),
      };
      savecard = params.savecard ?? false;
    } else {
      const customer = this.customerOf(merchant, params.customer_id);
      const saved = customer.cards.find((c) => c.id === params.card_id);
      if (!saved) throw new KpaymentApiError('card_invalid');
      card = saved;
      customerId = customer.id;
    }
    const token: TokenRecord = { id: kpaymentId('tokn'), card, createdAt: this.clock.now(), customerId, savecard, chargeId: null, savedBy: null };
    merchant.tokens.set(token.id, token);
    return token;
  }

  // ── Charges ─────────────────────────────────────────────────────────────────────────────────────

  createCharge(merchant: Merchant, params: CreateChargeParams, origin: string): ChargeRecord {
    const now = this.clock.now();
    const { settings } = merchant;
    // Alipay and UnionPay are KpaymentRedirects' (the route sends them there).
    if (params.source_type !== 'card') throw new KpaymentApiError('invalid_parameter', 'source_type must be card, alipay or unionpay');
    if (!params.mode) throw mandatory('mode');
    if (params.mode !== 'token' && params.mode !== 'customer' && params.mode !== 'register3d') {
      throw new KpaymentApiError('invalid_parameter', 'mode must be token, customer or register3D');
    }
    const mode = params.mode;
    if (!params.additional_data) throw mandatory('additional_data.mid');
    const currency = parseCurrency(params.currency);
    const amount = parseAmount(params.amount, currency);

    // Merchant ids: the MCC one takes any supported currency, the Full DCC one charges baht (decisions.md 3).
    const mid = params.additional_data.mid;
    const isDccMid = mid === settings.dccMid;
    if (mid !== settings.mid && !isDccMid) throw new KpaymentApiError('mid_and_tid_not_exist', `MID ${mid} does not exist for this merchant`);
    if (isDccMid && currency !== 'THB') throw new KpaymentApiError('mid_and_tid_not_exist', `MID ${mid} (Full DCC) is not mapped to ${currency}`);
    if (params.dcc_data && !isDccMid) throw new KpaymentApiError('mid_and_tid_not_exist', 'dcc_data needs the Full DCC merchant id in additional_data.mid');
    if (isDccMid && !params.dcc_data) throw mandatory('dcc_data.dcc_currency');

    // Installments: SmartpayID (additional_data) or Installment Plan (smartpay object), never both (§10.12).
    const { smartpay_id: smartpayId, term: smartpayTerm } = params.additional_data;
    if (smartpayId && params.smartpay) throw new KpaymentApiError('invalid_parameter', 'send either additional_data.smartpay_id or the smartpay object, not both');
    let ipanMode: string | null = null;
    let term: number | null = null;
    if (smartpayId || params.smartpay) {
      if (isDccMid) throw new KpaymentApiError('invalid_parameter', 'installments (SmartPay) are not available on the Full DCC merchant id');
      if (mode === 'register3d') throw new KpaymentApiError('invalid_parameter', 'register3D charges cannot be paid in installments');
      if (currency !== 'THB') throw new KpaymentApiError('currency_invalid', 'SmartPay installments are paid in THB');
    }
    if (smartpayId) {
      if (smartpayTerm === undefined) throw mandatory('additional_data.term');
      const setting = settings.smartpayIds.find((s) => s.smartpayId === smartpayId);
      if (!setting) throw new KpaymentApiError('smartpay_invalid', `smartpay information cannot found in system: smartpay_id ${smartpayId}`);
      if (!setting.terms.includes(smartpayTerm)) throw new KpaymentApiError('smartpay_invalid', `term ${smartpayTerm} is not offered for smartpay_id ${smartpayId}`);
      ipanMode = setting.ipanMode;
      term = smartpayTerm;
    }
    const plan = params.smartpay;
    if (plan) {
      const same = (a: string, b: string) => a.replace(/^0+(?=.)/, '') === b.replace(/^0+(?=.)/, '');
      const setting = settings.installmentPlans.find(
        (p) => same(p.planId, plan.plan_id) && p.ipanMode === plan.ipan_mode && same(p.productType, plan.product_type) && p.supplierNo === plan.supplier_no && p.modelNo === plan.model_no,
      );
      if (!setting) throw new KpaymentApiError('smartpay_invalid', `smartpay information cannot found in system: plan ${plan.plan_id}`);
      if (!setting.terms.includes(plan.payment_term)) throw new KpaymentApiError('smartpay_invalid', `payment_term ${plan.payment_term} is not offered by plan ${plan.plan_id}`);
      const major = amount / 100;
      if (major < setting.minPrice || major > setting.maxPrice) {
        throw new KpaymentApiError('smartpay_invalid', `amount is outside plan ${plan.plan_id}'s price range ${setting.minPrice}–${setting.maxPrice}`);
      }
      ipanMode = plan.ipan_mode;
      term = plan.payment_term;
    }

    // The card: a fresh token, a saved card's token, or a saved card by id (mode customer).
    let token: TokenRecord | null = null;
    let card: CardRecord;
    let customerId: string | null = null;
    if (mode === 'customer') {
      if (!params.customer) throw mandatory('customer.customer_id');
      if (!params.customer.card_id) throw mandatory('customer.card_id');
      const customer = this.customerOf(merchant, params.customer.customer_id);
      const saved = customer.cards.find((c) => c.id === params.customer!.card_id);
      if (!saved) throw new KpaymentApiError('card_invalid');
      card = saved;
      customerId = customer.id;
    } else {
      if (!params.token) throw mandatory('token');
      token = this.usableToken(merchant, params.token);
      if (token.savecard && params.savecard === undefined) throw mandatory('savecard');
      if (token.customerId) {
        if (!params.customer) throw mandatory('customer.customer_id');
        if (params.customer.customer_id !== token.customerId) throw new KpaymentApiError('customer_invalid', 'the token is a saved card of another customer');
      }
      if (params.customer) customerId = this.customerOf(merchant, params.customer.customer_id).id;
      card = token.card;
    }

    if (mode === 'register3d') {
      if (!settings.threeDSecure) throw new KpaymentApiError('register_3d_mode_not_allow');
      if (foreignCurrency(card.number)) throw new KpaymentApiError('foreign_card_not_supported');
      if (currency !== 'THB' || amount !== 10 ** CURRENCY_EXPONENT.THB) throw new KpaymentApiError('amount_invalid', 'register3D charges are THB 1.00 (L1235)');
    }

    let dcc: ChargeRecord['dcc'] = null;
    if (params.dcc_data && params.dcc_data.dcc_currency !== 'THB') {
      const chosen = params.dcc_data.dcc_currency;
      const own = foreignCurrency(card.number);
      if (card.brand === 'jcb') throw new KpaymentApiError('card_error', 'Full DCC accepts Visa and MasterCard only');
      if (own !== chosen) throw new KpaymentApiError('currency_invalid', `dcc_currency ${chosen} is not this card's currency`);
      const quote = dccQuote(amount, own);
      dcc = { currency: own, rate: quote.rate, convertedAmount: quote.converted };
    }

    const threeDSecure = settings.threeDSecure;
    const authId = threeDSecure ? kpaymentId('auth') : null;
    const charge: ChargeRecord = {
      id: kpaymentId('chrg'),
      amount,
      currency,
      description: params.description,
      mode,
      referenceOrder: params.reference_order,
      orderId: params.order_id ?? null,
      refs: [params.ref_1 ?? null, params.ref_2 ?? null, params.ref_3 ?? null],
      metadata: params.metadata ?? {},
      tokenId: token?.id ?? null,
      card,
      customerId,
      savecard: params.savecard ?? false,
      mid,
      tid: params.additional_data.tid ?? null,
      campaignId: params.additional_data.campaign_id ?? null,
      smartpayId: smartpayId ?? null,
      plan: plan
        ? { planId: plan.plan_id, ipanMode: plan.ipan_mode, productType: plan.product_type, paymentTerm: plan.payment_term, supplierNo: plan.supplier_no, modelNo: plan.model_no }
        : null,
      term,
      ipanMode,
      dcc,
      callbackType: params.callback_type ?? (mode === 'register3d' ? 'mobile' : 'web'),
      threeDSecure,
      state: threeDSecure ? 'Pre-Authorized' : 'Initialize',
      status: 'success',
      failureCode: null,
      failureMessage: null,
      approvalCode: null,
      mpi: null,
      authId,
      redirectUrl: authId ? `${origin}/KPGW-Auth3d-Webapi/Authorize/${authId}` : null,
      otpRequestedAt: null,
      createdAt: now,
      decidedAt: null,
      settlement: null,
      refunds: [],
      refundSentAt: null,
    };
    if (token) token.chargeId = charge.id;
    this.store.addCharge(merchant, charge);
    if (!threeDSecure) this.decide(merchant, charge, issuerResponse(card.number));
    return charge;
  }

  /** A charge of this merchant, with its "next day" steps applied. */
  charge(merchant: Merchant, id: string): ChargeRecord {
    const charge = merchant.charges.get(id);
    if (!charge) throw new KpaymentApiError('charge_id_not_exist');
    return this.catchUp(merchant, charge);
  }

  /**
   * Inquiry by charge id, `order_id` or `reference_order` (§10.8: told apart by prefix), with an optional
   * `YYYYMMDD` that must be the charge's creation date, and is needed for a charge more than 180 days old.
   */
  inquire(merchant: Merchant, key: string, transactionDate?: string): ChargeRecord {
    const charge = this.find(merchant, key);
    if (!charge) throw new KpaymentApiError('charge_id_not_exist');
    if (transactionDate !== undefined) this.checkTransactionDate(charge, transactionDate);
    // "Inquiry data more than 6 months" (v4.3) takes the charge's date (L1566): asked without it, refused.
    else if ((this.clock.now() - charge.createdAt) / DAY_MS > REFUND_WITHOUT_DATE_DAYS) {
      throw new KpaymentApiError('invalid_parameter', `transaction_date is needed to inquire a charge more than ${REFUND_WITHOUT_DATE_DAYS} days old`);
    }
    return this.catchUp(merchant, charge);
  }

  /** A card charge by id, `order_id` or `reference_order` (the latest: "must be unique" but the guide names no error). */
  find(merchant: Merchant, key: string): ChargeRecord | undefined {
    if (key.startsWith('chrg_')) return merchant.charges.get(key);
    const byOrder = /^(order|ordr)_/.test(key);
    let charge: ChargeRecord | undefined;
    for (const c of merchant.charges.values()) if ((byOrder ? c.orderId : c.referenceOrder) === key) charge = c;
    return charge;
  }

  /** Void: only an Authorized charge that was not settled (L1732). */
  voidCharge(merchant: Merchant, charge: ChargeRecord): ChargeRecord {
    this.catchUp(merchant, charge);
    if (charge.state !== 'Authorized') throw new KpaymentApiError('void_state_invalid', `Transaction status is not eligible for void (${charge.state})`);
    charge.state = 'Voided';
    return charge;
  }

  /** Settle: an Authorized charge, for its full amount or less (L1853–1865); Captured until the next day. */
  settle(merchant: Merchant, charge: ChargeRecord, params: SettleParams): ChargeRecord {
    this.catchUp(merchant, charge);
    if (charge.state !== 'Authorized') throw new KpaymentApiError('settle_state_invalid', `Transaction status is not eligible for settlement (${charge.state})`);
    const amount = parseAmount(params.amount, charge.currency);
    if (amount > charge.amount) throw new KpaymentApiError('amount_exceed', 'Amount exceeds the available limit which can be CHARGE');
    if (params.type === 'full' && amount !== charge.amount) throw new KpaymentApiError('invalid_parameter', 'a full settlement settles the charged amount; use type partial for less');
    charge.state = 'Captured';
    charge.settlement = { amount, at: this.clock.now() };
    return charge;
  }

  /** Refund: from Settled, Partial Refund or Refund Sent, up to what remains, within the date windows (L3889–3908). */
  refund(merchant: Merchant, charge: ChargeRecord, params: RefundParams): { charge: ChargeRecord; refund: RefundRecord } {
    this.catchUp(merchant, charge);
    if (!REFUNDABLE.has(charge.state) || !charge.settlement) {
      throw new KpaymentApiError('refund_state_invalid', `Transaction status is not valid to refund (${charge.state})`);
    }
    const ageDays = (this.clock.now() - charge.createdAt) / DAY_MS;
    if (params.transaction_date !== undefined) this.checkTransactionDate(charge, params.transaction_date);
    if (ageDays > REFUND_MAX_DAYS || (ageDays > REFUND_WITHOUT_DATE_DAYS && params.transaction_date === undefined)) {
      throw new KpaymentApiError('refund_transaction_is_not_owed');
    }
    const amount = parseAmount(params.amount, charge.currency);
    const remaining = charge.settlement.amount - charge.refunds.reduce((sum, r) => sum + r.amount, 0);
    if (amount > remaining) throw new KpaymentApiError('amount_exceed');
    if (charge.ipanMode) {
      // Installments (L3902–3904): one partial refund at most; the absorber of the interest limits the rest.
      if (charge.refunds.length > 0) throw new KpaymentApiError('partial_refund_is_not_allowed');
      const full = amount === charge.settlement.amount;
      if (!full && charge.ipanMode === '01') throw new KpaymentApiError('internal_permission_denied', 'Permission denied. (partial refund of a merchant-absorbed installment, IPAN mode 01)');
      if (full && (charge.ipanMode === '01' || charge.ipanMode === '02')) {
        throw new KpaymentApiError('internal_permission_denied', `Permission denied. (full refund of an installment, IPAN mode ${charge.ipanMode})`);
      }
    }
    const refund: RefundRecord = { id: kpaymentId('refd'), amount, reason: params.reason, createdAt: this.clock.now() };
    charge.refunds.push(refund);
    charge.state = 'Refund Sent';
    charge.refundSentAt = refund.createdAt;
    return { charge, refund };
  }

  // ── 3-D Secure ──────────────────────────────────────────────────────────────────────────────────

  /** Waiting for the cardholder: Pre-Authorized, nothing decided yet. */
  awaitingOtp(charge: ChargeRecord): boolean {
    return charge.state === 'Pre-Authorized' && charge.decidedAt === null;
  }

  requestOtp(charge: ChargeRecord): void {
    if (!this.awaitingOtp(charge)) throw new KpaymentApiError('invalid_parameter', 'this payment is no longer waiting for authentication');
    charge.otpRequestedAt = this.clock.now();
  }

  /**
   * The cardholder's OTP: `123456` authenticates and the issuer then answers as the card's test row
   * says; anything else fails authentication (Pre-Authorized + fail, appendix L3622).
   */
  authenticate(merchant: Merchant, charge: ChargeRecord, otp: string): ChargeRecord {
    if (!this.awaitingOtp(charge)) throw new KpaymentApiError('invalid_parameter', 'this payment is no longer waiting for authentication');
    if (charge.otpRequestedAt === null) throw new KpaymentApiError('invalid_parameter', 'request an OTP first');
    if (otp !== SANDBOX_OTP) {
      charge.status = 'fail';
      charge.failureCode = FAILED_AUTHENTICATION_CODE;
      charge.failureMessage = RESPONSE_MESSAGES[FAILED_AUTHENTICATION_CODE];
      charge.decidedAt = this.clock.now();
      this.onDecided(merchant, charge);
      return charge;
    }
    charge.mpi = mpiData(charge.card.brand);
    this.decide(merchant, charge, issuerResponse(charge.card.number));
    return charge;
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────────────

  private decide(merchant: Merchant, charge: ChargeRecord, code: ResponseCode): void {
    charge.decidedAt = this.clock.now();
    if (code === '00') {
      charge.state = 'Authorized';
      charge.status = 'success';
      charge.approvalCode = approvalCode();
      // Register 3D: the gateway voids the THB 1 itself once the card is verified (L1253–1264).
      if (charge.mode === 'register3d') charge.state = 'Voided';
    } else {
      charge.state = 'Declined';
      charge.status = 'fail';
      charge.failureCode = code;
      charge.failureMessage = RESPONSE_MESSAGES[code];
    }
    this.onDecided(merchant, charge);
  }

  /**
   * "Next day" completions (L1865, L2004): Captured → Settled; Refund Sent → Refunded or Partial Refund. A merchant
   * whose account settles by itself (setting `settlement: "auto"`, decisions.md C14) has its Authorized card
   * charges settled in full at the day's cut-off (the next Bangkok midnight after the payment).
   */
  private catchUp(merchant: Merchant, charge: ChargeRecord): ChargeRecord {
    const now = this.clock.now();
    if (merchant.settings.settlement === 'auto' && charge.state === 'Authorized' && charge.mode !== 'register3d' && charge.decidedAt !== null) {
      const cutOff = nextLocalMidnight(charge.decidedAt);
      if (now >= cutOff) {
        charge.settlement = { amount: charge.amount, at: cutOff };
        charge.state = 'Settled';
      }
    }
    if (charge.state === 'Captured' && charge.settlement && now >= nextLocalMidnight(charge.settlement.at)) charge.state = 'Settled';
    if (charge.state === 'Refund Sent' && charge.refundSentAt !== null && now >= nextLocalMidnight(charge.refundSentAt)) {
      const refunded = charge.refunds.reduce((sum, r) => sum + r.amount, 0);
      charge.state = refunded >= (charge.settlement?.amount ?? charge.amount) ? 'Refunded' : 'Partial Refund';
    }
    return charge;
  }

  private checkTransactionDate(charge: ChargeRecord, date: string): void {
    if (!/^\d{8}$/.test(date)) throw new KpaymentApiError('transaction_date_invalid');
    if (date !== kpaymentDate(charge.createdAt)) throw new KpaymentApiError('invalid_parameter', 'Invalid Charge ID or Transaction date value');
  }

  private usableToken(merchant: Merchant, id: string): TokenRecord {
    const token = merchant.tokens.get(id);
    if (!token || this.clock.now() >= token.createdAt + TOKEN_LIFETIME_MS) throw new KpaymentApiError('token_invalid');
    if (token.chargeId) throw new KpaymentApiError('used_token');
    return token;
  }

  /** A customer of this merchant: another merchant's is `customer_authen_fail`, an unknown or deleted one `customer_invalid`. */
  customerOf(merchant: Merchant, customerId: string) {
    const customer = merchant.customers.get(customerId);
    if (customer && !customer.deleted) return customer;
    const owner = this.store.customerOwnerOf(customerId);
    if (owner && owner !== merchant) throw new KpaymentApiError('customer_authen_fail');
    throw new KpaymentApiError('customer_invalid');
  }
}
