import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';
import { AsyncLocalStorage } from 'node:async_hooks';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createSandbox } from '@payment-checkout/sandbox';
import { type CheckoutOptions, type CheckoutRouter, type KpaymentOptions, PostgresStore, RECEIVE_TIMEOUT_MS, SANDBOX_TEST_KEYS, SqliteStore, closeHttpServer, createCheckout } from '@payment-checkout/server';
import { DEFAULT_MERCHANT_SETTINGS, type MerchantSettings, MerchantSettingsPatch, companionOptionsDiffer, sandboxKpaymentOptions } from './merchant-settings.ts';
import { DEMO_OPERATOR, newOperationsToken, operationsProxy } from './operations-proxy.ts';
import { SHOP_CURRENCIES, readOrderRequest } from './order-request.ts';
import { OrderBook, PRODUCTS } from './orders.ts';
import { listenOrExplain } from './port-in-use.ts';
import { SESSION_COOKIE, type Shopper, ShopperBook, SignIn, readCookie } from './shoppers.ts';
import { serveWeb } from './web-server.ts';

export interface DemoOptions {
  /** Storefront port (the companion is mounted on the same server). 0 picks a free one. */
  port?: number;
  /** Sandbox port; ignored when real keys are given for both gateways. */
  sandboxPort?: number;
  /** The companion's store: a SQLite file, ':memory:', or a PostgreSQL URL (`postgres://…`). */
  db?: string;
  /** Real gateway keys; without them everything runs against the embedded sandbox. */
  opn?: { publicKey: string; secretKey: string; webhookSecret?: string };
  /** Real K-Payment keys (cards); without them cards run against the embedded sandbox. */
  kpayment?: { publicKey: string; secretKey: string; mid: string; dccMid?: string };
  /** Merchant settings at start-up (3-D Secure, SmartPay, DCC, KakaoPay's manual capture); the merchant page changes them. */
  settings?: Partial<MerchantSettings>;
  /** Serve the pages through Vite's dev server (`npm run dev`) instead of a production build (`npm start`). */
  dev?: boolean;
  /**
   * More operations tokens, for the `payments` command line and scripts (`CHECKOUT_OPERATIONS_TOKENS` in `npm start`):
   * the merchant page's own token is made for each run and never shown.
   */
  operationsTokens?: { name: string; token: string }[];
}

export interface Demo {
  url: string;
  sandboxUrl: string | null;
  orders: OrderBook;
  shoppers: ShopperBook;
  /** The companion in use (a new one after the SmartPay, DCC or manual capture setting changes). */
  readonly checkout: CheckoutRouter;
  /** The shop's HTTP server (the companion is mounted on it). */
  server: Server;
  close(): Promise<void>;
}


/** Where the companion mounts its operations API (behind the demo's token; the page uses /api/merchant/operations). */
const OPERATIONS_PATH = '/operations';

function sessionOf(req: Request): string | null {
  return readCookie(req.headers.cookie, SESSION_COOKIE);
}

function publicShopper(shopper: Shopper | null) {
  return shopper ? { email: shopper.email, name: shopper.name } : null;
}

/** The storefront API's one error handler: the shopper's bad input is a 4xx JSON answer, never an HTML stack trace. */
const apiErrorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const { status, type } = err as { status?: unknown; type?: unknown };
  if (type === 'entity.parse.failed') {
    res.status(400).json({ error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } });
  } else if (typeof status === 'number' && status >= 400 && status < 500) {
    res.status(status).json({ error: { code: 'bad_request', message: 'The request could not be read.' } });
  } else {
    console.error('[demo] unexpected error', err);
    res.status(500).json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
  }
};

