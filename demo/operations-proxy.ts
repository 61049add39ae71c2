import { randomBytes } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';

/**
 * The merchant page's way to the companion's operations API: the browser never holds the operations token, so
 * the demo's server calls the API over loopback and adds the bearer header itself. JSON only, small bodies,
 * GET and POST only; the API's status and JSON body are passed back as they are.
 */

/** Who asked, in every payment's event log, for operations made from the demo's merchant page. */
export const DEMO_OPERATOR = 'demo-merchant';

/** A fresh operations token for one run of the demo (43 base64url characters); never logged or sent to a browser. */
export function newOperationsToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface OperationsProxyOptions {
  /** Where the companion's operations API answers, e.g. `http://127.0.0.1:3000/operations`. */
  upstream: string;
  token: string;
  /**
   * How long an answer may take (ms). Default 120 s, as the CLI: an operation may take a read, the gateway's
   * call and a read-back, each up to a gateway client's timeout.
   */
  timeoutMs?: number;
}

const BODY_LIMIT = '4kb';
// Segments of the API's paths (payment ids, order ids, operation names); never `.` or `..`, which a URL would resolve.
const SEGMENT = /^(?!\.+$)[A-Za-z0-9_\-.:]{1,64}$/;
const MAX_SEGMENTS = 4;

function fail(res: Response, status: number, code: string, message: string): void {
  res.status(status).set('cache-control', 'no-store').json({ error: { code, message } });
}

/** The path below the proxy's mount point as the API's own, or null when it is not one of its shapes. */
function upstreamPath(raw: string): string | null {
  const segments = raw.split('/').slice(1);
  if (segments.length === 0 || segments.length > MAX_SEGMENTS) return null;
  const decoded: string[] = [];
  for (const segment of segments) {
    let value: string;
    try {
      value = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (!SEGMENT.test(value)) return null;
    decoded.push(encodeURIComponent(value));
  }
  return `/${decoded.join('/')}`;
}

const proxyErrorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  const { status, type } = err as { status?: unknown; type?: unknown };
  if (type === 'entity.too.large') fail(res, 413, 'bad_request', `Bodies are at most ${BODY_LIMIT}.`);
  else if (type === 'entity.parse.failed') fail(res, 400, 'invalid_json', 'The request body is not valid JSON.');
  else if (typeof status === 'number' && status >= 400 && status < 500) fail(res, status, 'bad_request', 'The request could not be read.');
  else {
    console.error('[demo] operations proxy failed', err instanceof Error ? err.message : err);
    fail(res, 500, 'internal_error', 'Something went wrong on our side.');
  }
};

/** Mount at `/api/merchant/operations`: `GET|POST /api/merchant/operations/<path>` → `<upstream>/<path>`. */
export function operationsProxy({ upstream, token, timeoutMs = 120_000 }: OperationsProxyOptions): Router {
  const router = express.Router();
  router.use((req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.set('allow', 'GET, POST');
      fail(res, 405, 'method_not_allowed', 'Only GET and POST.');
      return;
    }
    // JSON only: a form or a text/plain post from another site cannot use the merchant's token through us.
    if (req.method === 'POST' && !req.is('application/json')) {
      fail(res, 415, 'unsupported_media_type', 'Send the operation as JSON (content-type: application/json).');
      return;
    }
    next();
  });
  router.use(express.json({ limit: BODY_LIMIT, strict: true }));
  router.use(async (req: Request, res: Response) => {
    const [rawPath, query] = splitUrl(req.url);
    const path = upstreamPath(rawPath);
    if (path === null) {
      fail(res, 404, 'not_found', 'No such operations route.');
      return;
    }
    const target = `${upstream}${path}${query}`;
    const idempotencyKey = req.method === 'POST' ? req.get('idempotency-key') : undefined;
    let answer: globalThis.Response;
    try {
      answer = await fetch(target, {
        method: req.method,
        // The page's Idempotency-Key goes through (the API checks it): an operation sent again is not done twice.
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(req.method === 'POST' ? { 'content-type': 'application/json' } : {}),
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        body: req.method === 'POST' ? JSON.stringify(req.body ?? {}) : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      console.error('[demo] the operations API did not answer', err instanceof Error ? err.message : err);
      // An operation asked for may have happened all the same: the merchant must look before asking again.
      const maybe = req.method === 'POST' ? ' The operation may have happened: check the payment before trying again.' : '';
      fail(res, 502, 'operations_unreachable', `The operations API did not answer.${maybe}`);
      return;
    }
    const text = await answer.text();
    if (!answer.headers.get('content-type')?.includes('application/json')) {
      fail(res, 502, 'bad_gateway', `The operations API answered ${answer.status} without JSON.`);
      return;
    }
    const replayed = answer.headers.get('idempotent-replayed');
    if (replayed) res.set('idempotent-replayed', replayed);
    res.status(answer.status).set('cache-control', 'no-store').type('application/json').send(text);
  });
  router.use(proxyErrorHandler);
  return router;
}

function splitUrl(url: string): [string, string] {
  const at = url.indexOf('?');
  return at === -1 ? [url, ''] : [url.slice(0, at), url.slice(at)];
}
