import type { Router } from 'express';
import type { z } from 'zod';
import type { Gateway } from '@payment-checkout/core';
import type { ConfigIssue } from '../common/config-error.ts';
import type { ResolveCustomer } from '../common/host.ts';
import type { Logger } from '../common/logger.ts';
import type { CspSources } from '../common/csp.ts';
import type { PaymentStore } from '../store/store.ts';
import type { CardStore } from '../store/card-store.ts';
import type { PaymentGateway, WebhookInput } from './gateway.ts';

/**
 * A gateway module: everything the companion needs from one gateway, from one factory in the gateway's own
 * folder (`opn(options)`, `kpayment(options)`). `createCheckout` loops over the configured modules and names
 * none; adding a gateway is a folder plus a line in `gateways/index.ts` (or in the host's `gateways` list).
 */
export interface GatewayPlugin<M extends GatewayModule = GatewayModule> {
  readonly id: Gateway;
  /** Builds the module for one companion (its URL, store, logger, clock). */
  create(context: GatewayContext): M;
}

/** What the companion gives a gateway module when it builds it. */
export interface GatewayContext {
  /** Where browsers reach the companion: the module's routes are mounted at its root. */
  publicBaseUrl: string;
  logger: Logger;
  now: () => number;
  store: PaymentStore;
  /** The store's saved-card half, when it has one. */
  cardStore: CardStore | null;
  resolveCustomer?: ResolveCustomer;
  /** Seconds of clock skew accepted on webhook signatures (0 or less: the module's default). */
  webhookToleranceSeconds?: number;
}

export interface GatewayModule<Client = unknown, Settings extends object = object> {
  readonly id: Gateway;
  /** The adapter the services drive. */
  readonly gateway: PaymentGateway;
  /** The gateway's API client, for the host's own calls (refunds, customers…). */
  readonly client: Client;
  /** The settings in use, without secrets (shown to the host). */
  readonly settings: Settings;
  /** What the start-up log says of it (URLs, public key, sandbox). */
  readonly summary: Record<string, unknown>;
  /** Values the logger must never print (secret keys, webhook secrets); read at each log line, so it may grow. */
  readonly secrets: readonly string[];
  /** Runs against the sandbox (the browser's config says so). */
  readonly sandbox: boolean;
  /** Settles when the module can take webhooks (sandbox registration); rejects, after logging, when that failed. */
  readonly ready: Promise<void>;
  /** Paths of the module's browser routes (form posts, callbacks): errors there are answered as a page, not JSON. */
  readonly browserPaths: readonly string[];
  /**
   * The origins its browser side uses, by Content-Security-Policy directive (its script, the frames and calls the
   * script makes, the pages its forms lead to), from its configured URLs; `checkout.contentSecurityPolicy()` merges them.
   */
  readonly browserSources?: CspSources;
  /** Its browser and webhook routes, under paths it owns, calling back into the companion through `inbox`. */
  routes(inbox: PaymentInbox): Router;
  close?(): Promise<void>;
}

/** What a webhook route answers. */
export interface WebhookOutcome {
  received: true;
  paymentId?: string;
  status?: string;
  ignored?: string;
}

/**
 * What the companion's services offer a module's routes: the inbound results. Implemented in `services/`
 * and handed over when the routes are mounted, so that nothing under `gateways/` imports a service.
 */
export interface PaymentInbox {
  /** The form a gateway's script posts back for a payment (a card token): answers where to send the browser. */
  submitChargeForm(paymentId: string, token: unknown, form: Record<string, string>): Promise<string>;
  /** A charge id the browser brought back for a payment (a QR's completion): answers the result URL. */
  completeCharge(paymentId: string, token: unknown, chargeId: string): Promise<string>;
  /** A gateway callback with a charge id (3-D Secure): the result URL, or null when no payment has that charge. */
  completeCallback(gateway: Gateway, chargeId: string, detail?: Record<string, unknown>): Promise<string | null>;
  /** A webhook; `unknownCharge` is asked about a charge no payment has (a card registration's). */
  handleWebhook(gateway: Gateway, input: WebhookInput, unknownCharge?: (chargeId: string) => Promise<WebhookOutcome | null>): Promise<WebhookOutcome>;
}

/**
 * A built-in gateway, as `createCheckout({ [id]: options })` and `loadConfigFromEnv` know it: the options a
 * merchant writes (a zod schema: its issues are reported with the rest), how they are completed, the
 * environment variables that set them, and the factory.
 */
export interface GatewayDefinition<Input = unknown, Resolved = unknown, M extends GatewayModule = GatewayModule> {
  readonly id: Gateway;
  /** The gateway's name for messages ("Opn", "K-Payment"). */
  readonly name: string;
  readonly options: z.ZodType<unknown, Input>;
  /** Defaults and cross-field checks on parsed options; pushes issues with paths under the gateway's id. */
  resolve(options: unknown, issues: ConfigIssue[]): Resolved;
  readonly env: {
    /** The gateway's environment variables (each `envVar(...)`). */
    schema: z.ZodObject;
    /**
     * The options the variables give, or null when none of them is set (the gateway is then off, unless no
     * gateway is on at all: the first listed one then runs against the sandbox).
     */
    read(vars: Record<string, unknown>, issues: ConfigIssue[], fallback: boolean): Input | null;
  };
  plugin(resolved: Resolved): GatewayPlugin<M>;
}
