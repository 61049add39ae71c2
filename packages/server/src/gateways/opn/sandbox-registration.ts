import { z } from 'zod';
import { registerWithSandbox } from '../sandbox-registration.ts';

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
  return registerWithSandbox({
    apiUrl: input.apiUrl,
    path: '/_sandbox/opn/webhooks',
    headers: { authorization: `Basic ${Buffer.from(`${input.secretKey}:`).toString('base64')}` },
    body: { url: input.webhookUrl },
    what: 'the webhook URL',
    read: (body) => WebhookEndpoint.parse(body).secret,
    attempts: input.attempts,
    timeoutMs: input.timeoutMs,
    fetch: input.fetch,
  });
}
