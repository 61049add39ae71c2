import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach } from 'vitest';
import { SandboxClock } from '../src/clock.ts';
import { type KpaymentControls, type KpaymentSettingsInput, kpaymentEmulator } from '../src/kpayment/index.ts';
import { type CallResult, type Receiver, call as callApi, forFile, startReceiver } from './test-kit.ts';

/** Helpers for the K-Payment emulator's tests: its router on an Express app, real HTTP on a random loopback port. */

export interface KpaymentHarness {
  url: string;
  clock: SandboxClock;
  controls: KpaymentControls;
  close(): Promise<void>;
}

export async function startKpayment(options: { startTime?: number; notifyRetryDelaysMs?: number[]; publicUrl?: string } = {}): Promise<KpaymentHarness> {
  const clock = new SandboxClock(options.startTime);
  const kpayment = kpaymentEmulator({ clock, publicUrl: options.publicUrl }, { notifyRetryDelaysMs: options.notifyRetryDelaysMs });
  const app = express();
  app.disable('x-powered-by');
  app.use(kpayment.router);
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    clock,
    controls: kpayment.controls,
    close: () =>
      new Promise<void>((resolve) => {
        kpayment.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The emulator for the file's tests: started before them, closed after them. */
export function useKpayment(options: Parameters<typeof startKpayment>[0] = {}): KpaymentHarness {
  return forFile(() => startKpayment(options), (harness) => harness.close());
}

/**
 * The emulator and a notify receiver for the file's tests. After each test the notifies still in flight
 * are delivered and the receiver's log is emptied, so that a test sees only its own.
 */
export function useKpaymentAndReceiver(options: Parameters<typeof startKpayment>[0] = {}): { h: KpaymentHarness; receiver: Receiver } {
  const h = useKpayment(options);
  const receiver = forFile(() => startReceiver(), (started) => started.close());
  afterEach(async () => {
    await h.controls.flushNotifications();
    receiver.requests.length = 0;
  });
  return { h, receiver };
}

/** A fresh merchant: a key pair nobody else uses, with the default merchant ids. */
export function newMerchant(name = randomBytes(6).toString('hex')) {
  return { pk: `pkey_test_${name}`, sk: `skey_test_${name}`, name };
}

export const MID = '401000000000001';
export const DCC_MID = '451000000000001';
export const MINUTE = 60_000;
export const DAY = 86_400_000;

export type { CallResult } from './test-kit.ts';

/** One API call with `x-api-key` (K-Payment's header); otherwise the Opn test kit's `call`. */
export function call<T = any>(
  base: string,
  path: string,
  options: { key?: string; method?: string; json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<CallResult<T>> {
  const { key, headers, ...rest } = options;
  return callApi<T>(base, path, { ...rest, headers: { ...headers, ...(key ? { 'x-api-key': key } : {}) } });
}

export interface CardInput {
  number: string;
  name?: string;
  expiry_month?: number;
  expiry_year?: number;
  cvv?: string;
  savecard?: boolean;
}

/** Tokenises a card as the card form does (public key). */
export async function tokenize(base: string, pk: string, card: CardInput): Promise<string> {
  const res = await call(base, '/ui/v2/token', {
    key: pk,
    json: { name: 'Somchai Jaidee', expiry_month: 12, expiry_year: 2099, cvv: '123', ...card },
  });
  if (res.status !== 200) throw new Error(`token not created: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

let referenceCounter = 0;
export function reference(): string {
  referenceCounter += 1;
  return `INV${Date.now()}${referenceCounter}`;
}

/** A Create Charge body for a Full MCC card payment, with overrides. */
export function chargeBody(token: string, overrides: Record<string, unknown> = {}) {
  return {
    amount: 200.5,
    currency: 'THB',
    description: 'TEST PRODUCT',
    source_type: 'card',
    mode: 'token',
    token,
    reference_order: reference(),
    additional_data: { mid: MID },
    ...overrides,
  };
}

export async function setSettings(base: string, sk: string, settings: KpaymentSettingsInput) {
  const res = await call(base, '/_sandbox/kpayment/settings', { key: sk, json: settings });
  if (res.status !== 200) throw new Error(`settings refused: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A fresh merchant without 3-D Secure: the charge answer is final. */
export async function merchantWithout3ds(base: string) {
  const m = newMerchant();
  await setSettings(base, m.sk, { threeDSecure: false });
  return m;
}

/** Tokenises `card` and charges it; returns the Create Charge answer. */
export async function payWithCard(base: string, m: { pk: string; sk: string }, card: CardInput, overrides: Record<string, unknown> = {}) {
  const token = await tokenize(base, m.pk, card);
  const res = await call(base, '/card/v2/charge', { key: m.sk, json: chargeBody(token, overrides) });
  if (res.status !== 200) throw new Error(`charge not created: ${JSON.stringify(res.body)}`);
  return { token, charge: res.body };
}

/** Parses the hidden inputs and action of the page's callback form. */
export function callbackForm(page: string): { action: string | null; fields: Record<string, string>; autoSubmit: boolean } {
  const formMatch = /<form id="callback" method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(page);
  const fields: Record<string, string> = {};
  if (formMatch) {
    for (const m of formMatch[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = m[2];
  }
  return {
    action: formMatch ? formMatch[1].replaceAll('&amp;', '&') : null,
    fields,
    autoSubmit: /document\.getElementById\('callback'\)\.submit\(\)/.test(page),
  };
}

/** A Create Order body (§6.3.1) for a Thai QR order of THB 200.50, with overrides. */
export function orderBody(overrides: Record<string, unknown> = {}) {
  return { amount: 200.5, currency: 'THB', description: 'TESTPRODUCT', source_type: 'qr', reference_order: reference(), ...overrides };
}

/** Creates an order; returns the Create Order answer. */
export async function createOrder(base: string, sk: string, overrides: Record<string, unknown> = {}) {
  const res = await call(base, '/qr/v2/order', { key: sk, json: orderBody(overrides) });
  if (res.status !== 200) throw new Error(`order not created: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Creates an order and opens its QR as the script does; returns both. */
export async function orderWithQr(base: string, sk: string, overrides: Record<string, unknown> = {}) {
  const order = await createOrder(base, sk, overrides);
  const qr = await call(base, `/_sandbox/kpayment/orders/${order.id}/qr`, { key: sk, method: 'POST' });
  if (qr.status !== 200) throw new Error(`QR not opened: ${JSON.stringify(qr.body)}`);
  return { order, qr: qr.body };
}

/** A Create Charge body for Alipay (the guide's sample, L1491–1500) or UnionPay (L1472–1483), with overrides. */
export function redirectChargeBody(sourceType: 'alipay' | 'unionpay', overrides: Record<string, unknown> = {}) {
  return {
    amount: 15,
    currency: 'THB',
    description: sourceType === 'alipay' ? 'TEST ALIPAY' : 'TEST UNIONPAY',
    source_type: sourceType,
    reference_order: reference(),
    ...(sourceType === 'unionpay' ? { additional_data: { mid: MID } } : {}),
    ...overrides,
  };
}

/** Posts a hosted page's form as a browser would (no redirects followed). */
export function submitPage(url: string, form: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}
