import express, { type Router } from 'express';
import { merchantOf, param, requireKey } from './auth.ts';
import { FaultScenarioParams, replaceScenario, scenarioWire } from '../faults.ts';
import { CompleteChargeParams, RegisterWebhookParams, parseParams } from './params.ts';
import type { OpnPayments } from './payments.ts';
import type { OpnStore } from './state.ts';
import { registerWebhookEndpoint } from './controls.ts';

/**
 * Sandbox-only controls, authenticated with the merchant's secret key and never subject to its fault
 * scenario: webhook endpoints (the dashboard's job at Opn), faults, completing a charge without the page,
 * and the log of webhook attempts.
 */
export function opnControlRouter(store: OpnStore, payments: OpnPayments): Router {
  const router = express.Router();
  const secret = requireKey(store, ['secret'], false);

  router.post('/_sandbox/opn/webhooks', secret, (req, res) => {
    res.json(registerWebhookEndpoint(merchantOf(res), parseParams(RegisterWebhookParams, req.body).url));
  });
  router.get('/_sandbox/opn/webhooks', secret, (_req, res) => {
    const merchant = merchantOf(res);
    res.json({
      object: 'list',
      data: merchant.webhookEndpoints.map((url) => ({ object: 'webhook_endpoint', url, secret: merchant.webhookSecret })),
    });
  });

  router.post('/_sandbox/scenario', secret, (req, res) => {
    res.json({ object: 'scenario', ...replaceScenario(merchantOf(res), parseParams(FaultScenarioParams, req.body)) });
  });
  router.get('/_sandbox/scenario', secret, (_req, res) => {
    res.json(scenarioWire(merchantOf(res)));
  });

  router.post('/_sandbox/opn/charges/:id/complete', secret, (req, res) => {
    const merchant = merchantOf(res);
    const charge = payments.complete(merchant, payments.charge(merchant, param(req, 'id')), parseParams(CompleteChargeParams, req.body));
    res.json(payments.chargeView(merchant, charge));
  });

  router.get('/_sandbox/opn/webhook-deliveries', secret, (_req, res) => {
    const { deliveries } = merchantOf(res);
    res.json({ object: 'list', data: deliveries, total: deliveries.length });
  });

  return router;
}
