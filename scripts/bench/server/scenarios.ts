import { randomBytes } from 'node:crypto';
import type { Agent } from 'node:http';
import { kpaymentChecksum, signOpnWebhook } from '@payment-checkout/core/signature';
import { type Call, expectStatus, prepare, type Work } from './load.ts';
import { type ServerProcess, startProcess } from './processes.ts';

/**
 * What the benchmark asks of each target: the companion, the sandbox called directly for the same gateway work, and a
 * bare Express endpoint; and the set-up the webhook scenarios need (payments whose charge the gateway has completed
 * and the companion has not heard of yet, so each webhook or notify is a first delivery that settles its payment).
 */

export const KEYS = { publicKey: 'pkey_test_bench', secretKey: 'skey_test_bench' } as const;
export const OPS_TOKEN = 'bench-operations-token-0123456789abcdef';
const AMOUNT = 150_000;
const CARD = '5404888000072727'; // the guide's 3-D Secure approval card (sandbox TEST_CARDS)
const OTP = '123456';

export interface Servers {
  companion: ServerProcess;
  sandbox: ServerProcess;
  bare: ServerProcess;
}

/** The companion under benchmark (companion-process.ts) on `sandboxUrl`, its SQLite file at `store`; `env` adds to it. */
export function startCompanion(sandboxUrl: string, store: string, env: Record<string, string> = {}, name = 'companion'): Promise<ServerProcess> {
  return startProcess(name, 'companion-process.ts', {
    SANDBOX_URL: sandboxUrl,
    STORE: store,
    BENCH_PUBLIC_KEY: KEYS.publicKey,
    BENCH_SECRET_KEY: KEYS.secretKey,
    OPS_TOKEN,
    ...env,
  });
}

