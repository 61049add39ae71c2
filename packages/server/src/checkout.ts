import type { Router } from 'express';
import { OpnClient } from './gateways/opn/opn-client.ts';
import { OpnGateway } from './gateways/opn/opn-gateway.ts';
import { registerSandboxWebhook } from './gateways/opn/sandbox-registration.ts';
import type { PaymentGateway } from './gateways/gateway.ts';
import { KpaymentCards } from './gateways/kpayment/kpayment-cards.ts';
import { KpaymentClient } from './gateways/kpayment/kpayment-client.ts';
import { KpaymentGateway } from './gateways/kpayment/kpayment-gateway.ts';
import { KpaymentRegistrations } from './gateways/kpayment/kpayment-registrations.ts';
import { kpaymentRoutes } from './gateways/kpayment/kpayment-routes.ts';
import { registerKpaymentSandbox } from './gateways/kpayment/sandbox-registration.ts';
import { checkoutRoutes } from './http/routes.ts';
import { type Logger, consoleLogger, redactingLogger } from './logger.ts';
import { type CheckoutOptions, type ResolvedKpaymentOptions, type ResolvedOpnOptions, isPostgresUrl, parseCheckoutOptions } from './options.ts';
import { CheckoutService, type ReconcileReport } from './services/checkout-service.ts';
import { PostgresStore } from './store/postgres-store.ts';
import { SqliteStore } from './store/sqlite-store.ts';
import { type PaymentStore, isCardStore } from './store/store.ts';

/** What `createCheckout` gives the host besides the routes. */
export interface Checkout {
  /**
   * Settles when the companion is ready for webhooks: against the sandbox, once its webhook URL is registered
   * there (rejects if that failed; the companion logs it too). Resolves at once otherwise.
   */
  readonly ready: Promise<void>;
  readonly store: PaymentStore;
  readonly service: CheckoutService;
  /** The Opn client (refunds, charges), when Opn is configured. */
  readonly opn: OpnClient | null;
  /** The K-Payment client (void, settle, refund, customers), when K-Payment is configured. */
  readonly kpayment: KpaymentClient | null;
  /** The settings in use, without the secret keys or webhook secret; null for a gateway not configured. */
  readonly settings: {
    opn: (Omit<ResolvedOpnOptions, 'secretKey' | 'webhookSecret'> & { webhookSigned: boolean }) | null;
    kpayment: Omit<ResolvedKpaymentOptions, 'secretKey' | 'registrationResultUrl'> | null;
    publicBaseUrl: string;
  };
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
  const { opn, kpayment } = options;
  const logger: Logger = redactingLogger(options.logger ?? consoleLogger, [opn?.secretKey ?? null, opn?.webhookSecret ?? null, kpayment?.secretKey ?? null]);
  const ownsStore = typeof options.store === 'string';
  const store: PaymentStore = typeof options.store === 'string' ? openStore(options.store, logger) : options.store;

  // Opn (K PLUS, KMA, KakaoPay), when configured.
  let opnClient: OpnClient | null = null;
  let opnGateway: OpnGateway | null = null;
  let opnReady: Promise<void> = Promise.resolve();
  if (opn) {
    let webhookSecret = opn.webhookSecret;
    opnClient = new OpnClient({ secretKey: opn.secretKey, publicKey: opn.publicKey, apiUrl: opn.apiUrl, vaultUrl: opn.vaultUrl, timeoutMs: opn.timeoutMs });
    opnGateway = new OpnGateway({ client: opnClient, webhookSecret: () => webhookSecret, signatureToleranceSeconds: options.webhookToleranceSeconds, now: options.now });
    const webhookUrl = `${options.publicBaseUrl}/webhooks/opn`;
    if (opn.sandbox) {
      opnReady = registerSandboxWebhook({ apiUrl: opn.apiUrl, secretKey: opn.secretKey, webhookUrl }).then((secret) => {
        webhookSecret = secret;
        logger.info('registered the webhook URL with the sandbox', { webhookUrl, sandbox: opn.apiUrl });
      });
      opnReady.catch((err: unknown) => logger.error('sandbox webhook registration failed; webhooks will not arrive', { error: err }));
    } else if (!webhookSecret) {
      logger.warn('no Opn webhook secret configured: webhooks are accepted unsigned (each still triggers a re-fetch of the charge)');
    }
  }

