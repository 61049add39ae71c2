import { z } from 'zod';
import { OpnCharge, OpnError, OpnEvent, OpnRefund, OpnSource, opnList } from '@payment-checkout/core';
import { type GatewayClientErrors, gatewayRequest } from '../gateway-http.ts';
import { type GatewayTransport, transportOf } from '../gateway-transport.ts';
import { OpnApiError, OpnNetworkError, OpnResponseError, OpnTimeoutError } from './opn-errors.ts';

/**
 * A thin typed client for the Opn Payments (Omise) API: one method per endpoint, node:http with HTTP Basic auth,
 * every response checked with core's zod schemas, one error hierarchy (opn-errors.ts). See README.md for why
 * the official `omise` package is not used at run time.
 */

export const OPN_API_VERSION = '2019-05-29';

export interface OpnClientOptions {
  /** `skey_…`: charges, sources, refunds. Never sent anywhere but `apiUrl`. */
  secretKey: string;
  /** `pkey_…`: only needed to create sources from the server side (`createSource`). */
  publicKey?: string;
  apiUrl?: string;
  /** Card tokens are created against the vault; kept for the card methods of later gateways' slices. */
  vaultUrl?: string;
  /** Per request, including reading the body. */
  timeoutMs?: number;
  apiVersion?: string;
  /** Sends the requests instead of node:http (a proxy-aware fetch, a test double); see gateway-transport.ts. */
  fetch?: typeof fetch;
}

export type OpnPlatformType = 'IOS' | 'ANDROID' | 'WEB';

export interface CreateSourceParams {
  type: string;
  amount: number;
  currency: string;
  platform_type?: OpnPlatformType;
}

export interface CreateChargeParams {
  amount: number;
  currency: string;
  /** A source id (`src_…`) or an inline source created with the charge in one call. */
  source: string | { type: string; platform_type?: OpnPlatformType };
  return_uri?: string;
  capture?: boolean;
  description?: string;
  metadata?: Record<string, string | number | boolean | null>;
}

export interface ListParams {
  limit?: number;
  offset?: number;
  order?: 'chronological' | 'reverse_chronological';
  from?: string;
  to?: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export const OpnChargeList = opnList(OpnCharge);
export type OpnChargeList = z.infer<typeof OpnChargeList>;
export const OpnRefundList = opnList(OpnRefund);
export type OpnRefundList = z.infer<typeof OpnRefundList>;

export class OpnClient {
  readonly apiUrl: string;
  readonly vaultUrl: string;
  readonly timeoutMs: number;
  readonly #secretKey: string;
  readonly #publicKey: string | undefined;
  readonly #apiVersion: string;
  readonly #transport: GatewayTransport;

  constructor(options: OpnClientOptions) {
    this.apiUrl = trimSlash(options.apiUrl ?? 'https://api.omise.co');
    this.vaultUrl = trimSlash(options.vaultUrl ?? 'https://vault.omise.co');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.#secretKey = options.secretKey;
    this.#publicKey = options.publicKey;
    this.#apiVersion = options.apiVersion ?? OPN_API_VERSION;
    this.#transport = transportOf(options.fetch);
  }

  /** `POST /sources` with the public key, as Omise.js does in a browser. */
  async createSource(params: CreateSourceParams, options?: RequestOptions): Promise<OpnSource> {
    if (!this.#publicKey) throw new TypeError('createSource needs the public key (OpnClientOptions.publicKey)');
    return this.#request(OpnSource, 'POST', '/sources', { ...options, body: params, key: this.#publicKey });
  }

  async retrieveSource(id: string, options?: RequestOptions): Promise<OpnSource> {
    return this.#request(OpnSource, 'GET', `/sources/${encodeId(id)}`, options);
  }

  async createCharge(params: CreateChargeParams, options?: RequestOptions): Promise<OpnCharge> {
    return this.#request(OpnCharge, 'POST', '/charges', { ...options, body: params });
  }

  async retrieveCharge(id: string, options?: RequestOptions): Promise<OpnCharge> {
    return this.#request(OpnCharge, 'GET', `/charges/${encodeId(id)}`, options);
  }

  async listCharges(params: ListParams = {}, options?: RequestOptions): Promise<OpnChargeList> {
    return this.#request(OpnChargeList, 'GET', `/charges${query(params)}`, options);
  }

  /** Ends a pending charge early (`failed_expire` when it is not pending or its method cannot expire). */
  async expireCharge(id: string, options?: RequestOptions): Promise<OpnCharge> {
    return this.#request(OpnCharge, 'POST', `/charges/${encodeId(id)}/expire`, options);
  }

  /** Captures an authorized charge created with `capture: false`. */
  async captureCharge(id: string, options?: RequestOptions): Promise<OpnCharge> {
    return this.#request(OpnCharge, 'POST', `/charges/${encodeId(id)}/capture`, options);
  }

  /** Releases an authorized, uncaptured charge. */
  async reverseCharge(id: string, options?: RequestOptions): Promise<OpnCharge> {
    return this.#request(OpnCharge, 'POST', `/charges/${encodeId(id)}/reverse`, options);
  }

  async createRefund(chargeId: string, params: { amount: number; metadata?: Record<string, string> }, options?: RequestOptions): Promise<OpnRefund> {
    return this.#request(OpnRefund, 'POST', `/charges/${encodeId(chargeId)}/refunds`, { ...options, body: params });
  }

  async listRefunds(chargeId: string, params: ListParams = {}, options?: RequestOptions): Promise<OpnRefundList> {
    return this.#request(OpnRefundList, 'GET', `/charges/${encodeId(chargeId)}/refunds${query(params)}`, options);
  }

  async retrieveEvent(id: string, options?: RequestOptions): Promise<OpnEvent> {
    return this.#request(OpnEvent, 'GET', `/events/${encodeId(id)}`, options);
  }

  async #request<S extends z.ZodType>(
    schema: S,
    method: 'GET' | 'POST',
    path: string,
    options: RequestOptions & { body?: unknown; key?: string } = {},
  ): Promise<z.output<S>> {
    return gatewayRequest({
      transport: this.#transport,
      apiUrl: this.apiUrl,
      method,
      path,
      headers: {
        authorization: `Basic ${Buffer.from(`${options.key ?? this.#secretKey}:`).toString('base64')}`,
        'omise-version': this.#apiVersion,
      },
      body: options.body,
      signal: options.signal,
      timeoutMs: this.timeoutMs,
      schema,
      errors: OPN_ERRORS,
    });
  }
}

const OPN_ERRORS: GatewayClientErrors = {
  TimeoutError: OpnTimeoutError,
  NetworkError: OpnNetworkError,
  ResponseError: OpnResponseError,
  readApiError(httpStatus, body) {
    const asError = OpnError.safeParse(body);
    return asError.success ? new OpnApiError(httpStatus, asError.data.code, asError.data.message, asError.data.location ?? null) : undefined;
  },
  errorBody: 'an Opn error body',
};

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function encodeId(id: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(id)) throw new TypeError(`not an Opn object id: ${JSON.stringify(id)}`);
  return id;
}

function query(params: ListParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
