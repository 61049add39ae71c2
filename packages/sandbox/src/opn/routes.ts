import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { merchantOf, param, requireKey } from './auth.ts';
import { OMISE_JS } from './omise-js.ts';
import { CreateChargeParams, CreateRefundParams, CreateSourceParams, ListParams, parseParams } from './params.ts';
import type { OpnPayments, RequestContext } from './payments.ts';
import { eventWire, refundWire } from './serialize.ts';
import type { OpnStore } from './state.ts';

/** Opn's REST API at Opn's paths. Handlers only parse, call the domain, and serialize. */
export function opnApiRouter(store: OpnStore, payments: OpnPayments, options: { publicUrl?: string }): Router {
  const router = express.Router();
  const anyKey = requireKey(store, ['public', 'secret']);
  const secret = requireKey(store, ['secret']);
  const context = (req: Request): RequestContext => ({
    origin: options.publicUrl ?? `${req.protocol}://${req.get('host')}`,
    ip: req.ip?.replace(/^::ffff:/, '') ?? null,
  });
  const body = (req: Request) => req.body as unknown;

  router.get('/omise.js', (_req, res) => {
    res.set({
      'content-type': 'application/javascript; charset=utf-8',
      'cache-control': 'no-cache',
      'access-control-allow-origin': '*',
    });
    res.send(OMISE_JS);
  });

  // The browser posts JSON with `Authorization: Basic` from the shop's origin: a CORS preflight first.
  router.use('/sources', sourcesCors);

  router.post('/sources', anyKey, (req, res) => {
    const source = payments.createSource(merchantOf(res), parseParams(CreateSourceParams, body(req)), context(req));
    res.json(payments.sourceView(merchantOf(res), source));
  });
  router.get('/sources/:id', anyKey, (req, res) => {
    res.json(payments.sourceView(merchantOf(res), payments.source(merchantOf(res), param(req, 'id'))));
  });

  router.post('/charges', secret, (req, res) => {
    const merchant = merchantOf(res);
    const charge = payments.createCharge(merchant, parseParams(CreateChargeParams, body(req)), context(req));
    res.json(payments.chargeView(merchant, charge));
  });
  router.get('/charges', secret, (req, res) => {
    res.json(payments.listCharges(merchantOf(res), parseParams(ListParams, req.query)));
  });
  router.get('/charges/:id', secret, (req, res) => {
    const merchant = merchantOf(res);
    res.json(payments.chargeView(merchant, payments.charge(merchant, param(req, 'id'))));
  });
  for (const action of ['expire', 'capture', 'reverse'] as const) {
    router.post(`/charges/:id/${action}`, secret, (req, res) => {
      const merchant = merchantOf(res);
      const charge = payments[action](merchant, payments.charge(merchant, param(req, 'id')));
      res.json(payments.chargeView(merchant, charge));
    });
  }
  router.post('/charges/:id/refunds', secret, (req, res) => {
    const merchant = merchantOf(res);
    const charge = payments.charge(merchant, param(req, 'id'));
    const params = parseParams(CreateRefundParams, body(req));
    res.json(refundWire(payments.refund(merchant, charge, params.amount, params.metadata)));
  });
  router.get('/charges/:id/refunds', secret, (req, res) => {
    const charge = payments.charge(merchantOf(res), param(req, 'id'));
    res.json(payments.listRefunds(charge, parseParams(ListParams, req.query)));
  });
  router.get('/charges/:id/refunds/:refundId', secret, (req, res) => {
    const charge = payments.charge(merchantOf(res), param(req, 'id'));
    res.json(refundWire(payments.refundOf(charge, param(req, 'refundId'))));
  });

  router.get('/events', secret, (req, res) => {
    res.json(payments.listEvents(merchantOf(res), parseParams(ListParams, req.query)));
  });
  router.get('/events/:id', secret, (req, res) => {
    res.json(eventWire(payments.event(merchantOf(res), param(req, 'id'))));
  });

  return router;
}

function sourcesCors(req: Request, res: Response, next: NextFunction): void {
  res.set({
    'access-control-allow-origin': req.get('origin') ?? '*',
    vary: 'Origin',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'Authorization, Content-Type, Omise-Version, X-Requested-With',
    'access-control-max-age': '600',
  });
  if (req.get('access-control-request-private-network') === 'true') res.set('access-control-allow-private-network', 'true');
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
}
