export { createCheckout, type Checkout, type CheckoutRouter } from './checkout.ts';
export { startCheckoutServer, type CheckoutServer } from './server.ts';
export { loadConfigFromEnv, CheckoutEnv, type EnvConfig } from './env.ts';
export {
  CheckoutConfigError,
  CheckoutOptionsSchema,
  KPAYMENT_HOSTS,
  KpaymentOptions,
  Shopper,
  SmartpayOptions,
  type CardRegistrationView,
  type ResolveCustomer,
  type ResolvedKpaymentOptions,
  OrderAmount,
  SANDBOX_TEST_KEYS,
  parseCheckoutOptions,
  type CheckoutHooks,
  type CheckoutOptions,
  type OpnOptions,
  type Payment,
  type PaymentHook,
  type ResolveOrder,
  type ResolvedCheckoutOptions,
} from './options.ts';
export { consoleLogger, redactingLogger, type Logger } from './logger.ts';
export { CheckoutService, type ReconcileReport, type WebhookOutcome } from './services/checkout-service.ts';
export { decideTransition, type HookName, type Observation, type TransitionResult } from './services/payment-machine.ts';
export { GatewayError, type ChargeForm, type PaymentGateway, type GatewayStatus, type StartedPayment, type StartPaymentInput, type WebhookNotice } from './gateways/gateway.ts';
export { OpnClient, OPN_API_VERSION, type OpnClientOptions, type CreateChargeParams, type CreateSourceParams } from './gateways/opn/opn-client.ts';
export { OpnApiError, OpnClientError, OpnNetworkError, OpnResponseError, OpnTimeoutError } from './gateways/opn/opn-errors.ts';
export { OpnGateway } from './gateways/opn/opn-gateway.ts';
export { registerSandboxWebhook } from './gateways/opn/sandbox-registration.ts';
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
export {
  PaymentRecord,
  PaymentEvent,
  CardRegistration,
  ShopperCustomer,
  isCardStore,
  type CardStore,
  StoreConflictError,
  type PaymentStore,
  type NewPayment,
  type PaymentPatch,
  type PaymentChange,
  type PaymentUpdate,
  type UpdateContext,
} from './store/store.ts';
