import type { SmartpayOptions } from './kpayment-options.ts';
import { registerWithSandbox } from '../sandbox-registration.ts';

/**
 * Registers the companion's callback and notify URLs (and its merchant ids and SmartPay offer) with the
 * sandbox's K-Payment settings (decisions.md 3: the real gateway takes them from the merchant portal), so that
 * `npm start` needs no manual step. Retries briefly: the sandbox may still be starting.
 */
export async function registerKpaymentSandbox(input: {
  apiUrl: string;
  secretKey: string;
  callbackUrl: string;
  notifyUrl: string;
  mid: string;
  dccMid: string | null;
  smartpay: SmartpayOptions | null;
  attempts?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): Promise<void> {
  const settings: Record<string, unknown> = { callbackUrl: input.callbackUrl, notifyUrl: input.notifyUrl, mid: input.mid };
  if (input.dccMid) settings.dccMid = input.dccMid;
  const smartpay = input.smartpay;
  if (smartpay?.smartpayId) settings.smartpayIds = [{ smartpayId: smartpay.smartpayId, terms: smartpay.term ? [smartpay.term] : [3, 4, 6, 10] }];
  if (smartpay?.plan) settings.installmentPlans = [{ ...smartpay.plan, terms: smartpay.term ? [smartpay.term] : [3, 6, 10] }];

  return registerWithSandbox({
    apiUrl: input.apiUrl,
    path: '/_sandbox/kpayment/settings',
    headers: { 'x-api-key': input.secretKey },
    body: settings,
    what: 'the K-Payment callback and notify URLs',
    read: () => undefined,
    attempts: input.attempts,
    timeoutMs: input.timeoutMs,
    fetch: input.fetch,
  });
}
