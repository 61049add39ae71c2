import express, { type Request, type Router } from 'express';
import { toMajor } from './cards.ts';
import { merchantOf, param, requireKey } from './auth.ts';
import { kpaymentTime } from './ids.ts';
import { AlipayResultParams, CreateOrderParams, QrFailParams, QrPayParams, UnionpayPaymentParams, parseParams } from './params.ts';
import type { KpaymentQr } from './qr.ts';
import type { RouteContext } from './routes.ts';
import { orderWire, qrCancelWire, qrChargeWire, redirectChargeWire } from './serialize.ts';
import type { Merchant, QrRecord } from './state.ts';

/** The Order API (§6.3) and the QR API (§6.4) at the guide's paths, with `x-api-key` (secret key). */
export function qrApiRouter({ store, qr }: RouteContext): Router {
  const router = express.Router();
  const secret = requireKey(store, ['secret'], { faults: true });

  router.post('/qr/v2/order', secret, (req, res) => {
    res.json(orderWire(qr.createOrder(merchantOf(res), parseParams(CreateOrderParams, req.body as unknown))));
  });
  router.get('/qr/v2/order/:id', secret, (req, res) => {
    res.json(orderWire(qr.order(merchantOf(res), param(req, 'id'))));
  });
  router.get('/qr/v2/qr/:key', secret, (req, res) => {
    res.json(qrChargeWire(qr.inquire(merchantOf(res), param(req, 'key'))));
  });
  // No request body (L2938–2940, L3008–3010).
  router.post('/qr/v2/qr/:id/void', secret, (req, res) => {
    const { charge, refusal } = qr.voidCharge(merchantOf(res), param(req, 'id'));
    res.json(qrChargeWire(charge, refusal));
  });
  router.post('/qr/v2/qr/:id/cancel', secret, (req, res) => {
    const result = qr.cancel(merchantOf(res), param(req, 'id'));
    res.json(qrCancelWire(result.qr, result.refusal));
  });
  return router;
}

/** A QR code as the controls and the simulator see it (not a gateway object). */
export function qrView(service: KpaymentQr, merchant: Merchant, code: QrRecord) {
  service.catchUpQr(code);
  const order = service.order(merchant, code.orderId);
  return {
    object: 'sandbox_qr' as const,
    id: code.id,
    order_id: code.orderId,
    source_type: order.sourceType,
    state: code.state,
    amount: toMajor(order.amount, order.currency),
    currency: order.currency,
    reference_order: order.referenceOrder,
    description: order.description,
    payload: code.payload,
    created: kpaymentTime(code.createdAt),
    expires: kpaymentTime(code.expiresAt),
    seconds_left: service.secondsLeft(code),
    charge_id: code.chargeId,
  };
}

/**
 * Sandbox controls for QR and redirect payments (not part of the real gateway), with the secret key: what
 * the QR simulator's buttons and the Alipay / UnionPay pages do, for tests without a browser.
 */
export function qrControlRouter({ store, qr, redirects }: RouteContext): Router {
  const router = express.Router();
  const secret = requireKey(store, ['secret'], { faults: false });
  const body = (req: Request) => req.body as unknown;

  /** Opens an order's QR as the script does (the same QR every time). */
  router.post('/_sandbox/kpayment/orders/:orderId/qr', secret, (req, res) => {
    const merchant = merchantOf(res);
    res.json(qrView(qr, merchant, qr.openQr(merchant, qr.order(merchant, param(req, 'orderId')), '')));
  });
  router.get('/_sandbox/kpayment/qr/:id', secret, (req, res) => {
    const merchant = merchantOf(res);
    res.json(qrView(qr, merchant, qr.qr(merchant, param(req, 'id'))));
  });
  // By QR id, or by order id (its QR is opened first): the simulator's Pay, Fail and Expire.
  router.post('/_sandbox/kpayment/qr/:id/pay', secret, (req, res) => {
    const merchant = merchantOf(res);
    const code = qr.qrByIdOrOrder(merchant, param(req, 'id'));
    qr.pay(merchant, code, parseParams(QrPayParams, body(req)).channel);
    res.json(qrView(qr, merchant, code));
  });
  router.post('/_sandbox/kpayment/qr/:id/fail', secret, (req, res) => {
    const merchant = merchantOf(res);
    const code = qr.qrByIdOrOrder(merchant, param(req, 'id'));
    qr.fail(merchant, code, parseParams(QrFailParams, body(req)).failure_code);
    res.json(qrView(qr, merchant, code));
  });
  router.post('/_sandbox/kpayment/qr/:id/expire', secret, (req, res) => {
    const merchant = merchantOf(res);
    const code = qr.qrByIdOrOrder(merchant, param(req, 'id'));
    res.json(qrView(qr, merchant, qr.expire(merchant, code)));
  });

  router.post('/_sandbox/kpayment/charges/:id/alipay', secret, (req, res) => {
    const merchant = merchantOf(res);
    const charge = redirects.charge(merchant, param(req, 'id'));
    res.json(redirectChargeWire(redirects.alipay(merchant, charge, parseParams(AlipayResultParams, body(req)).result)));
  });
  router.post('/_sandbox/kpayment/charges/:id/unionpay', secret, (req, res) => {
    const merchant = merchantOf(res);
    const charge = redirects.charge(merchant, param(req, 'id'));
    res.json(redirectChargeWire(redirects.unionpay(merchant, charge, parseParams(UnionpayPaymentParams, body(req)))));
  });
  return router;
}
