import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { type CheckoutRouter, createCheckout } from './checkout.ts';
import type { CheckoutOptions } from './options.ts';

export interface CheckoutServer {
  /** `http://host:port`, also the companion's `publicBaseUrl` unless the options said otherwise. */
  url: string;
  app: Express;
  server: Server;
  checkout: CheckoutRouter['checkout'];
  close(): Promise<void>;
}

/**
 * Starts an Express app with only the companion mounted, listening first so that `publicBaseUrl` can be the
 * real address (port 0 picks a free port). For tests and small hosts; a storefront mounts `createCheckout`
 * in its own app instead.
 */
export async function startCheckoutServer(
  options: Omit<CheckoutOptions, 'publicBaseUrl'> & { publicBaseUrl?: string },
  listen: { port?: number; host?: string } = {},
): Promise<CheckoutServer> {
  const host = listen.host ?? '127.0.0.1';
  const app = express();
  const server = app.listen(listen.port ?? 0, host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let router: CheckoutRouter;
  try {
    router = createCheckout({ ...options, publicBaseUrl: options.publicBaseUrl ?? url });
  } catch (err) {
    server.close();
    throw err;
  }
  app.use(router);
  return {
    url,
    app,
    server,
    checkout: router.checkout,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await router.checkout.close();
    },
  };
}
