import express, { type Request, type Router } from 'express';
import type { TimerSource } from '../clock.ts';
import { merchantForKey } from './auth.ts';
import { cardFormRouter } from './card-form.ts';
import { KpaymentCharges } from './charges.ts';
import { KpaymentCustomers } from './customers.ts';
import { DEFAULT_NOTIFY_RETRY_DELAYS_MS } from './data.ts';
import { KpaymentApiError, kpaymentErrorBody, kpaymentErrorHandler } from './errors.ts';
import { NotifyDispatcher } from './notify.ts';
import type { SettingsInput, UnionpayPaymentParams } from './params.ts';
import { KpaymentQr } from './qr.ts';
import { qrPopupRouter } from './qr-popup.ts';
import { qrApiRouter, qrControlRouter, qrView } from './qr-routes.ts';
import { qrSimulatorRouter } from './qr-simulator.ts';
import { KpaymentRedirects } from './redirect.ts';
import { redirectPagesRouter } from './redirect-pages.ts';
import { cardFormApiRouter, controlRouter, kpaymentApiRouter } from './routes.ts';
import { chargeWire, notifyWire, qrNotifyWire, redirectChargeWire, redirectNotifyWire } from './serialize.ts';
import { applySettings, settingsWire } from './settings.ts';
import { KpaymentStore, type NotifyAttempt } from './state.ts';
import { threeDSecureRouter } from './three-ds-page.ts';

export { KPAYMENT_JS } from './kpayment-js.ts';
export { crc16, crcValid, decodeTlv, thaiQrPayload, tlv, withCrc } from './thai-qr.ts';
export type { NotifyAttempt } from './state.ts';
export type { SettingsInput as KpaymentSettingsInput } from './params.ts';

/** The sandbox time the emulator reads, and where it registers its notify retries (SandboxClock fits). */
export interface KpaymentClock {
  now(): number;
  addSource(source: TimerSource): void;
}

export interface KpaymentOptions {
  clock: KpaymentClock;
  /** Public origin of the sandbox for `redirect_url` and the card form; by default the origin each request came to. */
  publicUrl?: string;
  /** Delays of sandbox time between notify attempts; one retry per entry. */
  notifyRetryDelaysMs?: readonly number[];
}

/** In-process controls, the same as the `/_sandbox/kpayment/…` endpoints, addressed by the merchant's secret key. */
export interface KpaymentControls {
  settings(secretKey: string): ReturnType<typeof settingsWire>;
  /** Replaces the settings given (callback and notify URLs, 3-D Secure, mids, SmartPay ids and plans) and keeps the others. */
  setSettings(secretKey: string, settings: SettingsInput): ReturnType<typeof settingsWire>;
  /** Requests and enters an OTP on a waiting 3-D Secure charge, as the cardholder would on the page. */
  authenticate(secretKey: string, chargeId: string, otp: string): ReturnType<typeof chargeWire>;
  /** The order's QR code, opened as the script opens it (the same QR every time). */
  openQr(secretKey: string, orderId: string): QrView;
  /** The QR simulator's buttons, by QR id or order id: Pay (K PLUS by default), Fail, Expire. */
  payQr(secretKey: string, qrOrOrderId: string, channel?: 'kplus' | 'other_bank' | 'wechat'): QrView;
  failQr(secretKey: string, qrOrOrderId: string, failureCode?: string): QrView;
  expireQr(secretKey: string, qrOrOrderId: string): QrView;
  /** The Alipay page's Pay / Fail, without the browser (no callback). */
  completeAlipay(secretKey: string, chargeId: string, result: 'pay' | 'fail'): ReturnType<typeof redirectChargeWire>;
  /** The UnionPay pages' card details in one step, without the browser (no callback). */
  completeUnionpay(secretKey: string, chargeId: string, card: UnionpayPaymentParams): ReturnType<typeof redirectChargeWire>;
  notifyDeliveries(secretKey: string): NotifyAttempt[];
  /** Resolves when no notify attempt is in flight (later retries do not count). */
  flushNotifications(): Promise<void>;
}

