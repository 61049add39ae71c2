import express, { type ErrorRequestHandler } from 'express';
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer } from 'vite';
import { z } from 'zod';
import { createSandbox } from '@payment-checkout/sandbox';
import { createCheckout } from '@payment-checkout/server';
import { OrderBook, PRODUCTS } from './orders.ts';

export interface DemoOptions {
  /** Storefront port (the companion is mounted on the same server). 0 picks a free one. */
  port?: number;
  /** Sandbox port; ignored when real Opn keys are given. */
  sandboxPort?: number;
  /** SQLite file for the companion's payments, or ':memory:'. */
  db?: string;
  /** Real gateway keys; without them everything runs against the embedded sandbox. */
  opn?: { publicKey: string; secretKey: string; webhookSecret?: string };
}

export interface Demo {
  url: string;
  sandboxUrl: string | null;
  orders: OrderBook;
  close(): Promise<void>;
}

const WEB_ROOT = fileURLToPath(new URL('./web/', import.meta.url));
const BROWSER_SOURCES = ['../packages/element/src/', '../packages/core/src/', '../node_modules/'].map((path) =>
  fileURLToPath(new URL(path, import.meta.url)),
);

const NewOrder = z.object({ productId: z.string().min(1).max(64) });

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
  const sandbox = options.opn ? null : createSandbox();
  const sandboxServer = sandbox ? await sandbox.listen(options.sandboxPort ?? 0, host) : null;

  const app = express();
  const server = app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://${host}:${port}`;

  const orders = new OrderBook();
  const checkout = createCheckout({
    resolveOrder: async (orderId) => {
      const order = orders.get(orderId);
      return order ? { amount: order.amount, currency: order.currency } : null;
    },
    publicBaseUrl: url,
    resultUrl: (payment) => `${url}/result.html?paymentId=${encodeURIComponent(payment.id)}`,
    opn: options.opn
      ? { publicKey: options.opn.publicKey, secretKey: options.opn.secretKey, webhookSecret: options.opn.webhookSecret }
      : { publicKey: 'pkey_test_demo', secretKey: 'skey_test_demo', apiUrl: sandboxServer!.url, vaultUrl: sandboxServer!.url, sandbox: true },
    store: options.db ?? 'payment-checkout.db',
    hooks: {
      onPaid: (payment) => orders.markPaid(payment.orderId, payment.id),
      onFailed: (payment) => orders.markFailed(payment.orderId, payment.id, payment.failureCode),
      onNeedsRefund: (payment) => orders.markNeedsRefund(payment.orderId, payment.id),
    },
  });

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/api/products', (_req, res) => {
    res.json({ products: PRODUCTS, sandbox: sandbox !== null });
  });
  app.post('/api/orders', express.json({ limit: '4kb' }), (req, res) => {
    const body = NewOrder.safeParse(req.body);
    if (!body.success) {
      res.status(400).json({ error: { code: 'bad_request', message: 'Send {"productId": "<a product id>"} as JSON.', issues: body.error.issues } });
      return;
    }
    const order = orders.create(body.data.productId);
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
    res.json(order);
  });
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such API route.' } });
  });
  app.use('/api', apiErrorHandler);
  app.use(checkout);

  const vite = await createViteServer({
    root: WEB_ROOT,
    configFile: false,
    appType: 'mpa',
    logLevel: 'warn',
    server: {
      middlewareMode: true,
      hmr: false,
      // Vite's client WebSocket rides on the storefront's own port: on its default fixed port (24678) a second demo
      // (npm start beside the e2e run) would clash, and with no WebSocket the client logs errors in every page.
      ws: { server },
      host,
      // Serve the pages, the element, core and the dependencies only: by default Vite would serve any file of the
      // repository, the server's sources and the payments database (with its return tokens) included.
      fs: { strict: true, allow: [WEB_ROOT, ...BROWSER_SOURCES] },
    },
  });
  app.use(vite.middlewares);
  await checkout.checkout.ready;

  return {
    url,
    sandboxUrl: sandboxServer?.url ?? null,
    orders,
    async close() {
      await vite.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await checkout.checkout.close();
      await sandboxServer?.close();
      await sandbox?.close();
    },
  };
}
