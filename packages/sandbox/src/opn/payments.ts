import { type Currency, type PaymentMethod, type PaymentMethodId, type Platform, getMethod, methodsOf } from '@payment-checkout/core';
import { FAILURE_MESSAGES } from './data.ts';
import { OpnApiError, notFound } from './errors.ts';
import { opnId, providerReference } from './ids.ts';
import type { CompleteChargeParams, CreateChargeParams, CreateSourceParams, ListParams } from './params.ts';
import { amountRule, isSecureReturnUri, platformRule } from './rules.ts';
import { chargeAbilities, chargeWire, eventWire, listWire, refundWire, sourceWire } from './serialize.ts';
import type { ChargeRecord, EventRecord, Merchant, OpnStore, RefundRecord, SourceRecord } from './state.ts';

const MINUTE = 60_000;

/** What creates a charge's `authorize_uri`: the sandbox's own origin as the caller reached it. */
export interface RequestContext {
  origin: string;
  ip: string | null;
}

/**
 * The Opn Payments domain of the emulator: sources, charges and their one life cycle, refunds, events.
 * No HTTP here; handlers call these methods and serialize what they return.
 */
export class OpnPayments {
  constructor(
    private readonly store: OpnStore,
    private readonly clock: { now(): number },
    private readonly onEvent: (merchant: Merchant, event: EventRecord) => void,
  ) {}

  // ── sources ──────────────────────────────────────────────────────────────

  createSource(merchant: Merchant, params: CreateSourceParams, ctx: RequestContext): SourceRecord {
    const method = methodOf(params.type, (m) => new OpnApiError('bad_request', m));
    const problem = amountRule(method, params.amount, params.currency) ?? platformRule(method, params.platform_type);
    if (problem) throw new OpnApiError('bad_request', problem);
    return this.addSource(merchant, method.id, params.amount, params.currency as Currency, params.platform_type, ctx.ip);
  }

  source(merchant: Merchant, id: string): SourceRecord {
    const source = merchant.sources.get(id);
    if (!source) throw notFound('source', id);
    return source;
  }

  sourceView(merchant: Merchant, source: SourceRecord) {
    const charge = source.chargeId ? this.refresh(merchant, merchant.charges.get(source.chargeId)!) : null;
    return sourceWire(source, charge?.status ?? null);
  }

  // ── charges ──────────────────────────────────────────────────────────────

