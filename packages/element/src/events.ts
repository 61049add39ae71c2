import type { PaymentView } from '@payment-checkout/core/api';
import type { PaymentMethodId } from '@payment-checkout/core/catalog';

/** Where a `checkout-error` happened: loading the order's config, starting a payment, or reading its status. */
export type CheckoutErrorStage = 'config' | 'payment' | 'status';

/** The shopper picked a method. Cancel it to stop the element from starting the payment. */
export class CheckoutMethodSelectEvent extends Event {
  static readonly eventName = 'checkout-method-select';
  readonly method: PaymentMethodId;
  /** The method (the card), to be paid in instalments rather than in full: the second button next to it. */
  readonly installments: boolean;
  constructor(method: PaymentMethodId, installments = false) {
    super(CheckoutMethodSelectEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.method = method;
    this.installments = installments;
  }
}

/** The companion created the payment and the browser is about to go to the gateway. Cancel it to navigate yourself. */
export class CheckoutRedirectEvent extends Event {
  static readonly eventName = 'checkout-redirect';
  readonly url: string;
  readonly paymentId: string;
  readonly method: PaymentMethodId;
  constructor(url: string, paymentId: string, method: PaymentMethodId) {
    super(CheckoutRedirectEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.url = url;
    this.paymentId = paymentId;
    this.method = method;
  }
}

/** The companion verified the payment as paid (fired once per payment). */
export class CheckoutSuccessEvent extends Event {
  static readonly eventName = 'checkout-success';
  readonly payment: PaymentView;
  constructor(payment: PaymentView) {
    super(CheckoutSuccessEvent.eventName, { bubbles: true, composed: true });
    this.payment = payment;
  }
}

/** The payment ended without money taken: failed, expired or canceled (fired once per payment). */
export class CheckoutFailureEvent extends Event {
  static readonly eventName = 'checkout-failure';
  readonly payment: PaymentView;
  constructor(payment: PaymentView) {
    super(CheckoutFailureEvent.eventName, { bubbles: true, composed: true });
    this.payment = payment;
  }
}

/** Something went wrong on the way (network, companion error, gateway script); the element shows it, with a retry when one may help. */
export class CheckoutErrorEvent extends Event {
  static readonly eventName = 'checkout-error';
  readonly code: string;
  readonly message: string;
  readonly stage: CheckoutErrorStage;
  constructor(code: string, message: string, stage: CheckoutErrorStage) {
    super(CheckoutErrorEvent.eventName, { bubbles: true, composed: true });
    this.code = code;
    this.message = message;
    this.stage = stage;
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'checkout-method-select': CheckoutMethodSelectEvent;
    'checkout-redirect': CheckoutRedirectEvent;
    'checkout-success': CheckoutSuccessEvent;
    'checkout-failure': CheckoutFailureEvent;
    'checkout-error': CheckoutErrorEvent;
  }
}
