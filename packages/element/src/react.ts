// <payment-checkout> as a React component. Importing this module registers the tag (define.ts) and, for TypeScript,
// brings the JSX typings of jsx.ts: `<PaymentCheckout orderId="…" onCheckoutSuccess={…} />` or `<payment-checkout>`.
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { PaymentCheckout as PaymentCheckoutElement } from './define.ts';
import {
  CheckoutErrorEvent,
  CheckoutFailureEvent,
  CheckoutMethodSelectEvent,
  CheckoutRedirectEvent,
  CheckoutSuccessEvent,
} from './events.ts';
import type { PaymentCheckoutProperties } from './jsx.ts';

export type {
  CheckoutEventMap,
  PaymentCheckoutAttributes,
  PaymentCheckoutJsxEvents,
  PaymentCheckoutJsxProps,
  PaymentCheckoutProperties,
} from './jsx.ts';
export type {
  CheckoutErrorEvent,
  CheckoutFailureEvent,
  CheckoutMethodSelectEvent,
  CheckoutRedirectEvent,
  CheckoutSuccessEvent,
  PaymentCheckoutElement,
};

/** Each callback prop and the element's event it listens to. */
const events = {
  onCheckoutMethodSelect: CheckoutMethodSelectEvent.eventName as EventName<CheckoutMethodSelectEvent>,
  onCheckoutRedirect: CheckoutRedirectEvent.eventName as EventName<CheckoutRedirectEvent>,
  onCheckoutSuccess: CheckoutSuccessEvent.eventName as EventName<CheckoutSuccessEvent>,
  onCheckoutFailure: CheckoutFailureEvent.eventName as EventName<CheckoutFailureEvent>,
  onCheckoutError: CheckoutErrorEvent.eventName as EventName<CheckoutErrorEvent>,
};

/** The callbacks, each called with the element's typed event (`event.preventDefault()` works on the cancelable ones). */
export type PaymentCheckoutEventProps = {
  [Prop in keyof typeof events]?: (event: (typeof events)[Prop]['__eventType']) => void;
};

/**
 * The wrapper's props: the element's public properties, its events as callbacks, and React's HTML props (`id`,
 * `className`, `style`, `slot`…). Lit's own members (`requestUpdate`, `renderRoot`…) are left out on purpose,
 * where `createComponent`'s default type would offer them.
 */
export interface PaymentCheckoutProps
  extends Omit<React.HTMLAttributes<PaymentCheckoutElement>, keyof PaymentCheckoutEventProps | keyof PaymentCheckoutProperties>,
    PaymentCheckoutEventProps,
    PaymentCheckoutProperties,
    React.RefAttributes<PaymentCheckoutElement> {}

/** `<payment-checkout>` for React: props are set as the element's properties, callbacks listen to its events. */
export const PaymentCheckout: React.ForwardRefExoticComponent<PaymentCheckoutProps> = createComponent({
  react: React,
  tagName: 'payment-checkout',
  elementClass: PaymentCheckoutElement,
  events,
  displayName: 'PaymentCheckout',
});
