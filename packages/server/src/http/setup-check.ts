import type { RequestHandler } from 'express';
import type { Logger } from '../common/logger.ts';

/** Mount paths looked at, at most (a router mounted under a pattern could see many). */
const MOUNTS_CHECKED = 16;

/**
 * Two set-up mistakes that break payments without failing a request at once, said in the log at the first request
 * that shows them (once each):
 * - the companion mounted at a sub-path (`app.use('/api', checkout)`) while `publicBaseUrl` does not end with it: every
 *   URL it hands to browsers and gateways (returns, card form posts, callbacks, webhooks) would miss its routes;
 * - a body parser (`express.json()`) mounted before it: webhook signatures need the raw bytes.
 * A base that ends with the mount path is right, also behind a proxy that adds its own prefix (`/shop/api` for `/api`).
 */
export function setupCheck(publicBaseUrl: string, logger: Pick<Logger, 'error'>): RequestHandler {
  const { origin, pathname } = new URL(publicBaseUrl);
  const basePath = pathname.replace(/\/+$/, '');
  // Said without any user or password the URL may carry.
  const base = `${origin}${basePath}`;
  const mounts = new Set<string>();
  let parsedBefore = false;
  return (req, _res, next) => {
    // As Express matched it: without case (a request for /API reaches a router mounted at /api).
    const mount = req.baseUrl.toLowerCase();
    if (mounts.size < MOUNTS_CHECKED && !mounts.has(mount)) {
      mounts.add(mount);
      if (mount !== '' && !basePath.toLowerCase().endsWith(mount)) {
        logger.error(
          `the checkout router is mounted at ${req.baseUrl} but publicBaseUrl (${base}) does not end with it: returns, card forms, callbacks and webhooks will miss the companion's routes; set publicBaseUrl to ${base}${req.baseUrl}`,
        );
      }
    }
    // A JSON body parsed already (a form parser first is harmless: webhooks and notifies are JSON).
    if (!parsedBefore && req.body !== undefined && !Buffer.isBuffer(req.body) && req.is('application/json')) {
      parsedBefore = true;
      logger.error('a body parser ran before the checkout router (express.json() mounted before it): webhooks will be refused; mount the checkout router before express.json()');
    }
    next();
  };
}
