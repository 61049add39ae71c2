import express, { type Request } from 'express';
import { type EmulatorContext, type GatewayEmulator, underPrefix } from '../emulator.ts';
import { merchantForKey } from './auth.ts';
import { cardFormRouter } from './card-form.ts';
import { KpaymentCharges } from './charges.ts';
import { KpaymentCustomers } from './customers.ts';
import { DEFAULT_NOTIFY_RETRY_DELAYS_MS } from './data.ts';
import { type KpaymentDescription, describeKpayment, kpaymentBanner } from './describe.ts';
import { KpaymentApiError, kpaymentErrorBody, kpaymentErrorHandler } from './errors.ts';
import { NotifyDispatcher } from './notify.ts';
import { type FaultScenarioInput, FaultScenarioParams, type FaultScenarioView, replaceScenario } from '../faults.ts';
import { type SettingsInput, type UnionpayPaymentParams, parseParams } from './params.ts';
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

export { kpaymentJs } from './kpayment-js.ts';
export type { KpaymentDescription } from './describe.ts';
export { crc16, crcValid, decodeTlv, thaiQrPayload, tlv, withCrc } from './thai-qr.ts';
export type { NotifyAttempt } from './state.ts';
export type { SettingsInput as KpaymentSettingsInput } from './params.ts';

export interface KpaymentOptions {
  /** Delays of sandbox time between notify attempts; one retry per entry (default `DEFAULT_NOTIFY_RETRY_DELAYS_MS`). */
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
  /** Replaces the merchant's fault scenario (`{}` resets); the same as `POST /_sandbox/kpayment/scenario`. */
  setScenario(secretKey: string, scenario: FaultScenarioInput): FaultScenarioView;
  /** The scenario in force, with its seed and what it has injected so far. */
  scenario(secretKey: string): FaultScenarioView;
  notifyDeliveries(secretKey: string): NotifyAttempt[];
  /** Resolves when no notify attempt is in flight (later retries do not count). */
  flushNotifications(): Promise<void>;
}

export type QrView = ReturnType<typeof qrView>;

/** Paths of the K-Payment emulator; they do not overlap Opn's (`/charges`, `/sources`, …). */
const JSON_PATHS = ['/card/v2', '/qr/v2', '/ui/v2/token', '/ui/v2/dcc-offer', '/_sandbox/kpayment'];

/** The APIs' paths: a 404 below one of them is in K-Payment's error shape (other paths' 404 is the sandbox's). */
const API_PATHS = ['/card/v2', '/qr/v2', '/_sandbox/kpayment'];

/**
 * The K-Payment Gateway emulator: its APIs, script, hosted pages, QR Simulator and controls on one Express
 * router to mount at the sandbox's root, plus its notify deliveries. Notify retries follow
 * `options.notifyRetryDelaysMs`; `context.webhookRetryDelaysMs` does not apply (that option of `createSandbox`
 * tunes Opn's webhooks only).
 */
export function kpaymentEmulator(
  context: EmulatorContext,
  options: KpaymentOptions = {},
): GatewayEmulator<'kpayment', KpaymentControls, KpaymentDescription> {
  const { clock } = context;
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

  const origin = (req: Request) => context.publicUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host')}`;
  const routeContext = { store, charges, customers, qr, redirects, origin };

  const router = express.Router();
  router.use(JSON_PATHS, express.json({ limit: '100kb' }));
  router.use(kpaymentApiRouter(routeContext));
  router.use(qrApiRouter(routeContext));
  router.use(cardFormApiRouter(routeContext));
  router.use(cardFormRouter(routeContext));
  router.use(qrPopupRouter(routeContext));
  router.use(threeDSecureRouter(routeContext));
  router.use(redirectPagesRouter(routeContext));
  router.use(qrSimulatorRouter(routeContext));
  router.use(controlRouter(routeContext));
  router.use(qrControlRouter(routeContext));
  // Its own 404 below its APIs is inside the router, so that it answers wherever the router is mounted (its tests).
  router.use(API_PATHS, (req, res) => {
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
    setScenario: (secretKey, scenario) => replaceScenario(merchant(secretKey), parseParams(FaultScenarioParams, scenario)),
    scenario: (secretKey) => merchant(secretKey).scenario.view(),
    notifyDeliveries: (secretKey) => [...merchant(secretKey).deliveries],
    flushNotifications: () => notifier.idle(),
  };
  return {
    id: 'kpayment',
    router,
    controls,
    owns: (path) => underPrefix(path, API_PATHS),
    errorBody: (refusal, message) => kpaymentErrorBody(refusal === 'bad_request' ? 'invalid_parameter' : refusal, message),
    errorHandler: kpaymentErrorHandler,
    describe: describeKpayment,
    banner: kpaymentBanner,
    close: () => notifier.close(),
  };
}
