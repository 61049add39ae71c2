import { randomBytes } from 'node:crypto';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PaymentMethod, type PaymentMethodId, getMethod } from '@payment-checkout/core';
import { PaymentRecord } from '../store/store.ts';
import type { GatewayStatus, PaymentGateway, StartedPayment, WebhookInput } from './gateway.ts';

/** The pieces of the gateway contract suite (gateway-contract.ts): stored-like rows, loopback servers, bad bodies. */

/** A stored-like payment row (the record schema checks it): THB when the method takes it, an amount inside its limits. */
export function storedPayment(method: PaymentMethodId | PaymentMethod, overrides: Partial<PaymentRecord> = {}): PaymentRecord {
  const m = typeof method === 'string' ? getMethod(method) : method;
  const currency = (m.limits.THB ? 'THB' : Object.keys(m.limits)[0]) as PaymentRecord['currency'];
  const { min, max } = m.limits[currency]!;
  const now = new Date().toISOString();
  return PaymentRecord.parse({
    id: `pay_${randomBytes(16).toString('hex')}`,
    orderId: `order-${randomBytes(6).toString('hex')}`,
    method: m.id,
    gateway: m.gateway,
    amount: Math.min(Math.max(150_000, min), max),
    currency,
    platform: m.desktopPlatform,
    chargeId: null,
    sourceId: null,
    status: 'created',
    failureCode: null,
    failureMessage: null,
    returnToken: randomBytes(32).toString('base64url'),
    authorizeUri: null,
    supersededBy: null,
    needsRefund: false,
    refundedAmount: 0,
    settledAmount: null,
    chargedAmount: null,
    chargedCurrency: null,
    installmentTerm: null,
    chargeCreatedAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  });
}

/** The ids of the methods an adapter takes. */
export const methodIds = (gateway: PaymentGateway): PaymentMethodId[] => gateway.methods.map((m) => m.id);

/** An adapter's catalog entry of one of its methods. */
export function methodOf(gateway: PaymentGateway, id: PaymentMethodId): PaymentMethod {
  const method = gateway.methods.find((m) => m.id === id);
  if (!method) throw new Error(`${gateway.id} does not take ${id}`);
  return method;
}

/** The payment as the companion stores it after `startPayment` answered (status and the gateway's ids). */
export function recordStart(payment: PaymentRecord, started: StartedPayment): PaymentRecord {
  return {
    ...payment,
    status: started.status,
    failureCode: started.failureCode,
    failureMessage: started.failureMessage,
    chargeId: started.gatewayIds.chargeId ?? payment.chargeId,
    sourceId: started.gatewayIds.sourceId ?? payment.sourceId,
    authorizeUri: started.authorizeUri,
  };
}

/** The payment as the companion stores it after a status (and a charge id found by reference, if any). */
export function recordStatus(payment: PaymentRecord, state: GatewayStatus): PaymentRecord {
  return { ...payment, status: state.status, failureCode: state.failureCode, failureMessage: state.failureMessage, chargeId: payment.chargeId ?? state.chargeId ?? null };
}

export interface ReceivedWebhook extends WebhookInput {
  path: string;
}

/** A loopback endpoint that keeps every POST it gets (raw body and headers) and answers 200, for the gateways' webhooks. */
export interface WebhookInbox {
  url: string;
  received: ReceivedWebhook[];
  /** The first webhook (already received or arriving within `timeoutMs`) that `match` accepts. */
  waitFor(match: (webhook: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  close(): Promise<void>;
}

export async function startWebhookInbox(): Promise<WebhookInbox> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', rawBody: Buffer.concat(chunks), headers: { ...(req.headers as IncomingHttpHeaders) } });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async waitFor(match, timeoutMs = 5_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = received.find(match);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no matching webhook within ${timeoutMs} ms (${received.length} received)`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** An http URL on a loopback port nothing listens on (it was free a moment ago). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A loopback server that takes every request and never answers (a gateway that hangs). */
export async function startSilentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Bodies no gateway ever sends: each must be refused (a Checkout or Gateway error) or ignored, never crash or pay. */
export const GARBAGE_BODIES: [string, Buffer][] = [
  ['an empty body', Buffer.alloc(0)],
  ['plain text', Buffer.from('charge chrg_test_1 is paid')],
  ['truncated JSON', Buffer.from('{"id":"chrg_test_1","status":')],
  ['null', Buffer.from('null')],
  ['true', Buffer.from('true')],
  ['a number', Buffer.from('42')],
  ['a bare charge id', Buffer.from('"chrg_test_1"')],
  ['an empty array', Buffer.from('[]')],
  ['an empty object', Buffer.from('{}')],
  ['an operator object', Buffer.from('{"id":{"$gt":""},"data":{"id":{"$ne":null}}}')],
  ['null data', Buffer.from('{"object":"event","data":null,"id":null}')],
  ['a __proto__ key', Buffer.from('{"__proto__":{"kind":"payment","chargeId":"chrg_test_1"}}')],
  ['invalid UTF-8', Buffer.from([0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x28, 0x7d])],
  ['a byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')])],
  ['random bytes', randomBytes(256)],
  ['deep nesting', Buffer.from(`${'['.repeat(50_000)}${']'.repeat(50_000)}`)],
];

/** Awaits `work`; answers what it resolved to, or the error it threw. */
export async function settle<T>(work: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await work };
  } catch (error) {
    return { ok: false, error };
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export const RETURN_URI = 'https://shop.example/checkout/return/contract?token=t';