/** Builds and starts the demo: sandbox (unless keys are given), storefront, companion and the element via Vite. */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const host = '127.0.0.1';
  const sandbox = options.opn && options.kpayment ? null : createSandbox();
  const sandboxPort = options.sandboxPort ?? 0;
  const shopPort = options.port ?? 0;
  // A taken port stops the start with the server it was for (main.ts names the flag); a sandbox started is stopped.
  const stopSandbox = async (err: unknown): Promise<never> => {
    await sandbox?.close();
    throw err;
  };
  const sandboxServer = sandbox ? await listenOrExplain('sandbox', sandboxPort, () => sandbox.listen(sandboxPort, host)).catch(stopSandbox) : null;

  const app = express();
  const server = app.listen(shopPort, host);
  server.requestTimeout = RECEIVE_TIMEOUT_MS; // a request trickled a byte at a time is cut after 30 s, not 5 minutes
  server.headersTimeout = Math.min(server.headersTimeout, RECEIVE_TIMEOUT_MS);
  await listenOrExplain('shop', shopPort, () => once(server, 'listening')).catch(stopSandbox);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${host}:${port}`;
  app.disable('x-powered-by');
  // Each request runs with its shopper's session, for the companion's calls it makes (resolveCustomer).
  const shopperRequest = new AsyncLocalStorage<string | null>();
  app.use((req, _res, next) => shopperRequest.run(sessionOf(req), next));
  // Only under its own names: a page of another name that resolves here (DNS rebinding) reaches neither the shop nor
  // the merchant's operations; and no other site frames its pages (the companion's own frames are this origin's).
  const ownHosts = new Set([`${host}:${port}`, `localhost:${port}`]);
  app.use((req, res, next) => {
    if (!ownHosts.has(req.headers.host ?? '')) {
      res.status(421).type('text').send(`This demo answers only at ${url}.`);
      return;
    }
    res.set({ 'x-frame-options': 'SAMEORIGIN', 'content-security-policy': "frame-ancestors 'self'", 'x-content-type-options': 'nosniff' });
    next();
  });

  const orders = new OrderBook();
  const shoppers = new ShopperBook();
  // One store for every companion the demo builds: payments and saved cards outlive a settings change.
  const db = options.db ?? 'payment-checkout.db';
  const store = /^postgres(ql)?:\/\//i.test(db) ? new PostgresStore({ connectionString: db }) : new SqliteStore({ path: db });
  let settings: MerchantSettings = { ...DEFAULT_MERCHANT_SETTINGS, ...options.settings };
  const kpaymentSecretKey = options.kpayment?.secretKey ?? SANDBOX_TEST_KEYS.secretKey;
  // The merchant page's operations token: made for this run, held by this process only (operations-proxy.ts).
  const operationsToken = newOperationsToken();

  const kpaymentOptions = (current: MerchantSettings): KpaymentOptions =>
    options.kpayment
      ? { ...options.kpayment, registrationResultUrl: `${url}/account.html?registration={registrationId}&status={status}` }
      : sandboxKpaymentOptions(current, sandboxServer!.url, `${url}/account.html?registration={registrationId}&status={status}`);

  const companionOptions = (current: MerchantSettings): CheckoutOptions => ({
    resolveOrder: async (orderId) => {
      const order = orders.get(orderId);
      return order ? { amount: order.amount, currency: order.currency } : null;
    },
    // The shopper is whoever was signed in when the order (or the card registration) was made: the shop's server
    // says so from its own records, the browser has no say.
    resolveCustomer: (orderId, purpose) => {
      const shopper = shoppers.get(orders.get(orderId)?.shopperId ?? null) ?? shoppers.shopperOfRegistration(orderId);
      // Saved cards are shown only in the shopper's own browser: the request asking is this shopper's session (another
      // shopper on the same computer, or a link to the order, gets none). A card is saved for the order's shopper.
      if (purpose === 'show' && shopper && shoppers.ofSession(shopperRequest.getStore() ?? null)?.id !== shopper.id) return null;
      return shopper ? { id: shopper.id, email: shopper.email, name: shopper.name } : null;
    },
    publicBaseUrl: url,
    resultUrl: (payment) => `${url}/result.html?paymentId=${encodeURIComponent(payment.id)}`,
    opn: {
      ...(options.opn
        ? { publicKey: options.opn.publicKey, secretKey: options.opn.secretKey, webhookSecret: options.opn.webhookSecret }
        : { ...SANDBOX_TEST_KEYS, apiUrl: sandboxServer!.url, vaultUrl: sandboxServer!.url, sandbox: true }),
      manualCapture: current.kakaopayManualCapture,
    },
    kpayment: kpaymentOptions(current),
    store,
    operations: { tokens: [{ name: DEMO_OPERATOR, token: operationsToken }, ...(options.operationsTokens ?? [])], basePath: OPERATIONS_PATH },
    hooks: {
      onPaid: (payment) => orders.markPaid(payment.orderId, payment.id),
      onFailed: (payment) => orders.markFailed(payment.orderId, payment.id, payment.status, payment.failureCode),
      onNeedsRefund: (payment) => orders.markNeedsRefund(payment.orderId, payment.id, payment.status),
    },
  });

  let checkout = createCheckout(companionOptions(settings));
  // Requests go to the companion of the moment: a settings change swaps it between two requests.
  const companion: RequestHandler = (req, res, next) => checkout(req, res, next);

  // Settings changes run one at a time.
  let settingsQueue: Promise<unknown> = Promise.resolve();
  // A new companion shares the store, and payments are read from it at each request: a KakaoPay payment authorised
  // before manual capture is switched off is still captured or reversed (the rules follow the method and status).
  const changeSettings = (patch: MerchantSettingsPatch): Promise<MerchantSettings> => {
    const change = settingsQueue.then(async () => {
      const next = { ...settings, ...patch };
      if (patch.threeDSecure !== undefined) sandbox!.kpayment.setSettings(kpaymentSecretKey, { threeDSecure: patch.threeDSecure });
      if (companionOptionsDiffer(settings, next)) {
        const replacement = createCheckout(companionOptions(next));
        try {
          await replacement.checkout.ready;
        } catch (err) {
          await replacement.checkout.close();
          throw err;
        }
        const previous = checkout;
        checkout = replacement;
        await previous.checkout.close();
      }
      settings = next;
      return currentSettings();
    });
    settingsQueue = change.catch(() => undefined);
    return change;
  };
  // 3-D Secure lives at the sandbox (the merchant's portal setting): read it from there.
  const currentSettings = (): MerchantSettings => ({ ...settings, threeDSecure: sandbox!.kpayment.settings(kpaymentSecretKey).threeDSecure });

  const cardsSandboxed = !options.kpayment;
  if (cardsSandboxed && options.settings?.threeDSecure !== undefined) {
    await checkout.checkout.ready;
    await changeSettings({ threeDSecure: options.settings.threeDSecure });
  }

  const requireShopper = (req: Request, res: Response): Shopper | null => {
    const shopper = shoppers.ofSession(sessionOf(req));
    if (!shopper) res.status(401).json({ error: { code: 'unauthorized', message: 'Sign in first.' } });
    return shopper;
  };

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/api/products', (_req, res) => {
    res.json({ products: PRODUCTS, currencies: SHOP_CURRENCIES, sandbox: sandbox !== null });
  });

  // The signed-in shopper (a demo account: an e-mail and a name, no password).
  app.get('/api/session', (req, res) => {
    res.json({ shopper: publicShopper(shoppers.ofSession(sessionOf(req))) });
  });
  app.post('/api/session', express.json({ limit: '4kb' }), (req, res) => {
    const body = SignIn.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: { code: 'bad_request', message: 'Send {"email": "…", "name": "…"} as JSON.', issues: body.error.issues } });
      return;
    }
    shoppers.signOut(sessionOf(req));
    const { sessionId, shopper } = shoppers.signIn(body.data);
    res.cookie(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'lax', path: '/' });
    res.json({ shopper: publicShopper(shopper) });
  });
  app.delete('/api/session', (req, res) => {
    shoppers.signOut(sessionOf(req));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  // The shopper's saved cards, as K-Payment keeps them for the shopper's customer.
  app.get('/api/account/cards', async (req, res) => {
    const shopper = requireShopper(req, res);
    if (!shopper) return;
    const mapping = await store.getShopperCustomer('kpayment', shopper.id);
    const client = checkout.checkout.gateways.kpayment?.client;
    if (!mapping || !client) {
      res.json({ cards: [] });
      return;
    }
    const customer = await client.retrieveCustomer(mapping.customerId);
    res.json({ cards: customer.cards.map((c) => ({ id: c.id, brand: c.brand, masked: c.masked, expiry: c.expired })) });
  });
  // Saving a card before buying: a reference the companion's resolveCustomer knows as this shopper's.
  app.post('/api/account/card-registrations', (req, res) => {
    const shopper = requireShopper(req, res);
    if (!shopper) return;
    res.status(201).json({ reference: shoppers.newRegistrationReference(shopper) });
  });

  // The demo merchant's settings (cards at the sandbox only): 3-D Secure at the sandbox, SmartPay, DCC and KakaoPay's
  // manual capture in the companion.
  const NOT_SANDBOX = 'The merchant settings are the sandbox merchant’s: with real K-Payment keys, card settings are the bank portal’s.';
  app.get('/api/merchant/settings', (_req, res) => {
    if (!cardsSandboxed) {
      res.status(409).json({ error: { code: 'not_sandbox', message: NOT_SANDBOX } });
      return;
    }
    res.json(currentSettings());
  });
  app.post('/api/merchant/settings', express.json({ limit: '4kb' }), async (req, res) => {
    if (!cardsSandboxed) {
      res.status(409).json({ error: { code: 'not_sandbox', message: NOT_SANDBOX } });
      return;
    }
    const body = MerchantSettingsPatch.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: { code: 'bad_request', message: 'Send some of {"threeDSecure", "smartpay", "dcc", "kakaopayManualCapture"} as JSON.', issues: body.error.issues } });
      return;
    }
    res.json(await changeSettings(body.data));
  });

  // The merchant's payments page (/merchant/payments) reaches the operations API through the demo's server only.
  app.use('/api/merchant/operations', operationsProxy({ upstream: `${url}${OPERATIONS_PATH}`, token: operationsToken }));

  app.post('/api/orders', express.json({ limit: '4kb' }), (req, res) => {
    const request = readOrderRequest(req.body);
    if ('error' in request) {
      res.status(400).json({ error: request.error });
      return;
    }
    const shopperId = shoppers.ofSession(sessionOf(req))?.id ?? null;
    const order = 'productId' in request ? orders.create(request.productId, shopperId) : orders.createForAmount(request.amount, request.currency, shopperId);
    if (!order) {
      res.status(404).json({ error: { code: 'not_found', message: 'No such product.' } });
      return;
    }
    res.status(201).json(order);
  });
  app.get('/api/orders/:id', (req, res) => {
    const order = orders.get(req.params.id);
    if (!order) {
      res.status(404).json({ error: { code: 'not_found', message: 'No such order.' } });
      return;
    }
    res.json({ ...order, shopper: publicShopper(shoppers.get(order.shopperId)) });
  });
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such API route.' } });
  });
  app.use('/api', apiErrorHandler);
  app.use((await import('./csp-page.ts')).cspPages(() => checkout)); // a checkout page under the companion's Content-Security-Policy
  app.use(companion);

  const web = await serveWeb(app, server, { dev: options.dev });
  await checkout.checkout.ready;

  return {
    url,
    sandboxUrl: sandboxServer?.url ?? null,
    server,
    orders,
    shoppers,
    get checkout() {
      return checkout;
    },
    async close() {
      await web.close();
      await closeHttpServer(server);
      await settingsQueue;
      await checkout.checkout.close();
      await store.close();
      await sandboxServer?.close();
      await sandbox?.close();
    },
  };
}
