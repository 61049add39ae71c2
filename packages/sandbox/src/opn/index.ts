import express, { type Router } from 'express';
import type { SandboxClock } from '../clock.ts';
import { authorizePageRouter } from './authorize-page.ts';
import { merchantForKey } from './auth.ts';
import { opnControlRouter } from './control-routes.ts';
import { registerWebhookEndpoint, setScenario } from './controls.ts';
import { opnErrorHandler } from './errors.ts';
import { type CompleteChargeParams, type ScenarioInput, type ScenarioParams, CompleteChargeParams as CompleteSchema, ScenarioParams as ScenarioSchema, parseParams } from './params.ts';
import { OpnPayments } from './payments.ts';
import { opnApiRouter } from './routes.ts';
import { eventWire } from './serialize.ts';
import { type DeliveryAttempt, OpnStore } from './state.ts';
import { WebhookDispatcher } from './webhooks.ts';

export { OMISE_JS } from './omise-js.ts';
export type { DeliveryAttempt } from './state.ts';

/** Paths whose bodies the Opn emulator parses (JSON or form-encoded, with `source[type]` brackets). */
const BODY_PATHS = ['/sources', '/charges', '/events', '/_sandbox/opn', '/_sandbox/scenario'];

export interface OpnEmulatorOptions {
  clock: SandboxClock;
  webhookRetryDelaysMs: readonly number[];
  /** Origin used in `authorize_uri`; by default the origin the caller reached the sandbox at. */
  publicUrl?: string;
}

/** In-process controls (the same as the HTTP control endpoints), addressed by the merchant's secret key. */
export interface OpnControls {
  registerWebhook(secretKey: string, url: string): { object: 'webhook_endpoint'; url: string; secret: string };
  setScenario(secretKey: string, scenario: ScenarioInput): ScenarioParams;
  completeCharge(secretKey: string, chargeId: string, decision: Partial<CompleteChargeParams>): ReturnType<OpnPayments['chargeView']>;
  webhookDeliveries(secretKey: string): DeliveryAttempt[];
  events(secretKey: string): ReturnType<typeof eventWire>[];
  /** Resolves when no webhook attempt is in flight (later retries do not count). */
  flushWebhooks(): Promise<void>;
}

/** The Opn Payments emulator: one Express router plus its timers, mounted on the sandbox app. */
export function createOpnEmulator(options: OpnEmulatorOptions): { router: Router; controls: OpnControls; close(): void } {
  const { clock } = options;
  const store = new OpnStore();
  const webhooks = new WebhookDispatcher(clock, options.webhookRetryDelaysMs);
  const payments = new OpnPayments(store, clock, (merchant, event) => webhooks.enqueue(merchant, event));
  clock.addSource({
    nextDueAt: () => payments.nextExpiryAt(),
    runDue: async () => payments.expireDue(),
  });
  clock.addSource(webhooks);

  const router = express.Router();
  router.use(BODY_PATHS, express.json({ limit: '100kb' }), express.urlencoded({ extended: true, limit: '100kb' }));
  router.use(opnApiRouter(store, payments, options));
  router.use(authorizePageRouter(store, payments));
  router.use(opnControlRouter(store, payments));
  router.use(opnErrorHandler);

  const merchant = (secretKey: string) => merchantForKey(store, secretKey, ['secret']);
  const controls: OpnControls = {
    registerWebhook: (secretKey, url) => registerWebhookEndpoint(merchant(secretKey), url),
    setScenario: (secretKey, scenario) => {
      const { object: _, ...rest } = setScenario(merchant(secretKey), parseParams(ScenarioSchema, scenario));
      return rest;
    },
    completeCharge: (secretKey, chargeId, decision) => {
      const m = merchant(secretKey);
      return payments.chargeView(m, payments.complete(m, payments.charge(m, chargeId), parseParams(CompleteSchema, decision)));
    },
    webhookDeliveries: (secretKey) => [...merchant(secretKey).deliveries],
    events: (secretKey) => [...merchant(secretKey).events.values()].map(eventWire),
    flushWebhooks: () => webhooks.idle(),
  };
  return { router, controls, close: () => webhooks.close() };
}