  // K-Payment (cards, QR, Alipay, UnionPay), when configured.
  let kpaymentClient: KpaymentClient | null = null;
  let kpaymentGateway: KpaymentGateway | null = null;
  let kpaymentReady: Promise<void> = Promise.resolve();
  let registrations: KpaymentRegistrations | null = null;
  const cardStore = isCardStore(store) ? store : null;
  if (kpayment) {
    kpaymentClient = new KpaymentClient({ secretKey: kpayment.secretKey, apiUrl: kpayment.apiUrl, timeoutMs: kpayment.timeoutMs });
    const cards = new KpaymentCards({ client: kpaymentClient, store: cardStore, resolveCustomer: options.resolveCustomer, logger, now: options.now });
    const settings = { publicKey: kpayment.publicKey, mid: kpayment.mid, dccMid: kpayment.dccMid, merchantName: kpayment.merchantName, smartpay: kpayment.smartpay, scriptUrl: kpayment.scriptUrl };
    kpaymentGateway = new KpaymentGateway({
      client: kpaymentClient,
      cards,
      settings,
      secretKey: kpayment.secretKey,
      publicBaseUrl: options.publicBaseUrl,
      qrExpireSeconds: kpayment.qrExpireSeconds,
      now: options.now,
    });
    registrations = new KpaymentRegistrations({
      client: kpaymentClient,
      cards,
      store: cardStore,
      settings,
      publicBaseUrl: options.publicBaseUrl,
      resultUrl: kpayment.registrationResultUrl,
      logger,
      now: options.now,
    });
    if (kpayment.sandbox) {
      const callbackUrl = `${options.publicBaseUrl}/checkout/kpayment/callback`;
      const notifyUrl = `${options.publicBaseUrl}/webhooks/kpayment`;
      kpaymentReady = registerKpaymentSandbox({ apiUrl: kpayment.apiUrl, secretKey: kpayment.secretKey, callbackUrl, notifyUrl, mid: kpayment.mid, dccMid: kpayment.dccMid, smartpay: kpayment.smartpay }).then(
        () => logger.info('registered the K-Payment callback and notify URLs with the sandbox', { callbackUrl, notifyUrl, sandbox: kpayment.apiUrl }),
      );
      kpaymentReady.catch((err: unknown) => logger.error('K-Payment sandbox registration failed; callbacks and notifies will not arrive', { error: err }));
    }
    if (options.resolveCustomer && !cardStore) logger.warn('the store keeps no customers (not a CardStore): cards will not be remembered');
  }
  const ready: Promise<void> = Promise.all([opnReady, kpaymentReady]).then(() => undefined);
  // Logged above; a host that never awaits `ready` must not see an unhandled rejection end its process.
  ready.catch(() => undefined);

  const service = new CheckoutService({
    store,
    gateways: { ...(opnGateway ? { opn: opnGateway as PaymentGateway } : {}), ...(kpaymentGateway ? { kpayment: kpaymentGateway as PaymentGateway } : {}) },
    resolveOrder: options.resolveOrder,
    hooks: options.hooks,
    logger,
    now: options.now,
    publicBaseUrl: options.publicBaseUrl,
    resultUrl: options.resultUrl,
    methods: options.methods,
    opnBrowser: opn ? { publicKey: opn.publicKey, scriptUrl: opn.scriptUrl } : null,
    sandbox: Boolean(opn?.sandbox || kpayment?.sandbox),
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

  const publicOpn = opn ? (({ secretKey: _s, webhookSecret: _w, ...rest }) => ({ ...rest, webhookSigned: Boolean(opn.webhookSecret) || opn.sandbox }))(opn) : null;
  const publicKpayment = kpayment ? (({ secretKey: _k, registrationResultUrl: _r, ...rest }) => rest)(kpayment) : null;
  const checkout: Checkout = {
    ready,
    store,
    service,
    opn: opnClient,
    kpayment: kpaymentClient,
    settings: { opn: publicOpn, kpayment: publicKpayment, publicBaseUrl: options.publicBaseUrl },
    reconcile: (o) => service.reconcile(o),
    async close() {
      if (timer) clearInterval(timer);
      await ready.catch(() => undefined);
      if (ownsStore) await store.close();
    },
  };
  logger.info('checkout companion configured', {
    publicBaseUrl: options.publicBaseUrl,
    opn: opn ? { apiUrl: opn.apiUrl, publicKey: opn.publicKey, sandbox: opn.sandbox } : null,
    kpayment: kpayment ? { apiUrl: kpayment.apiUrl, publicKey: kpayment.publicKey, mid: kpayment.mid, dccMid: kpayment.dccMid, sandbox: kpayment.sandbox } : null,
    store: typeof options.store === 'string' ? describeStore(options.store) : 'custom',
  });
  const routes = registrations ? [kpaymentRoutes(service, registrations, logger)] : [];
  return Object.assign(checkoutRoutes(service, logger, routes), { checkout });
}

/** The store a `store` string names: a PostgreSQL URL or a SQLite path. */
function openStore(store: string, logger: Logger): PaymentStore {
  if (!isPostgresUrl(store)) return new SqliteStore({ path: store });
  return new PostgresStore({ connectionString: store, onPoolError: (err) => logger.warn('a PostgreSQL connection failed; the next query reconnects', { error: err }) });
}

/** The store for the log, without a password a database URL may carry. */
function describeStore(store: string): string {
  if (!isPostgresUrl(store)) return store;
  const url = new URL(store);
  if (url.password) url.password = '***';
  if (url.searchParams.has('password')) url.searchParams.set('password', '***');
  return url.toString();
}
