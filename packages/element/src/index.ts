// The element's class, events and helpers, without registering the tag: import `./define.ts` for that.
export { PaymentCheckout, POLL_DELAYS, POLL_LIMIT } from './payment-checkout/payment-checkout.ts';
export {
  CheckoutErrorEvent,
  type CheckoutErrorStage,
  CheckoutFailureEvent,
  CheckoutMethodSelectEvent,
  CheckoutRedirectEvent,
  CheckoutSuccessEvent,
} from './events.ts';
export { type Clock, systemClock } from './clock.ts';
export { CompanionClient, CompanionError, type CompanionErrorCode, type RequestOptions } from './companion-client.ts';
export { loadScript, ScriptLoadError } from './load-script.ts';
export {
  type CardForm,
  type CardFormCallbacks,
  CardFormError,
  type CardFormOptions,
  type KPaymentFormParams,
  type KPaymentJs,
  mountCardForm,
} from './kpayment-form.ts';
export { createOpnSource, type OmiseJs, type OpnSourceParams, OpnSourceError } from './opn-source.ts';
export { formatAmount, type Locale, resolveLocale, STRINGS, type Strings } from './i18n.ts';
