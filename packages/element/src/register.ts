// Registers <payment-checkout>, and exports nothing: the script-tag file's entry (scripts/build-browser.mjs), whose
// first load must hold the whole element and nothing more. Registering twice (or next to another copy) is harmless.
import { PaymentCheckout } from './payment-checkout/payment-checkout.ts';

if (!customElements.get('payment-checkout')) customElements.define('payment-checkout', PaymentCheckout);

declare global {
  interface HTMLElementTagNameMap {
    'payment-checkout': PaymentCheckout;
  }
}
