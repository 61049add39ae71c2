import { parseAmount, parseCurrency } from './cards.ts';
import { DEFAULT_QR_DECLINE, QR_DECLINES, QR_FAILURES, type QrChannel } from './data.ts';
import { KpaymentApiError } from './errors.ts';
import { kpaymentDate, kpaymentId, nextLocalMidnight } from './ids.ts';
import type { CreateOrderParams } from './params.ts';
import type { KpaymentStore, Merchant, OrderRecord, QrChargeRecord, QrRecord } from './state.ts';
import { thaiQrPayload, wechatPayload } from './thai-qr.ts';

/** A refused void or cancel: the QR failure code and message, answered inside the object (status "fail"). */
export interface QrRefusal {
  code: string;
  message: string;
}

/** Called when a QR is paid: the QR notify goes out (the QR webhook carries Authorized only, L3185). */
export type OnQrPaid = (merchant: Merchant, charge: QrChargeRecord) => void;

const QR_CHANNELS: Record<'qr' | 'wechat', readonly QrChannel[]> = { qr: ['kplus', 'other_bank'], wechat: ['wechat'] };

/**
 * Orders, their QR codes and the charges QR payments create (§4.3, §6.3, §6.4): one QR per order, shown
 * when the script opens the order, pending until paid, failed, expired (the order's expiry on the
 * sandbox clock) or cancelled. A paid QR charge is `Authorized`, `Settled` from the next Bangkok day.
 */
export class KpaymentQr {
  constructor(
    private readonly store: KpaymentStore,
    private readonly clock: { now(): number },
    private readonly onPaid: OnQrPaid,
  ) {}

  // ── Order API ───────────────────────────────────────────────────────────────────────────────────

  createOrder(merchant: Merchant, params: CreateOrderParams): OrderRecord {
    if (params.source_type !== 'qr' && params.source_type !== 'wechat') {
      throw new KpaymentApiError('invalid_parameter', `source_type must be "qr" or "wechat" (cards use Create Charge), not "${params.source_type}"`);
    }
    const currency = parseCurrency(params.currency);
    if (currency !== 'THB') throw new KpaymentApiError('currency_invalid', `Thai QR and WeChat Pay orders are paid in THB, not ${currency}`);
    const amount = parseAmount(params.amount, currency);
    const extra = params.additional_data ?? null;
    if (extra?.mid !== undefined && extra.mid !== merchant.settings.mid) {
      throw new KpaymentApiError('mid_and_tid_not_exist', `MID ${extra.mid} does not exist for this merchant`);
    }
    // "must be unique" (L2600): per merchant, whatever became of the earlier order.
    for (const other of merchant.orders.values()) {
      if (other.referenceOrder === params.reference_order) {
        throw new KpaymentApiError('order_id_is_already_used', `Order ID was already used: reference_order ${params.reference_order} is order ${other.id}`);
      }
    }
    const order: OrderRecord = {
      id: kpaymentId('order'),
      amount,
      currency,
      description: params.description,
      sourceType: params.source_type,
      referenceOrder: params.reference_order,
      additionalData: extra
        ? { mid: extra.mid ?? null, tid: extra.tid ?? null, smartpayId: extra.smartpay_id ?? null, term: extra.term ?? null, campaignId: extra.campaign_id ?? null }
        : null,
      customerId: params.customer?.customer_id ?? null,
      metadata: params.metadata ?? null,
      refs: [params.ref_1 ?? null, params.ref_2 ?? null, params.ref_3 ?? null],
      infos: [params.info1 ?? null, params.info2 ?? null, params.info3 ?? null],
      shopImageUrl: params.shop_image_url ?? null,
      createdAt: this.clock.now(),
      expireSeconds: params.expire_time_seconds ?? merchant.settings.orderExpireSeconds,
      qrId: null,
    };
    merchant.orders.set(order.id, order);
    return order;
  }

  order(merchant: Merchant, orderId: string): OrderRecord {
    const order = merchant.orders.get(orderId);
    if (!order) throw new KpaymentApiError('invalid_order_id', `Order ID cannot found in system: ${orderId}`);
    return order;
  }

  expiresAt(order: OrderRecord): number {
    return order.createdAt + order.expireSeconds * 1000;
  }

  // ── QR codes ────────────────────────────────────────────────────────────────────────────────────

