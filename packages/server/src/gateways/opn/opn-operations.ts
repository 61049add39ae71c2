import { type OpnCharge, getMethod, kakaopayVoidDeadline } from '@payment-checkout/core';
import type { PaymentRecord } from '../../store/store.ts';
import { type OperationContext, type OperationRequest, type OperationRules, allow, refundable, refuse, REFUNDED_IN_FULL, statusInWords } from '../operations.ts';
import type { OpnClient } from './opn-client.ts';

/**
 * Opn's money operations by method (seed 002, 004; shared/spec/opn-payments.md): mobile banking has neither void
 * nor refund, KMA expires early while pending; KakaoPay voids in its window (until 00:15 GMT+8 of the next day,
 * decisions.md 14), refunds after, and captures or reverses a charge created with `capture: false`.
 */
export function opnOperationRules(payment: PaymentRecord, { now }: OperationContext): OperationRules {
  const method = getMethod(payment.method);
  const rules: OperationRules = {};
  const { status } = payment;
  if (method.canExpireEarly) {
    rules.expire = status === 'pending' && payment.chargeId ? allow() : refuse(`Only a pending charge can be expired early; its status is ${statusInWords(status)}.`);
  }
  if (method.manualCapture) {
    const held = status === 'authorized' && payment.chargeId !== null;
    const why = 'Only an authorised charge that was not captured yet (a charge created with capture: false) can be';
    rules.capture = held ? allow(payment.amount) : refuse(`${why} captured; its status is ${statusInWords(status)}.`);
    rules.reverse = held ? allow() : refuse(`${why} reversed; its status is ${statusInWords(status)}.`);
  }
  if (!method.voidable && !method.refundable) {
    const why = `Opn cannot void or refund ${method.label.en} payments: return the money to the shopper another way.`;
    return { ...rules, void: refuse(why), refund: refuse(why) };
  }
  if (method.voidable) {
    const deadline = kakaopayVoidDeadline(Date.parse(payment.createdAt));
    rules.void =
      status !== 'succeeded'
        ? refuse(`Only a paid payment that was not refunded can be voided; its status is ${statusInWords(status)}.`)
        : now >= deadline
          ? refuse(`The void window closed at ${new Date(deadline).toISOString()} (00:15 GMT+8 the day after the payment): refund it instead.`)
          : allow(payment.amount);
  }
  if (method.refundable) {
    const left = refundable(payment);
    rules.refund =
      status === 'refunded'
        ? refuse(REFUNDED_IN_FULL)
        : status !== 'succeeded' && status !== 'partially_refunded'
          ? refuse(`Only a paid payment can be refunded; its status is ${statusInWords(status)}.`)
          : left <= 0
            ? refuse('Nothing is left to refund.')
            : allow(left);
  }
  return rules;
}

/** Performs an operation at Opn; answers the charge afterwards. A void is a refund of everything inside the window. */
export async function opnOperate(client: OpnClient, payment: PaymentRecord, request: OperationRequest): Promise<OpnCharge> {
  const chargeId = payment.chargeId;
  if (!chargeId) throw new Error(`payment ${payment.id} has no charge`);
  switch (request.operation) {
    case 'expire':
      return client.expireCharge(chargeId);
    case 'capture':
      return client.captureCharge(chargeId);
    case 'reverse':
      return client.reverseCharge(chargeId);
    case 'void':
    case 'refund':
      await client.createRefund(chargeId, { amount: request.amount, metadata: { payment_id: payment.id, reason: request.reason.slice(0, 255) } });
      return client.retrieveCharge(chargeId);
    case 'settle':
    case 'cancel':
      throw new Error(`Opn has no ${request.operation} operation`);
  }
}