export type QrView = ReturnType<typeof qrView>;

/** Paths of the K-Payment emulator; they do not overlap Opn's (`/charges`, `/sources`, …). */
const JSON_PATHS = ['/card/v2', '/qr/v2', '/ui/v2/token', '/ui/v2/dcc-offer', '/_sandbox/kpayment'];

/**
 * The K-Payment Gateway card emulator: one Express router to mount at the sandbox's root, its
 * controls, and `close()` for its notify deliveries.
 */
export function kpaymentRoutes(options: KpaymentOptions): { router: Router; controls: KpaymentControls; close(): void } {
  const { clock } = options;
  const store = new KpaymentStore();
  const notifier = new NotifyDispatcher(clock, options.notifyRetryDelaysMs ?? DEFAULT_NOTIFY_RETRY_DELAYS_MS);
  const charges = new KpaymentCharges(store, clock, (merchant, charge) =>
    notifier.enqueue(merchant, { chargeId: charge.id, state: charge.state, body: notifyWire(charge, merchant.secretKey) }),
  );
  const customers = new KpaymentCustomers(store, clock, charges);
  const qr = new KpaymentQr(store, clock, (merchant, charge) =>
    notifier.enqueue(merchant, { chargeId: charge.id, state: charge.state, body: qrNotifyWire(charge, merchant.secretKey) }),
  );
  const redirects = new KpaymentRedirects(store, clock, (merchant, charge) =>
    notifier.enqueue(merchant, { chargeId: charge.id, state: charge.state, body: redirectNotifyWire(charge, merchant.secretKey) }),
  );
  clock.addSource(notifier);

  const origin = (req: Request) => options.publicUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host')}`;
  const context = { store, charges, customers, qr, redirects, origin };

  const router = express.Router();
  router.use(JSON_PATHS, express.json({ limit: '100kb' }));
  router.use(kpaymentApiRouter(context));
  router.use(qrApiRouter(context));
  router.use(cardFormApiRouter(context));
  router.use(cardFormRouter(context));
  router.use(qrPopupRouter(context));
  router.use(threeDSecureRouter(context));
  router.use(redirectPagesRouter(context));
  router.use(qrSimulatorRouter(context));
  router.use(controlRouter(context));
  router.use(qrControlRouter(context));
  router.use(['/card/v2', '/qr/v2', '/_sandbox/kpayment'], (req, res) => {
    res.status(404).json(kpaymentErrorBody('not_found', `path ${req.method} ${req.originalUrl.split('?')[0]} not found`));
  });
  router.use(kpaymentErrorHandler);

  const merchant = (secretKey: string) => merchantForKey(store, secretKey, ['secret']);
  const controls: KpaymentControls = {
    settings: (secretKey) => settingsWire(merchant(secretKey)),
    setSettings: (secretKey, settings) => applySettings(merchant(secretKey), settings),
    authenticate: (secretKey, chargeId, otp) => {
      const m = merchant(secretKey);
      const charge = charges.charge(m, chargeId);
      if (!charges.awaitingOtp(charge)) throw new KpaymentApiError('invalid_parameter', 'this payment is no longer waiting for authentication');
      charges.requestOtp(charge);
      return chargeWire(charges.authenticate(m, charge, otp), 'inquiry');
    },
    openQr: (secretKey, orderId) => {
      const m = merchant(secretKey);
      return qrView(qr, m, qr.openQr(m, qr.order(m, orderId), ''));
    },
    payQr: (secretKey, id, channel) => {
      const m = merchant(secretKey);
      const code = qr.qrByIdOrOrder(m, id);
      qr.pay(m, code, channel);
      return qrView(qr, m, code);
    },
    failQr: (secretKey, id, failureCode) => {
      const m = merchant(secretKey);
      const code = qr.qrByIdOrOrder(m, id);
      qr.fail(m, code, failureCode);
      return qrView(qr, m, code);
    },
    expireQr: (secretKey, id) => {
      const m = merchant(secretKey);
      return qrView(qr, m, qr.expire(m, qr.qrByIdOrOrder(m, id)));
    },
    completeAlipay: (secretKey, chargeId, result) => {
      const m = merchant(secretKey);
      return redirectChargeWire(redirects.alipay(m, redirects.charge(m, chargeId), result));
    },
    completeUnionpay: (secretKey, chargeId, card) => {
      const m = merchant(secretKey);
      return redirectChargeWire(redirects.unionpay(m, redirects.charge(m, chargeId), card));
    },
    notifyDeliveries: (secretKey) => [...merchant(secretKey).deliveries],
    flushNotifications: () => notifier.idle(),
  };
  return { router, controls, close: () => notifier.close() };
}

