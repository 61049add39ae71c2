import {
  CheckoutError,
  type Currency,
  KPAYMENT_METHODS,
  type KpaymentBrowserConfig,
  type KpaymentCharge,
  KpaymentNotify,
  type NextAction,
  kpaymentState,
  minorToDecimal,
} from '@payment-checkout/core';
import { verifyKpaymentChecksum } from '@payment-checkout/core/signature';
import type { PaymentEvent, PaymentRecord } from '../../store/store.ts';
import {
  type AfterPaidEvent,
  type AfterPaidStep,
  type ChargeForm,
  GatewayError,
  type GatewayReadOptions,
  type GatewayStatus,
  type PaymentGateway,
  type StartPaymentInput,
  type StartedPayment,
  type WebhookInput,
  type WebhookNotice,
} from '../gateway.ts';
import type { KpaymentCards } from './kpayment-cards.ts';
import type { OperationContext, OperationRequest, OperationRules } from '../operations.ts';
import { amountMismatch, chargeOutcome } from './kpayment-charge-status.ts';
import { kpaymentOperate, kpaymentOperationRules, transactionDateFor } from './kpayment-operations.ts';
import type { KpaymentClient, KpaymentCreateChargeParams } from './kpayment-client.ts';
import { KpaymentApiError, isDeadCustomer, outcomeUnknown } from './kpayment-errors.ts';
import { type CardForm, type CardFormSettings, formAttributes, installmentsOffered, planInForce, readCardForm } from './kpayment-form.ts';
import { KpaymentQrPayments, isQrMethod } from './kpayment-qr.ts';
import { isRedirectMethod, startRedirectCharge } from './kpayment-redirects.ts';

export interface KpaymentGatewayOptions {
  client: KpaymentClient;
  cards: KpaymentCards;
  settings: CardFormSettings & { scriptUrl: string };
  /** The secret key, for the notify checksum only. */
  secretKey: string;
  /** Where browsers reach the companion: the token form's and the QR completion's actions are built on it. */
  publicBaseUrl: string;
  /** Thai QR / WeChat Pay orders: `expire_time_seconds` to ask for (null: the gateway's own). */
  qrExpireSeconds?: number | null;
  /** The companion's clock (QR expiry by our own count). */
  now?: () => number;
}

/** After the client's timeout, how long a charge create that got no answer may still land at K-Payment. */
const LATE_CHARGE_MARGIN_MS = 20_000;
/** A card payment may wait this long for the shopper to send the card form before the reconciler ends it. */
const CARD_FORM_GRACE_MS = 60 * 60_000;

/**
 * The K-Payment Gateway adapter. Cards (guide §4.1, §4.2, §4.6): the payment starts with the embedded card
 * form (`kpayment.min.js`), whose token the browser posts back to the companion, which creates the charge
 * (Full MCC, Full DCC, SmartPay by SmartpayID or by Installment Plan, a saved card); 3-D Secure charges then go
 * through the bank's page and come back by the callback. Thai QR and WeChat Pay (§4.3, kpayment-qr.ts): an
 * order the script shows as a QR. Alipay and UnionPay (§4.4–4.5, kpayment-redirects.ts): a charge whose
 * hosted page the shopper is sent to. Status always comes from an inquiry; notifies are accepted only with a
 * valid checksum.
 */
/** How long a shopper may stay on a hosted page (3-D Secure, Alipay, UnionPay) before the payment is ended. */
export const HOSTED_PAGE_ABANDONED_MS = 30 * 60_000;

export class KpaymentGateway implements PaymentGateway {
  readonly id = 'kpayment' as const;
  readonly methods = KPAYMENT_METHODS;
  readonly acceptsClientSource = false;
  readonly findsChargeByReference = true;
  readonly chargelessGraceMs = CARD_FORM_GRACE_MS;
  readonly client: KpaymentClient;
  readonly #o: KpaymentGatewayOptions;
  readonly #qr: KpaymentQrPayments;

