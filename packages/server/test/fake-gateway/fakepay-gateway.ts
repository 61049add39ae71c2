import { CheckoutError, type PaymentMethod } from '@payment-checkout/core';
import type { PaymentRecord } from '../../src/store/store.ts';
import type { GatewayStatus, PaymentGateway, StartPaymentInput, StartedPayment, WebhookInput, WebhookNotice } from '../../src/gateways/gateway.ts';
import type { FakePayClient } from './fakepay-client.ts';
import { FakePayClientError } from './fakepay-errors.ts';
import { FAKEPAY_METHODS } from './fakepay-methods.ts';
import { CHARGE_EVENTS, FakePayCharge, FakePayEvent, SIGNATURE_HEADER, verifyFakePayWebhook } from './fakepay-wire.ts';

export interface FakePayGatewayOptions {
  client: FakePayClient;
  /** The webhook signing secret, or null while it is not known yet: webhooks are then refused, never read unsigned. */
  webhookSecret: () => string | null;
}

/** A webhook body must be UTF-8 as sent: no replacement characters, no byte-order mark quietly skipped. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The FakePay adapter: a redirect to FakePay's authorize page, charge retrieval, cancellation, signed events. */
export class FakePayGateway implements PaymentGateway {
  readonly id = 'fakepay';
  readonly methods = FAKEPAY_METHODS;
  readonly acceptsClientSource = false;
  readonly client: FakePayClient;
  readonly #webhookSecret: () => string | null;

  constructor(options: FakePayGatewayOptions) {
    this.client = options.client;
    this.#webhookSecret = options.webhookSecret;
  }

  async verifyClientSource(): Promise<void> {
    throw new CheckoutError('bad_request', 'FakePay takes no payment source from the browser.');
  }

  async startPayment({ payment, method, returnUri }: StartPaymentInput): Promise<StartedPayment> {
    const charge = await this.client.createCharge({
      amount: payment.amount,
      currency: payment.currency,
      method: fakePayMethod(method),
      return_uri: returnUri,
      reference: payment.id,
    });
    const state = this.#status(payment, charge);
    const authorizeUri = state.status === 'pending' ? charge.authorize_url : null;
    return {
      ...state,
      gatewayIds: { chargeId: charge.id, sourceId: null },
      authorizeUri,
      next: authorizeUri ? { type: 'redirect', url: authorizeUri } : { type: 'done', status: state.status },
    };
  }

  async fetchStatus(payment: PaymentRecord, options: { signal?: AbortSignal } = {}): Promise<GatewayStatus> {
    return this.#status(payment, await this.client.retrieveCharge(requireCharge(payment), options));
  }

  canCancel(payment: PaymentRecord): boolean {
    return payment.chargeId !== null && this.methods.some((m) => m.id === payment.method && m.canExpireEarly);
  }

  async cancel(payment: PaymentRecord): Promise<GatewayStatus> {
    if (!this.canCancel(payment)) throw new Error(`${payment.method} charges cannot be cancelled`);
    return this.#status(payment, await this.client.cancelCharge(requireCharge(payment)));
  }

  /** Authenticates the exact bytes first, then reads strictly; only the charge id is taken from the body. */
  async readWebhook({ rawBody, headers }: WebhookInput): Promise<WebhookNotice> {
    const secret = this.#webhookSecret();
    if (!secret) throw new CheckoutError('invalid_signature', 'FakePay webhooks are refused until the webhook secret is known.');
    // One header exactly: two values (an array) are a forgery attempt or a broken proxy, never FakePay.
    if (!verifyFakePayWebhook(rawBody, headers[SIGNATURE_HEADER], secret)) {
      throw new CheckoutError('invalid_signature', 'The FakePay webhook signature does not match its body.');
    }
    let json: unknown;
    try {
      json = JSON.parse(utf8.decode(rawBody));
    } catch {
      throw new CheckoutError('invalid_json', 'The webhook body is not JSON.');
    }
    const event = FakePayEvent.safeParse(json);
    if (!event.success) throw new CheckoutError('bad_request', 'The webhook body is not a FakePay event.', event.error.issues);
    const { id: eventId, type: eventKey, data } = event.data;
    if (!(CHARGE_EVENTS as readonly string[]).includes(eventKey)) return { kind: 'ignored', reason: `not about a charge (${eventKey})`, eventId, eventKey };
    const charge = FakePayCharge.strict().safeParse(data);
    if (!charge.success) throw new CheckoutError('bad_request', `The ${eventKey} event does not carry a FakePay charge.`, charge.error.issues);
    // The status in the body is never used: the companion re-fetches the charge.
    return { kind: 'payment', chargeId: charge.data.id, eventId, eventKey };
  }

  /** FakePay's charge, checked against the payment it must belong to, in the companion's vocabulary. */
  #status(payment: PaymentRecord, charge: FakePayCharge): GatewayStatus {
    const problems = [
      charge.amount !== payment.amount && `amount ${charge.amount}`,
      charge.currency !== payment.currency && `currency ${charge.currency}`,
      charge.reference !== payment.id && `reference ${charge.reference}`,
      payment.chargeId !== null && charge.id !== payment.chargeId && `id ${charge.id}`,
    ].filter(Boolean);
    if (problems.length > 0) {
      throw new FakePayClientError('charge_mismatch', `FakePay's charge does not belong to payment ${payment.id}: ${problems.join(', ')}.`);
    }
    switch (charge.status) {
      case 'pending':
        return { status: 'pending', failureCode: null, failureMessage: null };
      case 'paid':
        return { status: 'succeeded', failureCode: null, failureMessage: null };
      case 'declined': {
        const code = charge.failure_code ?? 'payment_rejected';
        return { status: 'failed', failureCode: code, failureMessage: `FakePay declined the charge (${code}).` };
      }
      case 'canceled':
        return { status: 'canceled', failureCode: null, failureMessage: null };
    }
  }
}

/** The method as FakePay names it; only FakePay's own catalog entries reach this adapter. */
function fakePayMethod(method: PaymentMethod): 'alipay' | 'unionpay' {
  if (method.gateway !== 'fakepay' || (method.id !== 'alipay' && method.id !== 'unionpay')) {
    throw new CheckoutError('method_unavailable', `FakePay does not take ${method.id}.`);
  }
  return method.id;
}

function requireCharge(payment: PaymentRecord): string {
  if (!payment.chargeId) throw new Error(`payment ${payment.id} has no charge yet`);
  return payment.chargeId;
}