/** What the K-Payment emulator serves, for the sandbox's `GET /` and the standalone command's banner. */
export function describeKpayment(origin: string) {
  return {
    api: origin,
    kpayment_js: `${origin}/ui/v2/kpayment.min.js`,
    keys: 'any pkey_test_<x> / skey_test_<x> pair is a merchant of its own (header x-api-key)',
    endpoints: [
      'POST /card/v2/charge',
      'GET /card/v2/charge/:charge_id|reference_order|order_id[/:transaction_date]',
      'POST /card/v2/charge/:id/void',
      'POST /card/v2/charge/:id/settle',
      'POST /card/v2/charge/:id/refund',
      'POST /card/v2/customer',
      'GET|POST|PATCH|DELETE /card/v2/customer/:id',
      'POST /card/v2/customer/:id/card',
      'DELETE /card/v2/customer/:id/card/:card_id',
      'POST /ui/v2/token (public key; the card form\'s backend)',
      'GET /KPGW-Auth3d-Webapi/Authorize/:auth_id (3-D Secure page, OTP 123456)',
      'POST /card/v2/charge {source_type: alipay|unionpay} → redirect_url',
      'GET /kpgw/alipay/:redr_id (Alipay page: QR, Pay / Fail)',
      'GET /kpgw/unionpay/:redr_id (UnionPay page: §7.3 test cards)',
      'POST /qr/v2/order {source_type: qr|wechat}',
      'GET /qr/v2/order/:order_id',
      'GET /qr/v2/qr/:charge_id|order_id',
      'POST /qr/v2/qr/:charge_id/void',
      'POST /qr/v2/qr/:qr_id/cancel',
      'GET /ui/v2/qr-popup (the QR popup kpayment.min.js opens for data-payment-methods="qr"|"wechat")',
    ],
    qr_simulator: `${origin}/_sandbox/kpayment/qr-simulator`,
    controls: [
      'GET|POST /_sandbox/kpayment/settings {callbackUrl, notifyUrl, threeDSecure, mid, dccMid, smartpayIds, installmentPlans, notify} (secret key)',
      'GET /_sandbox/kpayment/notify-deliveries (secret key)',
      'POST /_sandbox/kpayment/charges/:id/authenticate {otp} (secret key)',
      'GET /_sandbox/kpayment/qr-simulator[?qr=:qr_id] (QR Simulator page: Pay, Fail, Expire)',
      'POST /_sandbox/kpayment/orders/:order_id/qr (secret key; opens the order\'s QR as the script does)',
      'GET /_sandbox/kpayment/qr/:qr_id (secret key)',
      'POST /_sandbox/kpayment/qr/:qr_id|order_id/pay {channel: kplus|other_bank|wechat} (secret key)',
      'POST /_sandbox/kpayment/qr/:qr_id|order_id/fail {failure_code} (secret key)',
      'POST /_sandbox/kpayment/qr/:qr_id|order_id/expire (secret key)',
      'POST /_sandbox/kpayment/charges/:id/alipay {result: pay|fail} (secret key)',
      'POST /_sandbox/kpayment/charges/:id/unionpay {card_number, expiry, cvn2, sms_code, pin} (secret key)',
    ],
  };
}
