import { CheckoutError, OPN_METHODS, OpnEvent, type OpnBrowserConfig, type OpnCharge, getMethod, statusFromOpnCharge } from '@payment-checkout/core';
import { verifyOpnWebhook } from '@payment-checkout/core/signature';
import type { PaymentRecord } from '../../store/store.ts';
import type {
  ClientSourceCheck,
  GatewayReadOptions,
  GatewayStatus,
  PaymentGateway,
  StartPaymentInput,
  StartedPayment,
  WebhookInput,
  WebhookNotice,
} from '../gateway.ts';
import type { OperationContext, OperationRequest, OperationRules } from '../operations.ts';
import { findChargeOfPayment } from './opn-charge-lookup.ts';
import { opnOperate, opnOperationRules } from './opn-operations.ts';
import type { OpnClient } from './opn-client.ts';
import { OpnApiError, outcomeUnknown } from './opn-errors.ts';

export interface OpnGatewayOptions {
  client: OpnClient;
  /** The webhook signing secret (base64), or null to accept unsigned webhooks (they are re-fetched anyway). */
  webhookSecret: () => string | null;
  /** Seconds of clock skew accepted on `Omise-Signature-Timestamp` (0 or less means the default, 300). */
  signatureToleranceSeconds?: number;
  now?: () => number;
  /** What the browser needs to create sources with Omise.js (the config's `opn` block); never the secret key. */
  browser?: OpnBrowserConfig;
  /**
   * How long after a payment was stored its create may still land at Opn (ms): a lookup that finds no charge
   * before then is not proof that none was made. Default: the client's timeout plus 20 s.
   */
  chargeSettleMs?: number;
  /** Methods that allow it (KakaoPay) are charged with `capture: false`; the merchant captures or reverses. */
  manualCapture?: boolean;
}

/**
 * The Opn Payments adapter: charges with `app_redirect` sources, charge retrieval (by id, or by the payment it
 * belongs to when a create's answer was lost), KMA early expiry, signed events.
 */
export class OpnGateway implements PaymentGateway {
  readonly id = 'opn' as const;
  readonly methods = OPN_METHODS;
  readonly acceptsClientSource = true;
  /** Every create carries `metadata.payment_id`, so a charge whose answer was lost is found by the payment. */
  readonly findsChargeByReference = true;
  readonly client: OpnClient;
  readonly #options: OpnGatewayOptions;
  readonly #settleMs: number;

  constructor(options: OpnGatewayOptions) {
    this.client = options.client;
    this.#options = options;
    this.#settleMs = options.chargeSettleMs ?? options.client.timeoutMs + 20_000;
  }

  async browserConfig(): Promise<OpnBrowserConfig | null> {
    return this.#options.browser ?? null;
  }

  async verifyClientSource({ sourceId, method, amount, currency }: ClientSourceCheck): Promise<void> {
    let source;
    try {
      source = await this.client.retrieveSource(sourceId);
    } catch (err) {
      if (err instanceof OpnApiError && err.code === 'not_found') {
        throw new CheckoutError('source_mismatch', 'The payment source does not exist.');
      }
      throw err;
    }
    const problems: string[] = [];
    if (source.amount !== amount) problems.push(`amount ${source.amount} instead of ${amount}`);
    if (source.currency !== currency) problems.push(`currency ${source.currency} instead of ${currency}`);
    if (source.type !== method.id) problems.push(`type ${source.type} instead of ${method.id}`);
    if (source.charge_status !== 'unknown') problems.push('it was already charged');
    if (problems.length > 0) {
      throw new CheckoutError('source_mismatch', `The payment source does not match the order: ${problems.join(', ')}.`);
    }
  }

