import { z } from 'zod';

const WebhookEndpoint = z.object({ object: z.literal('webhook_endpoint'), url: z.string(), secret: z.string().min(16) });

/**
 * Registers the companion's webhook URL with the sandbox (decisions.md 3, like `stripe listen`) and answers
 * the signing secret the sandbox will use. Retries briefly: the sandbox may still be starting.
 */
export async function registerSandboxWebhook(input: {
  apiUrl: string;
  secretKey: string;
  webhookUrl: string;
  attempts?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): Promise<string> {
  const attempts = input.attempts ?? 5;
  const doFetch = input.fetch ?? globalThis.fetch;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await doFetch(`${input.apiUrl}/_sandbox/opn/webhooks`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${input.secretKey}:`).toString('base64')}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({ url: input.webhookUrl }),
        signal: AbortSignal.timeout(input.timeoutMs ?? 5_000),
      });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) throw new Error(`the sandbox answered HTTP ${res.status}: ${JSON.stringify(body)}`);
      return WebhookEndpoint.parse(body).secret;
    } catch (err) {
      lastError = err;
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
  throw new Error(`could not register the webhook URL with the sandbox at ${input.apiUrl}: ${lastError instanceof Error ? lastError.message : String(lastError)}`, {
    cause: lastError,
  });
}
