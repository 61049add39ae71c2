import { randomBytes } from 'node:crypto';
import { type Sandbox, createSandbox } from '@payment-checkout/sandbox';
import type { Logger } from '../../src/common/logger.ts';
import type { CheckoutOptions, OrderAmount, Payment } from '../../src/options.ts';
import type { KpaymentOptions } from '../../src/gateways/kpayment/kpayment-options.ts';
import type { PaymentStore } from '../../src/store/store.ts';
import { type CheckoutServer, startCheckoutServer } from '../../src/server.ts';

/**
 * Test world for the companion's integration tests: the real sandbox in-process (a merchant of its own per
 * world), the companion on a random loopback port against it, an order book, and recorders for hooks and logs.
 */

export const RESULT_URL = 'https://shop.example/result?payment={paymentId}&status={status}';

export interface World {
  sandbox: Sandbox;
  sandboxUrl: string;
  keys: { publicKey: string; secretKey: string };
  orders: Map<string, OrderAmount>;
  hooks: { onPaid: Payment[]; onFailed: Payment[]; onNeedsRefund: Payment[] };
  logs: { level: string; message: string; data?: unknown }[];
  companion: CheckoutServer;
  url: string;
  /** A new order id with this amount and currency. */
  order(amount: number, currency?: 'THB' | 'SGD' | 'USD' | 'JPY'): string;
  /** A companion API call; the body is parsed when the answer is JSON. */
  api<T = any>(path: string, init?: { method?: string; json?: unknown; body?: string; headers?: Record<string, string> }): Promise<{ status: number; body: T; headers: Headers; text: string }>;
  createPayment(orderId: string, method: string, extra?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers; text: string }>;
  /** A sandbox API call with this world's secret key (or `key`). */
  opn<T = any>(path: string, init?: { method?: string; json?: unknown; key?: string }): Promise<{ status: number; body: T }>;
  /** The payer's decision on the sandbox's authorize page; answers where the page sends the browser (the return URI). */
  authorize(authorizeUri: string, action: 'successful' | 'failed', failureCode?: string): Promise<string>;
  /** Opens a URL of the companion as a browser would, without following redirects. */
  visit(url: string, headers?: Record<string, string>): Promise<{ status: number; location: string | null; text: string }>;
  /** Completes a charge without the browser (the sandbox control), as a payer in the bank app would. */
  complete(chargeId: string, result: 'successful' | 'failed', failureCode?: string): Promise<void>;
  scenario(scenario: Record<string, unknown>): Promise<void>;
  /** Waits until every webhook attempt in flight has been answered. */
  flushWebhooks(): Promise<void>;
  chargeCount(): Promise<number>;
  paymentOf(id: string): Promise<Payment & { returnToken: string }>;
  close(): Promise<void>;
}

export interface WorldOptions {
  checkout?: Partial<CheckoutOptions>;
  /** Register the companion's webhook URL with the sandbox (default true). */
  sandboxMode?: boolean;
  /** Configure K-Payment cards against the same sandbox, with this world's keys (and these overrides). */
  kpayment?: true | Partial<KpaymentOptions>;
  /** `false`: a companion without Opn (a K-Payment-only merchant). */
  opn?: false;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const sandbox = createSandbox({ webhookRetryDelaysMs: [60_000] });
  const { url: sandboxUrl } = await sandbox.listen(0);
  const name = randomBytes(6).toString('hex');
  const keys = { publicKey: `pkey_test_${name}`, secretKey: `skey_test_${name}` };
  const orders = new Map<string, OrderAmount>();
  const hooks: World['hooks'] = { onPaid: [], onFailed: [], onNeedsRefund: [] };
  const logs: World['logs'] = [];
  const logger: Logger = {
    info: (message, data) => logs.push({ level: 'info', message, data }),
    warn: (message, data) => logs.push({ level: 'warn', message, data }),
    error: (message, data) => logs.push({ level: 'error', message, data }),
  };
  const { opn: opnOverride, hooks: hookOverride, ...rest } = options.checkout ?? {};
  const kpayment = options.kpayment
    ? { ...keys, apiUrl: sandboxUrl, sandbox: options.sandboxMode ?? true, ...(options.kpayment === true ? {} : options.kpayment) }
    : undefined;
  const companion = await startCheckoutServer({
    resolveOrder: async (orderId) => orders.get(orderId) ?? null,
    resultUrl: RESULT_URL,
    ...(options.opn === false ? {} : { opn: { ...keys, apiUrl: sandboxUrl, sandbox: options.sandboxMode ?? true, ...opnOverride } }),
    ...(kpayment ? { kpayment } : {}),
    store: ':memory:',
    hooks: {
      onPaid: (p) => void hooks.onPaid.push(p),
      onFailed: (p) => void hooks.onFailed.push(p),
      onNeedsRefund: (p) => void hooks.onNeedsRefund.push(p),
      ...hookOverride,
    },
    logger,
    refreshIntervalMs: 0,
    returnWaitMs: 300,
    returnRetryMs: 50,
    // Tests move the clock and call `checkout.reconcile()` when they mean to; no background run may interleave.
    reconcileEveryMs: false,
    ...rest,
  });
  await companion.checkout.ready;
  const url = companion.url;
  let orderSeq = 0;