  async startPayment({ payment, method, returnUri, platform, clientSourceId }: StartPaymentInput): Promise<StartedPayment> {
    const charge = await this.client.createCharge({
      amount: payment.amount,
      currency: payment.currency,
      return_uri: returnUri,
      source: clientSourceId ?? { type: method.id, ...(platform ? { platform_type: platform } : {}) },
      metadata: { payment_id: payment.id, order_id: payment.orderId },
      ...(this.#options.manualCapture && method.manualCapture ? { capture: false } : {}),
    });
    const state = this.#status(payment, charge);
    const authorizeUri = state.status === 'pending' ? charge.authorize_uri : null;
    return {
      ...state,
      gatewayIds: { chargeId: charge.id, sourceId: charge.source?.id ?? clientSourceId ?? null },
      authorizeUri: charge.authorize_uri,
      next: authorizeUri ? { type: 'redirect', url: authorizeUri } : { type: 'done', status: state.status },
    };
  }

  /** A create that got no answer (timeout, network, 5xx, unreadable) may have made the charge anyway. */
  outcomeUnknown(err: unknown): boolean {
    return outcomeUnknown(err);
  }

  /**
   * The charge by its id; before the id is known (a create that got no answer), the charge whose metadata names
   * the payment, with its id, or GatewayError `charge_not_found` once none can still appear.
   */
  async fetchStatus(payment: PaymentRecord, options: GatewayReadOptions = {}): Promise<GatewayStatus> {
    const { signal, chargeHint } = options;
    if (payment.chargeId) return this.#status(payment, await this.client.retrieveCharge(payment.chargeId, { signal }));
    // A webhook's charge (charge.create may come before the create's answer): read by its id, taken if Opn says it
    // is this payment's; else the list is searched.
    const hinted = chargeHint ? await this.client.retrieveCharge(chargeHint, { signal }).catch(() => null) : null;
    const charge =
      hinted?.metadata?.payment_id === payment.id
        ? hinted
        : await findChargeOfPayment(this.client, payment, { now: this.#options.now ?? Date.now, settleMs: this.#settleMs, signal });
    const state = this.#status(payment, charge);
    return { ...state, chargeId: charge.id, authorizeUri: state.status === 'pending' ? charge.authorize_uri : null };
  }

  canCancel(payment: PaymentRecord): boolean {
    return payment.chargeId !== null && getMethod(payment.method).canExpireEarly;
  }

  async cancel(payment: PaymentRecord): Promise<GatewayStatus> {
    if (!this.canCancel(payment)) throw new Error(`${payment.method} charges cannot be expired early`);
    return this.#status(payment, await this.client.expireCharge(requireCharge(payment)));
  }

  operationRules(payment: PaymentRecord, context: OperationContext): OperationRules {
    return opnOperationRules(payment, context);
  }

  async operate(payment: PaymentRecord, request: OperationRequest): Promise<GatewayStatus> {
    return this.#status(payment, await opnOperate(this.client, payment, request));
  }

  async readWebhook({ rawBody, headers }: WebhookInput): Promise<WebhookNotice> {
    const secret = this.#options.webhookSecret();
    if (secret) {
      const check = verifyOpnWebhook({
        rawBody,
        signatureHeader: header(headers, 'omise-signature'),
        timestampHeader: header(headers, 'omise-signature-timestamp'),
        secretBase64: secret,
        toleranceSeconds: this.#options.signatureToleranceSeconds,
        nowSeconds: this.#options.now ? Math.floor(this.#options.now() / 1000) : undefined,
      });
      if (!check.ok) throw new CheckoutError('invalid_signature', `Webhook signature refused: ${check.reason}.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      throw new CheckoutError('invalid_json', 'The webhook body is not JSON.');
    }
    const parsed = OpnEvent.safeParse(json);
    if (!parsed.success) throw new CheckoutError('bad_request', 'The webhook body is not an Opn event.', parsed.error.issues);
    const event = parsed.data;
    // Only the charge id is read from the body; its status comes from GET /charges/:id.
    const data = event.data as { object: string; id: string; charge?: unknown };
    const chargeId =
      data.object === 'charge' ? data.id : data.object === 'refund' && typeof data.charge === 'string' ? data.charge : null;
    if (!chargeId || !/^chrg_[A-Za-z0-9_]+$/.test(chargeId)) {
      return { kind: 'ignored', reason: `not about a charge (${event.key})`, eventId: event.id, eventKey: event.key };
    }
    // The payment id the create sent: finds a payment whose create answer was lost (then re-fetched, never trusted).
    const metadata = data.object === 'charge' ? (data as { metadata?: { payment_id?: unknown } | null }).metadata : null;
    const paymentRef = typeof metadata?.payment_id === 'string' ? metadata.payment_id : undefined;
    const madeOnly = event.key === 'charge.create' ? { madeOnly: true } : {};
    return { kind: 'payment', chargeId, eventId: event.id, eventKey: event.key, ...(paymentRef ? { paymentRef } : {}), ...madeOnly };
  }

  /** Opn's charge, checked against the payment it belongs to, in the companion's vocabulary. */
  #status(payment: PaymentRecord, charge: OpnCharge): GatewayStatus {
    if (charge.amount !== payment.amount || charge.currency !== payment.currency) {
      throw new CheckoutError('gateway_error', `Charge ${charge.id} is for ${charge.amount} ${charge.currency}, not the payment's ${payment.amount} ${payment.currency}.`);
    }
    if (payment.chargeId && charge.id !== payment.chargeId) {
      throw new CheckoutError('gateway_error', `Asked for charge ${payment.chargeId}, Opn answered ${charge.id}.`);
    }
    return {
      status: statusFromOpnCharge(charge),
      failureCode: charge.failure_code,
      failureMessage: charge.failure_message,
      // A void returns everything; the status says so, and refunds count only real refunds (as K-Payment's).
      refundedAmount: charge.voided ? 0 : charge.refunded_amount,
      settledAmount: charge.status === 'successful' ? charge.amount : null,
      ...(Number.isNaN(Date.parse(charge.created_at)) ? {} : { chargeCreatedAt: new Date(charge.created_at).toISOString() }),
    };
  }
}

function requireCharge(payment: PaymentRecord): string {
  if (!payment.chargeId) throw new Error(`payment ${payment.id} has no charge yet`);
  return payment.chargeId;
}

function header(headers: WebhookInput['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