const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });
const basic = { authorization: `Basic ${Buffer.from(`${KEYS.secretKey}:`).toString('base64')}` };
const opnPost = (url: string, body: unknown): Call => ({ method: 'POST', url, headers: { ...basic, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const kpaymentPost = (url: string, body: unknown, key: string = KEYS.secretKey): Call => ({
  method: 'POST',
  url,
  headers: { 'x-api-key': key, 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A payment the companion made, with its charge at the gateway once known. */
export interface BenchPayment {
  paymentId: string;
  chargeId?: string;
  /** The signed webhook or notify to deliver: body and headers. */
  delivery?: { body: string; headers: Record<string, string> };
}

/** Every payment the companion created in this run, K PLUS ones not yet settled kept apart for the webhook scenario. */
export class Ledger {
  created = 0;
  pendingKplus: string[] = [];
  private run = randomBytes(4).toString('hex');
  private next = 0;
  orderId(): string {
    return `bench-${this.run}-${this.next++}`;
  }
}

// ── create ──

export function createViaCompanion(s: Servers, ledger: Ledger): Work {
  return async (agent) => {
    const { body } = json({ orderId: ledger.orderId(), method: 'mobile_banking_kbank' });
    const answer = await expectStatus(agent, { method: 'POST', url: `${s.companion.url}/checkout/payments`, headers: { 'content-type': 'application/json' }, body }, 201);
    ledger.created++;
    ledger.pendingKplus.push((JSON.parse(answer.text) as { paymentId: string }).paymentId);
  };
}

/** What the companion sends for a K PLUS payment: one POST /charges with the source inline. */
export function createChargeDirect(s: Servers): Work {
  return async (agent, i) => {
    const charge = { amount: AMOUNT, currency: 'THB', return_uri: `https://shop.example/return/${i}`, source: { type: 'mobile_banking_kbank' }, metadata: { order_id: `direct-${i}` } };
    await expectStatus(agent, opnPost(`${s.sandbox.url}/charges`, charge), 200);
  };
}

/** The same charge the way a browser-made source does it: POST /sources, then POST /charges with its id. */
export function createSourceAndChargeDirect(s: Servers): Work {
  return async (agent, i) => {
    const source = await expectStatus(agent, opnPost(`${s.sandbox.url}/sources`, { type: 'mobile_banking_kbank', amount: AMOUNT, currency: 'THB' }), 200);
    const { id } = JSON.parse(source.text) as { id: string };
    const charge = { amount: AMOUNT, currency: 'THB', return_uri: `https://shop.example/return/${i}`, source: id, metadata: { order_id: `direct-${i}` } };
    await expectStatus(agent, opnPost(`${s.sandbox.url}/charges`, charge), 200);
  };
}

/** A K PLUS create posted to the bare process at `path`: its fixed answer, or the floor (bare-process.ts). */
function createAtBare(s: Servers, ledger: Ledger, path: string): Work {
  return async (agent) => {
    const { body } = json({ orderId: ledger.orderId(), method: 'mobile_banking_kbank' });
    await expectStatus(agent, { method: 'POST', url: `${s.bare.url}${path}`, headers: { 'content-type': 'application/json' }, body }, 201);
  };
}

/** The floor: a durable intent, the same POST /charges, a durable charge id; nothing else. */
export const createViaFloor = (s: Servers, ledger: Ledger): Work => createAtBare(s, ledger, '/floor/payments');
export const createBare = (s: Servers, ledger: Ledger): Work => createAtBare(s, ledger, '/checkout/payments');
/** Less than the floor: the same POST /charges relayed, nothing recorded. */
export const createPassThrough = (s: Servers, ledger: Ledger): Work => createAtBare(s, ledger, '/pass/payments');

// ── status ──

export function statusViaCompanion(s: Servers, pool: BenchPayment[]): Work {
  return async (agent, i) => void (await expectStatus(agent, { method: 'GET', url: `${s.companion.url}/checkout/payments/${pool[i % pool.length].paymentId}` }, 200));
}

/** Opn's GET /charges/:id: the status read at the gateway, and the re-fetch a webhook makes. */
export function retrieveChargeDirect(s: Servers, pool: BenchPayment[]): Work {
  return async (agent, i) => void (await expectStatus(agent, { method: 'GET', url: `${s.sandbox.url}/charges/${pool[i % pool.length].chargeId}`, headers: basic }, 200));
}

export function statusBare(s: Servers, pool: BenchPayment[]): Work {
  return async (agent, i) => void (await expectStatus(agent, { method: 'GET', url: `${s.bare.url}/checkout/payments/${pool[i % pool.length].paymentId}` }, 200));
}

// ── webhooks (Opn) and notifies (K-Payment): first deliveries ──

/** Posts each payment's prepared delivery once; the companion must answer that it settled the payment. */
export function deliverToCompanion(url: string, pool: BenchPayment[]): Work {
  return async (agent, i) => {
    const payment = pool[i];
    if (!payment?.delivery) throw new Error(`the pool has no delivery ${i} (${pool.length} prepared)`);
    const answer = await expectStatus(agent, { method: 'POST', url, headers: payment.delivery.headers, body: payment.delivery.body }, 200);
    if (!answer.text.includes('"status":"succeeded"')) throw new Error(`the delivery did not settle ${payment.paymentId}: ${answer.text}`);
  };
}

/** K-Payment's inquiry (GET /card/v2/charge/:id): the re-fetch a notify makes. */
export function inquireChargeDirect(s: Servers, pool: BenchPayment[]): Work {
  return async (agent, i) =>
    void (await expectStatus(agent, { method: 'GET', url: `${s.sandbox.url}/card/v2/charge/${pool[i % pool.length].chargeId}`, headers: { 'x-api-key': KEYS.secretKey } }, 200));
}

/** The companion's payment with its charge id, from the operations API. */
async function chargeOf(agent: Agent, s: Servers, paymentId: string): Promise<string> {
  const answer = await expectStatus(agent, { method: 'GET', url: `${s.companion.url}/operations/payments/${paymentId}`, headers: { authorization: `Bearer ${OPS_TOKEN}` } }, 200);
  const chargeId = (JSON.parse(answer.text) as { payment: { chargeId: string | null } }).payment.chargeId;
  if (!chargeId) throw new Error(`payment ${paymentId} has no charge`);
  return chargeId;
}

/** The gateway answers no webhook or notify of its own, so each one the benchmark posts is the first. */
export async function silenceGatewayDeliveries(s: Servers, agent: Agent): Promise<void> {
  await gatewayLatency(s, agent, 0);
  await expectStatus(agent, kpaymentPost(`${s.sandbox.url}/_sandbox/kpayment/settings`, { notify: 'drop' }), 200);
}

/** Every API answer of both gateways (the merchant's) after `latencyMs`, as a real gateway's take; Opn's webhooks still dropped. */
export async function gatewayLatency(s: Servers, agent: Agent, latencyMs: number): Promise<void> {
  await expectStatus(agent, opnPost(`${s.sandbox.url}/_sandbox/scenario`, { webhooks: 'drop', latencyMs }), 200);
  await expectStatus(agent, kpaymentPost(`${s.sandbox.url}/_sandbox/kpayment/scenario`, { latencyMs }), 200);
}

/** The webhook secret the sandbox gave the companion at start-up (one per merchant). */
export async function opnWebhookSecret(s: Servers, agent: Agent): Promise<string> {
  const answer = await expectStatus(agent, { method: 'GET', url: `${s.sandbox.url}/_sandbox/opn/webhooks`, headers: basic }, 200);
  const [endpoint] = (JSON.parse(answer.text) as { data: { secret: string }[] }).data;
  if (!endpoint) throw new Error('the companion registered no webhook endpoint with the sandbox');
  return endpoint.secret;
}

/**
 * `count` K PLUS payments (created by the companion, still pending) paid at the gateway with no webhook sent, each
 * with its genuine `charge.complete` event signed with the merchant's secret, as Opn would POST it.
 */
export async function paidKplusPool(s: Servers, ledger: Ledger, secret: string, count: number): Promise<BenchPayment[]> {
  if (ledger.pendingKplus.length < count) await prepare(count - ledger.pendingKplus.length, 32, createViaCompanion(s, ledger));
  const pool: BenchPayment[] = ledger.pendingKplus.splice(0, count).map((paymentId) => ({ paymentId }));
  await prepare(pool.length, 32, async (agent, i) => {
    const payment = pool[i];
    payment.chargeId = await chargeOf(agent, s, payment.paymentId);
    const completed = await expectStatus(agent, opnPost(`${s.sandbox.url}/_sandbox/opn/charges/${payment.chargeId}/complete`, { result: 'successful' }), 200);
    const event = { object: 'event', id: `evnt_test_${randomBytes(10).toString('hex').slice(0, 19)}`, livemode: false, key: 'charge.complete', created_at: new Date().toISOString(), data: JSON.parse(completed.text) };
    const body = JSON.stringify(event);
    const timestamp = Math.floor(Date.now() / 1000);
    payment.delivery = {
      body,
      headers: { 'content-type': 'application/json', 'omise-signature': signOpnWebhook(body, secret, timestamp), 'omise-signature-timestamp': String(timestamp) },
    };
  });
  return pool;
}

/** The fields of K-Payment's card notify (sandbox `notifyWire`), from the charge an inquiry answers, with its checksum. */
function cardNotify(charge: Record<string, unknown>): Record<string, unknown> {
  const fields = ['id', 'object', 'amount', 'currency', 'transaction_state', 'source', 'created', 'status', 'reference_order', 'description', 'redirect_url', 'approval_code', 'ref_1', 'ref_2', 'ref_3', 'livemode'];
  const body: Record<string, unknown> = Object.fromEntries(fields.map((f) => [f, charge[f]]));
  Object.assign(body, { failure_code: charge.failure_code ?? '', failure_message: charge.failure_message ?? '', campaign_id: charge.campaign_id ?? null, mpi: charge.mpi ?? null });
  return { ...body, checksum: kpaymentChecksum(body as Parameters<typeof kpaymentChecksum>[0], KEYS.secretKey) };
}

/**
 * `count` K-Payment card payments made through the companion (card form token, 3-D Secure started) and authenticated
 * at the gateway with no notify sent, each with the notify K-Payment would POST, checksum included.
 */
export async function paidCardPool(s: Servers, ledger: Ledger, count: number): Promise<BenchPayment[]> {
  const pool: BenchPayment[] = Array.from({ length: count }, () => ({ paymentId: '' }));
  await prepare(count, 32, async (agent, i) => {
    const created = await expectStatus(
      agent,
      { method: 'POST', url: `${s.companion.url}/checkout/payments`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: ledger.orderId(), method: 'card' }) },
      201,
    );
    ledger.created++;
    const { paymentId, next } = JSON.parse(created.text) as { paymentId: string; next: { formAction: string; attributes: Record<string, string> } };
    const token = await expectStatus(
      agent,
      kpaymentPost(`${s.sandbox.url}/ui/v2/token`, { number: CARD, expiry_month: 12, expiry_year: 2099, cvv: '123', name: 'Bench Shopper', savecard: false }, KEYS.publicKey),
      200,
    );
    const form = new URLSearchParams({ token: (JSON.parse(token.text) as { id: string }).id, paymentMethods: 'card', mid: next.attributes.mid ?? '' });
    await expectStatus(agent, { method: 'POST', url: next.formAction, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }, 303);
    const chargeId = await chargeOf(agent, s, paymentId);
    const authenticated = await expectStatus(agent, kpaymentPost(`${s.sandbox.url}/_sandbox/kpayment/charges/${chargeId}/authenticate`, { otp: OTP }), 200);
    pool[i] = { paymentId, chargeId, delivery: { body: JSON.stringify(cardNotify(JSON.parse(authenticated.text))), headers: { 'content-type': 'application/json' } } };
  });
  return pool;
}
