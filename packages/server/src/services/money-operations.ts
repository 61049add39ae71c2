import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CheckoutError, getMethod } from '@payment-checkout/core';
import { amountText } from '../common/amount-text.ts';
import type { KeyedLock } from '../common/keyed-lock.ts';
import { GatewayError, type PaymentGateway } from '../gateways/gateway.ts';
import { MoneyOperation, type OperationContext, type OperationRequest, type OperationRule } from '../gateways/operations.ts';
import type { HookOutboxEntry, NewPaymentEvent, PaymentRecord } from '../store/store.ts';
import type { ServiceContext } from './context.ts';
import { type PriorRequest, keyedOperationId, outcomeSince, priorRequest, seenOf } from './operation-replay.ts';
import type { PaymentRefresh } from './payment-refresh.ts';
import type { ReportTo } from './payment-machine.ts';
import type { StatusWriter } from './status-writer.ts';

/** The body of an operation request: strict, amounts in minor units (refund and settle only). */
export const OperationBody = z.strictObject({
  amount: z.number({ error: 'must be a whole number of minor units (satang, cents)' }).int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  reason: z.string().trim().min(1).max(255).optional(),
});
export type OperationBody = z.infer<typeof OperationBody>;

/** One operation the merchant may (or may not) do now, as the operations API lists them. */
export interface OperationOffer {
  name: MoneyOperation;
  allowed: boolean;
  reason: string | null;
  maxAmount: number | null;
}

const TAKES_AMOUNT: readonly MoneyOperation[] = ['refund', 'settle'];
/** The operations that take, keep or return money (the others end a payment unpaid). */
const MOVES_MONEY: readonly MoneyOperation[] = ['refund', 'void', 'settle', 'capture'];
/** Who asked, in the log, for what the companion does by itself. */
const COMPANION = 'companion';
/** The outbox rows that guard an operation at the gateway until its outcome is recorded (`MoneyOperations.readBackCut`). */
export const OPERATION_CUT = 'operationCut';
/** The least a guard is held by its live process (ms): longer than an operation's calls can take (2 min each at most). */
const OPERATION_GUARD_MS = 10 * 60_000;

/**
 * Why a money operation must not go on: the gateway shows refunds the companion had not recorded when the merchant
 * decided (`shown`: the payment as stored before this request read the gateway) — a refund whose answer was lost, or
 * one made in the dashboard, with its webhook missing. Repeating the merchant's request blind could refund twice;
 * the payment is now stored as the gateway has it, and asked again, the operation goes on. (Other changes need no
 * such stop: the rules then see the payment as it is, and the gateway refuses what cannot be done twice.)
 */
function refundedUnseen(shown: PaymentRecord, now: PaymentRecord, operation: MoneyOperation): string | null {
  if (now.refundedAmount <= shown.refundedAmount) return null;
  const more = amountText(now.refundedAmount - shown.refundedAmount, now.currency);
  return `The payment changed at the gateway since it was last shown: ${more} more was refunded. It is shown as it is now: ask for the ${operation} again if you still mean it (with a new Idempotency-Key, if you send one).`;
}

/**
 * The merchant's money operations on one payment: the gateway is asked first (so the rules see what was settled
 * or refunded meanwhile, in its dashboard too), then the gateway's rules decide, the request is logged with who
 * asked, the gateway acts, and what it answers is applied by the status writer. Operations on one order run one
 * at a time in this process; across processes the gateway's own checks (what is left to refund) hold.
 */
