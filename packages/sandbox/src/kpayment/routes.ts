import express, { type Request, type Router } from 'express';
import { merchantOf, param, requireKey } from './auth.ts';
import { dccOffer } from './cards.ts';
import type { KpaymentCharges } from './charges.ts';
import type { KpaymentCustomers } from './customers.ts';
import type { KpaymentQr } from './qr.ts';
import type { KpaymentRedirects } from './redirect.ts';
import { KpaymentApiError } from './errors.ts';
import {
  AddCardParams,
  CreateChargeParams,
  CreateCustomerParams,
  CreateTokenParams,
  DccOfferParams,
  OtpForm,
  RefundParams,
  SettleParams,
  UpdateCustomerParams,
  VoidParams,
  parseParams,
} from './params.ts';
import { chargeWire, createdCustomerWire, customerWire, redirectChargeWire, refundWire, tokenWire } from './serialize.ts';
import { applySettings, settingsWire } from './settings.ts';
import { FaultScenarioParams, replaceScenario, scenarioWire } from '../faults.ts';
import type { KpaymentStore, Merchant } from './state.ts';

export interface RouteContext {
  store: KpaymentStore;
  charges: KpaymentCharges;
  customers: KpaymentCustomers;
  qr: KpaymentQr;
  redirects: KpaymentRedirects;
  /** The sandbox's public origin for `redirect_url`. */
  origin(req: Request): string;
}

/** The Charge and Customer APIs at the guide's paths, with `x-api-key` (secret key). Handlers parse, call, serialize. */
export function kpaymentApiRouter({ store, charges, customers, redirects, origin }: RouteContext): Router {
  const router = express.Router();
  const secret = requireKey(store, ['secret'], { faults: true });
  const body = (req: Request) => req.body as unknown;

  /** Void, settle and refund are the card charges' (L1976); the sandbox does not emulate them for Alipay / UnionPay. */
  const cardCharge = (merchant: Merchant, id: string, operation: string) => {
    const redirect = merchant.redirectCharges.get(id);
    if (redirect) throw new KpaymentApiError('invalid_parameter', `the sandbox does not emulate ${operation} of ${redirect.kind} charges`);
    return charges.charge(merchant, id);
  };

  // ── Charge API (§6.1) ──
  router.post('/card/v2/charge', secret, (req, res) => {
    const params = parseParams(CreateChargeParams, body(req));
    if (params.source_type === 'alipay' || params.source_type === 'unionpay') {
      res.json(redirectChargeWire(redirects.create(merchantOf(res), params, origin(req))));
      return;
    }
    res.json(chargeWire(charges.createCharge(merchantOf(res), params, origin(req)), 'create'));
  });
  router.get(['/card/v2/charge/:key', '/card/v2/charge/:key/:date'], secret, (req, res) => {
    const merchant = merchantOf(res);
    const key = param(req, 'key');
    const date = req.params.date === undefined ? undefined : param(req, 'date');
    // Card, Alipay and UnionPay charges share the inquiry (§4.4–4.5); by reference, the latest wins.
    const redirect = redirects.find(merchant, key);
    const card = charges.find(merchant, key);
    if (redirect && (!card || redirect.createdAt >= card.createdAt)) {
      if (date !== undefined) redirects.checkTransactionDate(redirect, date);
      res.json(redirectChargeWire(redirect));
      return;
    }
    res.json(chargeWire(charges.inquire(merchant, key, date), 'inquiry'));
  });
  router.post('/card/v2/charge/:id/void', secret, (req, res) => {
    const merchant = merchantOf(res);
    const charge = cardCharge(merchant, param(req, 'id'), 'void');
    parseParams(VoidParams, body(req));
    res.json(chargeWire(charges.voidCharge(merchant, charge)));
  });
  router.post('/card/v2/charge/:id/settle', secret, (req, res) => {
    const merchant = merchantOf(res);
    const charge = cardCharge(merchant, param(req, 'id'), 'settle');
    res.json(chargeWire(charges.settle(merchant, charge, parseParams(SettleParams, body(req)))));
  });
  router.post('/card/v2/charge/:id/refund', secret, (req, res) => {
    const merchant = merchantOf(res);
    const charge = cardCharge(merchant, param(req, 'id'), 'refund');
    const result = charges.refund(merchant, charge, parseParams(RefundParams, body(req)));
    res.json(refundWire(result.charge, result.refund));
  });

  // ── Customer API (§6.2) ──
  router.post('/card/v2/customer', secret, (req, res) => {
    const params = parseParams(CreateCustomerParams, body(req));
    res.json(createdCustomerWire(customers.create(merchantOf(res), params)));
  });
  router.get('/card/v2/customer/:id', secret, (req, res) => {
    res.json(customerWire(customers.get(merchantOf(res), param(req, 'id'))));
  });
  // The table says POST, the sample PATCH (decisions.md 8): both.
  router.post('/card/v2/customer/:id', secret, updateCustomer);
  router.patch('/card/v2/customer/:id', secret, updateCustomer);
  router.delete('/card/v2/customer/:id', secret, (req, res) => {
    const customer = customers.delete(merchantOf(res), param(req, 'id'));
    res.json({ id: customer.id, object: 'customer', deleted: true, livemode: false });
  });
  router.post('/card/v2/customer/:id/card', secret, (req, res) => {
    const params = parseParams(AddCardParams, body(req));
    res.json(customerWire(customers.addCard(merchantOf(res), param(req, 'id'), params.token)));
  });
  router.delete('/card/v2/customer/:id/card/:cardId', secret, (req, res) => {
    const card = customers.deleteCard(merchantOf(res), param(req, 'id'), param(req, 'cardId'));
    // The table says the customer, the sample the card (§10.20): the sample.
    res.json({ id: card.id, object: 'card', livemode: false, deleted: true });
  });

  function updateCustomer(req: Request, res: express.Response) {
    const params = parseParams(UpdateCustomerParams, body(req));
    res.json(customerWire(customers.update(merchantOf(res), param(req, 'id'), params)));
  }

  return router;
}

