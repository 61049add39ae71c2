import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { CheckoutError } from '@payment-checkout/core';
import type { Logger } from '../common/logger.ts';
import { sameSecret } from '../common/secrets.ts';
import { MoneyOperation } from '../gateways/operations.ts';
import { type Operations, PaymentListQuery } from '../services/operations.ts';
import { checkoutErrorHandler } from './error-handler.ts';

/** A named operations token from the configuration; the name is who asked, in the payments' event logs. */
export interface OperationsToken {
  name: string;
  token: string;
}

/**
 * The merchant's operations API, apart from the shopper's routes: mounted at its own base path, JSON only,
 * never cached, and every path (unknown ones too) behind `Authorization: Bearer <token>`. Nothing a shopper
 * holds (a return token, a session) is accepted: only the configured tokens.
 */
export function operationsRoutes(operations: Operations, tokens: readonly OperationsToken[], logger: Logger): Router {
  const router = express.Router();

  router.use((req, res, next) => {
    res.set('cache-control', 'no-store');
    const by = authenticate(req.get('authorization'), tokens);
    if (by === null) {
      res.set('www-authenticate', 'Bearer realm="operations"');
      next(new CheckoutError('unauthorized', 'Send a valid operations token: Authorization: Bearer <token>.'));
      return;
    }
    res.locals.operator = by;
    next();
  });

  router.get('/payments', async (req, res) => {
    res.json(await operations.listPayments(PaymentListQuery.parse(req.query)));
  });

  router.get('/payments/:id', async (req, res) => {
    res.json(await operations.payment(String(req.params.id)));
  });

  router.post('/payments/:id/check', async (req, res) => {
    res.json(await operations.check(String(req.params.id), operator(res)));
  });

  // The money operations: JSON bodies only (a form post from a page is not the API), small.
  const json = express.json({ limit: '4kb', type: () => true });
  router.post('/payments/:id/:operation', json, async (req, res, next) => {
    const operation = MoneyOperation.safeParse(req.params.operation);
    if (!operation.success) {
      next();
      return;
    }
    const { detail, replayed } = await operations.perform(String(req.params.id), operation.data, req.body, operator(res), req.get('idempotency-key'));
    if (replayed) res.set('idempotent-replayed', 'true');
    res.json(detail);
  });

  router.post('/reconcile', async (_req, res) => {
    res.json(await operations.reconcile(operator(res)));
  });

  router.get('/orders/:orderId/payments', async (req, res) => {
    res.json({ data: await operations.orderPayments(String(req.params.orderId)) });
  });

  router.use((_req: Request, _res: Response, next: NextFunction) => next(new CheckoutError('not_found', 'No such operation.')));
  router.use(checkoutErrorHandler(logger));
  return router;
}

/**
 * The name of the token the header carries, or null. Every configured token is compared (in constant time,
 * whatever matched), so the answer's timing says nothing about which token came close.
 */
function authenticate(header: string | undefined, tokens: readonly OperationsToken[]): string | null {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  if (!match) return null;
  let found: string | null = null;
  for (const { name, token } of tokens) if (sameSecret(match[1], token) && found === null) found = name;
  return found;
}

function operator(res: Response): string {
  return String(res.locals.operator);
}
