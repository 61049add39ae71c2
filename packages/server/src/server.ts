import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { type CheckoutRouter, createCheckout } from './checkout.ts';
import type { CheckoutOptions } from './options.ts';
import { LATE, within } from './common/deadline.ts';

/** How long `close()` lets requests under way finish: longer than a gateway call (10 to 15 s) and a hook's wait. */
export const CLOSE_WAIT_MS = 30_000;

/**
 * How long a client may take to send a whole request (Node's default is 5 minutes): a webhook or a form post is a
 * few kilobytes, and a connection that trickles one byte at a time must not be held that long.
 */
export const RECEIVE_TIMEOUT_MS = 30_000;

export interface CheckoutServer {
  /** `http://host:port`, also the companion's `publicBaseUrl` unless the options said otherwise. */
  url: string;
  app: Express;
  server: Server;
  checkout: CheckoutRouter['checkout'];
  /** Stops listening, lets the requests under way finish (at most CLOSE_WAIT_MS), then closes the companion. */
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
  server.requestTimeout = RECEIVE_TIMEOUT_MS;
  server.headersTimeout = Math.min(server.headersTimeout, RECEIVE_TIMEOUT_MS);
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
      await closeHttpServer(server);
      await router.checkout.close();
    },
  };
}

/**
 * Stops `server` the way a payment service must: no new connections, idle ones end now, and the requests under way
 * finish first (a refund at the gateway records what the gateway did), each keep-alive connection closed as soon as
 * its last answer is sent; after `waitMs` a request still running is cut. For the app that mounts the companion too.
 */
export async function closeHttpServer(server: Server, waitMs = CLOSE_WAIT_MS): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const idle = setInterval(() => server.closeIdleConnections(), 50);
  server.closeIdleConnections();
  try {
    if ((await within(closed, waitMs)) === LATE) server.closeAllConnections();
    await closed;
  } finally {
    clearInterval(idle);
  }
}
