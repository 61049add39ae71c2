import { expect } from 'vitest';
import { call } from './test-kit.ts';

/** Helpers for the Opn emulator's tests: its sources, charges and authorize page over real HTTP. */

export type MethodType = 'mobile_banking_kbank' | 'mobile_banking_bay' | 'kakaopay';

export const RETURN_URI = 'https://shop.example/orders/345678/complete';

export async function createSource(
  base: string,
  pk: string,
  params: { type: MethodType; amount: number; currency: string; platform_type?: string },
) {
  const result = await call(base, '/sources', { key: pk, json: params });
  if (result.status !== 200) throw new Error(`source not created: ${JSON.stringify(result.body)}`);
  return result.body;
}

/** Creates a source and a charge for it; returns the charge as the API answered. */
export async function createCharge(
  base: string,
  keys: { pk: string; sk: string },
  params: { type: MethodType; amount?: number; currency?: string; platform_type?: string; capture?: boolean; return_uri?: string },
) {
  const amount = params.amount ?? 150000;
  const currency = params.currency ?? 'THB';
  const source = await createSource(base, keys.pk, { type: params.type, amount, currency, platform_type: params.platform_type });
  const result = await call(base, '/charges', {
    key: keys.sk,
    json: { amount, currency, source: source.id, return_uri: params.return_uri ?? RETURN_URI, capture: params.capture },
  });
  if (result.status !== 200) throw new Error(`charge not created: ${JSON.stringify(result.body)}`);
  return result.body;
}

/** Submits the authorize page's form as a browser would. */
export async function decide(authorizeUri: string, form: Record<string, string>) {
  return fetch(authorizeUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

/** Registers `url` as a webhook endpoint of the merchant with secret key `sk` on the sandbox at `base`; answers it, with its secret. */
export async function registerWebhook(base: string, url: string, sk: string): Promise<{ object: string; url: string; secret: string }> {
  const res = await call(base, '/_sandbox/opn/webhooks', { key: sk, json: { url } });
  expect(res.status).toBe(200);
  return res.body as { object: string; url: string; secret: string };
}
