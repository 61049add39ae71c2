// The companion's public surface. The lines under "Gateway modules" list the built-in gateways' own exports.
export { createCheckout, type Checkout, type CheckoutGateways, type CheckoutRouter } from './checkout.ts';
export { CLOSE_WAIT_MS, RECEIVE_TIMEOUT_MS, closeHttpServer, startCheckoutServer, type CheckoutServer } from './server.ts';
export { loadConfigFromEnv, CheckoutEnv, type EnvConfig } from './env.ts';
export { contentSecurityPolicy, CSP_DIRECTIVES, type ContentSecurityPolicy, type CspDirective, type CspSources } from './common/csp.ts';
export {
  CheckoutConfigError,
  CheckoutOptionsSchema,
  OrderAmount,
  SANDBOX_TEST_KEYS,
  Shopper,
  parseCheckoutOptions,
  type CheckoutHooks,
  type CheckoutOptions,
  type Payment,
  type PaymentHook,
  type ResolveCustomer,
  type ResolveOrder,
  type ResolvedCheckoutOptions,
} from './options.ts';
export { consoleLogger, redactingLogger, type Logger } from './common/logger.ts';
export { CheckoutService, type HookDeliveryReport, type ReconcileReport } from './services/checkout-service.ts';
export type { CustomerPurpose, HookDelivery } from './common/host.ts';
export { HOOK_DELIVERY_DEFAULTS, type HookDeliverySettings } from './services/hook-outbox.ts';
export { Operations, PaymentListQuery, PaymentSummary, type PaymentDetail, type PaymentPage } from './services/operations.ts';
export type { OperationsToken } from './http/operations-routes.ts';
export { decideTransition, type HookName, type Observation, type TransitionResult } from './services/payment-machine.ts';
export { GatewayError, type ChargeForm, type PaymentGateway, type GatewayStatus, type StartedPayment, type StartPaymentInput, type WebhookInput, type WebhookNotice } from './gateways/gateway.ts';
export type { GatewayContext, GatewayDefinition, GatewayModule, GatewayPlugin, PaymentInbox, WebhookOutcome } from './gateways/module.ts';
export { BUILTIN_GATEWAYS, type BuiltinGatewayId, type BuiltinGatewayModules } from './gateways/index.ts';

// Gateway modules: Opn Payments.
export { opn, OPN, type OpnModule, type OpnSettings } from './gateways/opn/opn-module.ts';
export { OpnOptions, type ResolvedOpnOptions } from './gateways/opn/opn-options.ts';
export { OpnClient, OPN_API_VERSION, type OpnClientOptions, type CreateChargeParams, type CreateSourceParams } from './gateways/opn/opn-client.ts';
export { OpnApiError, OpnClientError, OpnNetworkError, OpnResponseError, OpnTimeoutError } from './gateways/opn/opn-errors.ts';
export { OpnGateway } from './gateways/opn/opn-gateway.ts';
export { registerSandboxWebhook } from './gateways/opn/sandbox-registration.ts';
// Gateway modules: KBank K-Payment Gateway.
export { kpayment, KPAYMENT, type KpaymentModule, type KpaymentSettings } from './gateways/kpayment/kpayment-module.ts';
export {
  KPAYMENT_HOSTS,
  KPAYMENT_SANDBOX_MID,
  KpaymentOptions,
  SmartpayOptions,
  type CardRegistrationView,
  type ResolvedKpaymentOptions,
} from './gateways/kpayment/kpayment-options.ts';
export {
  KpaymentClient,
  type KpaymentClientOptions,
  type KpaymentCreateChargeParams,
  type KpaymentCreateRedirectChargeParams,
  type KpaymentCreateOrderParams,
  type KpaymentChargeMode,
} from './gateways/kpayment/kpayment-client.ts';
export {
  KpaymentApiError,
  KpaymentClientError,
  KpaymentNetworkError,
  KpaymentResponseError,
  KpaymentTimeoutError,
  outcomeUnknown,
} from './gateways/kpayment/kpayment-errors.ts';
export { KpaymentGateway } from './gateways/kpayment/kpayment-gateway.ts';
export { registerKpaymentSandbox } from './gateways/kpayment/sandbox-registration.ts';

export { SqliteStore } from './store/sqlite-store.ts';
export { PostgresStore, type PostgresStoreOptions } from './store/postgres-store.ts';
export { CardRegistration, ShopperCustomer, isCardStore, type CardStore } from './store/card-store.ts';
export {
  PaymentRecord,
  PaymentEvent,
  StoreConflictError,
  type PaymentStore,
  type NewPayment,
  type PaymentPatch,
  type PaymentChange,
  type PaymentUpdate,
  type PaymentSearch,
  HookOutboxEntry,
  type HookClaimQuery,
  type HookOutcome,
  type OutboxHook,
  type ReconcileClaim,
  type ReconcileClaimQuery,
  type ReconcileSchedule,
  type UpdateContext,
} from './store/store.ts';
