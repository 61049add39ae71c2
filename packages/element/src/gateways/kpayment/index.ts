// `@payment-checkout/element/kpayment`: K-Payment's browser helpers, e.g. for a page that saves a card
// (register-3D) with the same kpayment.min.js form as the element's.
export {
  type CardForm,
  type CardFormCallbacks,
  CardFormError,
  type CardFormOptions,
  type KPaymentFormParams,
  type KPaymentJs,
  mountCardForm,
} from './script-form.ts';
