import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { SandboxClock } from '../clock.ts';
import { type CallResult, call as callApi } from '../test-kit.ts';
import { type KpaymentControls, type KpaymentSettingsInput, kpaymentRoutes } from './index.ts';

/** Helpers for the K-Payment emulator's tests: its router on an Express app, real HTTP on a random loopback port. */

export interface KpaymentHarness {
  url: string;
  clock: SandboxClock;
  controls: KpaymentControls;
  close(): Promise<void>;
}

export async function startKpayment(options: { startTime?: number; notifyRetryDelaysMs?: number[]; publicUrl?: string } = {}): Promise<KpaymentHarness> {
  const clock = new SandboxClock(options.startTime);
  const kpayment = kpaymentRoutes({ clock, notifyRetryDelaysMs: options.notifyRetryDelaysMs, publicUrl: options.publicUrl });
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

/** A fresh merchant: a key pair nobody else uses, with the default merchant ids. */
export function newMerchant(name = randomBytes(6).toString('hex')) {
  return { pk: `pkey_test_${name}`, sk: `skey_test_${name}`, name };
}

export const MID = '401000000000001';
export const DCC_MID = '451000000000001';
export const MINUTE = 60_000;
export const DAY = 86_400_000;

export type { CallResult } from '../test-kit.ts';

/** One API call with `x-api-key` (K-Payment's header); otherwise the Opn test kit's `call`. */
export function call<T = any>(
  base: string,
  path: string,
  options: { key?: string; method?: string; json?: unknown; form?: Record<string, string> } = {},
): Promise<CallResult<T>> {
  const { key, ...rest } = options;
  return callApi<T>(base, path, { ...rest, headers: key ? { 'x-api-key': key } : undefined });
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
