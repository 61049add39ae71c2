/**
 * Compile-time tests of the element's public types and of core's API types as the element uses them: checked by
 * `npm run typecheck` (root tsconfig.json), never run. Each `@ts-expect-error` must meet an error, so a type that
 * loosens fails the typecheck as surely as one that breaks.
 */
import type { CheckoutConfig, CreatePaymentRequest, MethodOffer, NextAction, PaymentView } from '@payment-checkout/core/api';
import type { KpaymentBrowserConfig } from '@payment-checkout/core/kpayment/browser';
import type { Locale } from '@payment-checkout/core/locale';
import type { OpnBrowserConfig } from '@payment-checkout/core/opn/browser';
import type { PaymentCheckout } from '../src/define.ts';
import type { GatewayStarter, ScriptFormAction, StartedForm } from '../src/index.ts';

declare function expectType<T>(value: T): void;
declare const el: HTMLElementTagNameMap['payment-checkout'];
declare const config: CheckoutConfig;
declare const next: NextAction;

// The tag map: `document.createElement('payment-checkout')` and `querySelector` are typed as the element.
expectType<PaymentCheckout>(document.createElement('payment-checkout'));
expectType<PaymentCheckout | null>(document.querySelector('payment-checkout'));
expectType<string>(el.endpoint);
expectType<string | undefined>(el.orderId);
expectType<string | undefined>(el.paymentId);
expectType<(url: string) => void>(el.navigate);
expectType<readonly number[]>(el.pollDelays);
expectType<number>(el.pollLimit);
// @ts-expect-error: `poll-limit` is a number
el.pollLimit = '36';
// @ts-expect-error: the element's state is private
void el.config;
// @ts-expect-error: a tag that is not ours
expectType<PaymentCheckout>(document.createElement('payment-checkouts'));

// The events: a listener gets the typed event, with its fields.
el.addEventListener('checkout-method-select', (event) => {
  expectType<MethodOffer['id']>(event.method);
  expectType<boolean>(event.installments);
  event.preventDefault();
});
el.addEventListener('checkout-redirect', (event) => {
  expectType<string>(event.url);
  expectType<string>(event.paymentId);
  // @ts-expect-error: a redirect carries no payment view
  void event.payment;
});
el.addEventListener('checkout-success', (event) => expectType<PaymentView>(event.payment));
el.addEventListener('checkout-failure', (event) => expectType<PaymentView['status']>(event.payment.status));
el.addEventListener('checkout-error', (event) => {
  expectType<string>(event.code);
  expectType<'config' | 'payment' | 'status'>(event.stage);
  // @ts-expect-error: not a stage
  expectType<'config' | 'payment' | 'status'>(event.stage === 'gateway' ? event.stage : 'config');
});
document.addEventListener('checkout-success', (event) => expectType<string>(event.payment.id));
// @ts-expect-error: an event of another name has no `payment`
el.addEventListener('checkout-succeeded', (event) => void event.payment);

// NextAction narrows on `type`: only a script form or a QR code has a script, only a QR code an expiry.
switch (next.type) {
  case 'redirect':
    expectType<string>(next.url);
    // @ts-expect-error: a redirect has no script
    void next.scriptUrl;
    break;
  case 'script_form':
    expectType<Record<string, string>>(next.attributes);
    // @ts-expect-error: a card form does not expire
    void next.expiresAt;
    break;
  case 'qr':
    expectType<string | undefined>(next.expiresAt);
    expectType<number | undefined>(next.expiresIn);
    expectType<ScriptFormAction>(next);
    break;
  case 'done':
    expectType<PaymentView['status']>(next.status);
    break;
}
// @ts-expect-error: the old K-Payment-specific action is gone
expectType<NextAction>({ type: 'kpayment', scriptUrl: 'https://x.test/s.js', formAction: 'https://x.test/f', attributes: {} });
// @ts-expect-error: a starter acts on script forms and QR codes only
expectType<ScriptFormAction>({ type: 'redirect', url: 'https://x.test' });

// CheckoutConfig: one block per gateway, keyed by gateway id, checked by each gateway's starter.
expectType<Record<string, Record<string, unknown>>>(config.gateways);
expectType<Record<string, unknown> | undefined>(config.gateways.opn);
// @ts-expect-error: no gateway-specific fields at the top any more
void config.opn;
// @ts-expect-error: nor K-Payment's
void config.kpayment;
const opn: OpnBrowserConfig = { publicKey: 'pkey_test_1', scriptUrl: 'https://cdn.omise.co/omise.js' };
const kpayment: KpaymentBrowserConfig = { publicKey: 'pkey_test_1', scriptUrl: 'https://x.test/kpayment.min.js', installments: true, savedCards: false };
expectType<CheckoutConfig['gateways']>({ opn, kpayment });
expectType<boolean | undefined>(config.methods[0].installments);
// @ts-expect-error: a block is an object
expectType<CheckoutConfig['gateways']>({ opn: 'pkey_test_1' });

// The create-payment request: what the page (and a starter) may send.
expectType<CreatePaymentRequest>({ orderId: 'order_1', method: 'card', installments: true });
expectType<CreatePaymentRequest>({ orderId: 'order_1', method: 'kakaopay', sourceId: 'src_test_1', platform: null });
// @ts-expect-error: never an amount from the page
expectType<CreatePaymentRequest>({ orderId: 'order_1', method: 'card', amount: 100 });
// @ts-expect-error: not one of our methods
expectType<CreatePaymentRequest>({ orderId: 'order_1', method: 'bitcoin' });

// Locale is core's, written once.
expectType<Locale>('th');
// @ts-expect-error: not a locale of the checkout
expectType<Locale>('fr');

// A gateway starter: both steps optional, each typed.
const redirectsOnly: GatewayStarter = {};
const formOnly: GatewayStarter = {
  start: async (action, host): Promise<StartedForm> => {
    expectType<'script_form' | 'qr'>(action.type);
    host.mount(document.createElement('form'));
    return { show() {}, remove() {}, installments: false };
  },
};
const badPrepare: GatewayStarter = {
  // @ts-expect-error: prepare adds request fields, not an amount
  prepare: async () => ({ amount: 100 }),
};
void [redirectsOnly, formOnly, badPrepare];
