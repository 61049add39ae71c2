import express from 'express';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { createSandbox } from '@payment-checkout/sandbox';
import { createCheckout, SANDBOX_TEST_KEYS } from '@payment-checkout/server';

/** The start benchmark's two contestants: the element and the bare baseline, each a script-tag file and its tag. */
export interface StartScript {
  tag: string;
  /** The built, self-contained ES module. */
  code: Buffer;
}

export interface StartApp {
  url: string;
  /** The script as served: gzip -9, sent as such to a browser that accepts it. */
  gzip: Record<string, Buffer>;
  close(): Promise<void>;
}

/** Every order of the benchmark costs this: a THB amount that every method of both gateways accepts. */
export const ORDER = { amount: 150_000, currency: 'THB' } as const;
export const ORDER_PREFIX = 'bench-';

const PROBE = readFileSync(new URL('./start-probe.js', import.meta.url), 'utf8');

function page(src: string, tag: string, body = '', head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>start benchmark: ${tag}</title>
<script>${PROBE}</script>
${head}
<script type="module" src="${src}"></script>
</head>
<body>${body}</body>
</html>`;
}

/**
 * One Express app on 127.0.0.1 (a free port) serving both elements' scripts and pages and, at `/checkout/…`, the
 * companion against an in-process sandbox with both gateways (SmartPay on, so the card also offers instalments).
 * `scripts` is keyed by the name in the script's URL (`/js/<name>.js`) and in the pages' (`/page/<name>`,
 * `/cold/<name>?order=…&expected=…`).
 */
export async function startApp(scripts: Record<string, StartScript>): Promise<StartApp> {
  const host = '127.0.0.1';
  const sandbox = createSandbox();
  const sandboxServer = await sandbox.listen(0, host);

  const app = express();
  app.disable('x-powered-by');
  const server: Server = app.listen(0, host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address();
  const url = `http://${host}:${typeof address === 'object' && address ? address.port : 0}`;

  const checkout = createCheckout({
    resolveOrder: (orderId) => (orderId.startsWith(ORDER_PREFIX) ? { ...ORDER } : null),
    publicBaseUrl: url,
    resultUrl: '/result?paymentId={paymentId}',
    opn: { ...SANDBOX_TEST_KEYS, apiUrl: sandboxServer.url, vaultUrl: sandboxServer.url, sandbox: true },
    kpayment: { apiUrl: sandboxServer.url, sandbox: true, merchantName: 'Siam Market', smartpay: { smartpayId: '0001' } },
    store: ':memory:',
    // No background work during the measure.
    reconcileEveryMs: false,
    hookDelivery: { pollEveryMs: false },
    logger: { info() {}, warn() {}, error() {} },
  });

  const gzip = Object.fromEntries(Object.entries(scripts).map(([name, s]) => [name, gzipSync(s.code, { level: 9 })]));
  app.get('/js/:file', (req, res) => {
    const name = String(req.params.file).replace(/\.js$/, '');
    const script = Object.hasOwn(scripts, name) ? scripts[name] : undefined;
    if (!script) {
      res.status(404).end();
      return;
    }
    res.set({ 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=600', vary: 'accept-encoding' });
    if (req.acceptsEncodings('gzip')) res.set('content-encoding', 'gzip').send(gzip[name]);
    else res.send(script.code);
  });
  app.get('/page/:name', (req, res) => {
    const name = String(req.params.name);
    if (!Object.hasOwn(scripts, name)) {
      res.status(404).end();
      return;
    }
    res.set('cache-control', 'no-store').type('html').send(page(`/js/${name}.js`, scripts[name].tag));
  });
  app.get('/cold/:name', (req, res) => {
    const name = String(req.params.name);
    const order = String(req.query.order ?? '');
    const expected = Number(req.query.expected);
    if (!Object.hasOwn(scripts, name) || !/^[\w-]+$/.test(order) || !Number.isInteger(expected)) {
      res.status(400).end();
      return;
    }
    const { tag } = scripts[name];
    const measure = `<script>window.benchColdResult = benchCold(${JSON.stringify(tag)}, ${expected});</script>`;
    // The order id in the script's URL: no cache (HTTP, memory or V8's code cache) has seen that URL.
    const src = `/js/${name}.js?cold=${order}`;
    res.set('cache-control', 'no-store').type('html').send(page(src, tag, `<${tag} order-id="${order}"></${tag}>`, measure));
  });
  app.use(checkout);
  await checkout.checkout.ready;

  return {
    url,
    gzip,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await checkout.checkout.close();
      await sandboxServer.close();
      await sandbox.close();
    },
  };
}
