import { type KpaymentCharge, kpaymentDay, minorToDecimal } from '@payment-checkout/core';
import type { PaymentRecord } from '../../store/store.ts';
import { type OperationContext, type OperationRequest, type OperationRule, type OperationRules, allow, refundable, refuse, REFUNDED_IN_FULL, statusInWords } from '../operations.ts';
import type { KpaymentClient } from './kpayment-client.ts';
import { KpaymentApiError } from './kpayment-errors.ts';

/** The guide's refund windows (§9): up to 180 days as is, up to 366 with the charge's `transaction_date`, never after. */
const DAY = 86_400_000;
const REFUND_PLAIN_DAYS = 180;
const REFUND_LAST_DAYS = 366;

/**
 * When the charge was made: K-Payment's own `created`, recorded with the charge; for a payment recorded before the
 * companion kept it, the payment's creation (the charge came at most the card form's wait later).
 */
const chargeMadeAt = (payment: PaymentRecord): number => Date.parse(payment.chargeCreatedAt ?? payment.createdAt);

/**
 * The charge's `transaction_date` (its Bangkok creation date, `YYYYMMDD`) when K-Payment needs it: for a refund, and
 * an inquiry, of a charge more than 180 days old (guide L1566, L1995), from a day before (the bank's clock and ours
 * may differ; the date is optional before); undefined earlier.
 */
export function transactionDateFor(payment: PaymentRecord, now: number): string | undefined {
  const made = chargeMadeAt(payment);
  return (now - made) / DAY > REFUND_PLAIN_DAYS - 1 ? kpaymentDay(made) : undefined;
}

/**
 * K-Payment's money operations (guide §3.3–3.5, §4.3; shared/spec/kpayment-gateway.md §5, §9):
 * - a card charge is voided before it is settled, settled (fully or partly), and refunded once settled: within
 *   180 days, up to 366 with its `transaction_date`, up to what is left, and an instalment payment takes one
 *   partial refund at most;
 * - a Thai QR payment is voided only the day it was paid and only when paid with K PLUS (the gateway knows the
 *   app; it refuses the others with its own code);
 * - an unpaid QR cannot be cancelled by the merchant: Cancel QR takes the QR id, which only the shopper's popup
 *   holds (decisions.md C14); the order expires by itself;
 * - Alipay, UnionPay and WeChat Pay have no void and no refund API (refunds are "only on items that charge by
 *   credit card").
 */
export function kpaymentOperationRules(payment: PaymentRecord, { now, events }: OperationContext): OperationRules {
  const { status } = payment;
  switch (payment.method) {
    case 'card':
      return cardRules(payment, now, events);
    case 'thai_qr': {
      const paidAt = events.find((e) => e.toStatus === 'succeeded')?.at;
      // The gateway refuses a QR paid with another bank's app (EMQRVOTCH), and the app that paid does not change.
      const refusedVoid = events.find((e) => e.type === 'operation_failed' && e.detail?.operation === 'void' && e.detail?.code === 'operation_refused');
      return {
        void:
          status !== 'succeeded'
            ? refuse(`Only a paid QR payment can be voided; its status is ${statusInWords(status)}.`)
            : paidAt && kpaymentDay(Date.parse(paidAt)) !== kpaymentDay(now)
              ? refuse('A QR payment can be voided only on the day it was paid (Bangkok time).')
              : refusedVoid
                ? refuse(`K-Payment refused to void it: ${String(refusedVoid.detail?.message ?? 'no reason given')}`)
                : allow(payment.amount),
        cancel: refuse('K-Payment cancels an unpaid QR by its QR id, which only the shopper sees; the QR expires by itself.'),
      };
    }
    default: {
      const why = 'K-Payment has no void or refund for this method (its refunds are for card payments only).';
      return { void: refuse(why), refund: refuse(why) };
    }
  }
}