  createCharge(merchant: Merchant, params: CreateChargeParams, ctx: RequestContext): ChargeRecord {
    const invalid = (message: string) => new OpnApiError('invalid_charge', message);
    if (params.card !== undefined || params.customer !== undefined) {
      throw new OpnApiError('bad_request', 'card and customer charges are not emulated by the sandbox; pass a source');
    }
    if (params.source === undefined) throw new OpnApiError('bad_request', 'source is required');

    let method: PaymentMethod;
    let existing: SourceRecord | null = null;
    if (typeof params.source === 'string') {
      existing = this.source(merchant, params.source);
      // Sources are single-use like tokens; Opn's catalogue has one code for re-use: used_token.
      if (existing.chargeId) throw new OpnApiError('used_token', `source ${existing.id} was already used`);
      if (params.currency !== existing.currency) {
        throw invalid(`currency ${params.currency} does not match the source's currency ${existing.currency}`);
      }
      if (params.amount !== existing.amount) {
        throw invalid(`amount ${params.amount} does not match the source's amount ${existing.amount}`);
      }
      method = getMethod(existing.type);
    } else {
      method = methodOf(params.source.type, invalid);
      const platform = platformRule(method, params.source.platform_type);
      if (platform) throw invalid(platform);
    }
    const amount = amountRule(method, params.amount, params.currency);
    if (amount) throw invalid(amount);
    if (!params.capture && !method.manualCapture) throw invalid(`capture=false is not supported by ${method.id}`);
    const returnUri = params.return_uri;
    if (!returnUri) throw new OpnApiError('bad_request', `return_uri is required for ${method.id}`);
    if (!URL.canParse(returnUri) || !/^https?:$/.test(new URL(returnUri).protocol)) {
      throw new OpnApiError('bad_request', 'return_uri must be an absolute http(s) URL');
    }
    if (method.requiresHttpsReturn && !isSecureReturnUri(returnUri)) {
      throw invalid(`return_uri must be an HTTPS URL for ${method.id}`);
    }

    const source =
      existing ??
      this.addSource(
        merchant,
        method.id,
        params.amount,
        params.currency as Currency,
        typeof params.source === 'object' ? params.source.platform_type : undefined,
        ctx.ip,
      );
    const now = this.clock.now();
    const paymentId = opnId('pay2');
    const charge: ChargeRecord = {
      id: opnId('chrg'),
      paymentId,
      amount: params.amount,
      currency: params.currency as Currency,
      sourceId: source.id,
      sourceType: source.type,
      status: 'pending',
      authorized: false,
      capture: params.capture,
      failureCode: null,
      failureMessage: null,
      returnUri,
      authorizeUri: `${ctx.origin}/payments/${paymentId}/authorize`,
      description: params.description ?? null,
      metadata: params.metadata ?? {},
      ip: null,
      createdAt: now,
      paidAt: null,
      // decisions.md 12: the prose's 10 / 15 minutes, not the samples' seven days; KakaoPay sets no timer.
      expiresAt: method.expiryMinutes === null ? null : now + method.expiryMinutes * MINUTE,
      expiredAt: null,
      reversedAt: null,
      voided: false,
      transactionId: null,
      refunds: [],
    };
    source.chargeId = charge.id;
    source.providerReference = providerReference();
    this.store.addCharge(merchant, charge);
    // Opn sends charge.create as it makes the charge, before the create's answer (seed 001's sequence diagram).
    this.emitCharge(merchant, 'charge.create', charge);
    return charge;
  }

  /** A charge of this merchant, brought up to date with the clock (reads see expiry). */
  charge(merchant: Merchant, id: string): ChargeRecord {
    const charge = merchant.charges.get(id);
    if (!charge) throw notFound('charge', id);
    return this.refresh(merchant, charge);
  }

  chargeView(merchant: Merchant, charge: ChargeRecord) {
    return chargeWire(this.refresh(merchant, charge), merchant.sources.get(charge.sourceId)!, this.clock.now());
  }

  listCharges(merchant: Merchant, params: ListParams) {
    const charges = [...merchant.charges.values()].map((c) => this.refresh(merchant, c));
    return this.page(charges, params, '/charges', (c) => this.chargeView(merchant, c));
  }

  /** The payer's decision (authorize page, or the control endpoint that stands in for it). */
  complete(merchant: Merchant, charge: ChargeRecord, decision: CompleteChargeParams): ChargeRecord {
    this.refresh(merchant, charge);
    if (charge.status === 'expired') throw new OpnApiError('expired_charge', `charge ${charge.id} has expired`);
    if (charge.status !== 'pending' || charge.authorized) {
      throw new OpnApiError('invalid_charge', `charge ${charge.id} is already ${charge.authorized && charge.status === 'pending' ? 'authorized' : charge.status}`);
    }
    const now = this.clock.now();
    if (decision.result === 'successful') {
      charge.authorized = true;
      if (charge.capture) this.markPaid(charge, now);
    } else {
      const code = decision.failure_code ?? 'payment_rejected';
      charge.status = 'failed';
      charge.failureCode = code;
      charge.failureMessage = FAILURE_MESSAGES[code];
    }
    this.emitCharge(merchant, 'charge.complete', charge);
    return charge;
  }

