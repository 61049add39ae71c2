import type { NextFunction, Request, Response } from 'express';
import { KpaymentApiError } from './errors.ts';
import type { KpaymentStore, Merchant } from './state.ts';

export type KeyKind = 'public' | 'secret';

/** A test key: `pkey_test_<x>` or `skey_test_<x>`; the pair with the same `<x>` is one merchant. */
const TEST_KEY = /^(pkey|skey)_test_([0-9A-Za-z]{1,100})$/;

/** The merchant a key belongs to, if the key is well-formed and of an accepted kind; else `authentication_failure`. */
export function merchantForKey(store: KpaymentStore, key: string | null | undefined, accept: readonly KeyKind[]): Merchant {
  const match = key ? TEST_KEY.exec(key.trim()) : null;
  const kind: KeyKind | null = match ? (match[1] === 'pkey' ? 'public' : 'secret') : null;
  if (!match || !kind || !accept.includes(kind)) throw new KpaymentApiError('authentication_failure');
  return store.merchant(match[2]);
}

/** The merchant of the request's `x-api-key` header (the guide's only authentication, L1453). */
export function requireKey(store: KpaymentStore, accept: readonly KeyKind[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.kpaymentMerchant = merchantForKey(store, req.get('x-api-key'), accept);
    next();
  };
}

export function merchantOf(res: Response): Merchant {
  return res.locals.kpaymentMerchant as Merchant;
}

/** A named route parameter (Express 5 types them as `string | string[]`). */
export function param(req: Request, name: string): string {
  return String(req.params[name]);
}
