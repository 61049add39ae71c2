import type { z } from 'zod';
import { gatewayRequest } from '../../src/gateways/gateway-http.ts';
import { type GatewayTransport, transportOf } from '../../src/gateways/gateway-transport.ts';
import { FAKEPAY_ERRORS } from './fakepay-errors.ts';
import { FakePayCharge, type FakePayMethod, WebhookEndpoint } from './fakepay-wire.ts';

/** A thin client for FakePay: one method per endpoint, bearer auth, every answer checked with the wire schemas. */

export interface FakePayClientOptions {
  apiUrl: string;
  /** Sent only to `apiUrl`, as a bearer token. */
  secretKey: string;
  /** Per request, including reading the body. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface CreateChargeParams {
  amount: number;
  currency: string;
  method: z.infer<typeof FakePayMethod>;
  return_uri: string;
  /** The merchant's reference, echoed on the charge (the companion's payment id). */
  reference: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export class FakePayClient {
  readonly apiUrl: string;
  readonly timeoutMs: number;
  readonly #secretKey: string;
  readonly #transport: GatewayTransport;

  constructor(options: FakePayClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.#secretKey = options.secretKey;
    this.#transport = transportOf(options.fetch);
  }

  createCharge(params: CreateChargeParams, options?: RequestOptions): Promise<FakePayCharge> {
    return this.#request(FakePayCharge, 'POST', '/charges', params, options);
  }

  retrieveCharge(id: string, options?: RequestOptions): Promise<FakePayCharge> {
    return this.#request(FakePayCharge, 'GET', `/charges/${encodeURIComponent(id)}`, undefined, options);
  }

  /** Ends a pending charge (`not_pending` otherwise). */
  cancelCharge(id: string, options?: RequestOptions): Promise<FakePayCharge> {
    return this.#request(FakePayCharge, 'POST', `/charges/${encodeURIComponent(id)}/cancel`, undefined, options);
  }

  /** Tells the emulator where to send webhooks; answers the secret they are signed with. */
  registerWebhook(url: string, options?: RequestOptions): Promise<WebhookEndpoint> {
    return this.#request(WebhookEndpoint, 'POST', '/_fake/webhooks', { url }, options);
  }

  #request<S extends z.ZodType>(schema: S, method: string, path: string, body: unknown, options: RequestOptions = {}): Promise<z.output<S>> {
    return gatewayRequest({
      transport: this.#transport,
      apiUrl: this.apiUrl,
      method,
      path,
      headers: { authorization: `Bearer ${this.#secretKey}` },
      body,
      signal: options.signal,
      timeoutMs: this.timeoutMs,
      schema,
      errors: FAKEPAY_ERRORS,
    });
  }
}
