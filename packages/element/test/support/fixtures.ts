import type { CheckoutConfig, CreatePaymentResponse, PaymentView } from '@payment-checkout/core/api';
import { type Gateway, methodsForOrder } from '@payment-checkout/core/catalog';
import { checkoutTexts } from '@payment-checkout/core/texts';
import type { KpaymentBrowserConfig } from '@payment-checkout/core/kpayment/browser';
import type { Currency } from '@payment-checkout/core/money';
import type { OpnBrowserConfig } from '@payment-checkout/core/opn/browser';
import { ENDPOINT, type Reply } from './fake-companion.ts';
import { FAKE_KPAYMENT_URL, FAKE_OMISE_URL } from './fake-scripts.ts';

/**
 * The companion's answers, in its wire format (core's api.ts), as the fake companion serves them. A config's `texts`
 * here are English: the fake companion answers them in the locale each request asks for.
 */

/** Opn's block of the config (`config.gateways.opn`), with the fake omise.js. */
export const OPN_BLOCK: OpnBrowserConfig = { publicKey: 'pkey_test_shop', scriptUrl: FAKE_OMISE_URL };

/** K-Payment's block of the config (`config.gateways.kpayment`), with the fake kpayment.min.js. */
export const kpaymentBlock = (installments = false): KpaymentBrowserConfig => ({
  publicKey: 'pkey_test_shop',
  scriptUrl: FAKE_KPAYMENT_URL,
  installments,
  savedCards: false,
});

/**
 * A config as the companion builds it: the catalog's methods that fit the order, of the gateways the merchant
 * configured (Opn only by default, as in issue 2), and a block per gateway that offers one of them.
 */
export function configFor(
  amount: number,
  currency: Currency,
  overrides: Partial<CheckoutConfig> = {},
  gateways: readonly Gateway[] = ['opn'],
): CheckoutConfig {
  const methods = methodsForOrder(amount, currency).filter((m) => gateways.includes(m.gateway));
  const blocks: CheckoutConfig['gateways'] = {};
  if (methods.some((m) => m.gateway === 'opn')) blocks.opn = { ...OPN_BLOCK };
  if (methods.some((m) => m.gateway === 'kpayment')) blocks.kpayment = kpaymentBlock();
  return {
    orderId: 'order_1',
    amount,
    currency,
    methods: methods.map((m) => ({
      id: m.id,
      gateway: m.gateway,
      group: m.group,
      flow: m.flow,
      label: m.label,
      badge: m.badge,
      platforms: m.platforms,
      desktopPlatform: m.desktopPlatform,
    })),
    gateways: blocks,
    sandbox: true,
    texts: checkoutTexts('en'),
    ...overrides,
  };
}

/** A ฿1,500.00 order (unless told) of a merchant that takes Opn and K-Payment (cards, QR, Alipay, UnionPay). */
/** An Opn authorize page of the sandbox, where a redirect sends the shopper. */
export const AUTHORIZE = 'https://sandbox.test/payments/chrg_test_1/authorize';

/** A 1,500.00 baht order with the default methods. */
export const thb = (): CheckoutConfig => configFor(150000, 'THB');

export const withKPayment = (amount = 150000): CheckoutConfig => configFor(amount, 'THB', {}, ['opn', 'kpayment']);
/** Both gateways' methods offered (the QR code's among them), for tests outside the gateways' folders. */
export const withEveryGateway = withKPayment;
/** The browser module K PLUS starts with (its gateway's starter), for tests that make it fail to load. */
export const KPLUS_STARTER_URL = new URL('../../src/gateways/opn/starter.ts', import.meta.url).href;

/**
 * A baht order on a SmartPay merchant: the companion says on the card's offer (and in K-Payment's block) that it may
 * be paid in instalments. `offer: false` leaves the offer without the flag (only the block says it).
 */
export function withInstalments(installments = true, { amount = 150000, offer = true } = {}): CheckoutConfig {
  const config = withKPayment(amount);
  return {
    ...config,
    methods: config.methods.map((m) => (m.id === 'card' && offer ? { ...m, installments } : m)),
    gateways: { ...config.gateways, kpayment: kpaymentBlock(installments) },
  };
}

/** `config` without a gateway's block (e.g. a merchant without an Opn key whose config still lists Opn methods). */
export function withoutBlock(config: CheckoutConfig, gateway: Gateway): CheckoutConfig {
  const { [gateway]: _dropped, ...gateways } = config.gateways;
  return { ...config, gateways };
}

/** The methods the element draws for `withKPayment()`'s order, in their order on the page. */
export const ALL_METHODS: readonly string[] = ['mobile_banking_kbank', 'mobile_banking_bay', 'kakaopay', 'wechat_pay', 'alipay', 'unionpay', 'card', 'thai_qr'];

