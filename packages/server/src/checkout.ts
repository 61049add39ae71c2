import express, { type Router } from 'express';
import { type Logger, consoleLogger, redactingLogger } from './common/logger.ts';
import { type ContentSecurityPolicy, contentSecurityPolicy } from './common/csp.ts';
import { withDeadline } from './common/deadline.ts';
import { BUILTIN_GATEWAYS, type BuiltinGatewayModules } from './gateways/index.ts';
import type { GatewayModule } from './gateways/module.ts';
import { operationsRoutes } from './http/operations-routes.ts';
import { checkoutRoutes } from './http/routes.ts';
import { setupCheck } from './http/setup-check.ts';
import { type CheckoutOptions, isPostgresUrl, parseCheckoutOptions } from './options.ts';
import { CheckoutService, type HookDeliveryReport, type ReconcileReport } from './services/checkout-service.ts';
import { startReconcileTimer } from './services/reconciler.ts';
import { PostgresStore } from './store/postgres-store.ts';
import { SqliteStore } from './store/sqlite-store.ts';
import { type PaymentStore } from './store/store.ts';
import { type PaymentMethodId, getMethod } from '@payment-checkout/core';
import { CheckoutConfigError, type ConfigIssue } from './common/config-error.ts';
import { isCardStore } from './store/card-store.ts';

/** The configured gateway modules by id; the built-in ones typed (`checkout.gateways.kpayment?.client`). */
export type CheckoutGateways = Partial<BuiltinGatewayModules> & Readonly<Record<string, GatewayModule>>;

/** What `createCheckout` gives the host besides the routes. */
export interface Checkout {
  /**
   * Settles when the companion is ready for webhooks: against the sandbox, once every gateway registered its
   * URLs there (rejects if that failed; the companion logs it too). Resolves at once otherwise.
   */
  readonly ready: Promise<void>;
  readonly store: PaymentStore;
  readonly service: CheckoutService;
  /** Each configured gateway's module: its API client (refunds, customers…), its settings without secrets. */
  readonly gateways: CheckoutGateways;
  readonly publicBaseUrl: string;
  /**
   * Asks the gateways about up to `limit` (default 100) live payments older than `olderThanMs` (default the
   * `reconcileOlderThanMs` option, 10 minutes) whose next check is due; the background reconciler runs the same.
   */
  reconcile(options?: { olderThanMs?: number; limit?: number }): Promise<ReconcileReport>;
  /**
   * Delivers up to `limit` (default 100) due hook calls from the outbox (retries, and calls a stopped process
   * left); the background delivery (`hookDelivery.pollEveryMs`) runs the same.
   */
  deliverHooks(options?: { limit?: number }): Promise<HookDeliveryReport>;
  /**
   * The Content-Security-Policy the checkout page needs for the configured gateways (their hosts, or the sandbox's
   * origin against it) and the companion: `res.set('content-security-policy', checkout.contentSecurityPolicy().header)`.
   */
  contentSecurityPolicy(): ContentSecurityPolicy;
  /** Stops the reconciler and hook delivery timers (waiting for runs in progress) and closes the store if the companion opened it. */
  close(): Promise<void>;
}

export type CheckoutRouter = Router & { checkout: Checkout };

/**
 * The companion: an Express router serving `/checkout/...` and each gateway module's own browser and webhook
 * routes (mount it at `/`, before any global `express.json()`), plus `router.checkout` for the host. Throws
 * CheckoutConfigError on bad options.
 */
