import { createHash, randomBytes } from 'node:crypto';
import { minorToDecimal } from '@payment-checkout/core';
import { kpaymentChecksum } from '@payment-checkout/core/signature';
import { type Sandbox, createSandbox } from '@payment-checkout/sandbox';
import { afterAll, beforeAll } from 'vitest';
import type { Logger } from '../../common/logger.ts';
import { KPAYMENT_SANDBOX_MID } from './kpayment-options.ts';
import type { PaymentRecord } from '../../store/store.ts';
import { threeDSecure } from '../../../test/support/kpayment.ts';
import { type GatewayDriver, type WebhookInbox, describeGatewayContract, recordStart, startWebhookInbox, storedPayment } from '../gateway-contract.ts';
import type { WebhookInput } from '../gateway.ts';
import { KpaymentCards } from './kpayment-cards.ts';
import { KpaymentClient } from './kpayment-client.ts';
import { KpaymentGateway } from './kpayment-gateway.ts';

/** The gateway contract against the K-Payment emulator: one sandbox for the file, a merchant of its own per test. */

let sandbox: Sandbox;
let sandboxUrl: string;
let inbox: WebhookInbox;

beforeAll(async () => {
  sandbox = createSandbox();
  sandboxUrl = (await sandbox.listen(0)).url;
  inbox = await startWebhookInbox();
});
afterAll(async () => {
  await sandbox?.close();
  await inbox?.close();
});

const silent: Logger = { info() {}, warn() {}, error() {} };

/** Guide §7.1 (3-D Secure, OTP 123456): approved, and declined 51 (insufficient funds). */
const CARD = { paid: '5239620007270264', declined: '5149504001969007' } as const;
/** Guide §7.3: a TPN card with its documented details; a wrong PIN declines it (55). */
const UNIONPAY = { card_number: '6210947764000027', expiry: '10/30', cvn2: '456', sms_code: '' } as const;

function gatewayFor(keys: { publicKey: string; secretKey: string }, apiUrl: string, timeoutMs = 5_000): KpaymentGateway {
  const client = new KpaymentClient({ secretKey: keys.secretKey, apiUrl, timeoutMs });
  return new KpaymentGateway({
    client,
    cards: new KpaymentCards({ client, store: null, resolveCustomer: undefined, logger: silent, now: Date.now }),
    settings: { publicKey: keys.publicKey, mid: KPAYMENT_SANDBOX_MID, dccMid: null, merchantName: null, smartpay: null, scriptUrl: `${sandboxUrl}/ui/v2/kpayment.min.js` },
    secretKey: keys.secretKey,
    publicBaseUrl: 'https://shop.example',
  });
}

function notifyOf(webhook: WebhookInput): Record<string, unknown> | null {
  try {
    return JSON.parse(webhook.rawBody.toString('utf8'));
  } catch {
    return null;
  }
}

describeGatewayContract('kpayment (sandbox)', async () => {
  const name = randomBytes(6).toString('hex');
  const keys = { publicKey: `pkey_test_${name}`, secretKey: `skey_test_${name}` };
  const path = `/kpayment/${name}`;
  sandbox.kpayment.setSettings(keys.secretKey, { notifyUrl: `${inbox.url}${path}`, callbackUrl: `${inbox.url}${path}/callback`, threeDSecure: true });
  const gateway = gatewayFor(keys, sandboxUrl);

  /** What the card form does with the card number: a single-use token from the gateway (public key). */
  async function cardToken(number: string): Promise<string> {
    const res = await fetch(`${sandboxUrl}/ui/v2/token`, {
      method: 'POST',
      headers: { 'x-api-key': keys.publicKey, 'content-type': 'application/json' },
      body: JSON.stringify({ number, expiry_month: 12, expiry_year: 2099, cvv: '123', name: 'Somchai Jaidee', savecard: false }),
    });
    const json = (await res.json()) as { id?: string };
    if (!json.id) throw new Error(`token refused: ${JSON.stringify(json)}`);
    return json.id;
  }

  /** The fields of a notify saying this payment's charge was paid (§6.5.2), without its checksum. */
  function paidNotify(payment: PaymentRecord) {
    return {
      id: payment.chargeId!,
      object: 'charge',
      amount: minorToDecimal(payment.amount, payment.currency),
      currency: payment.currency,
      transaction_state: 'Authorized',
      status: 'success',
      reference_order: payment.id,
      failure_code: '',
      failure_message: '',
    };
  }

  const driver: GatewayDriver = {
    methods: ['card', 'thai_qr', 'wechat_pay', 'alipay', 'unionpay'],
    async complete(payment, decision) {
      const { secretKey } = keys;
      switch (payment.method) {
        case 'card': {
          // The card form's post-back, then the bank's 3-D Secure page with the OTP.
          const token = await cardToken(CARD[decision]);
          const form = await gateway.readChargeForm(payment, { token, paymentMethods: 'card', mid: KPAYMENT_SANDBOX_MID });
          const started = await gateway.chargeFromForm(payment, form);
          if (started.authorizeUri) await threeDSecure(started.authorizeUri, '123456');
          return recordStart(payment, started);
        }
        case 'thai_qr':
        case 'wechat_pay':
          // The QR simulator's Pay / Fail on the order's QR (the popup opens it first).
          if (decision === 'paid') sandbox.kpayment.payQr(secretKey, payment.sourceId!, payment.method === 'wechat_pay' ? 'wechat' : 'kplus');
          else sandbox.kpayment.failQr(secretKey, payment.sourceId!);
          return payment;
        case 'alipay':
          sandbox.kpayment.completeAlipay(secretKey, payment.chargeId!, decision === 'paid' ? 'pay' : 'fail');
          return payment;
        case 'unionpay':
          sandbox.kpayment.completeUnionpay(secretKey, payment.chargeId!, { ...UNIONPAY, pin: decision === 'paid' ? '111111' : '222222' });
          return payment;
        default:
          throw new Error(`no driver for ${payment.method}`);
      }
    },
    async genuineWebhook(payment) {
      await sandbox.kpayment.flushNotifications();
      const { rawBody, headers } = await inbox.waitFor((w) => w.path === path && notifyOf(w)?.id === payment.chargeId);
      return { rawBody, headers };
    },
    async forgedWebhooks(payment) {
      const fields = paidNotify(payment);
      const withChecksum = (checksum?: string) => ({
        rawBody: Buffer.from(JSON.stringify({ ...fields, ...(checksum === undefined ? {} : { checksum }) })),
        headers: { 'content-type': 'application/json' },
      });
      const keyless = createHash('sha256').update(`${fields.id}${Number(fields.amount).toFixed(4)}${fields.currency}${fields.status}${fields.transaction_state}`).digest('hex');
      return [
        withChecksum(kpaymentChecksum(fields, `skey_test_${randomBytes(6).toString('hex')}`)), // another merchant's key
        withChecksum(), // no checksum
        withChecksum(keyless), // the checksum's formula without the secret key
        withChecksum('0'.repeat(64)),
        withChecksum(kpaymentChecksum({ ...fields, amount: '0.01' }, keys.secretKey)), // the right key, for another amount
        withChecksum(kpaymentChecksum({ ...fields, status: 'fail', transaction_state: 'Declined' }, keys.secretKey)), // the right key, for a decline
      ];
    },
  };

  return {
    gateway,
    secrets: [keys.secretKey],
    payment: (method) => storedPayment(method),
    unknownChargeId: () => `chrg_test_${randomBytes(12).toString('hex')}`,
    gatewayAt: (apiUrl, timeoutMs) => gatewayFor(keys, apiUrl, timeoutMs),
    driver,
  };
});
