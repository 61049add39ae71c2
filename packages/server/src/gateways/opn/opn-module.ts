import express from 'express';
import type { z } from 'zod';
import { originOf } from '../../common/csp.ts';
import type { GatewayContext, GatewayDefinition, GatewayModule, GatewayPlugin } from '../module.ts';
import { factoryOf, rawWebhookBody } from '../definition.ts';
import { OpnClient } from './opn-client.ts';
import { OpnGateway } from './opn-gateway.ts';
import { OpnEnv, OpnOptions, type ResolvedOpnOptions, opnFromEnv, resolveOpn } from './opn-options.ts';
import { registerSandboxWebhook } from './sandbox-registration.ts';

/** Opn's settings as the host may see them: no secret key, no webhook secret. */
export type OpnSettings = Omit<ResolvedOpnOptions, 'secretKey' | 'webhookSecret'> & { webhookSigned: boolean };
export type OpnModule = GatewayModule<OpnClient, OpnSettings>;

/** The path Opn's webhooks come to (registered with the sandbox, set in Opn's dashboard otherwise). */
const WEBHOOK_PATH = '/webhooks/opn';

function opnPlugin(opn: ResolvedOpnOptions): GatewayPlugin<OpnModule> {
  return {
    id: 'opn',
    create(context: GatewayContext): OpnModule {
      const { logger } = context;
      let webhookSecret = opn.webhookSecret;
      const client = new OpnClient({ secretKey: opn.secretKey, publicKey: opn.publicKey, apiUrl: opn.apiUrl, vaultUrl: opn.vaultUrl, timeoutMs: opn.timeoutMs });
      const gateway = new OpnGateway({
        client,
        webhookSecret: () => webhookSecret,
        signatureToleranceSeconds: context.webhookToleranceSeconds,
        now: context.now,
        browser: { publicKey: opn.publicKey, scriptUrl: opn.scriptUrl },
        manualCapture: opn.manualCapture,
      });
      const webhookUrl = `${context.publicBaseUrl}${WEBHOOK_PATH}`;
      let ready: Promise<void> = Promise.resolve();
      if (opn.sandbox) {
        ready = registerSandboxWebhook({ apiUrl: opn.apiUrl, secretKey: opn.secretKey, webhookUrl }).then((secret) => {
          webhookSecret = secret;
          logger.info('registered the webhook URL with the sandbox', { webhookUrl, sandbox: opn.apiUrl });
        });
        ready.catch((err: unknown) => logger.error('sandbox webhook registration failed; webhooks will not arrive', { error: err }));
      } else if (!webhookSecret) {
        logger.warn('no Opn webhook secret configured: webhooks are accepted unsigned (each still triggers a re-fetch of the charge)');
      }
      const { secretKey: _s, webhookSecret: _w, ...rest } = opn;
      return {
        id: 'opn',
        gateway,
        client,
        settings: { ...rest, webhookSigned: Boolean(opn.webhookSecret) || opn.sandbox },
        summary: { apiUrl: opn.apiUrl, publicKey: opn.publicKey, sandbox: opn.sandbox },
        // The webhook secret may come from the sandbox's registration, after start-up.
        get secrets() {
          return [opn.secretKey, ...(webhookSecret ? [webhookSecret] : [])];
        },
        sandbox: opn.sandbox,
        ready,
        browserPaths: [],
        // Omise.js, and its createSource call (a fetch to the API); its card tokens (a frame on the vault) are not used.
        browserSources: { 'script-src': [originOf(opn.scriptUrl)], 'connect-src': [originOf(opn.apiUrl)] },
        routes(inbox) {
          const router = express.Router();
          router.post(WEBHOOK_PATH, ...rawWebhookBody('Opn webhook', '256kb', logger), async (req, res) => {
            res.json(await inbox.handleWebhook('opn', { rawBody: req.body as Buffer, headers: req.headers }));
          });
          return router;
        },
      };
    },
  };
}

/** Opn Payments (K PLUS, KMA, KakaoPay), as `createCheckout` and `loadConfigFromEnv` know it. */
export const OPN: GatewayDefinition<OpnOptions, ResolvedOpnOptions, OpnModule> = {
  id: 'opn',
  name: 'Opn',
  options: OpnOptions,
  resolve: (options, issues) => resolveOpn(options as z.output<typeof OpnOptions>, issues),
  env: { schema: OpnEnv, read: opnFromEnv },
  plugin: opnPlugin,
};

/** Opn Payments as a gateway module: `createCheckout({ gateways: [opn({ publicKey, secretKey })] })`. */
export const opn = factoryOf(OPN);
