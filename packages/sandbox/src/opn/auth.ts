import type { NextFunction, Request, Response } from 'express';
import { errorCodeForStatus } from './data.ts';
import { OpnApiError, opnErrorBody } from './errors.ts';
import type { Merchant, OpnStore } from './state.ts';

export type KeyKind = 'public' | 'secret';

/** A test key: `pkey_test_<x>` or `skey_test_<x>`; the pair with the same `<x>` is one merchant. */
const TEST_KEY = /^(pkey|skey)_test_([0-9A-Za-z]{1,100})$/;

/** The key from `Authorization: Basic base64(key:)`; the trailing colon is optional, the password ignored. */
export function keyFromAuthorization(header: string | undefined): string | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? decoded : decoded.slice(0, colon);
}

/** The merchant a key belongs to, if the key is well-formed and of an accepted kind. */
export function merchantForKey(store: OpnStore, key: string | null, accept: readonly KeyKind[]): Merchant {
  const match = key ? TEST_KEY.exec(key) : null;
  const kind: KeyKind | null = match ? (match[1] === 'pkey' ? 'public' : 'secret') : null;
  if (!match || !kind || !accept.includes(kind)) throw new OpnApiError('authentication_failure', 'authentication failed');
  return store.merchant(match[2]);
}

/** A named route parameter (Express 5 types them as `string | string[]` for wildcards). */
export function param(req: Request, name: string): string {
  return String(req.params[name]);
}

export function merchantOf(res: Response): Merchant {
  return res.locals.merchant as Merchant;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Authenticates an API request (401 `authentication_failure` otherwise) and applies the merchant's fault
 * scenario: latency first, then an injected failure while `failNext.count` lasts (only for requests matching
 * `failNext.on` when given) — instead of the request, or, with `failNext.after: 'commit'`, in place of its answer
 * once it has taken effect. Control endpoints pass `withScenario: false`, so that a test can always reset its
 * faults.
 */
export function requireKey(store: OpnStore, accept: readonly KeyKind[], withScenario = true) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const merchant = merchantForKey(store, keyFromAuthorization(req.get('authorization')), accept);
    res.locals.merchant = merchant;
    if (!withScenario) return next();
    const { latencyMs, failNext } = merchant.scenario;
    const targeted = failNext && failNext.count > 0 && (failNext.on === undefined || failNext.on === `${req.method} ${req.path}`);
    const fail = targeted ? { status: failNext.status, after: failNext.after } : null;
    if (fail !== null) failNext!.count -= 1;
    if (latencyMs > 0) await sleep(latencyMs);
    if (fail !== null) {
      const committed = fail.after === 'commit';
      const error = new OpnApiError(
        errorCodeForStatus(fail.status),
        `injected failure${committed ? ' after the request took effect' : ''} (sandbox scenario failNext, HTTP ${fail.status})`,
        fail.status,
      );
      if (!committed) throw error;
      loseAnswer(res, error);
    }
    next();
  };
}

/**
 * Lets the handler run and sends `error` in place of whatever it answers: Opn did the work and the answer was
 * lost on the way (a proxy's 5xx, a dropped connection), which is what a client must not mistake for "nothing".
 */
function loseAnswer(res: Response, error: OpnApiError): void {
  const send = res.json.bind(res);
  res.json = ((_body?: unknown) => {
    res.status(error.status);
    return send(opnErrorBody(error.code, error.message));
  }) as Response['json'];
}
