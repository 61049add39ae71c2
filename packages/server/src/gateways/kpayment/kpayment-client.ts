import type { z } from 'zod';
import { KpaymentCharge, KpaymentCustomer, KpaymentDeleted, KpaymentError, KpaymentOrder, KpaymentQrCancel } from '@payment-checkout/core';
import { type GatewayClientErrors, gatewayRequest } from '../gateway-http.ts';
import { type GatewayTransport, transportOf } from '../gateway-transport.ts';
import { KpaymentApiError, KpaymentNetworkError, KpaymentResponseError, KpaymentTimeoutError } from './kpayment-errors.ts';

/**
 * A thin typed client for the K-Payment Gateway API (guide §6.1–6.4; digest §3): cards, Alipay and UnionPay
 * charges, customers, the Order API and the QR API; one method per endpoint, `x-api-key` with the secret key, JSON bodies with the guide's field names, every answer checked
 * with core's zod schemas, one error hierarchy (kpayment-errors.ts). Amounts are decimals in major units.
 */

export interface KpaymentClientOptions {
  /** `skey_…`, sent as `x-api-key` to `apiUrl` only. */
  secretKey: string;
  /** Default: the production API (`https://kpaymentgateway-services.kasikornbank.com`). */
  apiUrl?: string;
  /** Per request, including reading the body. Default 15 000. */
  timeoutMs?: number;
  /** Update Customer is POST in the guide's table and PATCH in its sample (decisions.md 8); default PATCH. */
  updateCustomerMethod?: 'PATCH' | 'POST';
  /** Sends the requests instead of node:http (a proxy-aware fetch, a test double); see gateway-transport.ts. */
  fetch?: typeof fetch;
}

export type KpaymentChargeMode = 'token' | 'customer' | 'register3d';

/** Create Charge (guide §6.1.1), with the required-fields matrix of §4.1.1.3 left to the caller. */
export interface KpaymentCreateChargeParams {
  amount: number;
  currency: string;
  description: string;
  source_type: 'card';
  mode: KpaymentChargeMode;
  reference_order: string;
  token?: string;
  savecard?: boolean;
  order_id?: string;
  ref_1?: string;
  ref_2?: string;
  ref_3?: string;
  dcc_data?: { dcc_currency: string };
  customer?: { customer_id: string; card_id?: string };
  additional_data?: { mid: string; tid?: string; campaign_id?: string; smartpay_id?: string; term?: number };
  callback_type?: 'web' | 'mobile';
  smartpay?: { plan_id: string; ipan_mode: string; product_type: string; payment_term: string; supplier_no: string; model_no: string };
  metadata?: Record<string, unknown>;
}

/** Create Charge for Alipay and UnionPay (guide §4.4–4.5): no token, mode, card or SmartPay fields. */
export interface KpaymentCreateRedirectChargeParams {
  amount: number;
  currency: string;
  description: string;
  source_type: 'alipay' | 'unionpay';
  reference_order: string;
  order_id?: string;
  ref_1?: string;
  ref_2?: string;
  ref_3?: string;
  additional_data?: { mid: string; tid?: string };
  callback_type?: 'web' | 'mobile';
  metadata?: Record<string, unknown>;
}

/** Create Order (guide §6.3.1) for Thai QR (`qr`) or WeChat Pay (`wechat`). */
export interface KpaymentCreateOrderParams {
  amount: number;
  currency: string;
  description: string;
  source_type: 'qr' | 'wechat';
  reference_order: string;
  additional_data?: { mid?: string; tid?: string };
  metadata?: { item: string; qty: number; amount: number }[];
  ref_1?: string;
  ref_2?: string;
  ref_3?: string;
  /** In the guide's answer only; the sandbox also takes it in the request (its README). */
  expire_time_seconds?: number;
}

export interface KpaymentRequestOptions {
  signal?: AbortSignal;
}

export class KpaymentClient {
  readonly apiUrl: string;
  readonly timeoutMs: number;
  readonly #secretKey: string;
  readonly #updateMethod: 'PATCH' | 'POST';
  readonly #transport: GatewayTransport;

