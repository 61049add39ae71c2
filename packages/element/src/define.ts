// The one module that registers the tag. Importing it twice (or next to another copy) is harmless.
import { PaymentCheckout } from './payment-checkout/payment-checkout.ts';

export * from './index.ts';

if (!customElements.get('payment-checkout')) customElements.define('payment-checkout', PaymentCheckout);

declare global {
  interface HTMLElementTagNameMap {
    'payment-checkout': PaymentCheckout;
  }
}
