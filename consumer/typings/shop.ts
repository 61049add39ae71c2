// A TypeScript shop against the installed packages' typings (consumer.spec.ts type-checks it with the user's tsc).
import express from 'express';
import { type CheckoutOptions, createCheckout } from '@payment-checkout/server';
import { createSandbox } from '@payment-checkout/sandbox';
import '@payment-checkout/element/define';
import { type CheckoutSuccessEvent, PaymentCheckout } from '@payment-checkout/element';

const options: CheckoutOptions = {
  resolveOrder: async () => ({ amount: 150_000, currency: 'THB' }),
  publicBaseUrl: 'https://shop.example',
  resultUrl: '/result?paymentId={paymentId}',
};
const router = createCheckout(options);
const app = express();
app.use(router);
const csp: string = router.checkout.contentSecurityPolicy().header;
void createSandbox;
void csp;

// A lookup that answers undefined for an unknown order (the companion answers 404 order_not_found).
const orders = new Map<string, { total: number }>();
createCheckout({ ...options, resolveOrder: async (orderId) => orders.get(orderId) && { amount: 150_000, currency: 'THB' } });

// @ts-expect-error an amount is a number of minor units, not a string
createCheckout({ ...options, resolveOrder: async () => ({ amount: '1500.00', currency: 'THB' }) });

// The tag, its properties and its events are typed.
const element = document.createElement('payment-checkout');
const same: PaymentCheckout = element;
element.orderId = 'ord_1';
element.addEventListener('checkout-success', (event: CheckoutSuccessEvent) => console.log(event.payment.id, same.orderId));
// @ts-expect-error the order id is a string
element.orderId = 42;