  constructor(options: KpaymentClientOptions) {
    this.apiUrl = (options.apiUrl ?? 'https://kpaymentgateway-services.kasikornbank.com').replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.#secretKey = options.secretKey;
    this.#updateMethod = options.updateCustomerMethod ?? 'PATCH';
    this.#transport = transportOf(options.fetch);
  }

  // ── Charge API ──

  /** `POST /card/v2/charge`. A decline is a charge with `status: "fail"`, not an error. */
  async createCharge(params: KpaymentCreateChargeParams, options?: KpaymentRequestOptions): Promise<KpaymentCharge> {
    return this.#request(KpaymentCharge, 'POST', '/card/v2/charge', { ...options, body: params });
  }

  /** Inquiry: `GET /card/v2/charge/{charge_id | reference_order | order_id}[/{YYYYMMDD}]`. */
  async retrieveCharge(idOrReference: string, options: KpaymentRequestOptions & { transactionDate?: string } = {}): Promise<KpaymentCharge> {
    const date = options.transactionDate === undefined ? '' : `/${segment(options.transactionDate)}`;
    return this.#request(KpaymentCharge, 'GET', `/card/v2/charge/${segment(idOrReference)}${date}`, options);
  }

  /** `POST /card/v2/charge` with `source_type` alipay or unionpay: `Initialize` + `redirect_url` to the hosted page. */
  async createRedirectCharge(params: KpaymentCreateRedirectChargeParams, options?: KpaymentRequestOptions): Promise<KpaymentCharge> {
    return this.#request(KpaymentCharge, 'POST', '/card/v2/charge', { ...options, body: params });
  }

  /** Void an Authorized charge (`void_state_invalid` otherwise). */
  async voidCharge(id: string, params: { reason: string }, options?: KpaymentRequestOptions): Promise<KpaymentCharge> {
    return this.#request(KpaymentCharge, 'POST', `/card/v2/charge/${segment(id)}/void`, { ...options, body: params });
  }

  /** Settle an Authorized charge, fully or partly (→ Captured, Settled the next day). */
  async settleCharge(id: string, params: { amount: number; type: 'full' | 'partial' }, options?: KpaymentRequestOptions): Promise<KpaymentCharge> {
    return this.#request(KpaymentCharge, 'POST', `/card/v2/charge/${segment(id)}/settle`, { ...options, body: params });
  }

  /** Refund a settled charge (→ Refund Sent); `transaction_date` is needed after 180 days. */
  async refundCharge(
    id: string,
    params: { amount: number; reason: string; transaction_date?: string },
    options?: KpaymentRequestOptions,
  ): Promise<KpaymentCharge> {
    return this.#request(KpaymentCharge, 'POST', `/card/v2/charge/${segment(id)}/refund`, { ...options, body: params });
  }

  // ── Customer API ──

  /** `POST /card/v2/customer` (mode token): saves the card of a successful charge's token. */
  async createCustomer(params: { email: string; name: string; token?: string }, options?: KpaymentRequestOptions): Promise<KpaymentCustomer> {
    return this.#request(KpaymentCustomer, 'POST', '/card/v2/customer', { ...options, body: { ...params, mode: 'token' } });
  }

  async retrieveCustomer(id: string, options?: KpaymentRequestOptions): Promise<KpaymentCustomer> {
    return this.#request(KpaymentCustomer, 'GET', `/card/v2/customer/${segment(id)}`, options);
  }

  /** `email` is mandatory on update (guide §6.2.3). */
  async updateCustomer(id: string, params: { email: string; name?: string; default_card?: string }, options?: KpaymentRequestOptions): Promise<KpaymentCustomer> {
    return this.#request(KpaymentCustomer, this.#updateMethod, `/card/v2/customer/${segment(id)}`, { ...options, body: params });
  }

  async deleteCustomer(id: string, options?: KpaymentRequestOptions): Promise<KpaymentDeleted> {
    return this.#request(KpaymentDeleted, 'DELETE', `/card/v2/customer/${segment(id)}`, options);
  }