  /** `POST /charges/:id/expire`: KMA only (seed 002); anything not pending is refused with failed_expire. */
  expire(merchant: Merchant, charge: ChargeRecord): ChargeRecord {
    this.refresh(merchant, charge);
    const method = getMethod(charge.sourceType);
    if (charge.status !== 'pending' || charge.authorized) {
      throw new OpnApiError('failed_expire', `charge ${charge.id} cannot be expired: it is ${charge.authorized && charge.status === 'pending' ? 'authorized' : charge.status}`);
    }
    if (!method.canExpireEarly) throw new OpnApiError('failed_expire', `${method.id} charges cannot be expired early`);
    this.markExpired(charge, this.clock.now());
    this.emitCharge(merchant, 'charge.expire', charge);
    return charge;
  }

  capture(merchant: Merchant, charge: ChargeRecord): ChargeRecord {
    this.refresh(merchant, charge);
    if (!chargeAbilities(charge, this.clock.now()).capturable) {
      const why =
        charge.status !== 'pending'
          ? `it is ${charge.status}`
          : charge.capture
            ? 'it was created with capture=true'
            : 'it is not authorized yet';
      throw new OpnApiError('failed_capture', `charge ${charge.id} cannot be captured: ${why}`);
    }
    this.markPaid(charge, this.clock.now());
    this.emitCharge(merchant, 'charge.capture', charge);
    return charge;
  }

  reverse(merchant: Merchant, charge: ChargeRecord): ChargeRecord {
    this.refresh(merchant, charge);
    if (!chargeAbilities(charge, this.clock.now()).reversible) {
      throw new OpnApiError('bad_request', `charge ${charge.id} cannot be reversed: only an authorized, uncaptured charge can`);
    }
    charge.status = 'reversed';
    charge.reversedAt = this.clock.now();
    this.emitCharge(merchant, 'charge.reverse', charge);
    return charge;
  }

  /**
   * A refund, or a void when it returns the whole amount inside the void window (decisions.md 14):
   * a void cancels the payment as a whole, so a partial refund is never one.
   */
  refund(merchant: Merchant, charge: ChargeRecord, amount: number, metadata: Record<string, unknown> = {}): RefundRecord {
    this.refresh(merchant, charge);
    const method = getMethod(charge.sourceType);
    const failed = (message: string) => new OpnApiError('failed_refund', message);
    if (!method.refundable && !method.voidable) throw failed(`${method.id} charges cannot be voided or refunded`);
    if (charge.status === 'pending' && charge.authorized) throw failed(`charge ${charge.id} is not captured; reverse it instead`);
    if (charge.status !== 'successful') throw failed(`charge ${charge.id} is ${charge.status}; only a successful charge can be refunded`);
    if (charge.voided) throw failed(`charge ${charge.id} was voided`);
    const can = chargeAbilities(charge, this.clock.now());
    const remaining = charge.amount - can.refunded;
    if (amount > remaining) throw failed(`amount ${amount} exceeds the refundable amount ${remaining}`);
    const voided = can.canVoid && amount === charge.amount;
    const refund: RefundRecord = {
      id: opnId('rfnd'),
      chargeId: charge.id,
      amount,
      currency: charge.currency,
      voided,
      transactionId: opnId('trxn'),
      metadata,
      createdAt: this.clock.now(),
    };
    charge.refunds.push(refund);
    if (voided) charge.voided = true;
    this.emit(merchant, 'refund.create', refundWire(refund));
    return refund;
  }

  refundOf(charge: ChargeRecord, id: string): RefundRecord {
    const refund = charge.refunds.find((r) => r.id === id);
    if (!refund) throw notFound('refund', id);
    return refund;
  }

  listRefunds(charge: ChargeRecord, params: ListParams) {
    return this.page(charge.refunds, params, `/charges/${charge.id}/refunds`, refundWire);
  }

  // ── events ───────────────────────────────────────────────────────────────

  event(merchant: Merchant, id: string): EventRecord {
    const event = merchant.events.get(id);
    if (!event) throw notFound('event', id);
    return event;
  }