  /**
   * The order's QR code, made the first time the script opens the order (there is no Create QR API
   * since v3.0, L262); the same QR afterwards, whatever its state. An expired order gets no new QR.
   */
  openQr(merchant: Merchant, order: OrderRecord, shopName: string): QrRecord {
    if (order.qrId) return this.qr(merchant, order.qrId);
    if (this.clock.now() >= this.expiresAt(order)) throw new KpaymentApiError('qr_expired');
    const id = kpaymentId('qr');
    const hex = id.replace(/^qr_test_/, '');
    const payload =
      order.sourceType === 'wechat'
        ? wechatPayload(id)
        : thaiQrPayload({
            billerId: merchant.settings.mid,
            reference1: hex.slice(0, 20),
            reference2: order.referenceOrder,
            amountMinor: order.amount,
            merchantName: shopName,
            terminal: `KPGW${hex.slice(20, 28)}`,
          });
    const qr: QrRecord = { id, orderId: order.id, createdAt: this.clock.now(), expiresAt: this.expiresAt(order), state: 'pending', payload, shopName, chargeId: null };
    order.qrId = qr.id;
    this.store.addQr(merchant, qr);
    return qr;
  }

  /** A QR code of this merchant, its expiry applied. */
  qr(merchant: Merchant, qrId: string): QrRecord {
    const qr = merchant.qrCodes.get(qrId);
    if (!qr) throw new KpaymentApiError('no_transaction_found', `QR ${qrId} does not exist in the system`);
    return this.catchUpQr(qr);
  }

  /** By QR id, or by order id (opening the order's QR if it has none yet): what the simulator and the controls address. */
  qrByIdOrOrder(merchant: Merchant, id: string, shopName = ''): QrRecord {
    if (/^(order|ordr)_/.test(id)) return this.openQr(merchant, this.order(merchant, id), shopName);
    return this.qr(merchant, id);
  }

  catchUpQr(qr: QrRecord): QrRecord {
    if (qr.state === 'pending' && this.clock.now() >= qr.expiresAt) qr.state = 'expired';
    return qr;
  }

  secondsLeft(qr: QrRecord): number {
    return qr.state === 'pending' ? Math.max(0, Math.ceil((qr.expiresAt - this.clock.now()) / 1000)) : 0;
  }

  // ── What the payer does (the QR simulator, §7.4) ────────────────────────────────────────────────

  /** The payer's app pays: an Authorized charge, the notify, and the shopper's page completes. */
  pay(merchant: Merchant, qr: QrRecord, channel?: QrChannel): QrChargeRecord {
    const order = this.pendingOrder(merchant, qr);
    const paidWith = channel ?? QR_CHANNELS[order.sourceType][0];
    if (!QR_CHANNELS[order.sourceType].includes(paidWith)) {
      throw new KpaymentApiError('invalid_parameter', `a ${order.sourceType === 'wechat' ? 'WeChat Pay' : 'Thai QR'} code is paid with ${QR_CHANNELS[order.sourceType].join(' or ')}, not ${paidWith}`);
    }
    const charge = this.newCharge(merchant, order, qr, paidWith, 'Authorized', 'success', null, null);
    qr.state = 'paid';
    this.onPaid(merchant, charge);
    return charge;
  }

  /** The payer's bank or wallet declines: a Declined charge the merchant sees by inquiry (no notify: L3185). */
  fail(merchant: Merchant, qr: QrRecord, failureCode = DEFAULT_QR_DECLINE): QrChargeRecord {
    const message = QR_DECLINES[failureCode];
    if (!message) throw new KpaymentApiError('invalid_parameter', `failure_code must be one of ${Object.keys(QR_DECLINES).join(', ')}`);
    const order = this.pendingOrder(merchant, qr);
    const charge = this.newCharge(merchant, order, qr, QR_CHANNELS[order.sourceType][0], 'Declined', 'fail', failureCode, message);
    qr.state = 'failed';
    return charge;
  }

  /** Ends the QR now, as if its order's time had run out. */
  expire(merchant: Merchant, qr: QrRecord): QrRecord {
    this.pendingOrder(merchant, qr);
    qr.state = 'expired';
    qr.expiresAt = Math.min(qr.expiresAt, this.clock.now());
    return qr;
  }

