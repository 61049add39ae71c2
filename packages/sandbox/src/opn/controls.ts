import type { Merchant } from './state.ts';

/** The controls shared by the HTTP control endpoints and the in-process API. */

export function registerWebhookEndpoint(merchant: Merchant, url: string) {
  if (!merchant.webhookEndpoints.includes(url)) merchant.webhookEndpoints.push(url);
  return { object: 'webhook_endpoint' as const, url, secret: merchant.webhookSecret };
}
