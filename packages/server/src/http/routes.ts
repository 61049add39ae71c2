import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { CheckoutError, CreatePaymentRequest, OrderId } from '@payment-checkout/core';
import type { Logger } from '../logger.ts';
import type { CheckoutService } from '../services/checkout-service.ts';
import { checkoutErrorHandler } from './error-handler.ts';

const Locale = z.enum(['en', 'th']);
/** Query strings are read leniently (unknown parameters such as cache-busters are ignored); bodies are strict. */
const ConfigQuery = z.object({ orderId: OrderId, locale: Locale.optional() });
const ViewQuery = z.object({ locale: Locale.optional() });

/** The companion's routes: thin, validated with core's schemas, logic in CheckoutService. Mount at `/`. */
export function checkoutRoutes(service: CheckoutService, logger: Logger, gatewayRoutes: Router[] = []): Router {
  const router = express.Router();
  const json = express.json({ limit: '16kb', strict: true });
  // Signatures are computed over the exact bytes, so the webhook body is kept raw.
  const raw = express.raw({ type: () => true, limit: '256kb' });

  router.use(['/checkout', '/webhooks'], (_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  router.get('/checkout/config', async (req, res) => {
    const query = ConfigQuery.parse(req.query);
    res.json(await service.config(query.orderId));
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

  router.get('/checkout/return/:id', async (req, res) => {
    const { token, ...others } = req.query;
    const location = await service.completeReturn(String(req.params.id), token, Object.keys(others));
    res.redirect(302, location);
  });

  router.post('/webhooks/opn', raw, async (req, res) => {
    if (!Buffer.isBuffer(req.body)) {
      // A body parser of the host ran first and consumed the bytes the signature is computed over.
      logger.error('the Opn webhook body was already parsed: mount the checkout router before express.json()');
      throw new CheckoutError('internal_error', 'Webhook body unavailable.');
    }
    res.json(await service.handleWebhook('opn', { rawBody: req.body, headers: req.headers }));
  });

  // Gateways' own browser and webhook routes (K-Payment's token form, callback and notify).
  for (const routes of gatewayRoutes) router.use(routes);

  router.use(checkoutErrorHandler(logger));
  return router;
}

function jsonBody(req: Request): unknown {
  if (!req.is('application/json')) throw new CheckoutError('bad_request', 'Send a JSON body (Content-Type: application/json).');
  return req.body;
}
