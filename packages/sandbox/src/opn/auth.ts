import type { NextFunction, Request, Response } from 'express';
import { errorCodeForStatus } from './data.ts';
import { applyRequestFaults } from '../request-faults.ts';
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

/**
 * Authenticates an API request (401 `authentication_failure` otherwise) and applies the merchant's fault
 * scenario (`request-faults.ts`): latency, then `failNext` or a random fault, before the handler or in place of
 * its answer, an injected status answered in Opn's error body. Control endpoints pass `withScenario: false`, so
 * that a test can always reset its faults.
 */
export function requireKey(store: OpnStore, accept: readonly KeyKind[], withScenario = true) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const merchant = merchantForKey(store, keyFromAuthorization(req.get('authorization')), accept);
    res.locals.merchant = merchant;
    if (!withScenario) return next();
    await applyRequestFaults(merchant.scenario, req, res, next, (status, message) => opnErrorBody(errorCodeForStatus(status), message));
  };
}