  constructor(options: KpaymentGatewayOptions) {
    this.client = options.client;
    this.#o = options;
    this.#qr = new KpaymentQrPayments({
      client: options.client,
      publicKey: options.settings.publicKey,
      scriptUrl: options.settings.scriptUrl,
      merchantName: options.settings.merchantName,
      expireSeconds: options.qrExpireSeconds ?? null,
      publicBaseUrl: options.publicBaseUrl,
      now: options.now ?? Date.now,
    });
  }

  async verifyClientSource(): Promise<void> {
    throw new CheckoutError('bad_request', 'K-Payment payments take no sourceId: the companion creates the charge or order itself.');
  }

  offersInstallments(order: { amount: number; currency: Currency }): boolean {
    return installmentsOffered(this.#o.settings, order) && planInForce(this.#o.settings, (this.#o.now ?? Date.now)());
  }

  async browserConfig(order: { orderId: string; amount: number; currency: Currency }): Promise<KpaymentBrowserConfig> {
    return {
      publicKey: this.#o.settings.publicKey,
      scriptUrl: this.#o.settings.scriptUrl,
      installments: this.offersInstallments(order),
      savedCards: (await this.#o.cards.customerIdFor(order.orderId)) !== null,
    };
  }

  async startPayment(input: StartPaymentInput): Promise<StartedPayment> {
    const method = input.payment.method;
    if (isQrMethod(method)) return this.#qr.start(input.payment, method);
    if (isRedirectMethod(method)) return startRedirectCharge(this.client, this.#o.settings.mid, input.payment, method);
    return this.#startCard(input);
  }

  /** Cards: no call to the gateway yet; the answer is the card form's script and attributes; the token comes back to `formAction`. */
  async #startCard({ payment, installments }: StartPaymentInput): Promise<StartedPayment> {
    const customerId = await this.#o.cards.customerIdFor(payment.orderId);
    const attributes = formAttributes(this.#o.settings, { amount: payment.amount, currency: payment.currency, installments: installments ?? false, customerId });
    const formAction = `${this.#o.publicBaseUrl}/checkout/kpayment/token/${payment.id}?token=${encodeURIComponent(payment.returnToken)}`;
    return {
      status: 'pending',
      failureCode: null,
      failureMessage: null,
      gatewayIds: { chargeId: null, sourceId: null },
      authorizeUri: null,
      next: { type: 'script_form', scriptUrl: this.#o.settings.scriptUrl, formAction, attributes },
    };
  }

  async readChargeForm(payment: PaymentRecord, form: Record<string, string>): Promise<ChargeForm> {
    if (payment.method !== 'card') throw new CheckoutError('not_found', 'No such payment form.');
    const card = readCardForm(this.#o.settings, form, { currency: payment.currency });
    // The plan's IPAN mode: who pays the interest decides which refunds K-Payment takes (kpayment-operations.ts).
    const detail = { variant: card.variant, mid: card.mid, dccCurrency: card.dccCurrency, savecard: card.savecard === true, term: card.term, ...(card.plan ? { ipanMode: card.plan.ipanMode } : {}) };
    return { reference: card.token, detail, data: card, ...(card.term !== null ? { installmentTerm: card.term } : {}) };
  }

  /** Create Charge with the fields the variant needs (§4.1.1.3); `reference_order` is the payment id. */
  async chargeFromForm(payment: PaymentRecord, form: ChargeForm): Promise<StartedPayment> {
    const card = form.data as CardForm;
    const customerId = await this.#o.cards.customerIdFor(payment.orderId);
    const params: KpaymentCreateChargeParams = {
      amount: Number(minorToDecimal(payment.amount, payment.currency)),
      currency: payment.currency,
      description: `Order ${payment.orderId}`,
      source_type: 'card',
      mode: 'token',
      token: card.token,
      reference_order: payment.id,
      additional_data: { mid: card.mid, ...(card.smartpayId ? { smartpay_id: card.smartpayId, term: card.term! } : {}) },
      ...(card.dccCurrency ? { dcc_data: { dcc_currency: card.dccCurrency } } : {}),
      ...(card.plan
        ? {
            smartpay: {
              plan_id: card.plan.planId,
              ipan_mode: card.plan.ipanMode,
              product_type: card.plan.productType,
              payment_term: String(card.term),
              supplier_no: card.plan.supplierNo,
              model_no: card.plan.modelNo,
            },
          }
        : {}),
      ...(card.savecard !== null ? { savecard: card.savecard } : {}),
    };
    let charge: KpaymentCharge;
    try {
      // The form listed this customer's saved cards (data-customer-id): its tokens belong to it (§4.6 c).
      charge = await this.client.createCharge(customerId ? { ...params, customer: { customer_id: customerId } } : params);
    } catch (err) {
      // The shopper's customer was deleted at the gateway (its portal, a clean-up): every card payment failed for good.
      // A card typed in is charged without it (a saved card of that customer fails again, as it must); the next
      // "Remember card" makes the shopper a new customer (kpayment-cards.ts).
      if (!(customerId && isDeadCustomer(err))) throw err;
      charge = await this.client.createCharge(params);
    }
    const state = this.#status(payment, charge);
    // 3-D Secure: Pre-Authorized + success with the bank's page (§4.1 step 11).
    const threeDs = kpaymentState(charge.transaction_state) === 'Pre-Authorized' && charge.status === 'success' && charge.redirect_url ? charge.redirect_url : null;
    return {
      ...state,
      gatewayIds: { chargeId: charge.id, sourceId: card.token },
      authorizeUri: threeDs,
      next: threeDs ? { type: 'redirect', url: threeDs } : { type: 'done', status: state.status },
    };
  }

  outcomeUnknown(err: unknown): boolean {
    return outcomeUnknown(err);
  }

  /** The same QR order again for a shopper who asks again. */
  async resumePayment(payment: PaymentRecord): Promise<NextAction | null> {
    return isQrMethod(payment.method) ? this.#qr.resume(payment) : null;
  }

  /** QR completion: the posted `chargeId` must be a charge of this payment's order (Inquiry QR). */
  async verifyCharge(payment: PaymentRecord, chargeId: string): Promise<GatewayStatus & { chargeId: string }> {
    if (!isQrMethod(payment.method)) throw new CheckoutError('not_found', 'No such QR payment.');
    return this.#qr.verifyCharge(payment, chargeId);
  }

  /**
   * QR payments: Inquiry QR (kpayment-qr.ts). Cards, Alipay and UnionPay: the card inquiry by charge id, or by
   * `reference_order` (the payment id) when the create answer never came.
   */
  async fetchStatus(payment: PaymentRecord, options: GatewayReadOptions = {}): Promise<GatewayStatus> {
    if (isQrMethod(payment.method)) return this.#qr.fetchStatus(payment, options);
    let charge: KpaymentCharge;
    try {
      // A charge more than 180 days old is asked for with its date (guide L1566); by reference, a charge is young.
      const transactionDate = payment.chargeId ? transactionDateFor(payment, (this.#o.now ?? Date.now)()) : undefined;
      charge = await this.client.retrieveCharge(payment.chargeId ?? payment.id, { signal: options.signal, ...(transactionDate ? { transactionDate } : {}) });
    } catch (err) {
      if (!payment.chargeId && err instanceof KpaymentApiError && err.code === 'charge_id_not_exist') {
        // A create sent at the payment's last write may still land until the client's timeout and a margin have
        // passed: until then, finding none proves nothing (as Opn's lookup, decisions.md C9).
        if ((this.#o.now ?? Date.now)() - Date.parse(payment.updatedAt) < this.client.timeoutMs + LATE_CHARGE_MARGIN_MS) {
          throw new GatewayError('kpayment', 'charge_not_found_yet', `No charge has reference ${payment.id} yet; its create may still land.`, { cause: err });
        }
        throw new GatewayError('kpayment', 'charge_not_found', `No charge has reference ${payment.id}.`, { cause: err });
      }
      throw err;
    }
    const state = this.#status(payment, charge);
    if (payment.chargeId) return state;
    const waiting = kpaymentState(charge.transaction_state) === 'Pre-Authorized' && state.status === 'pending';
    return { ...state, chargeId: charge.id, authorizeUri: waiting ? (charge.redirect_url ?? null) : null };
  }

  /**
   * Only a card payment whose form was never sent can end early (there is no charge to stop). An Alipay or
   * UnionPay charge has no cancel; a QR can be cancelled only by its QR id, which no API tells the merchant
   * before it is paid (only the shopper's popup shows it), so a QR the shopper left waits for its expiry.
   */
  canCancel(payment: PaymentRecord): boolean {
    return payment.method === 'card' && payment.chargeId === null && payment.sourceId === null;
  }

  async cancel(payment: PaymentRecord): Promise<GatewayStatus> {
    if (!this.canCancel(payment)) throw new Error('a K-Payment charge cannot be ended by the shopper');
    return { status: 'canceled', failureCode: null, failureMessage: null };
  }

  /**
   * The notify (§6): its checksum must match, with or without `failure_code` (decisions.md 1), compared in
   * constant time; only its charge id is used (the status comes from an inquiry).
   */
  async readWebhook({ rawBody }: WebhookInput): Promise<WebhookNotice> {
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new CheckoutError('invalid_json', 'The notify body is not JSON.');
    }
    const parsed = KpaymentNotify.safeParse(json);
    if (!parsed.success) throw new CheckoutError('bad_request', 'The notify body is not a K-Payment notify.', parsed.error.issues);
    const notify = parsed.data;
    if (!verifyKpaymentChecksum(notify, this.#o.secretKey)) throw new CheckoutError('invalid_signature', 'Notify checksum refused.');
    return {
      kind: 'payment',
      chargeId: notify.id,
      eventId: `${notify.id}:${notify.transaction_state}:${notify.status}`,
      eventKey: notify.order_id ? 'kpayment.qr_notify' : 'kpayment.notify',
      ...(notify.reference_order ? { paymentRef: notify.reference_order } : {}),
    };
  }

  /**
   * The guide gives a charge waiting for 3-D Secure (Pre-Authorized) or on the Alipay / UnionPay page no expiry
   * and no cancel: the companion ends it after HOSTED_PAGE_ABANDONED_MS (decisions.md C17).
   */
  abandonedAfterMs(payment: PaymentRecord): number | null {
    // A QR order expires by itself; a card payment without a charge waits for its form (chargelessGraceMs).
    return payment.status === 'pending' && payment.chargeId && !isQrMethod(payment.method) ? HOSTED_PAGE_ABANDONED_MS : null;
  }

  operationRules(payment: PaymentRecord, context: OperationContext): OperationRules {
    return kpaymentOperationRules(payment, context);
  }

  /** K-Payment sends no notify for these: the answer is the payment's new state (the status writer applies it). */
  async operate(payment: PaymentRecord, request: OperationRequest, context: OperationContext): Promise<GatewayStatus> {
    return this.#status(payment, await kpaymentOperate(this.client, payment, request, context));
  }

  /**
   * Remember the card (§4.6 a): after a paid charge whose form had "Remember card", for a signed-in shopper; owed only
   * where the paying process keeps customers (`resolveCustomer` and a store that keeps them).
   */
  readonly afterPaid: AfterPaidStep = {
    mayOwe: (payment) => this.#o.cards.enabled && payment.method === 'card',
    owed: cardToRemember,
    run: (payment, events) => this.#rememberCard(payment, events),
  };

  async #rememberCard(payment: PaymentRecord, events: PaymentEvent[]): Promise<AfterPaidEvent | null> {
    if (!cardToRemember(events) || !payment.sourceId) return null;
    // Another process of the shop, set up without customers, took the row: not for good; one that keeps them will.
    if (!this.#o.cards.enabled) throw new Error('this process keeps no customers (no resolveCustomer, or its store keeps none): the card is saved by one that does');
    const shopper = await this.#o.cards.shopper(payment.orderId, 'save');
    if (!shopper) return { type: 'card_not_saved', detail: { reason: 'no signed-in shopper' } };
    try {
      const saved = await this.#o.cards.save(shopper, payment.sourceId);
      return { type: 'card_saved', detail: { customerId: saved.customerId, customerCreated: saved.created } };
    } catch (err) {
      // K-Payment refused the card for good (its token used or invalid: `used_token` also when an attempt whose
      // answer was lost saved it); anything else may pass: thrown, tried again.
      if (err instanceof KpaymentApiError && !outcomeUnknown(err)) return { type: 'card_not_saved', detail: { code: err.code, message: err.message } };
      throw err;
    }
  }

  /** K-Payment's charge, checked against the payment it belongs to, in the companion's vocabulary. */
  #status(payment: PaymentRecord, charge: KpaymentCharge): GatewayStatus {
    const mismatch = amountMismatch(payment, charge);
    if (mismatch) throw new CheckoutError('gateway_error', `Charge ${mismatch}.`);
    if (payment.chargeId ? charge.id !== payment.chargeId : charge.reference_order && charge.reference_order !== payment.id) {
      throw new CheckoutError('gateway_error', `Asked about payment ${payment.id}, K-Payment answered charge ${charge.id} (${charge.reference_order ?? 'no reference'}).`);
    }
    return chargeOutcome(charge);
  }
}

/** The form had "Remember card" and the card's saving has not ended yet (saved, or refused for good). */
function cardToRemember(events: PaymentEvent[]): boolean {
  const form = events.find((e) => e.type === 'token_received');
  return form?.detail?.savecard === true && !events.some((e) => e.type === 'card_saved' || e.type === 'card_not_saved');
}