  /** `POST /card/v2/customer/{id}/card` (mode token). */
  async addCard(customerId: string, params: { token: string }, options?: KpaymentRequestOptions): Promise<KpaymentCustomer> {
    return this.#request(KpaymentCustomer, 'POST', `/card/v2/customer/${segment(customerId)}/card`, { ...options, body: { mode: 'token', ...params } });
  }

  async deleteCard(customerId: string, cardId: string, options?: KpaymentRequestOptions): Promise<KpaymentDeleted> {
    return this.#request(KpaymentDeleted, 'DELETE', `/card/v2/customer/${segment(customerId)}/card/${segment(cardId)}`, options);
  }

  // ── Order API and QR API (Thai QR, WeChat Pay) ──

  /** `POST /qr/v2/order`: the order the embedded script shows as a QR (`data-order-id`). */
  async createOrder(params: KpaymentCreateOrderParams, options?: KpaymentRequestOptions): Promise<KpaymentOrder> {
    return this.#request(KpaymentOrder, 'POST', '/qr/v2/order', { ...options, body: params });
  }

  /** `GET /qr/v2/order/{order_id}`. */
  async retrieveOrder(orderId: string, options?: KpaymentRequestOptions): Promise<KpaymentOrder> {
    return this.#request(KpaymentOrder, 'GET', `/qr/v2/order/${segment(orderId)}`, options);
  }

  /** Inquiry QR: `GET /qr/v2/qr/{charge_id | order_id}`; an order nobody paid yet is an error (`no_transaction_found`, `qr_expired`, …). */
  async retrieveQrCharge(chargeOrOrderId: string, options?: KpaymentRequestOptions): Promise<KpaymentCharge> {
    return this.#request(KpaymentCharge, 'GET', `/qr/v2/qr/${segment(chargeOrOrderId)}`, options);
  }

  /** Void QR: only payments made with K PLUS, the same day; a refusal is the charge with `status: "fail"`, `failure_code: "qr_void"`. */
  async voidQrCharge(chargeId: string, options?: KpaymentRequestOptions): Promise<KpaymentCharge> {
    return this.#request(KpaymentCharge, 'POST', `/qr/v2/qr/${segment(chargeId)}/void`, options);
  }

  /** Cancel QR, by the QR id (`qr_…`) the shopper's popup shows; a refusal is `status: "fail"` with `qr_paid`, `qr_expired`, …. */
  async cancelQr(qrId: string, options?: KpaymentRequestOptions): Promise<KpaymentQrCancel> {
    return this.#request(KpaymentQrCancel, 'POST', `/qr/v2/qr/${segment(qrId)}/cancel`, options);
  }

  async #request<S extends z.ZodType>(
    schema: S,
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    options: KpaymentRequestOptions & { body?: unknown } = {},
  ): Promise<z.output<S>> {
    return gatewayRequest({
      transport: this.#transport,
      apiUrl: this.apiUrl,
      method,
      path,
      headers: { 'x-api-key': this.#secretKey },
      body: options.body,
      signal: options.signal,
      timeoutMs: this.timeoutMs,
      schema,
      errors: KPAYMENT_ERRORS,
    });
  }
}

const KPAYMENT_ERRORS: GatewayClientErrors = {
  TimeoutError: KpaymentTimeoutError,
  NetworkError: KpaymentNetworkError,
  ResponseError: KpaymentResponseError,
  // The guide documents no HTTP statuses for errors (§10.34): the body decides, whatever the status.
  readApiError(httpStatus, body) {
    const asError = KpaymentError.safeParse(body);
    return asError.success ? new KpaymentApiError(httpStatus, asError.data.code, asError.data.message ?? asError.data.code) : undefined;
  },
  errorBody: 'a K-Payment error body',
};

/** An id or reference as one path segment; anything that could change the path is refused before sending. */
function segment(value: string): string {
  if (!/^[A-Za-z0-9_\-.:]{1,256}$/.test(value)) throw new TypeError(`not a K-Payment id or reference: ${JSON.stringify(value)}`);
  return encodeURIComponent(value);
}
