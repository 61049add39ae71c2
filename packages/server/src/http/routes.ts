import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { CheckoutError, CreatePaymentRequest, Locale, OrderId } from '@payment-checkout/core';
import type { Logger } from '../common/logger.ts';
import type { CheckoutService } from '../services/checkout-service.ts';
import { RETURN_PATH, checkoutErrorHandler } from './error-handler.ts';

/** Query strings are read leniently (unknown parameters such as cache-busters are ignored); bodies are strict. */
const ConfigQuery = z.object({ orderId: OrderId, locale: z.enum(Locale.options).optional() });
const ViewQuery = z.object({ locale: z.enum(Locale.options).optional() });

/**
 * The companion's routes: thin, validated with core's schemas, logic in CheckoutService. Mount at `/`. The
 * gateway modules' own browser and webhook routes are mounted inside, with their browser paths, so that one
 * error handler answers for all.
 */
export function checkoutRoutes(
  service: CheckoutService,
  logger: Logger,
  gateways: { routes: Router[]; browserPaths: readonly string[]; notConfigured: readonly string[] },
): Router {
  const router = express.Router();
  const json = express.json({ limit: '16kb', strict: true });

  router.use(['/checkout', '/webhooks'], (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.get('/checkout/config', async (req, res) => {
    const query = ConfigQuery.parse(req.query);
    res.json(await service.config(query.orderId, query.locale));
  });

  // The texts alone, for a page that shows a payment without the order's config (the return page) or switches
  // language. The same for every shopper: browsers may keep them a while.
  router.get('/checkout/texts', (req, res) => {
    const query = ViewQuery.parse(req.query);
    res.set('cache-control', 'public, max-age=600');
    res.json(service.texts(query.locale));
  });

  router.post('/checkout/payments', json, async (req, res) => {
    const body = CreatePaymentRequest.parse(jsonBody(req));
    const created = await service.createPayment(body, { userAgent: req.get('user-agent') });
    res.status(created.reused ? 200 : 201).json(created);
  });

  router.get('/checkout/payments/:id', async (req, res) => {
    const query = ViewQuery.parse(req.query);
    res.json(await service.viewPayment(String(req.params.id), query.locale));
  });

  router.get(`${RETURN_PATH}:id`, async (req, res) => {
    const { token, ...others } = req.query;
    const location = await service.completeReturn(String(req.params.id), token, Object.keys(others));
    res.redirect(302, location);
  });

  // The gateways' own browser and webhook routes (a script's form post, a callback, a webhook).
  for (const routes of gateways.routes) router.use(routes);
  // A webhook of a gateway the companion knows but does not use here: nothing to notify (the gateway is told so).
  router.post('/webhooks/:gateway', (req, _res, next) => {
    const id = String(req.params.gateway);
    next(gateways.notConfigured.includes(id) ? new CheckoutError('not_found', `The ${id} gateway is not configured here.`) : undefined);
  });

  router.use(checkoutErrorHandler(logger, gateways.browserPaths));
  return router;
}

function jsonBody(req: Request): unknown {
  if (!req.is('application/json')) throw new CheckoutError('bad_request', 'Send a JSON body (Content-Type: application/json).');
  return req.body;
}