export class MoneyOperations {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly writer: StatusWriter,
    private readonly refresh: PaymentRefresh,
    private readonly orderLocks: KeyedLock,
  ) {}

  /** What the merchant may do with the payment now, by its gateway's rules (from the stored record). */
  async offers(payment: PaymentRecord): Promise<OperationOffer[]> {
    const gateway = this.ctx.o.gateways[payment.gateway];
    if (!gateway?.operationRules) return [];
    const rules = gateway.operationRules(payment, await this.#context(payment));
    return MoneyOperation.options.flatMap((name) => {
      const rule = rules[name];
      if (!rule) return [];
      return [{ name, allowed: rule.allowed, reason: rule.allowed ? null : rule.reason, maxAmount: rule.allowed ? rule.maxAmount : null }];
    });
  }

  /**
   * One operation the merchant asked for; `idempotencyKey` names the request (operation-replay.ts): sent again, it is
   * answered from what it did (`replayed`), never done twice.
   */
  async perform(id: string, operation: MoneyOperation, body: OperationBody, by: string, idempotencyKey?: string): Promise<{ payment: PaymentRecord; replayed: boolean }> {
    const found = await this.ctx.find(id);
    return this.orderLocks.run(found.orderId, async () => {
      const asked = { operation, amount: body.amount, currency: found.currency };
      const prior: PriorRequest = idempotencyKey ? priorRequest(await this.ctx.store.listEvents(found.id), idempotencyKey, asked) : { kind: 'new' };
      if (prior.kind === 'done') return { payment: await this.ctx.find(id), replayed: true };
      const gateway = this.ctx.gateway(found.gateway);
      const payment = found.chargeId ? await this.#readFirst(found, operation, body, by) : found;
      // Sent before without an answer: what the gateway shows now says whether it happened.
      if (prior.kind === 'unknown') {
        const outcome = outcomeSince(operation, prior.amount, prior.seen, payment);
        if (outcome === 'done') {
          const learnt = 'The payment read from the gateway shows it done.';
          await this.#log(payment, 'operation_succeeded', { operation, by, operationId: prior.operationId, idempotencyKey, learnt });
          return { payment, replayed: true };
        }
        if (outcome === 'unclear') {
          throw new CheckoutError('idempotency_conflict', `The ${operation} sent with this Idempotency-Key got no answer, and the payment has changed since in another way: it is not sent again. Check the payment, and send a new key if the ${operation} is still wanted.`);
        }
      }
      const context = await this.#context(payment);
      const rule = gateway.operationRules?.(payment, context)[operation];
      // Sent again under its key: the amount it was sent with (asked without one, "all that is left" may have changed).
      const amount = this.#amount(operation, rule, prior.kind === 'unknown' && prior.amount !== undefined ? { ...body, amount: prior.amount } : body, payment);
      const reason = body.reason ?? `${operation} by ${by}`;
      // Expire, cancel and reverse move no money: the log says no amount for them, nor for a refund or settle asked
      // without one that the rules refuse (there is no "all that is allowed" then). `operationId` ties its outcome to it.
      const operationId = idempotencyKey ? keyedOperationId(idempotencyKey, prior.kind === 'unknown' ? prior.attempt : 1) : randomUUID();
      const saysAmount = MOVES_MONEY.includes(operation) && (body.amount !== undefined || !TAKES_AMOUNT.includes(operation) || rule?.allowed === true);
      const keyed = idempotencyKey ? { idempotencyKey, seen: seenOf(payment) } : {};
      const detail = { operation, by, ...(saysAmount ? { amount } : {}), reason, operationId, ...keyed };
      const guard = await this.#request(payment, detail);
      // The same Idempotency-Key sent to another process at the same moment: its guard was there first.
      if (!guard) throw new CheckoutError('idempotency_conflict', 'A request with this Idempotency-Key is being performed now: check the payment in a moment.');
      const refusal = (MOVES_MONEY.includes(operation) ? refundedUnseen(found, payment, operation) : null) ?? this.#refusal(gateway, operation, rule, amount, payment);
      if (refusal) {
        await this.#log(payment, 'operation_failed', { operation, by, operationId, code: 'operation_not_allowed', message: refusal });
        await this.ctx.hookOutbox.close(guard);
        throw new CheckoutError('operation_not_allowed', refusal);
      }
      const after = await this.#operate(payment, gateway, guard, { operation, amount, reason }, context, detail);
      return { payment: after, replayed: false };
    });
  }

  /**
   * The outbox step for an operation whose process died before its outcome was recorded (`#guarded`): the payment is
   * read back from its gateway, so money the gateway moved is recorded without anyone asking, and the log says the
   * operation got no answer. Throws while the gateway cannot be read (tried again later).
   */
  async readBackCut(entry: HookOutboxEntry): Promise<NewPaymentEvent | null> {
    const payment = await this.ctx.find(entry.paymentId);
    const operationId = entry.key.slice(entry.key.lastIndexOf(':') + 1);
    const mine = (await this.ctx.store.listEvents(payment.id)).filter((e) => e.detail?.operationId === operationId);
    const asked = mine.find((e) => e.type === 'operation_requested');
    if (!asked || mine.some((e) => e.type === 'operation_succeeded' || e.type === 'operation_failed')) return null;
    await this.refresh.refresh(payment, 'reconciler', { force: true });
    const { operation, by } = asked.detail ?? {};
    const message = 'No answer was recorded: the companion stopped during the operation. The payment was read back from the gateway.';
    return { source: 'reconciler', type: 'operation_failed', detail: { operation, by, operationId, code: 'gateway_error', message, outcomeUnknown: true } };
  }

  /**
   * Logs the operation's request and writes its guard, a claimed outbox row (OPERATION_CUT), in one transaction; answers
   * the claimed row, or null when the row was there already (the same keyed request sent to another process at once).
   * The row is closed once the operation's outcome is logged; a process that dies before, or an error after the
   * gateway acted, leaves it, and when its lease ends any process reads the payment back (`readBackCut`). The lease
   * outlasts the longest the operation may take here (gateway calls, the read-back of a lost answer, the status
   * change's hook), so that a live operation is not read back as cut.
   */
  async #request(payment: PaymentRecord, detail: { operationId: string } & Record<string, unknown>): Promise<HookOutboxEntry | null> {
    const claim = this.ctx.hookOutbox.newClaim(Math.max(this.ctx.hookOutbox.settings.leaseMs, OPERATION_GUARD_MS));
    const guard = { name: OPERATION_CUT, key: `${payment.id}:${OPERATION_CUT}:${detail.operationId}`, source: 'operations' as const, claim };
    const requested = { source: 'operations' as const, type: 'operation_requested' as const, detail };
    const update = await this.ctx.store.updatePayment(payment.id, () => ({ patch: {}, events: [requested], hook: guard, result: null }), this.ctx.iso());
    return update?.claimedHook ?? null;
  }

  /** The operation at the gateway, its answer applied and its outcome logged; then its guard is closed. */
  async #operate(
    payment: PaymentRecord,
    gateway: PaymentGateway,
    guard: HookOutboxEntry,
    request: OperationRequest,
    context: OperationContext,
    detail: { operation: MoneyOperation; by: string; operationId: string; automatic?: boolean } & Record<string, unknown>,
    reportTo?: ReportTo,
  ): Promise<PaymentRecord> {
    const { operation, by, operationId, automatic } = detail;
    const who = automatic ? { operation, by, automatic, operationId } : { operation, by, operationId };
    let state;
    try {
      state = await gateway.operate!(payment, request, context);
    } catch (err) {
      const error = await this.#failed(payment, gateway, err, who);
      await this.ctx.hookOutbox.close(guard);
      throw error;
    }
    const after = await this.writer.apply(payment.id, state, 'operations', { detail: automatic ? who : { operation, by }, ...(reportTo ? { reportTo } : {}) });
    await this.#log(after, 'operation_succeeded', detail);
    await this.ctx.hookOutbox.close(guard);
    return after;
  }

  /**
   * A payment that paid an order another payment had already paid (the shopper paid twice): voided, else refunded
   * in full, where its gateway allows, by the companion itself. The move updates the `onNeedsRefund` call not yet
   * delivered (`reportTo`), so that the merchant's hook gets the payment as it is after (voided, refunded), or as
   * it was (succeeded) when nothing could be done; the log says which and why. Runs inside the status change's
   * flow (the order may be locked by it): no lock is taken here.
   */
  async reverseDuplicate(payment: PaymentRecord, reportTo: ReportTo): Promise<void> {
    const gateway = this.ctx.o.gateways[payment.gateway];
    const context = await this.#context(payment);
    const rules = gateway?.operationRules?.(payment, context) ?? {};
    const operation = (['void', 'refund'] as const).find((name) => rules[name]?.allowed);
    const who = { operation: operation ?? 'void', by: COMPANION, automatic: true, operationId: randomUUID() };
    if (!gateway?.operate || !operation) {
      const why = [rules.void, rules.refund].flatMap((rule) => (rule && !rule.allowed ? [rule.reason] : []));
      const message = why.length > 0 ? why.join(' ') : `${payment.gateway} has no void or refund for this payment.`;
      await this.#log(payment, 'operation_failed', { ...who, code: 'operation_not_allowed', message });
      return;
    }
    const rule = rules[operation] as OperationRule & { allowed: true };
    const amount = rule.maxAmount ?? payment.amount;
    const reason = `paid twice: order ${payment.orderId} was already paid`;
    const detail = { ...who, amount, reason };
    const guard = await this.#request(payment, detail);
    if (!guard) throw new Error(`the guard of operation ${who.operationId} was there already`);
    try {
      await this.#operate(payment, gateway, guard, { operation, amount, reason }, context, detail, reportTo);
    } catch (err) {
      // Its outcome is in the log (a refusal, no answer); an error after the gateway acted is read back (readBackCut).
      this.ctx.logger.warn('could not reverse a payment that paid its order twice', { paymentId: payment.id, error: err });
    }
  }

  /**
   * The payment as its gateway has it, before anything is decided. A gateway that cannot be read stops the operation
   * before anything is sent; the request and why it stopped are still logged, with who asked.
   */
  async #readFirst(found: PaymentRecord, operation: MoneyOperation, body: OperationBody, by: string): Promise<PaymentRecord> {
    try {
      return await this.refresh.refresh(found, 'operations', { force: true });
    } catch (err) {
      const asked = { operation, by, ...(body.amount !== undefined ? { amount: body.amount } : {}), ...(body.reason ? { reason: body.reason } : {}) };
      await this.#log(found, 'operation_requested', asked);
      const message = 'The payment could not be read from the gateway first, so nothing was sent. Try again in a moment.';
      await this.#log(found, 'operation_failed', { operation, by, code: 'gateway_error', message: `${message} (${err instanceof Error ? err.message : String(err)})` });
      throw new CheckoutError('gateway_error', message);
    }
  }

  /** Refund and settle: the amount asked for, or all that the rule allows; the others: none. */
  #amount(operation: MoneyOperation, rule: OperationRule | undefined, body: OperationBody, payment: PaymentRecord): number {
    if (!TAKES_AMOUNT.includes(operation)) {
      if (body.amount !== undefined) throw new CheckoutError('bad_request', `A ${operation} takes no amount: it is always the whole payment.`);
      return payment.amount;
    }
    return body.amount ?? (rule?.allowed ? (rule.maxAmount ?? payment.amount) : payment.amount);
  }

  /** Why our rules refuse it (nothing is sent to the gateway then), or null. */
  #refusal(gateway: PaymentGateway, operation: MoneyOperation, rule: OperationRule | undefined, amount: number, { method, currency }: PaymentRecord): string | null {
    if (!gateway.operate || !rule) return `${getMethod(method).label.en} payments have no ${operation}.`;
    if (!rule.allowed) return rule.reason;
    if (rule.maxAmount !== null && amount > rule.maxAmount) return `${amountText(amount, currency)} is more than this ${operation} may take: at most ${amountText(rule.maxAmount, currency)}.`;
    return null;
  }

  /**
   * A gateway's refusal is the merchant's 409 with the gateway's own code; no answer (the operation may have
   * happened) is a 502, and "check now" tells what happened. Both are logged.
   */
  async #failed(payment: PaymentRecord, gateway: PaymentGateway, err: unknown, who: { operation: MoneyOperation; by: string; automatic?: boolean; operationId: string }): Promise<Error> {
    const message = err instanceof Error ? err.message : String(err);
    const gatewayCode = err instanceof GatewayError ? err.code : null;
    const unknown = !(err instanceof GatewayError) || (gateway.outcomeUnknown?.(err) ?? false);
    await this.#log(payment, 'operation_failed', { ...who, code: unknown ? 'gateway_error' : 'operation_refused', message, gatewayCode, outcomeUnknown: unknown });
    if (unknown) {
      this.ctx.logger.warn('a merchant operation got no answer from the gateway', { paymentId: payment.id, operation: who.operation, error: err });
      // Read back at once: what the gateway did is shown with the 502, not after a webhook that may never come.
      if (payment.chargeId) await this.refresh.refreshQuietly(payment, 'operations', true);
      return new CheckoutError('gateway_error', `The gateway did not answer the ${who.operation}; check the payment before trying again.`);
    }
    return new CheckoutError('operation_refused', `The gateway refused the ${who.operation}: ${message}`, { gateway: { code: gatewayCode!, message } });
  }

  async #context(payment: PaymentRecord): Promise<OperationContext> {
    return { now: this.ctx.o.now(), events: await this.ctx.store.listEvents(payment.id) };
  }

  async #log(payment: PaymentRecord, type: 'operation_requested' | 'operation_succeeded' | 'operation_failed', detail: Record<string, unknown>): Promise<void> {
    await this.ctx.store.appendEvent(payment.id, { source: 'operations', type, detail }, this.ctx.iso());
  }
}