  // ── QR API ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * Inquiry QR by charge id or order id (L2802–2846). An order without a payment has no charge to
   * show: `qr_expired` or `qr_cancelled` when that is why, `no_transaction_found` while it waits.
   */
  inquire(merchant: Merchant, key: string): QrChargeRecord {
    if (/^(order|ordr)_/.test(key)) {
      const order = this.order(merchant, key);
      const qr = order.qrId ? this.qr(merchant, order.qrId) : null;
      if (qr?.chargeId) return this.charge(merchant, qr.chargeId);
      if (qr?.state === 'cancelled') throw new KpaymentApiError('qr_cancelled');
      if (qr?.state === 'expired' || this.clock.now() >= this.expiresAt(order)) throw new KpaymentApiError('qr_expired');
      throw new KpaymentApiError('no_transaction_found', 'Transaction does not exist in the system: the order has not been paid yet');
    }
    const charge = merchant.qrCharges.get(key);
    if (!charge) throw new KpaymentApiError('charge_id_not_exist');
    return this.catchUpCharge(charge);
  }

  charge(merchant: Merchant, chargeId: string): QrChargeRecord {
    const charge = merchant.qrCharges.get(chargeId);
    if (!charge) throw new KpaymentApiError('no_transaction_found');
    return this.catchUpCharge(charge);
  }

  /** Void QR (L2885–2978): a paid charge, paid with K PLUS (L2889), on the day it was paid (EMQRVOD). */
  voidCharge(merchant: Merchant, chargeId: string): { charge: QrChargeRecord; refusal?: QrRefusal } {
    const charge = this.charge(merchant, chargeId);
    let refusal: QrRefusal | undefined;
    if (charge.state === 'Voided') refusal = QR_FAILURES.alreadyVoided;
    else if (charge.state === 'Declined') refusal = QR_FAILURES.notPaid;
    else if (charge.state === 'Settled' || kpaymentDate(charge.createdAt) !== kpaymentDate(this.clock.now())) refusal = QR_FAILURES.overTheDay;
    else if (charge.channel !== 'kplus') refusal = QR_FAILURES.otherChannel;
    if (refusal) return { charge, refusal: { ...refusal } };
    charge.state = 'Voided';
    return { charge };
  }

  /** Cancel QR (L2980–3025): only a QR still waiting to be paid. */
  cancel(merchant: Merchant, qrId: string): { qr: QrRecord; refusal?: QrRefusal } {
    const qr = this.qr(merchant, qrId);
    const refusal = this.stateRefusal(qr);
    if (refusal) return { qr, refusal: { ...refusal } };
    qr.state = 'cancelled';
    return { qr };
  }

  // ── Internals ───────────────────────────────────────────────────────────────────────────────────

  private stateRefusal(qr: QrRecord): QrRefusal | null {
    switch (qr.state) {
      case 'pending':
        return null;
      case 'paid':
        return QR_FAILURES.paid;
      case 'cancelled':
        return QR_FAILURES.cancelled;
      case 'expired':
        return QR_FAILURES.expired;
      case 'failed':
        return QR_FAILURES.notCancellable;
    }
  }

  /** The QR's order, if the QR can still be paid; else the QR's state as an error (`qr_paid`, `qr_expired`, …). */
  private pendingOrder(merchant: Merchant, qr: QrRecord): OrderRecord {
    this.catchUpQr(qr);
    if (qr.state === 'failed') throw new KpaymentApiError('invalid_parameter', 'the payment of this QR already failed');
    const refusal = this.stateRefusal(qr);
    if (refusal) throw new KpaymentApiError(refusal.code as 'qr_paid' | 'qr_expired' | 'qr_cancelled', refusal.message);
    return this.order(merchant, qr.orderId);
  }

  private newCharge(
    merchant: Merchant,
    order: OrderRecord,
    qr: QrRecord,
    channel: QrChannel,
    state: QrChargeRecord['state'],
    status: QrChargeRecord['status'],
    failureCode: string | null,
    failureMessage: string | null,
  ): QrChargeRecord {
    const charge: QrChargeRecord = {
      id: kpaymentId('chrg'),
      orderId: order.id,
      qrId: qr.id,
      sourceType: order.sourceType,
      amount: order.amount,
      currency: order.currency,
      description: order.description,
      metadata: order.metadata,
      referenceOrder: order.referenceOrder,
      channel,
      state,
      status,
      failureCode,
      failureMessage,
      createdAt: this.clock.now(),
    };
    merchant.qrCharges.set(charge.id, charge);
    qr.chargeId = charge.id;
    return charge;
  }

  /** A paid QR settles at the next Bangkok midnight (as card settlements complete "the next day"). */
  private catchUpCharge(charge: QrChargeRecord): QrChargeRecord {
    if (charge.state === 'Authorized' && this.clock.now() >= nextLocalMidnight(charge.createdAt)) charge.state = 'Settled';
    return charge;
  }
}
