import { randomBytes } from 'node:crypto';
import { CheckoutError, type PaymentMethodId } from '@payment-checkout/core';
import { type Sandbox, createSandbox } from '@payment-checkout/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentRecord } from '../../store/store.ts';
import { RETURN_URI, methodOf, settle, storedPayment } from '../gateway-contract-kit.ts';
import { GatewayError } from '../gateway.ts';
import { OpnClient } from './opn-client.ts';
import { OpnApiError, OpnNetworkError, OpnResponseError, OpnTimeoutError } from './opn-errors.ts';
import { OpnGateway } from './opn-gateway.ts';

/**
 * A charge create whose answer was lost (issue 9, defect 2), against the emulator: the create throws, the
 * adapter says its outcome is unknown, and `fetchStatus` on the payment (no charge id yet) finds the charge by
 * the `metadata.payment_id` it sent — or says `charge_not_found` once no charge can still appear.
 */

let sandbox: Sandbox;
let sandboxUrl: string;
beforeAll(async () => {
  sandbox = createSandbox({ webhookRetryDelaysMs: [60_000] });
  sandboxUrl = (await sandbox.listen(0)).url;
});
afterAll(async () => {
  await sandbox?.close();
});

const MINUTE = 60_000;

function merchant() {
  const name = randomBytes(6).toString('hex');
  return { publicKey: `pkey_test_${name}`, secretKey: `skey_test_${name}` };
}

function gatewayFor(keys: ReturnType<typeof merchant>, options: { timeoutMs?: number; now?: () => number; webhookSecret?: string | null } = {}): OpnGateway {
  return new OpnGateway({
    client: new OpnClient({ ...keys, apiUrl: sandboxUrl, timeoutMs: options.timeoutMs ?? 5_000 }),
    webhookSecret: () => options.webhookSecret ?? null,
    now: options.now,
  });
}

/** Starts `payment` and answers what it threw (the test fails if it did not throw). */
async function startFailing(gateway: OpnGateway, payment: PaymentRecord, clientSourceId?: string): Promise<unknown> {
  const started = await settle(gateway.startPayment({ payment, method: methodOf(gateway, payment.method), returnUri: RETURN_URI, platform: payment.platform, clientSourceId }));
  expect(started.ok, 'startPayment should have thrown').toBe(false);
  return started.ok ? null : started.error;
}

/** The merchant's charges at the sandbox, as Opn lists them. */
async function chargesOf(keys: ReturnType<typeof merchant>) {
  return (await new OpnClient({ ...keys, apiUrl: sandboxUrl }).listCharges({ limit: 100 })).data;
}

