import { expect } from 'vitest';
import type { World } from './world.ts';

/**
 * Helpers for the K-Payment tests: what `kpayment.min.js`, its card form and the bank's 3-D Secure page do in
 * a browser, done over HTTP against the in-process sandbox.
 */

export interface CardInput {
  number: string;
  savecard?: boolean;
  name?: string;
}

/** A card token from the sandbox's card form backend (public key), as the card form creates it. */
export async function cardToken(world: World, card: CardInput | { customerId: string; cardId: string }): Promise<string> {
  const body =
    'number' in card
      ? { number: card.number, expiry_month: 12, expiry_year: 2099, cvv: '123', name: card.name ?? 'Somchai Jaidee', savecard: card.savecard ?? false }
      : { customer_id: card.customerId, card_id: card.cardId };
  const res = await fetch(`${world.sandboxUrl}/ui/v2/token`, {
    method: 'POST',
    headers: { 'x-api-key': world.keys.publicKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { id?: string };
  if (res.status !== 200 || !json.id) throw new Error(`token refused: ${JSON.stringify(json)}`);
  return json.id;
}

export interface FormAnswer {
  status: number;
  location: string | null;
  text: string;
}

/** A browser form POST (application/x-www-form-urlencoded), redirects not followed. */
export async function postForm(url: string, fields: Record<string, string> | string, headers: Record<string, string> = {}): Promise<FormAnswer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

/** Starts a card payment for a new order; answers the order, the payment and the `kpayment` next action. */
export async function startCard(world: World, amount = 150_000, currency: 'THB' | 'USD' | 'JPY' | 'SGD' = 'THB', extra: Record<string, unknown> = {}) {
  const orderId = world.order(amount, currency);
  const res = await world.createPayment(orderId, 'card', extra);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.next.type).toBe('script_form');
  return {
    orderId,
    paymentId: res.body.paymentId as string,
    next: res.body.next as { type: 'script_form'; scriptUrl: string; formAction: string; attributes: Record<string, string> },
  };
}

/** What the script posts for a token (decisions.md 4): token, paymentMethods, mid, plus the variant's fields. */
export function tokenFields(token: string, attributes: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  return { token, paymentMethods: 'card', mid: attributes.mid, ...extra };
}

/** The 3-D Secure page as the cardholder uses it: Request OTP, enter `otp`; answers the auto-posted callback form. */
export async function threeDSecure(redirectUrl: string, otp: string): Promise<{ action: string; fields: Record<string, string> }> {
  const requested = await postForm(`${redirectUrl}/otp`, {});
  expect(requested.status).toBe(303);
  const page = await postForm(`${redirectUrl}/verify`, { otp });
  expect(page.status, page.text.slice(0, 300)).toBe(200);
  return callbackForm(page.text, 'the 3-D Secure result page');
}

/** The sandbox's K-Payment API with this world's secret key. */
export async function kpaymentApi<T = any>(world: World, path: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${world.sandboxUrl}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: { 'x-api-key': world.keys.secretKey, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
  return { status: res.status, body: (await res.json()) as T };
}

/** Sets this world's K-Payment merchant settings in the sandbox (3-D Secure on/off, notify faults, …). */
export function kpaymentSettings(world: World, settings: Parameters<World['sandbox']['kpayment']['setSettings']>[1]) {
  return world.sandbox.kpayment.setSettings(world.keys.secretKey, settings);
}

// ── Thai QR, WeChat Pay, Alipay, UnionPay ──

export type QrNext = { type: 'qr'; scriptUrl: string; formAction: string; attributes: Record<string, string>; expiresAt?: string; expiresIn?: number };

/** Starts a QR payment (thai_qr / wechat_pay) for a new order; answers the order, the payment and the `kpayment` next action. */
export async function startQr(world: World, method: 'thai_qr' | 'wechat_pay' = 'thai_qr', amount = 150_000) {
  const orderId = world.order(amount);
  const res = await world.createPayment(orderId, method);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.next.type).toBe('qr');
  return { orderId, paymentId: res.body.paymentId as string, next: res.body.next as QrNext };
}

/**
 * What `kpayment.min.js` does on `show()` for a QR: opens the sandbox's QR popup with the data-* attributes
 * (the gateway refuses an order, amount or method that do not match), then answers the QR id it shows.
 */
export async function showQr(world: World, next: QrNext): Promise<string> {
  const query = new URLSearchParams({ ...next.attributes, parent: world.url });
  const popup = await fetch(`${world.sandboxUrl}/ui/v2/qr-popup?${query}`);
  const page = await popup.text();
  expect(popup.status, page.slice(0, 300)).toBe(200);
  const qrId = /<code id="qr-id">(qr_[A-Za-z0-9_]+)<\/code>/.exec(page)?.[1];
  if (!qrId) throw new Error(`the QR popup shows no QR id: ${page.slice(0, 500)}`);
  return qrId;
}

/** The popup's poll (public key), as the script reads it: the QR's state and, once paid or failed, its charge id. */
export async function qrState(world: World, qrId: string): Promise<{ state: string; charge_id: string | null }> {
  const res = await fetch(`${world.sandboxUrl}/ui/v2/qr/${qrId}`, { headers: { 'x-api-key': world.keys.publicKey } });
  return (await res.json()) as { state: string; charge_id: string | null };
}

/** The script's post-back once the QR is paid (or failed): `chargeId` only, to the form's action (§4.3 step 11). */
export async function scriptPostsCharge(world: World, next: QrNext, qrId: string, headers: Record<string, string> = {}): Promise<FormAnswer> {
  const { charge_id: chargeId } = await qrState(world, qrId);
  if (!chargeId) throw new Error(`QR ${qrId} has no charge yet`);
  return postForm(next.formAction, { chargeId }, headers);
}

/** The auto-submitting callback form of a hosted result page (3-D Secure, Alipay, UnionPay). */
export function callbackForm(page: string, pageName = 'the result page'): { action: string; fields: Record<string, string> } {
  const form = /<form id="callback" method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(page);
  if (!form) throw new Error(`no callback form on ${pageName}: ${page.slice(0, 500)}`);
  const fields: Record<string, string> = {};
  for (const m of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]] = m[2];
  return { action: form[1].replaceAll('&amp;', '&'), fields };
}
