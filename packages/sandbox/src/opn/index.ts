import express from 'express';
import { type EmulatorContext, type GatewayEmulator, underPrefix } from '../emulator.ts';
import { authorizePageRouter } from './authorize-page.ts';
import { merchantForKey } from './auth.ts';
import { opnControlRouter } from './control-routes.ts';
import { registerWebhookEndpoint } from './controls.ts';
import { DEFAULT_WEBHOOK_RETRY_DELAYS_MS } from './data.ts';
import { type OpnDescription, describeOpn, opnBanner } from './describe.ts';
import { opnErrorBody, opnErrorHandler } from './errors.ts';
import { type FaultScenarioInput, FaultScenarioParams, type FaultScenarioView, replaceScenario } from '../faults.ts';
import { type CompleteChargeParams, CompleteChargeParams as CompleteSchema, parseParams } from './params.ts';
import { OpnPayments } from './payments.ts';
import { opnApiRouter } from './routes.ts';
import { eventWire } from './serialize.ts';
import { type DeliveryAttempt, OpnStore } from './state.ts';
import { WebhookDispatcher } from './webhooks.ts';

export { OMISE_JS } from './omise-js.ts';
export type { OpnDescription } from './describe.ts';
export type { DeliveryAttempt } from './state.ts';

/** Paths whose bodies the Opn emulator parses (JSON or form-encoded, with `source[type]` brackets). */
const BODY_PATHS = ['/sources', '/charges', '/events', '/_sandbox/opn', '/_sandbox/scenario'];

/** Every path the Opn emulator serves: a 404 below one of them is in Opn's error shape. */
const OWN_PATHS = [...BODY_PATHS, '/payments', '/omise.js'];

/** In-process controls (the same as the HTTP control endpoints), addressed by the merchant's secret key. */
export interface OpnControls {
  registerWebhook(secretKey: string, url: string): { object: 'webhook_endpoint'; url: string; secret: string };
  /** Replaces the merchant's fault scenario (`{}` resets); the same as `POST /_sandbox/scenario`. */
  setScenario(secretKey: string, scenario: FaultScenarioInput): FaultScenarioView;
  /** The scenario in force, with its seed and what it has injected so far. */
  scenario(secretKey: string): FaultScenarioView;
  completeCharge(secretKey: string, chargeId: string, decision: Partial<CompleteChargeParams>): ReturnType<OpnPayments['chargeView']>;
  webhookDeliveries(secretKey: string): DeliveryAttempt[];
  events(secretKey: string): ReturnType<typeof eventWire>[];
  /** Resolves when no webhook attempt is in flight (later retries do not count). */
  flushWebhooks(): Promise<void>;
}

/**
 * The Opn Payments emulator: its API, `omise.js`, authorize pages and controls on one Express router, plus
 * its timers. Webhook attempts are retried after `context.webhookRetryDelaysMs` (by default
 * `DEFAULT_WEBHOOK_RETRY_DELAYS_MS`); `authorize_uri` uses `context.publicUrl`.
 */
export function opnEmulator(context: EmulatorContext): GatewayEmulator<'opn', OpnControls, OpnDescription> {
  const { clock } = context;
  const store = new OpnStore();
  const webhooks = new WebhookDispatcher(clock, context.webhookRetryDelaysMs ?? DEFAULT_WEBHOOK_RETRY_DELAYS_MS);
  const payments = new OpnPayments(store, clock, (merchant, event) => webhooks.enqueue(merchant, event));
  clock.addSource({
    nextDueAt: () => payments.nextExpiryAt(),
    runDue: async () => payments.expireDue(),
  });
  clock.addSource(webhooks);

  const router = express.Router();
  router.use(BODY_PATHS, express.json({ limit: '100kb' }), express.urlencoded({ extended: true, limit: '100kb' }));
  router.use(opnApiRouter(store, payments, context));
  router.use(authorizePageRouter(store, payments));
  router.use(opnControlRouter(store, payments));
  router.use(opnErrorHandler);

  const merchant = (secretKey: string) => merchantForKey(store, secretKey, ['secret']);
  const controls: OpnControls = {
    registerWebhook: (secretKey, url) => registerWebhookEndpoint(merchant(secretKey), url),
    setScenario: (secretKey, scenario) => replaceScenario(merchant(secretKey), parseParams(FaultScenarioParams, scenario)),
    scenario: (secretKey) => merchant(secretKey).scenario.view(),
    completeCharge: (secretKey, chargeId, decision) => {
      const m = merchant(secretKey);
      return payments.chargeView(m, payments.complete(m, payments.charge(m, chargeId), parseParams(CompleteSchema, decision)));
    },
    webhookDeliveries: (secretKey) => [...merchant(secretKey).deliveries],
    events: (secretKey) => [...merchant(secretKey).events.values()].map(eventWire),
    flushWebhooks: () => webhooks.idle(),
  };
  return {
    id: 'opn',
    router,
    controls,
    owns: (path) => underPrefix(path, OWN_PATHS),
    errorBody: opnErrorBody,
    errorHandler: opnErrorHandler,
    describe: describeOpn,
    banner: opnBanner,
    close: () => webhooks.close(),
  };
}