describe('a create that made the charge and lost its answer', () => {
  it.each<PaymentMethodId>(['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay'])('%s: outcome unknown, then found by the payment, with its status', async (method) => {
    const keys = merchant();
    const gateway = gatewayFor(keys);
    const payment = storedPayment(method);
    sandbox.opn.setScenario(keys.secretKey, { failNext: { count: 1, status: 500, after: 'commit' } });

    const err = await startFailing(gateway, payment);
    expect(err).toBeInstanceOf(OpnApiError);
    expect(gateway.outcomeUnknown(err)).toBe(true);
    expect(gateway.findsChargeByReference).toBe(true);

    const [charge] = await chargesOf(keys);
    expect(charge.metadata).toMatchObject({ payment_id: payment.id, order_id: payment.orderId });
    const found = await gateway.fetchStatus(payment);
    // With when Opn made it (`created_at`), recorded with its id.
    const chargeCreatedAt = new Date(charge.created_at).toISOString();
    expect(found).toEqual({ status: 'pending', failureCode: null, failureMessage: null, chargeId: charge.id, authorizeUri: charge.authorize_uri, refundedAmount: 0, settledAmount: null, chargeCreatedAt });

    // The payer pays the charge the shopper never saw an answer for: the lookup says so.
    sandbox.opn.completeCharge(keys.secretKey, charge.id, { result: 'successful' });
    expect(await gateway.fetchStatus(payment)).toMatchObject({ status: 'succeeded', chargeId: charge.id, authorizeUri: null });
    // Once the companion stored the id, the charge is read by it.
    expect(await gateway.fetchStatus({ ...payment, chargeId: charge.id })).toEqual({ status: 'succeeded', failureCode: null, failureMessage: null, refundedAmount: 0, settledAmount: charge.amount, chargeCreatedAt });
  });

  it('finds a charge made from a source the browser created, and reports a declined one as failed', async () => {
    const keys = merchant();
    const gateway = gatewayFor(keys);
    const payment = storedPayment('mobile_banking_kbank');
    const source = await new OpnClient({ ...keys, apiUrl: sandboxUrl }).createSource({ type: 'mobile_banking_kbank', amount: payment.amount, currency: payment.currency });
    sandbox.opn.setScenario(keys.secretKey, { failNext: { count: 1, status: 503, after: 'commit' } });

    expect(gateway.outcomeUnknown(await startFailing(gateway, { ...payment, sourceId: source.id }, source.id))).toBe(true);
    const [charge] = await chargesOf(keys);
    expect(charge.source?.id).toBe(source.id);
    sandbox.opn.completeCharge(keys.secretKey, charge.id, { result: 'failed', failure_code: 'insufficient_fund' });
    expect(await gateway.fetchStatus({ ...payment, sourceId: source.id })).toMatchObject({ status: 'failed', failureCode: 'insufficient_fund', chargeId: charge.id });
  });

  it('finds its own charge among other payments\' charges, past the first page', async () => {
    const keys = merchant();
    const gateway = gatewayFor(keys);
    const client = new OpnClient({ ...keys, apiUrl: sandboxUrl });
    const payment = storedPayment('mobile_banking_bay');
    for (let i = 0; i < 120; i++) {
      await client.createCharge({ amount: payment.amount, currency: payment.currency, return_uri: RETURN_URI, source: { type: 'mobile_banking_bay' }, metadata: { payment_id: `pay_other_${i}` } });
    }
    sandbox.opn.setScenario(keys.secretKey, { failNext: { count: 1, status: 500, after: 'commit' } });
    await startFailing(gateway, payment);
    const found = await gateway.fetchStatus(payment);
    const charge = await client.retrieveCharge(found.chargeId!);
    expect(charge.metadata?.payment_id).toBe(payment.id);
  });

  it('refuses a charge that names the payment but not its amount', async () => {
    const keys = merchant();
    const payment = storedPayment('mobile_banking_kbank');
    await new OpnClient({ ...keys, apiUrl: sandboxUrl }).createCharge({ amount: payment.amount + 100, currency: payment.currency, return_uri: RETURN_URI, source: { type: 'mobile_banking_kbank' }, metadata: { payment_id: payment.id } });
    const read = await settle(gatewayFor(keys).fetchStatus(payment));
    expect(read.ok).toBe(false);
    expect(!read.ok && read.error).toBeInstanceOf(CheckoutError);
    expect(!read.ok && (read.error as CheckoutError).code).toBe('gateway_error');
  });

  it('names the payment in the webhook notice of a charge whose id the companion never learnt', async () => {
    const keys = merchant();
    const gateway = gatewayFor(keys);
    const payment = storedPayment('mobile_banking_kbank');
    sandbox.opn.setScenario(keys.secretKey, { failNext: { count: 1, status: 500, after: 'commit' } });
    await startFailing(gateway, payment);
    const [charge] = await chargesOf(keys);
    sandbox.opn.completeCharge(keys.secretKey, charge.id, { result: 'successful' });
    const event = sandbox.opn.events(keys.secretKey).find((e) => e.key === 'charge.complete')!;
    const notice = await gateway.readWebhook({ rawBody: Buffer.from(JSON.stringify(event)), headers: { 'content-type': 'application/json' } });
    expect(notice).toMatchObject({ kind: 'payment', chargeId: charge.id, paymentRef: payment.id });
  });
});

