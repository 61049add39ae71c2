import type { NextFunction, Request, Response } from 'express';
import { applyRequestFaults } from '../request-faults.ts';
import { KpaymentApiError, errorCodeForStatus, kpaymentErrorBody } from './errors.ts';
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

/**
 * The merchant of the request's `x-api-key` header (the guide's only authentication, L1453). With `faults`,
 * the merchant's fault scenario applies (`request-faults.ts`), an injected status answered in K-Payment's error
 * body: the APIs say yes; the sandbox controls and the hosted card form's backend say no, so that a test can
 * always reset its faults and a browser is not faulted.
 */
export function requireKey(store: KpaymentStore, accept: readonly KeyKind[], { faults }: { faults: boolean }) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const merchant = merchantForKey(store, req.get('x-api-key'), accept);
    res.locals.kpaymentMerchant = merchant;
    if (!faults) return next();
    await applyRequestFaults(merchant.scenario, req, res, next, (status, message) => kpaymentErrorBody(errorCodeForStatus(status), message));
  };
}

export function merchantOf(res: Response): Merchant {
  return res.locals.kpaymentMerchant as Merchant;
}

/** A named route parameter (Express 5 types them as `string | string[]`). */
export function param(req: Request, name: string): string {
  return String(req.params[name]);
}
