import { useState } from 'react';
import { type CheckoutSuccessEvent, PaymentCheckout } from '@payment-checkout/element/react';

/** The companion's base URL: "" when the shop serves it on this origin (as the consumer test does). */
const COMPANION = '';

/**
 * A shop's payment page: `?orderId=…` pays an order; `?paymentId=…` is the return page the companion's `resultUrl`
 * sends the shopper back to, where the element shows the result the companion verified with the gateway.
 */
export function App() {
  const params = new URLSearchParams(window.location.search);
  const orderId = params.get('orderId') ?? undefined;
  const paymentId = params.get('paymentId') ?? undefined;
  const [paidBy, setPaidBy] = useState<string>();

  const onCheckoutSuccess = (event: CheckoutSuccessEvent) => setPaidBy(event.payment.id);

  if (!orderId && !paymentId) return <p>Open this page with <code>?orderId=…</code>.</p>;
  return (
    <main>
      <h1>{paymentId ? 'Your payment' : `Pay order ${orderId}`}</h1>
      <PaymentCheckout endpoint={COMPANION} orderId={orderId} paymentId={paymentId} onCheckoutSuccess={onCheckoutSuccess} />
      {paidBy && <p data-testid="paid">Thank you: payment {paidBy} is confirmed.</p>}
    </main>
  );
}