/** The companion's answer to GET /checkout/config: `config`. */
export const okConfig = (config: CheckoutConfig) => (): Reply => ({ body: config });

export function paymentView(overrides: Partial<PaymentView> = {}): PaymentView {
  return {
    id: 'pay_1',
    orderId: 'order_1',
    method: 'mobile_banking_kbank',
    amount: 150000,
    currency: 'THB',
    status: 'pending',
    failureCode: null,
    failureMessage: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

export function redirectTo(url: string, paymentId = 'pay_1'): CreatePaymentResponse {
  return { paymentId, status: 'pending', next: { type: 'redirect', url }, reused: false };
}

/** The companion's answer when it has nothing left for the browser to do. */
export function done(status: PaymentView['status'], paymentId = 'pay_9'): CreatePaymentResponse {
  return { paymentId, status, next: { type: 'done', status }, reused: true };
}

/** The companion's form action for the token (packages/server's K-Payment adapter). */
export const CARD_FORM_ACTION = `${ENDPOINT}/checkout/kpayment/token?payment=pay_card_1`;

/** The script's attributes for Demo Shop's ฿1,500.00 order: `own` are the method's, put after `payment-methods`. */
function scriptAttributes(
  paymentMethods: string,
  own: Record<string, string>,
  overrides: Record<string, string>,
): Record<string, string> {
  return {
    apikey: 'pkey_test_shop',
    amount: '1500.00',
    currency: 'THB',
    'payment-methods': paymentMethods,
    ...own,
    name: 'Demo Shop',
    'show-button': 'false',
    ...overrides,
  };
}

/** The script's attributes as the companion computes them for a ฿1,500.00 order (no SmartPay, no saved cards). */
export function cardAttributes(overrides: Record<string, string> = {}): Record<string, string> {
  return scriptAttributes('card', { mid: '401000000000001' }, overrides);
}

/** `next: {type: 'script_form'}` for K-Payment's card, with the fake kpayment.min.js unless `scriptUrl` says otherwise. */
export function kpaymentNext(
  options: { scriptUrl?: string; formAction?: string; attributes?: Record<string, string>; paymentId?: string } = {},
): CreatePaymentResponse {
  return {
    paymentId: options.paymentId ?? 'pay_card_1',
    status: 'created',
    next: {
      type: 'script_form',
      scriptUrl: options.scriptUrl ?? FAKE_KPAYMENT_URL,
      formAction: options.formAction ?? CARD_FORM_ACTION,
      attributes: options.attributes ?? cardAttributes(),
    },
    reused: false,
  };
}

/** The companion's form action for a QR payment's `chargeId` (packages/server's K-Payment adapter). */
export const QR_FORM_ACTION = `${ENDPOINT}/checkout/kpayment/qr?payment=pay_qr_1`;

/** The script's attributes as the companion computes them for a ฿1,500.00 Thai QR (`qr`) or WeChat Pay order. */
export function qrAttributes(paymentMethods: 'qr' | 'wechat', overrides: Record<string, string> = {}): Record<string, string> {
  return scriptAttributes(paymentMethods, { 'order-id': paymentMethods === 'qr' ? 'order_test_thaiqr1' : 'order_test_wechat1' }, overrides);
}

/**
 * `next: {type: 'qr'}` for Thai QR or WeChat Pay (K-Payment), expiring in `expiresIn` seconds by the companion's
 * clock (15 minutes; no expiry when null); `expiresAt` is the gateway's own date for it (by default the fake
 * clock's start plus `expiresIn`).
 */
export function qrNext(
  method: 'thai_qr' | 'wechat_pay',
  options: { expiresIn?: number | null; expiresAt?: string; scriptUrl?: string; attributes?: Record<string, string>; paymentId?: string; formAction?: string } = {},
): CreatePaymentResponse {
  const expiresIn = options.expiresIn === undefined ? 900 : options.expiresIn;
  const expiresAt = options.expiresAt ?? (expiresIn === null ? null : new Date(Date.UTC(2025, 0, 1, 3) + expiresIn * 1000).toISOString());
  return {
    paymentId: options.paymentId ?? 'pay_qr_1',
    status: 'pending',
    next: {
      type: 'qr',
      scriptUrl: options.scriptUrl ?? FAKE_KPAYMENT_URL,
      formAction: options.formAction ?? QR_FORM_ACTION,
      attributes: options.attributes ?? qrAttributes(method === 'thai_qr' ? 'qr' : 'wechat'),
      ...(expiresIn === null ? {} : { expiresIn }),
      ...(expiresAt === null ? {} : { expiresAt }),
    },
    reused: false,
  };
}