function cardRules(payment: PaymentRecord, now: number, events: OperationContext['events']): OperationRules {
  const { status } = payment;
  if (status !== 'succeeded' && status !== 'partially_refunded') {
    const why = `Only a paid card payment can be voided, settled or refunded; its status is ${statusInWords(status)}.`;
    return { void: refuse(why), settle: refuse(why), refund: refuse(status === 'refunded' ? REFUNDED_IN_FULL : why) };
  }
  if (payment.settledAmount === null) {
    return {
      void: allow(payment.amount),
      settle: allow(payment.amount),
      refund: refuse('The payment is not settled yet: void it before settlement, or settle it and refund it from the next day.'),
    };
  }
  const settled = 'The payment is settled: refund it instead.';
  const ageDays = (now - chargeMadeAt(payment)) / DAY;
  const instalments = events.find((e) => e.type === 'token_received' && e.detail?.term != null)?.detail;
  const left = refundable(payment);
  const refund =
    ageDays > REFUND_LAST_DAYS
      ? refuse(`K-Payment refunds card payments up to ${REFUND_LAST_DAYS} days old; this one is ${Math.floor(ageDays)} days old.`)
      : left <= 0
        ? refuse('Nothing is left to refund.')
        : instalments
          ? instalmentRefund(payment, left, typeof instalments.ipanMode === 'string' ? instalments.ipanMode : null)
          : allow(left);
  return { void: refuse(settled), settle: refuse('The payment is settled already.'), refund };
}

/**
 * An instalment payment's refund (guide L3902–3904): one at most, and never in full where the shop (IPAN mode 01) or
 * the shopper (02) pays the interest; the shop's mode refuses even a partial one. A SmartpayID payment's mode is
 * K-Payment's setting, not ours, and the guide gives SmartpayID modes 01 and 02 only (L636): partial at most.
 */
function instalmentRefund(payment: PaymentRecord, left: number, ipanMode: string | null): OperationRule {
  if (payment.refundedAmount > 0) return refuse('An instalment payment takes one partial refund at most, and it has had one.');
  if (ipanMode === '01') return refuse('K-Payment refunds no instalment payment whose interest the shop pays (IPAN mode 01).');
  if (ipanMode === '03') return allow(left);
  return left > 1 ? allow(left - 1) : refuse('An instalment payment cannot be refunded in full, and a partial refund of it would be nothing.');
}

/**
 * Performs an operation at K-Payment; answers the charge afterwards. A refusal answered inside the charge
 * (`status: "fail"`, the state unchanged) becomes the gateway's error, with its code.
 */
export async function kpaymentOperate(client: KpaymentClient, payment: PaymentRecord, request: OperationRequest, { now }: OperationContext): Promise<KpaymentCharge> {
  const chargeId = payment.chargeId;
  if (!chargeId) throw new Error(`payment ${payment.id} has no charge`);
  const amount = Number(minorToDecimal(request.amount, payment.currency));
  const reason = request.reason.slice(0, 256);
  let charge: KpaymentCharge;
  switch (request.operation) {
    case 'void':
      charge = payment.method === 'card' ? await client.voidCharge(chargeId, { reason }) : await client.voidQrCharge(chargeId);
      break;
    case 'settle':
      charge = await client.settleCharge(chargeId, { amount, type: request.amount === payment.amount ? 'full' : 'partial' });
      break;
    case 'refund': {
      const date = transactionDateFor(payment, now);
      charge = await client.refundCharge(chargeId, { amount, reason, ...(date ? { transaction_date: date } : {}) }).catch((err: unknown) => {
        throw explained(err, payment);
      });
      break;
    }
    default:
      throw new Error(`K-Payment has no ${request.operation} operation`);
  }
  if (charge.status === 'fail') {
    throw explained(new KpaymentApiError(200, charge.failure_code || `${request.operation}_failed`, charge.failure_message || `K-Payment refused the ${request.operation} (${charge.transaction_state}).`), payment);
  }
  return charge;
}

/**
 * K-Payment's refusal, with what the merchant can do about it where its words do not say: a charge the merchant
 * settled stays Captured until the next Bangkok day, and only a Settled one is refunded (L1865). The companion
 * cannot tell the two apart beforehand without the gateway's clock (the sandbox's may be advanced), so it asks.
 */
function explained(err: unknown, payment: PaymentRecord): unknown {
  if (!(err instanceof KpaymentApiError) || err.code !== 'refund_state_invalid' || payment.settledAmount === null) return err;
  return new KpaymentApiError(err.httpStatus, err.code, `${err.message}. A payment settled today can be refunded from the next day (Bangkok time).`);
}
