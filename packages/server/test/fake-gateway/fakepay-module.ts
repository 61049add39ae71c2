import express from 'express';
import { z } from 'zod';
import { CheckoutConfigError, describeZodIssue } from '../../src/common/config-error.ts';
import { rawWebhookBody } from '../../src/gateways/definition.ts';
import type { GatewayContext, GatewayModule, GatewayPlugin } from '../../src/gateways/module.ts';
import { FakePayClient } from './fakepay-client.ts';
import { FakePayGateway } from './fakepay-gateway.ts';

/** The options a host writes: `fakepay({ apiUrl, secretKey })`. */
export const FakePayOptions = z.strictObject({
  /** The emulator's address (FakePay exists nowhere else). */
  apiUrl: z.url({ protocol: /^https?$/ }),
  secretKey: z.string().min(16),
  timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
});
export type FakePayOptions = z.input<typeof FakePayOptions>;

/** FakePay's settings as the host may see them: no secret key. */
export type FakePaySettings = Omit<z.output<typeof FakePayOptions>, 'secretKey'>;
export type FakePayModule = GatewayModule<FakePayClient, FakePaySettings>;

/** Where FakePay's webhooks come to; registered with the emulator when the module starts. */
const WEBHOOK_PATH = '/webhooks/fakepay';

/**
 * FakePay as a gateway module: `createCheckout({ gateways: [fakepay({ apiUrl, secretKey })] })`. Throws
 * CheckoutConfigError (paths under `fakepay`) on bad options, at once, as the built-in factories do.
 */
export function fakepay(input: FakePayOptions): GatewayPlugin<FakePayModule> {
  const parsed = FakePayOptions.safeParse(input);
  if (!parsed.success) throw new CheckoutConfigError(parsed.error.issues.map((issue) => describeZodIssue(issue, 'fakepay')));
  const options = parsed.data;

  return {
    id: 'fakepay',
    create(context: GatewayContext): FakePayModule {
      const { logger } = context;
      let webhookSecret: string | null = null;
      const client = new FakePayClient({ apiUrl: options.apiUrl, secretKey: options.secretKey, timeoutMs: options.timeoutMs });
      const gateway = new FakePayGateway({ client, webhookSecret: () => webhookSecret });
      const webhookUrl = `${context.publicBaseUrl}${WEBHOOK_PATH}`;

      // The emulator answers the signing secret when the URL is registered: until then webhooks are refused.
      const ready = client.registerWebhook(webhookUrl).then((endpoint) => {
        webhookSecret = endpoint.secret;
        logger.info('registered the webhook URL with FakePay', { webhookUrl, apiUrl: options.apiUrl });
      });
      ready.catch((err: unknown) => logger.error('FakePay webhook registration failed; webhooks will be refused', { error: err }));

      const { secretKey: _secret, ...settings } = options;
      return {
        id: 'fakepay',
        gateway,
        client,
        settings,
        summary: { apiUrl: options.apiUrl, sandbox: true },
        // Read at each log line: the webhook secret is learnt from the emulator after start-up.
        get secrets() {
          return [options.secretKey, ...(webhookSecret ? [webhookSecret] : [])];
        },
        sandbox: true,
        ready,
        browserPaths: [],
        routes(inbox) {
          const router = express.Router();
          router.post(WEBHOOK_PATH, ...rawWebhookBody('FakePay webhook', '64kb', logger), async (req, res) => {
            res.json(await inbox.handleWebhook('fakepay', { rawBody: req.body as Buffer, headers: req.headers }));
          });
          return router;
        },
      };
    },
  };
}
