// The element's class, events and helpers, without registering the tag: import `./define.ts` for that. Each
// gateway's own browser helpers are in its folder, exported as `@payment-checkout/element/<gateway>`.
export { PaymentCheckout } from './payment-checkout/payment-checkout.ts';
export { POLL_DELAYS, POLL_LIMIT } from './controllers/poller.ts';
export {
  CheckoutErrorEvent,
  type CheckoutErrorStage,
  CheckoutFailureEvent,
  CheckoutMethodSelectEvent,
  CheckoutRedirectEvent,
  CheckoutSuccessEvent,
} from './events.ts';
export { type Clock, systemClock } from './clock.ts';
export { CompanionClient, CompanionError, type CompanionErrorCode, REQUEST_TIMEOUT_MS, type RequestOptions } from './companion-client.ts';
export { loadScript, ScriptLoadError } from './load-script.ts';
export {
  type GatewayStarter,
  type PreparedFields,
  type ScriptFormAction,
  type StartedForm,
  type StarterContext,
  StarterError,
  type StarterHost,
} from './gateways/starter.ts';
export { type BootTexts, type CheckoutTexts, fillText, formatAmount, type Locale, resolveLocale } from './texts.ts';