describe('a create that made no charge', () => {
  it('is not proof until a create can no longer land, then charge_not_found', async () => {
    const keys = merchant();
    const payment = storedPayment('mobile_banking_kbank');
    sandbox.opn.setScenario(keys.secretKey, { failNext: { count: 1, status: 500 } });
    const gateway = gatewayFor(keys);
    const err = await startFailing(gateway, payment);
    // A 5xx is an unknown outcome whatever the sandbox did: only the lookup can tell.
    expect(gateway.outcomeUnknown(err)).toBe(true);
    expect(await chargesOf(keys)).toEqual([]);

    const early = await settle(gateway.fetchStatus(payment));
    expect(!early.ok && early.error).toBeInstanceOf(GatewayError);
    expect(!early.ok && (early.error as GatewayError).code).toBe('charge_not_found_yet');

    const later = await settle(gatewayFor(keys, { now: () => Date.now() + MINUTE }).fetchStatus(payment));
    expect(!later.ok && later.error).toBeInstanceOf(GatewayError);
    expect(!later.ok && [(later.error as GatewayError).gateway, (later.error as GatewayError).code]).toEqual(['opn', 'charge_not_found']);
  });

  it('does not take another payment\'s charge for its own', async () => {
    const keys = merchant();
    const gateway = gatewayFor(keys, { now: () => Date.now() + MINUTE });
    const other = storedPayment('mobile_banking_kbank');
    await gateway.startPayment({ payment: other, method: methodOf(gateway, other.method), returnUri: RETURN_URI, platform: null });
    const read = await settle(gateway.fetchStatus({ ...storedPayment('mobile_banking_kbank'), orderId: other.orderId }));
    expect(!read.ok && (read.error as GatewayError).code).toBe('charge_not_found');
  });
});

describe('a create that timed out while Opn was still working', () => {
  it('is unknown; the lookup says "not yet" until the charge lands, then finds it', async () => {
    const keys = merchant();
    const payment = storedPayment('mobile_banking_kbank');
    sandbox.opn.setScenario(keys.secretKey, { latencyMs: 800 });
    const gateway = gatewayFor(keys, { timeoutMs: 150 });
    const err = await startFailing(gateway, payment);
    expect(err).toBeInstanceOf(OpnTimeoutError);
    expect(gateway.outcomeUnknown(err)).toBe(true);

    // The create is still sleeping in the sandbox (its latency was read when it arrived).
    sandbox.opn.setScenario(keys.secretKey, {});
    const patient = gatewayFor(keys);
    const early = await settle(patient.fetchStatus(payment));
    expect(!early.ok && (early.error as GatewayError).code).toBe('charge_not_found_yet');

    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(await patient.fetchStatus(payment)).toMatchObject({ status: 'pending', chargeId: expect.stringMatching(/^chrg_test_/) });
  });
});

describe('outcomeUnknown', () => {
  it('is true only when the request may have done its work', () => {
    const gateway = gatewayFor(merchant());
    expect(gateway.outcomeUnknown(new OpnNetworkError('POST /charges: ECONNRESET'))).toBe(true);
    expect(gateway.outcomeUnknown(new OpnTimeoutError(10_000))).toBe(true);
    expect(gateway.outcomeUnknown(new OpnResponseError(502, 'POST /charges: HTTP 502 without an Opn error body'))).toBe(true);
    expect(gateway.outcomeUnknown(new OpnResponseError(200, 'POST /charges: unexpected response shape'))).toBe(true);
    expect(gateway.outcomeUnknown(new OpnApiError(503, 'service_unavailable', 'down'))).toBe(true);
    // Opn refused it: nothing was made.
    expect(gateway.outcomeUnknown(new OpnApiError(400, 'invalid_charge', 'amount too small'))).toBe(false);
    expect(gateway.outcomeUnknown(new OpnApiError(429, 'too_many_requests', 'slow down'))).toBe(false);
    expect(gateway.outcomeUnknown(new OpnApiError(401, 'authentication_failure', 'bad key'))).toBe(false);
    expect(gateway.outcomeUnknown(new Error('a bug'))).toBe(false);
  });
});
