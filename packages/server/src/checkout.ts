import type { Router } from 'express';
import { OpnClient } from './gateways/opn/opn-client.ts';
import { OpnGateway } from './gateways/opn/opn-gateway.ts';
import { registerSandboxWebhook } from './gateways/opn/sandbox-registration.ts';
import { checkoutRoutes } from './http/routes.ts';
import { type Logger, consoleLogger, redactingLogger } from './logger.ts';
import { type CheckoutOptions, type ResolvedOpnOptions, parseCheckoutOptions } from './options.ts';
import { CheckoutService, type ReconcileReport } from './services/checkout-service.ts';
import { SqliteStore } from './store/sqlite-store.ts';
import type { PaymentStore } from './store/store.ts';

/** What `createCheckout` gives the host besides the routes. */
export interface Checkout {
  /**
   * Settles when the companion is ready for webhooks: against the sandbox, once its webhook URL is registered
   * there (rejects if that failed; the companion logs it too). Resolves at once otherwise.
   */
  readonly ready: Promise<void>;
  readonly store: PaymentStore;
  readonly service: CheckoutService;
  readonly opn: OpnClient;
  /** The Opn settings in use, without the secret key or webhook secret. */
  readonly settings: { opn: Omit<ResolvedOpnOptions, 'secretKey' | 'webhookSecret'> & { webhookSigned: boolean }; publicBaseUrl: string };
  /** Asks the gateway about payments still pending after `olderThanMs` (default 10 minutes). */
  reconcile(options?: { olderThanMs?: number; limit?: number }): Promise<ReconcileReport>;
  /** Stops the reconciler timer and closes the store if the companion opened it. */
  close(): Promise<void>;
}

export type CheckoutRouter = Router & { checkout: Checkout };

/**
 * The companion: an Express router serving `/checkout/...` and `/webhooks/opn` (mount it at `/`, before any
 * global `express.json()`), plus `router.checkout` for the host. Throws CheckoutConfigError on bad options.
 */
export function createCheckout(input: CheckoutOptions): CheckoutRouter {
  const options = parseCheckoutOptions(input);
  const { opn } = options;
  const logger: Logger = redactingLogger(options.logger ?? consoleLogger, [opn.secretKey, opn.webhookSecret]);
  const ownsStore = typeof options.store === 'string';
  const store: PaymentStore = typeof options.store === 'string' ? new SqliteStore({ path: options.store }) : options.store;

  let webhookSecret = opn.webhookSecret;
  const client = new OpnClient({ secretKey: opn.secretKey, publicKey: opn.publicKey, apiUrl: opn.apiUrl, vaultUrl: opn.vaultUrl, timeoutMs: opn.timeoutMs });
  const gateway = new OpnGateway({ client, webhookSecret: () => webhookSecret, signatureToleranceSeconds: options.webhookToleranceSeconds, now: options.now });
  const webhookUrl = `${options.publicBaseUrl}/webhooks/opn`;

  const ready: Promise<void> = opn.sandbox
    ? registerSandboxWebhook({ apiUrl: opn.apiUrl, secretKey: opn.secretKey, webhookUrl }).then((secret) => {
        webhookSecret = secret;
        logger.info('registered the webhook URL with the sandbox', { webhookUrl, sandbox: opn.apiUrl });
      })
    : Promise.resolve();
  ready.catch((err: unknown) => logger.error('sandbox webhook registration failed; webhooks will not arrive', { error: err }));
  if (!opn.sandbox && !webhookSecret) {
    logger.warn('no Opn webhook secret configured: webhooks are accepted unsigned (each still triggers a re-fetch of the charge)');
  }

  const service = new CheckoutService({
    store,
    gateways: { opn: gateway },
    resolveOrder: options.resolveOrder,
    hooks: options.hooks,
    logger,
    now: options.now,
    publicBaseUrl: options.publicBaseUrl,
    resultUrl: options.resultUrl,
    methods: options.methods,
    opnBrowser: { publicKey: opn.publicKey, scriptUrl: opn.scriptUrl, sandbox: opn.sandbox },
    refreshIntervalMs: options.refreshIntervalMs,
    returnWaitMs: options.returnWaitMs,
    returnRetryMs: options.returnRetryMs,
    beforeWebhook: () => ready.catch(() => undefined),
  });

  const timer = options.reconcileEveryMs
    ? setInterval(() => {
        service.reconcile().catch((err: unknown) => logger.error('reconciler failed', { error: err }));
      }, options.reconcileEveryMs)
    : null;
  timer?.unref();

  const { secretKey: _secret, webhookSecret: _webhookSecret, ...publicOpn } = opn;
  const checkout: Checkout = {
    ready,
    store,
    service,
    opn: client,
    settings: { opn: { ...publicOpn, webhookSigned: Boolean(opn.webhookSecret) || opn.sandbox }, publicBaseUrl: options.publicBaseUrl },
    reconcile: (o) => service.reconcile(o),
    async close() {
      if (timer) clearInterval(timer);
      await ready.catch(() => undefined);
      if (ownsStore) await store.close();
    },
  };
  logger.info('checkout companion configured', {
    publicBaseUrl: options.publicBaseUrl,
    opn: { apiUrl: opn.apiUrl, publicKey: opn.publicKey, sandbox: opn.sandbox },
    store: ownsStore ? options.store : 'custom',
  });
  return Object.assign(checkoutRoutes(service, logger), { checkout });
}