  const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;

  const world: World = {
    sandbox,
    sandboxUrl,
    keys,
    orders,
    hooks,
    logs,
    companion,
    url,
    order(amount, currency = 'THB') {
      const id = `order-${name}-${++orderSeq}`;
      orders.set(id, { amount, currency });
      return id;
    },
    async api(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      let body = init.body;
      if (init.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(init.json);
      }
      const res = await fetch(`${url}${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual' });
      const text = await res.text();
      const isJson = res.headers.get('content-type')?.includes('json');
      return { status: res.status, body: isJson ? JSON.parse(text) : text, headers: res.headers, text };
    },
    async createPayment(orderId, method, extra = {}, headers = {}) {
      return world.api('/checkout/payments', { json: { orderId, method, ...extra }, headers });
    },
    async opn(path, init = {}) {
      const res = await fetch(`${sandboxUrl}${path}`, {
        method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
        headers: { authorization: basic(init.key ?? keys.secretKey), ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: init.json === undefined ? undefined : JSON.stringify(init.json),
      });
      return { status: res.status, body: await res.json() };
    },
    async authorize(authorizeUri, action, failureCode) {
      const form: Record<string, string> = { action };
      if (failureCode) form.failure_code = failureCode;
      const res = await fetch(authorizeUri, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        redirect: 'manual',
      });
      if (res.status !== 302) throw new Error(`authorize page answered ${res.status}: ${await res.text()}`);
      return res.headers.get('location')!;
    },
    async visit(target, headers = {}) {
      const res = await fetch(target, { redirect: 'manual', headers });
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    },
    async complete(chargeId, result, failureCode) {
      const res = await world.opn(`/_sandbox/opn/charges/${chargeId}/complete`, { json: { result, ...(failureCode ? { failure_code: failureCode } : {}) } });
      if (res.status !== 200) throw new Error(`sandbox refused to complete ${chargeId}: ${JSON.stringify(res.body)}`);
    },
    async scenario(scenario) {
      const res = await world.opn('/_sandbox/scenario', { json: scenario });
      if (res.status !== 200) throw new Error(`sandbox refused the scenario: ${JSON.stringify(res.body)}`);
    },
    flushWebhooks: () => sandbox.opn.flushWebhooks(),
    async chargeCount() {
      const res = await world.opn<{ total: number }>('/charges?limit=100');
      return res.body.total;
    },
    async paymentOf(id) {
      const p = await companion.checkout.store.getPayment(id);
      if (!p) throw new Error(`no payment ${id}`);
      return p;
    },
    async close() {
      await companion.close();
      await sandbox.close();
    },
  };
  return world;
}

/** The query of a URL as an object (e.g. the result URL the companion redirected to). */
export function queryOf(location: string | null): Record<string, string> {
  if (!location) throw new Error('no Location header');
  return Object.fromEntries(new URL(location).searchParams);
}

/**
 * Another companion (another process) beside the world's, on `store`, with the world's orders, keys and sandbox;
 * no reconciler timer and a silent log unless `overrides` say otherwise.
 */
export function startOtherCompanion(world: World, store: string, overrides: Partial<CheckoutOptions> = {}): Promise<CheckoutServer> {
  return startCheckoutServer({
    resolveOrder: async (orderId) => world.orders.get(orderId) ?? null,
    resultUrl: 'https://shop.example/r',
    opn: { ...world.keys, apiUrl: world.sandboxUrl },
    store,
    reconcileEveryMs: false,
    logger: { info() {}, warn() {}, error() {} },
    ...overrides,
  });
}

/**
 * Two companions (two processes) on one store, four concurrent requests for one order's KMA payment while the
 * sandbox answers slowly: answers the statuses and the store of the first companion, for the caller's checks.
 */
export async function raceTwoCompanions(world: World, store: string, check: (statuses: number[], storeOfA: PaymentStore) => Promise<void>): Promise<void> {
  const shared = {
    resolveOrder: async () => ({ amount: 150_000, currency: 'THB' as const }),
    resultUrl: 'https://shop.example/r',
    opn: { ...world.keys, apiUrl: world.sandboxUrl },
    store,
    logger: { info() {}, warn() {}, error() {} },
  };
  const a = await startCheckoutServer(shared);
  const b = await startCheckoutServer(shared);
  try {
    await world.scenario({ latencyMs: 100 });
    const post = (url: string) =>
      fetch(`${url}/checkout/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId: 'shared-order', method: 'mobile_banking_bay' }) });
    const results = await Promise.all([post(a.url), post(b.url), post(a.url), post(b.url)]);
    await check(results.map((r) => r.status), a.checkout.store);
  } finally {
    await a.close();
    await b.close();
  }
}
