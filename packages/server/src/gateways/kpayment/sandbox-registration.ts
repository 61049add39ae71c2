import type { SmartpayOptions } from '../../options.ts';

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

  const attempts = input.attempts ?? 5;
  const doFetch = input.fetch ?? globalThis.fetch;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await doFetch(`${input.apiUrl}/_sandbox/kpayment/settings`, {
        method: 'POST',
        headers: { 'x-api-key': input.secretKey, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(settings),
        signal: AbortSignal.timeout(input.timeoutMs ?? 5_000),
      });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) throw new Error(`the sandbox answered HTTP ${res.status}: ${JSON.stringify(body)}`);
      return;
    } catch (err) {
      lastError = err;
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
  throw new Error(
    `could not register the K-Payment callback and notify URLs with the sandbox at ${input.apiUrl}: ${lastError instanceof Error ? lastError.message : String(lastError)}`,
    { cause: lastError },
  );
}
