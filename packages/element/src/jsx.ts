// Types only: `<payment-checkout>` in React's JSX, and the prop types that the React wrapper (react.ts) shares.
// Kept out of index.ts and define.ts so that a page without React never needs @types/react.
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
// From define.ts, for its `HTMLElementTagNameMap` entry and (through index.ts) the event map of events.ts.
import type { PaymentCheckout } from './define.ts';

/** The element's attributes as written in HTML (`order-id`, not `orderId`). */
export interface PaymentCheckoutAttributes {
  endpoint?: string;
  'order-id'?: string;
  'payment-id'?: string;
  locale?: string;
  'poll-limit'?: number | `${number}`;
}

/** The element's public properties, each optional (documented on the class in payment-checkout.ts). */
export type PaymentCheckoutProperties = Partial<
  Pick<
    PaymentCheckout,
    'endpoint' | 'orderId' | 'paymentId' | 'locale' | 'userAgent' | 'navigate' | 'clock' | 'pollDelays' | 'pollLimit'
  >
>;

/** Each event the element dispatches, by name (from the `GlobalEventHandlersEventMap` entries of events.ts). */
export type CheckoutEventMap = Pick<
  HTMLElementEventMap,
  'checkout-method-select' | 'checkout-redirect' | 'checkout-success' | 'checkout-failure' | 'checkout-error'
>;

/** React 19 adds a custom element's `on<name>` function prop as a listener of the event `<name>`, as written. */
export type PaymentCheckoutJsxEvents = {
  [Name in keyof CheckoutEventMap as `on${Name}`]?: (event: CheckoutEventMap[Name]) => void;
};

/**
 * What `<payment-checkout>` takes in JSX. React 19 sets a prop as a property when the element has one of that name
 * (`orderId`, `navigate`), else as an attribute (`order-id`); the attribute form also works before the tag is defined.
 */
export type PaymentCheckoutJsxProps = DetailedHTMLProps<HTMLAttributes<PaymentCheckout>, PaymentCheckout> &
  PaymentCheckoutAttributes &
  PaymentCheckoutProperties &
  PaymentCheckoutJsxEvents;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'payment-checkout': PaymentCheckoutJsxProps;
    }
  }
}
