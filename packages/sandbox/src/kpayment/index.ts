import express, { type Request, type Router } from 'express';
import type { TimerSource } from '../clock.ts';
import { merchantForKey } from './auth.ts';
import { cardFormRouter } from './card-form.ts';
import { KpaymentCharges } from './charges.ts';
import { KpaymentCustomers } from './customers.ts';
import { DEFAULT_NOTIFY_RETRY_DELAYS_MS } from './data.ts';
import { KpaymentApiError, kpaymentErrorBody, kpaymentErrorHandler } from './errors.ts';
import { NotifyDispatcher } from './notify.ts';
import type { SettingsInput } from './params.ts';
import { cardFormApiRouter, controlRouter, kpaymentApiRouter } from './routes.ts';
import { chargeWire } from './serialize.ts';
import { applySettings, settingsWire } from './settings.ts';
import { KpaymentStore, type NotifyAttempt } from './state.ts';
import { threeDSecureRouter } from './three-ds-page.ts';

export { KPAYMENT_JS } from './kpayment-js.ts';
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
  notifyDeliveries(secretKey: string): NotifyAttempt[];
  /** Resolves when no notify attempt is in flight (later retries do not count). */
  flushNotifications(): Promise<void>;
}

/** Paths of the K-Payment emulator; they do not overlap Opn's (`/charges`, `/sources`, …). */
const JSON_PATHS = ['/card/v2', '/ui/v2/token', '/ui/v2/dcc-offer', '/_sandbox/kpayment'];

/**
 * The K-Payment Gateway card emulator: one Express router to mount at the sandbox's root, its
 * controls, and `close()` for its notify deliveries.
 */
export function kpaymentRoutes(options: KpaymentOptions): { router: Router; controls: KpaymentControls; close(): void } {
  const { clock } = options;
  const store = new KpaymentStore();
  const notifier = new NotifyDispatcher(clock, options.notifyRetryDelaysMs ?? DEFAULT_NOTIFY_RETRY_DELAYS_MS);
  const charges = new KpaymentCharges(store, clock, (merchant, charge) => notifier.enqueue(merchant, charge));
  const customers = new KpaymentCustomers(store, clock, charges);
  clock.addSource(notifier);

  const origin = (req: Request) => options.publicUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host')}`;
  const context = { store, charges, customers, origin };

  const router = express.Router();
  router.use(JSON_PATHS, express.json({ limit: '100kb' }));
  router.use(kpaymentApiRouter(context));
  router.use(cardFormApiRouter(context));
  router.use(cardFormRouter(context));
  router.use(threeDSecureRouter(context));
  router.use(controlRouter(context));
  router.use(['/card/v2', '/_sandbox/kpayment'], (req, res) => {
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
    ],
    controls: [
      'GET|POST /_sandbox/kpayment/settings {callbackUrl, notifyUrl, threeDSecure, mid, dccMid, smartpayIds, installmentPlans, notify} (secret key)',
      'GET /_sandbox/kpayment/notify-deliveries (secret key)',
      'POST /_sandbox/kpayment/charges/:id/authenticate {otp} (secret key)',
    ],
  };
}
