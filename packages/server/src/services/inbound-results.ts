import { CheckoutError, type Gateway, isLive } from '@payment-checkout/core';
import type { KeyedLock } from '../common/keyed-lock.ts';
import { type ChargeForm, GatewayError, type GatewayStatus, type PaymentGateway, type StartedPayment, type WebhookInput } from '../gateways/gateway.ts';
import type { PaymentInbox, WebhookOutcome } from '../gateways/module.ts';
import { type PaymentRecord, PaymentId } from '../store/store.ts';
import type { ServiceContext } from './context.ts';
import { type PaymentRefresh, chargeLearnt } from './payment-refresh.ts';
import type { StatusWriter } from './status-writer.ts';

/** A webhook waits at most this long for the charge to be re-fetched (Opn gives up on a webhook after 10 s). */
const WEBHOOK_REFETCH_MS = 5_000;

/**
 * What comes back from the browser and the gateways: the return URL, a script's form post, a callback, a QR's
 * completion, a webhook. Nothing they say is believed: each only makes the companion ask the gateway.
 */
export class InboundResults implements PaymentInbox {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly writer: StatusWriter,
    private readonly refresh: PaymentRefresh,
    private readonly orderLocks: KeyedLock,
  ) {}

  /**
   * The gateway's return URL: checks the per-payment token in constant time, retrieves the charge (waiting
   * briefly while it is pending), updates through the status machine, and answers where to send the shopper.
   * Nothing the URL says besides the token is read.
   */
  async completeReturn(id: string, token: unknown, otherParams: string[] = []): Promise<string> {
    const { ctx } = this;
    const payment = await ctx.findWithToken(id, token, 'This return link is not valid.');
    await ctx.store.appendEvent(payment.id, { source: 'return', type: 'shopper_returned', detail: otherParams.length ? { ignoredParams: otherParams } : null }, ctx.iso());
    return ctx.resultUrl(await this.#settle(payment, 'could not retrieve the charge on return'));
  }

  /**
   * Asks the gateway about a payment the shopper just came back to, waiting up to `returnWaitMs` while it is
   * pending (an authorised payment waits for the merchant's capture, not the shopper's: no wait). Every ask goes through the payment's budget (one call in flight, one per refresh interval), so a
   * shopper who paid a moment ago still lands on the result once the budget allows, and a hundred concurrent
   * visits cost no more gateway calls than one.
   */
  async #settle(payment: PaymentRecord, failure: string): Promise<PaymentRecord> {
    const { ctx } = this;
    let current = payment;
    const deadline = performance.now() + ctx.o.returnWaitMs;
    const waiting = (p: PaymentRecord) => isLive(p.status) && p.status !== 'authorized';
    while (waiting(current) && current.chargeId) {
      try {
        current = await this.refresh.refresh(current, 'return');
      } catch (err) {
        ctx.logger.warn(failure, { paymentId: payment.id, error: err });
        break;
      }
      if (!waiting(current) || performance.now() + ctx.o.returnRetryMs > deadline) break;
      await sleep(ctx.o.returnRetryMs);
      // A webhook or another visit may have settled it meanwhile.
      current = await ctx.find(payment.id);
    }
    return current;
  }

  /**
   * The form a gateway's script posts back for a payment (K-Payment's token): checks the per-payment token in
   * constant time, validates the form (nothing is stored for a bad one), refuses a final or superseded payment
   * and a paid order, then claims the form's reference on the payment in one transaction — so a replayed or
   * double-submitted form never creates a second charge — and creates the charge. The amount is the
   * payment's, from `resolveOrder`. Answers where to send the browser (3-D Secure, or the result URL).
   */
  async submitChargeForm(id: string, token: unknown, form: Record<string, string>): Promise<string> {
    const { ctx } = this;
    const payment = await ctx.findWithToken(id, token, 'This payment form is not valid.');
    const gateway = ctx.gateway(payment.gateway);
    if (!gateway.readChargeForm || !gateway.chargeFromForm) throw new CheckoutError('not_found', 'No such payment form.');
    const chargeForm = await gateway.readChargeForm(payment, form);

    return this.orderLocks.run(payment.orderId, async () => {
      const current = await ctx.find(id);
      if (current.sourceId !== null || current.chargeId !== null) return this.#replayed(current);
      if (!isLive(current.status) || current.supersededBy !== null) {
        throw new CheckoutError('payment_final', 'This payment is over; start a new one.');
      }
      ctx.refuseIfPaid(await ctx.store.listPaymentsForOrder(current.orderId));
      const order = await ctx.resolveOrder(current.orderId);
      if (order.amount !== current.amount || order.currency !== current.currency) {
        throw new CheckoutError('source_mismatch', 'The order changed since this payment started; start a new payment.');
      }
      // Claimed in the store's transaction: another process posting the same form sees the reference and stops.
      const claim = await ctx.store.updatePayment(
        id,
        (p) =>
          p.sourceId !== null || p.chargeId !== null
            ? null
            : { patch: { sourceId: chargeForm.reference }, events: [{ source: 'create', type: 'token_received', detail: chargeForm.detail }], result: true },
        ctx.iso(),
      );
      if (!claim) return this.#replayed((await ctx.store.getPayment(id))!);
      return this.#chargeFromForm(gateway, claim.after, chargeForm);
    });
  }

  /**
   * A gateway callback (3-D Secure): the browser brings only a charge id. The payment that stored it is
   * refreshed from the gateway (its inquiry alone decides; within the payment's budget, as a return) and the
   * browser goes to its result URL. Null when no payment has this charge (nothing changes).
   */
  async completeCallback(gatewayId: Gateway, chargeId: string, detail: Record<string, unknown> = {}): Promise<string | null> {
    const { ctx } = this;
    const payment = await ctx.store.findPaymentByChargeId(chargeId);
    if (!payment || payment.gateway !== gatewayId) return null;
    await ctx.store.appendEvent(payment.id, { source: 'return', type: 'callback_received', detail }, ctx.iso());
    return ctx.resultUrl(await this.#settle(payment, 'could not inquire the charge on callback'));
  }

  /**
   * A QR payment's completion (K-Payment's `chargeId`, posted by the script once the QR is paid): checks the
   * per-payment token in constant time, then the gateway's inquiry must show that the charge belongs to this
   * payment's order — a charge of another order, or one the gateway does not know, is refused (4xx) and changes
   * nothing. Only the inquiry's state counts (Authorized + success pays). Answers the result URL. The inquiry is
   * the payment's browser-triggered gateway call: repeated posts wait for its budget (up to `returnWaitMs`), and
   * a charge already verified and stored is only refreshed.
   */
  async completeCharge(id: string, token: unknown, chargeId: string): Promise<string> {
    const { ctx } = this;
    let current = await ctx.findWithToken(id, token, 'This payment link is not valid.');
    const gateway = ctx.gateway(current.gateway);
    if (!gateway.verifyCharge) throw new CheckoutError('not_found', 'No such payment.');
    const deadline = performance.now() + ctx.o.returnWaitMs;
    for (;;) {
      if (current.chargeId !== null && current.chargeId !== chargeId) {
        throw new CheckoutError('source_mismatch', "This charge is not this payment's.");
      }
      if (current.chargeId === chargeId) {
        // Verified and stored by an earlier post or an inquiry: nothing left to check, only to refresh.
        await ctx.store.appendEvent(current.id, { source: 'return', type: 'callback_received', detail: { chargeId } }, ctx.iso());
        return ctx.resultUrl(await this.#settle(current, 'could not inquire the charge on its completion'));
      }
      const payment = current;
      const verified = this.refresh.tryBrowserCall(payment.id, () => this.#verifyCharge(gateway, payment, chargeId));
      if (verified) return ctx.resultUrl(await verified);
      // The payment's budget is taken: wait for it; when it does not come in time, nothing is recorded and the
      // notify, polling or the reconciler will tell.
      if (performance.now() + ctx.o.returnRetryMs > deadline) return ctx.resultUrl(payment);
      await Promise.race([this.refresh.landed(payment.id), sleep(ctx.o.returnRetryMs)]);
      current = await ctx.find(id);
    }
  }

  /** The inquiry of a charge the browser brought back; a 4xx refusal changes nothing. */
  async #verifyCharge(gateway: PaymentGateway, payment: PaymentRecord, chargeId: string): Promise<PaymentRecord> {
    const { ctx } = this;
    let state: GatewayStatus & { chargeId: string };
    try {
      state = await gateway.verifyCharge!(payment, chargeId);
    } catch (err) {
      if (err instanceof CheckoutError && err.status < 500) throw err;
      // The gateway could not be asked: nothing is recorded; the notify, polling or the reconciler will tell.
      ctx.logger.warn('could not verify the charge the browser brought back', { paymentId: payment.id, chargeId, error: err });
      return payment;
    }
    await ctx.store.appendEvent(payment.id, { source: 'return', type: 'callback_received', detail: { chargeId } }, ctx.iso());
    await this.refresh.recordCharge(payment.id, { chargeId: state.chargeId, chargeCreatedAt: state.chargeCreatedAt }, { fromBrowser: true });
    return this.refresh.applyStarted(payment, state, 'return');
  }

  /**
   * A gateway webhook: authenticated by the adapter, then the payment is re-fetched from the gateway and only
   * that answer counts. Unknown charges are acknowledged and ignored; repeats change nothing.
   */
  async handleWebhook(
    gatewayId: Gateway,
    input: WebhookInput,
    /** Asked about a charge no payment has (K-Payment: a card registration's); null: ignored. */
    unknownCharge?: (chargeId: string) => Promise<WebhookOutcome | null>,
  ): Promise<WebhookOutcome> {
    const { ctx } = this;
    // A webhook for a gateway this companion does not use: nothing here to notify.
    if (!ctx.o.gateways[gatewayId]) throw new CheckoutError('not_found', `The ${gatewayId} gateway is not configured here.`);
    const gateway = ctx.gateway(gatewayId);
    await ctx.o.beforeWebhook?.();
    const notice = await gateway.readWebhook(input);
    if (notice.kind === 'ignored') return { received: true, ignored: notice.reason };
    const byCharge = await ctx.store.findPaymentByChargeId(notice.chargeId);
    const payment = byCharge ?? (await this.#paymentByReference(gatewayId, notice.paymentRef, notice.chargeId));
    if (!payment || payment.gateway !== gatewayId) return (await unknownCharge?.(notice.chargeId)) ?? { received: true, ignored: 'unknown charge' };
    // Logged in the transaction that applies the re-fetched charge (on its own if that fails).
    const received = { source: 'webhook', type: 'webhook_received', detail: { eventId: notice.eventId, key: notice.eventKey } } as const;
    // The charge was made, and the payment has it already: nothing new to ask the gateway about.
    if (notice.madeOnly && byCharge) {
      await ctx.store.appendEvent(byCharge.id, received, ctx.iso());
      return { received: true, paymentId: byCharge.id, status: byCharge.status };
    }
    // Bounded well below the gateway's own webhook timeout; a failure answers 5xx so the gateway retries.
    const signal = AbortSignal.timeout(WEBHOOK_REFETCH_MS);
    try {
      // Found by the payment id the gateway echoed: its charge id is unknown here, so the gateway is asked by the
      // payment's reference (the webhook's charge id first, taken only if the gateway's own answer names this payment;
      // never anything the webhook says about the charge).
      const byReference = byCharge === null ? { byReference: true, chargeHint: notice.chargeId } : {};
      const after = await this.refresh.refresh(payment, 'webhook', { force: true, ...byReference, detail: { eventId: notice.eventId }, signal, events: [received] });
      return { received: true, paymentId: after.id, status: after.status };
    } catch (err) {
      if (signal.aborted) throw new CheckoutError('gateway_error', 'The charge could not be re-fetched in time.');
      throw err;
    }
  }

  /**
   * A webhook's payment whose charge id is not stored yet (a QR paid before the browser said so), by the payment
   * id the gateway echoes. Only a payment that has no charge yet, or this one, qualifies; it is then re-fetched
   * by its own stored ids, never by what the webhook says.
   */
  async #paymentByReference(gatewayId: Gateway, paymentRef: string | undefined, chargeId: string): Promise<PaymentRecord | null> {
    if (!paymentRef || !PaymentId.safeParse(paymentRef).success) return null;
    const payment = await this.ctx.store.getPayment(paymentRef);
    if (!payment || payment.gateway !== gatewayId) return null;
    return payment.chargeId === null || payment.chargeId === chargeId ? payment : null;
  }

  /** Where a repeated form post goes: the same 3-D Secure page while it waits, the result page otherwise. No charge. */
  async #replayed(payment: PaymentRecord): Promise<string> {
    await this.ctx.store.appendEvent(payment.id, { source: 'create', type: 'token_replayed', detail: { chargeId: payment.chargeId } }, this.ctx.iso());
    if (isLive(payment.status) && payment.authorizeUri) return payment.authorizeUri;
    return this.ctx.resultUrl(payment);
  }

  async #chargeFromForm(gateway: PaymentGateway, payment: PaymentRecord, form: ChargeForm): Promise<string> {
    const { ctx } = this;
    // The shopper's choice in the form is what this payment charges (or would have), whatever the outcome.
    const chosen = form.installmentTerm !== undefined ? { installmentTerm: form.installmentTerm } : {};
    let started: StartedPayment;
    try {
      started = await gateway.chargeFromForm!(payment, form);
    } catch (err) {
      const { code, message, unknown } = await ctx.recordGatewayError(payment, gateway, err);
      // The charge may exist: the payment stays pending until an inquiry by its reference settles it.
      if (unknown) {
        // The term chosen is recorded as it is, not with the status the payment had: a notify may have settled it
        // meanwhile (then a write of that old status was refused, and the term lost with it).
        const term = form.installmentTerm;
        if (term !== undefined) {
          await ctx.store.updatePayment(payment.id, (p) => (p.installmentTerm === null ? { patch: { installmentTerm: term }, events: [], result: null } : null), ctx.iso());
        }
        // Asked at once by the payment's reference: a charge made all the same that waits for 3-D Secure sends the
        // shopper to the bank's page now, not to a result page waiting for a page the shopper was never shown.
        const found = await this.refresh.refreshQuietly(payment, 'create', true);
        if (isLive(found.status) && found.authorizeUri) return found.authorizeUri;
        return ctx.resultUrl(found);
      }
      if (!(err instanceof GatewayError)) ctx.logger.error('creating the charge failed', { paymentId: payment.id, error: err });
      const after = await this.writer.apply(payment.id, { status: 'failed', failureCode: code, failureMessage: message, ...chosen }, 'create');
      return ctx.resultUrl(after);
    }
    const { chargeId } = started.gatewayIds;
    const after = await this.refresh.applyStarted(payment, { ...started, ...chosen }, 'create', chargeId ? chargeLearnt({ ...started, chargeId }, {}) : undefined);
    if (isLive(after.status) && started.authorizeUri) return started.authorizeUri;
    return ctx.resultUrl(after);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