export function createCheckout(input: CheckoutOptions): CheckoutRouter {
  const options = parseCheckoutOptions(input);
  const baseLogger = options.logger ?? consoleLogger;
  // Modules are built with a logger that hides every module's secrets, asked at each line (some are learnt later),
  // and the operations tokens.
  let modules: GatewayModule[] = [];
  const operationsTokens = options.operations?.tokens ?? [];
  const logger: Logger = redactingLogger(baseLogger, () => [...modules.flatMap((m) => m.secrets), ...operationsTokens.map((t) => t.token)]);
  const ownsStore = typeof options.store === 'string';
  const store: PaymentStore = typeof options.store === 'string' ? openStore(options.store, logger) : options.store;

  const context = {
    publicBaseUrl: options.publicBaseUrl,
    logger,
    now: options.now,
    store,
    cardStore: isCardStore(store) ? store : null,
    // The merchant's shopper lookup, bounded as its order lookup is: a hung one fails the request, it does not hold it.
    resolveCustomer: options.resolveCustomer && withDeadline(options.resolveCustomer, options.orderLookupTimeoutMs, 'resolveCustomer'),
    webhookToleranceSeconds: options.webhookToleranceSeconds,
  };
  modules = options.gateways.map((plugin) => plugin.create(context));
  const gateways = Object.fromEntries(modules.map((m) => [m.id, m])) as CheckoutGateways;
  const unoffered = unofferedMethods(options.methods, modules);
  if (unoffered.length > 0) {
    if (ownsStore) void store.close().catch(() => undefined);
    throw new CheckoutConfigError(unoffered);
  }

  const ready: Promise<void> = Promise.all(modules.map((m) => m.ready)).then(() => undefined);
  // Logged by each module; a host that never awaits `ready` must not see an unhandled rejection end its process.
  ready.catch(() => undefined);

  const service = new CheckoutService({
    store,
    gateways: Object.fromEntries(modules.map((m) => [m.id, m.gateway])),
    resolveOrder: options.resolveOrder,
    hooks: options.hooks,
    logger,
    now: options.now,
    publicBaseUrl: options.publicBaseUrl,
    resultUrl: options.resultUrl,
    methods: options.methods,
    sandbox: modules.some((m) => m.sandbox),
    refreshIntervalMs: options.refreshIntervalMs,
    returnWaitMs: options.returnWaitMs,
    returnRetryMs: options.returnRetryMs,
    beforeWebhook: () => ready.catch(() => undefined),
    hookDelivery: options.hookDelivery,
    reverseDuplicatePayments: options.reverseDuplicatePayments,
    orderLookupTimeoutMs: options.orderLookupTimeoutMs,
    reconcileOlderThanMs: options.reconcileOlderThanMs,
  });

  const reconcile = (o: { olderThanMs?: number; limit?: number } = {}) => service.reconcile({ olderThanMs: o.olderThanMs ?? options.reconcileOlderThanMs, limit: o.limit });
  const timer = options.reconcileEveryMs === false ? null : startReconcileTimer(() => reconcile(), options.reconcileEveryMs, logger);
  // Hook calls due (retries) or left by a stopped process: looked for now, then every hookDelivery.pollEveryMs.
  service.hookDelivery.start();

  const checkout: Checkout = {
    ready,
    store,
    service,
    gateways,
    publicBaseUrl: options.publicBaseUrl,
    reconcile,
    deliverHooks: (o = {}) => service.deliverHooks(o),
    contentSecurityPolicy: () => contentSecurityPolicy({ publicBaseUrl: options.publicBaseUrl, gateways: modules }),
    async close() {
      await timer?.stop();
      await service.hookDelivery.stop();
      await ready.catch(() => undefined);
      await Promise.all(modules.map((m) => m.close?.()));
      if (ownsStore) await store.close();
    },
  };
  logger.info('checkout companion configured', {
    publicBaseUrl: options.publicBaseUrl,
    ...Object.fromEntries(modules.map((m) => [m.id, m.summary])),
    store: typeof options.store === 'string' ? describeStore(options.store) : 'custom',
  });
  const routes = express.Router();
  routes.use(setupCheck(options.publicBaseUrl, logger));
  // The merchant's operations API beside the shopper's routes, with its own router, authentication and errors.
  const operationsPath = options.operations?.basePath ?? '/operations';
  if (operationsTokens.length > 0) {
    routes.use(operationsPath, operationsRoutes(service.operations, operationsTokens, logger));
    logger.info('operations API on', { path: operationsPath, tokens: operationsTokens.map((t) => t.name) });
  } else {
    logger.info('operations API off: no operations tokens configured (operations.tokens)');
  }
  routes.use(
    checkoutRoutes(service, logger, {
      routes: modules.map((m) => m.routes(service)),
      browserPaths: modules.flatMap((m) => m.browserPaths),
      notConfigured: Object.keys(BUILTIN_GATEWAYS).filter((id) => !(id in gateways)),
    }),
  );
  return Object.assign(routes, { checkout });
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

/** Methods the merchant listed that no configured gateway offers: a shopper would see none of them. */
function unofferedMethods(methods: readonly PaymentMethodId[] | undefined, modules: readonly GatewayModule[]): ConfigIssue[] {
  const configured = modules.map((m) => m.id).join(', ');
  return (methods ?? [])
    .filter((id) => !modules.some((m) => m.gateway.methods.some((method) => method.id === id)))
    .map((id) => ({ path: 'methods', message: `${id} is a ${getMethod(id).gateway} method, and only ${configured} is configured: configure ${getMethod(id).gateway}, or leave ${id} out` }));
}
