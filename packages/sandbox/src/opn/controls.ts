import type { ScenarioParams } from './params.ts';
import type { Merchant } from './state.ts';

/** The controls shared by the HTTP control endpoints and the in-process API. */

export function registerWebhookEndpoint(merchant: Merchant, url: string) {
  if (!merchant.webhookEndpoints.includes(url)) merchant.webhookEndpoints.push(url);
  return { object: 'webhook_endpoint' as const, url, secret: merchant.webhookSecret };
}

export function setScenario(merchant: Merchant, scenario: ScenarioParams) {
  merchant.scenario = { ...scenario, failNext: scenario.failNext ? { ...scenario.failNext } : undefined };
  return { object: 'scenario' as const, ...merchant.scenario };
}
