import { randomBytes } from 'node:crypto';
import { type Sandbox, createSandbox } from '@payment-checkout/sandbox';
import { signOpnWebhook } from '@payment-checkout/core/signature';
import { afterAll, beforeAll } from 'vitest';
import type { PaymentRecord } from '../../store/store.ts';
import { type GatewayDriver, type WebhookInbox, describeGatewayContract, startWebhookInbox, storedPayment } from '../gateway-contract.ts';
import type { WebhookInput } from '../gateway.ts';
import { OpnClient } from './opn-client.ts';
import { OpnGateway } from './opn-gateway.ts';

/** The gateway contract against the Opn emulator: one sandbox for the file, a merchant of its own per test. */

let sandbox: Sandbox;
let sandboxUrl: string;
let inbox: WebhookInbox;

beforeAll(async () => {
  sandbox = createSandbox({ webhookRetryDelaysMs: [60_000] });
  sandboxUrl = (await sandbox.listen(0)).url;
  inbox = await startWebhookInbox();
});
afterAll(async () => {
  await sandbox?.close();
  await inbox?.close();
});

function gatewayFor(keys: { publicKey: string; secretKey: string }, apiUrl: string, webhookSecret: string, timeoutMs = 5_000): OpnGateway {
  return new OpnGateway({ client: new OpnClient({ ...keys, apiUrl, timeoutMs }), webhookSecret: () => webhookSecret });
}

/** The event body as Opn sends it (the charge's id in `data.id`), or null when the bytes are not one. */
function eventOf(webhook: WebhookInput): { id?: string; key?: string; data?: { id?: string } } | null {
  try {
    return JSON.parse(webhook.rawBody.toString('utf8'));
  } catch {
    return null;
  }
}

describeGatewayContract('opn (sandbox)', async () => {
  const name = randomBytes(6).toString('hex');
  const keys = { publicKey: `pkey_test_${name}`, secretKey: `skey_test_${name}` };
  const path = `/opn/${name}`;
  const { secret } = sandbox.opn.registerWebhook(keys.secretKey, `${inbox.url}${path}`);
  const gateway = gatewayFor(keys, sandboxUrl, secret);

  const signed = (rawBody: Buffer, key = secret, timestamp = Math.floor(Date.now() / 1000)) => ({
    'content-type': 'application/json',
    'omise-signature': signOpnWebhook(rawBody, key, timestamp),
    'omise-signature-timestamp': String(timestamp),
  });

  const driver: GatewayDriver = {
    methods: ['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay'],
    async complete(payment, decision) {
      // What the payer's choice on the authorize page does, through the sandbox's control.
      sandbox.opn.completeCharge(keys.secretKey, payment.chargeId!, decision === 'paid' ? { result: 'successful' } : { result: 'failed', failure_code: 'insufficient_fund' });
      return payment;
    },
    async genuineWebhook(payment) {
      await sandbox.opn.flushWebhooks();
      const { rawBody, headers } = await inbox.waitFor((w) => w.path === path && eventOf(w)?.key === 'charge.complete' && eventOf(w)?.data?.id === payment.chargeId);
      return { rawBody, headers };
    },
    async forgedWebhooks(payment: PaymentRecord) {
      const event = Buffer.from(
        JSON.stringify({
          object: 'event',
          id: `evnt_test_${randomBytes(10).toString('hex').slice(0, 19)}`,
          livemode: false,
          key: 'charge.complete',
          created_at: new Date().toISOString(),
          data: { object: 'charge', id: payment.chargeId, amount: payment.amount, currency: payment.currency.toLowerCase(), status: 'successful' },
        }),
      );
      const otherSecret = randomBytes(32).toString('base64');
      const signature = signed(event);
      return [
        { rawBody: event, headers: signed(event, otherSecret) }, // another merchant's secret
        { rawBody: event, headers: { 'content-type': 'application/json' } }, // unsigned
        { rawBody: event, headers: signed(event, secret, Math.floor(Date.now() / 1000) - 3_600) }, // replayed an hour later
        { rawBody: event, headers: { ...signature, 'omise-signature': signature['omise-signature'].replace(/^./, (c) => (c === '0' ? '1' : '0')) } }, // one digit off
        { rawBody: event, headers: { ...signature, 'omise-signature-timestamp': `${signature['omise-signature-timestamp']}.0` } }, // malformed timestamp
      ];
    },
    sign: (rawBody) => signed(rawBody),
  };

  return {
    gateway,
    secrets: [keys.secretKey, secret],
    payment: (method) => storedPayment(method),
    unknownChargeId: () => `chrg_test_${randomBytes(10).toString('hex').slice(0, 19)}`,
    gatewayAt: (apiUrl, timeoutMs) => gatewayFor(keys, apiUrl, secret, timeoutMs),
    driver,
  };
});