  listEvents(merchant: Merchant, params: ListParams) {
    return this.page([...merchant.events.values()], params, '/events', eventWire);
  }

  // ── time ─────────────────────────────────────────────────────────────────

  /** The earliest `expires_at` of a charge still waiting for its payer. */
  nextExpiryAt(): number | null {
    let next: number | null = null;
    for (const merchant of this.store.allMerchants()) {
      for (const charge of merchant.charges.values()) {
        if (isWaiting(charge) && charge.expiresAt !== null && (next === null || charge.expiresAt < next)) {
          next = charge.expiresAt;
        }
      }
    }
    return next;
  }

  /** Expires every charge whose `expires_at` has passed. */
  expireDue(): void {
    for (const merchant of this.store.allMerchants()) {
      for (const charge of merchant.charges.values()) this.refresh(merchant, charge);
    }
  }

  // ── internals ────────────────────────────────────────────────────────────

  private refresh(merchant: Merchant, charge: ChargeRecord): ChargeRecord {
    if (isWaiting(charge) && charge.expiresAt !== null && charge.expiresAt <= this.clock.now()) {
      this.markExpired(charge, charge.expiresAt);
      // A charge that timed out completes like any other (Opn sends charge.complete with status expired).
      this.emitCharge(merchant, 'charge.complete', charge);
    }
    return charge;
  }

  private addSource(
    merchant: Merchant,
    type: PaymentMethodId,
    amount: number,
    currency: Currency,
    platformType: string | undefined,
    ip: string | null,
  ): SourceRecord {
    const source: SourceRecord = {
      id: opnId('src'),
      type,
      amount,
      currency,
      platformType: (platformType as Platform | undefined) ?? null,
      ip,
      createdAt: this.clock.now(),
      chargeId: null,
      providerReference: null,
    };
    merchant.sources.set(source.id, source);
    return source;
  }

  private markPaid(charge: ChargeRecord, now: number): void {
    charge.status = 'successful';
    charge.authorized = true;
    charge.paidAt = now;
    charge.transactionId = opnId('trxn');
  }

  private markExpired(charge: ChargeRecord, at: number): void {
    charge.status = 'expired';
    charge.expiredAt = at;
    charge.failureCode = 'payment_expired';
    charge.failureMessage = FAILURE_MESSAGES.payment_expired;
  }

  private emitCharge(merchant: Merchant, key: string, charge: ChargeRecord): void {
    this.emit(merchant, key, chargeWire(charge, merchant.sources.get(charge.sourceId)!, this.clock.now()));
  }

  private emit(merchant: Merchant, key: string, data: EventRecord['data']): void {
    const event: EventRecord = { id: opnId('evnt'), key, createdAt: this.clock.now(), data };
    merchant.events.set(event.id, event);
    this.onEvent(merchant, event);
  }

  private page<T extends { createdAt: number }, W>(items: T[], params: ListParams, location: string, view: (item: T) => W) {
    const from = params.from ? Date.parse(params.from) : undefined;
    const to = params.to ? Date.parse(params.to) : this.clock.now();
    let selected = items.filter((i) => (from === undefined || i.createdAt >= from) && i.createdAt <= to);
    if (params.order === 'reverse_chronological') selected = selected.reverse();
    const data = selected.slice(params.offset, params.offset + params.limit).map(view);
    return listWire(data, { ...params, total: selected.length, from, to, location });
  }
}

/** Pending and not yet approved by the payer: the only state a timer or the payer can move. */
function isWaiting(charge: ChargeRecord): boolean {
  return charge.status === 'pending' && !charge.authorized;
}

function methodOf(type: string, error: (message: string) => OpnApiError): PaymentMethod {
  const opnMethods = methodsOf('opn');
  const method = opnMethods.find((m) => m.id === type);
  if (!method) {
    throw error(`source type ${type} is not supported by the sandbox (supported: ${opnMethods.map((m) => m.id).join(', ')})`);
  }
  return method;
}