/** The hosted card form's backend, with the public key: card tokens and the DCC offer. */
export function cardFormApiRouter({ store, charges }: RouteContext): Router {
  const router = express.Router();
  const publicKey = requireKey(store, ['public'], { faults: false });
  router.post('/ui/v2/token', publicKey, (req, res) => {
    res.json(tokenWire(charges.createToken(merchantOf(res), parseParams(CreateTokenParams, req.body as unknown))));
  });
  router.post('/ui/v2/dcc-offer', publicKey, (req, res) => {
    res.json(dccOffer(merchantOf(res), parseParams(DccOfferParams, req.body as unknown)));
  });
  return router;
}

/** Sandbox controls (not part of the real gateway), with the secret key. */
export function controlRouter({ store, charges }: RouteContext): Router {
  const router = express.Router();
  const secret = requireKey(store, ['secret'], { faults: false });
  router.get('/_sandbox/kpayment/settings', secret, (_req, res) => {
    res.json(settingsWire(merchantOf(res)));
  });
  router.post('/_sandbox/kpayment/settings', secret, (req, res) => {
    res.json(applySettings(merchantOf(res), req.body as unknown));
  });
  router.post('/_sandbox/kpayment/scenario', secret, (req, res) => {
    res.json({ object: 'scenario', ...replaceScenario(merchantOf(res), parseParams(FaultScenarioParams, req.body as unknown)) });
  });
  router.get('/_sandbox/kpayment/scenario', secret, (_req, res) => {
    res.json(scenarioWire(merchantOf(res)));
  });
  router.get('/_sandbox/kpayment/notify-deliveries', secret, (_req, res) => {
    res.json({ object: 'list', data: merchantOf(res).deliveries });
  });
  /** The 3-D Secure page's two steps in one call, for tests without a browser. */
  router.post('/_sandbox/kpayment/charges/:id/authenticate', secret, (req, res) => {
    const merchant = merchantOf(res);
    const charge = charges.charge(merchant, param(req, 'id'));
    const { otp } = parseParams(OtpForm, req.body as unknown);
    if (!charges.awaitingOtp(charge)) throw new KpaymentApiError('invalid_parameter', 'this payment is no longer waiting for authentication');
    charges.requestOtp(charge);
    res.json(chargeWire(charges.authenticate(merchant, charge, otp), 'inquiry'));
  });
  return router;
}
