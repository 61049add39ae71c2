/**
 * Compile-time tests of the React typings: the wrapper's props and callbacks (src/react.ts), `<payment-checkout>` in
 * JSX (src/jsx.ts) and the event map. Checked by `npm run typecheck`, never run; each `@ts-expect-error` must meet
 * an error, so a type that loosens fails as surely as one that breaks.
 */
import type { PaymentView } from '@payment-checkout/core/api';
import type { PaymentMethodId } from '@payment-checkout/core/catalog';
import { useRef } from 'react';
import {
  type CheckoutErrorEvent,
  type CheckoutSuccessEvent,
  PaymentCheckout,
  type PaymentCheckoutElement,
  type PaymentCheckoutProps,
} from '../../src/react.ts';

declare function expectType<T>(value: T): void;
declare const el: HTMLElementTagNameMap['payment-checkout'];

export function WrapperProps() {
  const ref = useRef<PaymentCheckoutElement>(null);
  return (
    <>
      <PaymentCheckout
        ref={ref}
        endpoint="https://shop.example/api"
        orderId="ord_123"
        locale="th"
        pollLimit={10}
        pollDelays={[1000, 2000]}
        navigate={(url) => expectType<string>(url)}
        className="checkout"
        style={{ maxWidth: 480 }}
        onCheckoutMethodSelect={(event) => {
          expectType<PaymentMethodId>(event.method);
          expectType<boolean>(event.installments);
          event.preventDefault();
        }}
        onCheckoutRedirect={(event) => expectType<string>(event.url)}
        onCheckoutSuccess={(event) => expectType<PaymentView>(event.payment)}
        onCheckoutFailure={(event) => expectType<PaymentView['status']>(event.payment.status)}
        onCheckoutError={(event) => expectType<'config' | 'payment' | 'status'>(event.stage)}
      />
      <PaymentCheckout paymentId="pay_123" />
      {/* @ts-expect-error: pollLimit is a number */}
      <PaymentCheckout pollLimit="10" />
      {/* @ts-expect-error: the wrapper takes properties, and there is no orderID */}
      <PaymentCheckout orderID="ord_123" />
      {/* @ts-expect-error: not an event of the element */}
      <PaymentCheckout onCheckoutSucess={() => {}} />
      {/* @ts-expect-error: a success callback gets a CheckoutSuccessEvent, which has no error code */}
      <PaymentCheckout onCheckoutSuccess={(event: CheckoutErrorEvent) => event.code} />
      {/* @ts-expect-error: Lit's own members are not props */}
      <PaymentCheckout requestUpdate={() => {}} />
      {/* @ts-expect-error: a ref to the element, not to another element */}
      <PaymentCheckout ref={useRef<HTMLInputElement>(null)} />
    </>
  );
}

export const props: PaymentCheckoutProps = { orderId: 'ord_1', onCheckoutSuccess: (event: CheckoutSuccessEvent) => event.payment };

export function IntrinsicElement() {
  const ref = useRef<HTMLElementTagNameMap['payment-checkout']>(null);
  return (
    <>
      <payment-checkout order-id="ord_123" endpoint="" />
      <payment-checkout payment-id="pay_123" endpoint="https://shop.example/api" locale="en" poll-limit={10} />
      <payment-checkout
        ref={ref}
        orderId="ord_123"
        navigate={(url) => expectType<string>(url)}
        oncheckout-success={(event) => expectType<PaymentView>(event.payment)}
        oncheckout-error={(event) => expectType<string>(event.code)}
        oncheckout-method-select={(event) => event.preventDefault()}
      />
      {/* @ts-expect-error: attribute values are strings */}
      <payment-checkout order-id={{ id: 'ord_123' }} />
      {/* @ts-expect-error: endpoint is a URL string */}
      <payment-checkout endpoint={3000} />
      {/* @ts-expect-error: poll-limit is a number */}
      <payment-checkout poll-limit="often" />
      {/* @ts-expect-error: camel-case names are properties, and there is no orderID */}
      <payment-checkout orderID="ord_123" />
      {/* @ts-expect-error: a success listener gets a CheckoutSuccessEvent */}
      <payment-checkout oncheckout-success={(event: CheckoutErrorEvent) => event.code} />
      {/* @ts-expect-error: not one of our tags */}
      <payment-checkouts order-id="ord_123" />
    </>
  );
}

// The event map: addEventListener on the element, and on any element or document (the events bubble and are composed).
el.addEventListener('checkout-success', (event) => expectType<PaymentView>(event.payment));
el.addEventListener('checkout-redirect', (event) => expectType<string>(event.paymentId));
document.addEventListener('checkout-error', (event) => expectType<string>(event.message));
document.body.addEventListener('checkout-failure', (event) => expectType<PaymentView>(event.payment));
// @ts-expect-error: a success has no error code
el.addEventListener('checkout-success', (event) => event.code);
// @ts-expect-error: an unknown event name gets a plain Event, without a payment
el.addEventListener('checkout-sucess', (event) => event.payment);
