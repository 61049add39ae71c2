import type { PaymentStatus } from '@payment-checkout/core';
import { cardToken, kpaymentApi, postForm, startCard, startQr, tokenFields } from './kpayment.ts';
import type { World } from './world.ts';
import { STATUS_OF_CHARGE } from './opn-charges.ts';

/**
 * The storm's payments: made through the companion as shoppers make them, decided at the gateway with the
 * sandbox's controls (the payer in the bank app, the QR simulator, the cardholder on the 3-D Secure page), and
 * the gateway's own word on each afterwards.
 */

export type StormKind = 'kplus' | 'kma' | 'thai_qr' | 'card';
export type Decision = 'paid' | 'failed' | 'expired' | 'pending';

/** What each kind can be made to end as, in turn: K PLUS and cards have no early expiry at the gateway. */
export const DECISIONS: Record<StormKind, Decision[]> = {
  kplus: ['paid', 'failed', 'pending'],
  kma: ['paid', 'failed', 'expired', 'pending'],
  thai_qr: ['paid', 'failed', 'expired', 'pending'],
  card: ['paid', 'failed', 'pending'],
};

export const STATUS_OF: Record<Decision, PaymentStatus> = { paid: 'succeeded', failed: 'failed', expired: 'expired', pending: 'pending' };

export interface StormPayment {
  id: string;
  kind: StormKind;
  decision: Decision;
  returnToken: string;
  /** The gateway's charge; a Thai QR has one once it is paid or declined. */
  chargeId: string | null;
  /** A Thai QR's K-Payment order. */
  kpaymentOrderId: string | null;
}

/** 3-D Secure cards of the sandbox: one the issuer approves, one it declines (05), one left waiting for its OTP. */
const CARDS: Record<'paid' | 'failed' | 'pending', string> = { paid: '4417706600005830', failed: '5596886582263266', pending: '5404888000072727' };

/** Creates one payment of `kind` through the companion and has the gateway decide it as `decision`. */
export async function makeStormPayment(world: World, kind: StormKind, decision: Decision): Promise<StormPayment> {
  const secret = world.keys.secretKey;
  const controls = world.sandbox.kpayment;
  if (kind === 'kplus' || kind === 'kma') {
    const res = await world.createPayment(world.order(150_000), kind === 'kplus' ? 'mobile_banking_kbank' : 'mobile_banking_bay');
    if (res.status !== 201) throw new Error(`create answered ${res.status}: ${res.text}`);
    const payment = await world.paymentOf(res.body.paymentId);
    const chargeId = payment.chargeId!;
    if (decision === 'paid' || decision === 'failed') await world.complete(chargeId, decision === 'paid' ? 'successful' : 'failed');
    if (decision === 'expired') {
      const expired = await world.opn(`/charges/${chargeId}/expire`, { method: 'POST' });
      if (expired.status !== 200) throw new Error(`expire answered ${expired.status}: ${JSON.stringify(expired.body)}`);
    }
    return { id: payment.id, kind, decision, returnToken: payment.returnToken, chargeId, kpaymentOrderId: null };
  }
  if (kind === 'thai_qr') {
    const { paymentId } = await startQr(world, 'thai_qr');
    const payment = await world.paymentOf(paymentId);
    const orderId = payment.sourceId!;
    // The shopper's popup opens the QR; the payer's app (the simulator) decides it.
    controls.openQr(secret, orderId);
    const view = decision === 'paid' ? controls.payQr(secret, orderId) : decision === 'failed' ? controls.failQr(secret, orderId) : decision === 'expired' ? controls.expireQr(secret, orderId) : null;
    return { id: paymentId, kind, decision, returnToken: payment.returnToken, chargeId: view?.charge_id ?? null, kpaymentOrderId: orderId };
  }
  if (decision === 'expired') throw new Error('a card charge has no early expiry');
  const { paymentId, next } = await startCard(world);
  const toBank = await postForm(next.formAction, tokenFields(await cardToken(world, { number: CARDS[decision] }), next.attributes));
  if (toBank.status !== 303) throw new Error(`the card form answered ${toBank.status}: ${toBank.text}`);
  const payment = await world.paymentOf(paymentId);
  // The cardholder enters the OTP on the bank's page; the browser's way back (the callback) is the storm's.
  if (decision !== 'pending') controls.authenticate(secret, payment.chargeId!, '123456');
  return { id: paymentId, kind, decision, returnToken: payment.returnToken, chargeId: payment.chargeId, kpaymentOrderId: null };
}

/** The gateway's own status of a payment, in the companion's words, read from the sandbox's API. */
export async function gatewayStatus(world: World, payment: StormPayment): Promise<PaymentStatus> {
  if (payment.kind === 'kplus' || payment.kind === 'kma') {
    const { body } = await world.opn<{ status: string }>(`/charges/${payment.chargeId}`);
    return (STATUS_OF_CHARGE[body.status] ?? `unknown Opn status ${body.status}`) as PaymentStatus;
  }
  const path = payment.kind === 'card' ? `/card/v2/charge/${payment.chargeId}` : `/qr/v2/qr/${payment.kpaymentOrderId}`;
  const { body } = await kpaymentApi<{ transaction_state?: string; status?: string; code?: string }>(world, path);
  // A QR order nobody paid has no charge: the inquiry answers why (guide §6.4).
  if (body.code === 'qr_expired') return 'expired';
  if (body.code === 'no_transaction_found') return 'pending';
  const state = `${body.transaction_state}/${body.status}`;
  const kpayment: Record<string, PaymentStatus> = { 'Authorized/success': 'succeeded', 'Declined/fail': 'failed', 'Pre-Authorized/pending': 'pending' };
  return kpayment[state] ?? (`unknown K-Payment state ${state}` as PaymentStatus);
}
