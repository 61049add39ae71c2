import { randomBytes } from 'node:crypto';
import { type GatewayDriver, describeGatewayContract, startWebhookInbox, storedPayment } from '../../src/gateways/gateway-contract.ts';
import type { WebhookInput } from '../../src/gateways/gateway.ts';
import { startFakePayEmulator } from './emulator.ts';
import { FakePayClient } from './fakepay-client.ts';
import { FakePayGateway } from './fakepay-gateway.ts';
import { SIGNATURE_HEADER, signFakePayWebhook } from './fakepay-wire.ts';

/** The gateway contract against FakePay's emulator: a fresh emulator (one merchant) and webhook inbox per test. */

/** The event as FakePay sends it (the charge in `data`), or null when the bytes are not one. */
function eventOf(webhook: WebhookInput): { type?: string; data?: { id?: string } } | null {
  try {
    return JSON.parse(webhook.rawBody.toString('utf8'));
  } catch {
    return null;
  }
}

describeGatewayContract('fakepay (its emulator)', async () => {
  const emulator = await startFakePayEmulator();
  const inbox = await startWebhookInbox();
  const { secret } = await new FakePayClient({ apiUrl: emulator.url, secretKey: emulator.secretKey }).registerWebhook(`${inbox.url}/fakepay`);
  const gatewayAt = (apiUrl: string, timeoutMs = 5_000) =>
    new FakePayGateway({ client: new FakePayClient({ apiUrl, secretKey: emulator.secretKey, timeoutMs }), webhookSecret: () => secret });
  const gateway = gatewayAt(emulator.url);

  const signed = (rawBody: Buffer, key = secret) => ({ 'content-type': 'application/json', [SIGNATURE_HEADER]: signFakePayWebhook(rawBody, key) });

  const driver: GatewayDriver = {
    methods: ['alipay', 'unionpay'],
    async complete(payment, decision) {
      // The payer's click on FakePay's authorize page, as a browser posts it.
      const res = await fetch(payment.authorizeUri!, { method: 'POST', body: new URLSearchParams({ result: decision }), redirect: 'manual' });
      if (res.status !== 302) throw new Error(`the authorize page answered ${res.status}: ${await res.text()}`);
      return payment;
    },
    async genuineWebhook(payment) {
      await emulator.flushWebhooks();
      const { rawBody, headers } = await inbox.waitFor((w) => eventOf(w)?.type === 'charge.complete' && eventOf(w)?.data?.id === payment.chargeId);
      return { rawBody, headers };
    },
    async forgedWebhooks(payment) {
      const event = Buffer.from(
        JSON.stringify({
          object: 'event',
          id: `fevt_${randomBytes(12).toString('hex')}`,
          type: 'charge.complete',
          created_at: new Date().toISOString(),
          data: { ...(await gateway.client.retrieveCharge(payment.chargeId!)), status: 'paid', failure_code: null },
        }),
      );
      const genuine = signed(event)[SIGNATURE_HEADER];
      return [
        { rawBody: event, headers: signed(event, randomBytes(24).toString('hex')) }, // another secret
        { rawBody: event, headers: { 'content-type': 'application/json' } }, // unsigned
        { rawBody: event, headers: { [SIGNATURE_HEADER]: genuine.replace(/^./, (c) => (c === '0' ? '1' : '0')) } }, // one digit off
        { rawBody: event, headers: { [SIGNATURE_HEADER]: genuine.toUpperCase() } }, // not FakePay's spelling
        { rawBody: event, headers: { [SIGNATURE_HEADER]: [genuine, genuine] } }, // the header twice
        { rawBody: event, headers: { [SIGNATURE_HEADER]: `${genuine}00` } }, // too long
        { rawBody: event, headers: signed(Buffer.from(`${event.toString()} `)) }, // another body's signature
      ];
    },
    sign: (rawBody) => signed(rawBody),
  };

  return {
    gateway,
    secrets: [emulator.secretKey, secret],
    payment: (method) => storedPayment(gateway.methods.find((m) => m.id === method)!),
    unknownChargeId: () => `fchg_${randomBytes(12).toString('hex')}`,
    gatewayAt,
    driver,
    async close() {
      await emulator.close();
      await inbox.close();
    },
  };
});
