import type { CheckoutConfig, CreatePaymentResponse, PaymentView } from '@payment-checkout/core/api';
import { type Gateway, methodsForOrder } from '@payment-checkout/core/catalog';
import type { Currency } from '@payment-checkout/core/money';

/** Test doubles for the browser tests: a fake companion behind `window.fetch`, a fake omise.js and kpayment.min.js. */

export const FAKE_OMISE_URL = new URL('./fake-omise.js', import.meta.url).href;
export const FAKE_KPAYMENT_URL = new URL('./fake-kpayment.js', import.meta.url).href;
export const ENDPOINT = 'https://shop.test/api';

export interface FakeOmiseState {
  loads: number;
  publicKey: string | null;
  calls: { type: string; params: { amount: number; currency: string; platform_type?: string }; publicKey: string | null }[];
  respond: ((type: string, params: unknown) => [number, unknown]) | null;
}

declare global {
  interface Window {
    fakeOmise?: FakeOmiseState;
  }
}

/** The fake omise.js's record, created before the script runs so tests can steer the first load too. */
export function fakeOmise(): FakeOmiseState {
  window.fakeOmise ??= { loads: 0, publicKey: null, calls: [], respond: null };
  return window.fakeOmise;
}

export function resetFakeOmise(): void {
  const state = fakeOmise();
  state.calls.length = 0;
  state.respond = null;
}

export interface FakeKPaymentShow {
  /** Which run of the script answered (1 = the first time the script ran on this page). */
  load: number;
  attributes: Record<string, string>;
  action: string | null;
  method: string | null;
}

/** The fake kpayment.min.js's record (see fake-kpayment.js). */
export interface FakeKPaymentState {
  loads: number;
  creates: number;
  shows: FakeKPaymentShow[];
  closeHandlers: number;
  showResult: boolean;
  isOpen(): boolean;
  close(): void;
  pay(fields: Record<string, string>): void;
}

declare global {
  interface Window {
    fakeKPayment?: FakeKPaymentState;
  }
}

/** The fake kpayment.min.js's record; undefined until the script first ran. */
export function fakeKPayment(): FakeKPaymentState {
  const state = window.fakeKPayment;
  if (!state) throw new Error('fake-kpayment.js has not run');
  return state;
}

/** How many times the fake kpayment.min.js was asked to show its form or QR code (0 before it first ran). */
export const kpaymentShows = (): number => window.fakeKPayment?.shows.length ?? 0;

/** Lets the fake kpayment.min.js show its form again, after a test made it refuse. */
export function resetFakeKPayment(): void {
  if (window.fakeKPayment) window.fakeKPayment.showResult = true;
}

/**
 * A config as the companion builds it: the catalog's methods that fit the order, of the gateways the merchant
 * configured (Opn only by default, as in issue 2).
 */
export function configFor(
  amount: number,
  currency: Currency,
  overrides: Partial<CheckoutConfig> = {},
  gateways: readonly Gateway[] = ['opn'],
): CheckoutConfig {
  return {
    orderId: 'order_1',
    amount,
    currency,
    methods: methodsForOrder(amount, currency).filter((m) => gateways.includes(m.gateway)).map((m) => ({
      id: m.id,
      gateway: m.gateway,
      group: m.group,
      label: m.label,
      platforms: m.platforms,
      desktopPlatform: m.desktopPlatform,
    })),
    opn: { publicKey: 'pkey_test_shop', scriptUrl: FAKE_OMISE_URL },
    sandbox: true,
    ...overrides,
  };
}

/** A ฿1,500.00 order (unless told) of a merchant that takes Opn and K-Payment (cards, QR, Alipay, UnionPay). */
export const withKPayment = (amount = 150000): CheckoutConfig => configFor(amount, 'THB', {}, ['opn', 'kpayment']);

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

/** `next: {type: 'kpayment'}` for the card, with the fake kpayment.min.js unless `scriptUrl` says otherwise. */
export function kpaymentNext(
  options: { scriptUrl?: string; formAction?: string; attributes?: Record<string, string>; paymentId?: string } = {},
): CreatePaymentResponse {
  return {
    paymentId: options.paymentId ?? 'pay_card_1',
    status: 'created',
    next: {
      type: 'kpayment',
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

/** `next: {type: 'kpayment'}` for Thai QR or WeChat Pay, expiring at `expiresAt` (omitted when null). */
export function qrNext(
  method: 'thai_qr' | 'wechat_pay',
  options: { expiresAt?: string | null; scriptUrl?: string; attributes?: Record<string, string>; paymentId?: string; formAction?: string } = {},
): CreatePaymentResponse {
  const expiresAt = options.expiresAt === undefined ? '2025-01-01T03:15:00.000Z' : options.expiresAt;
  return {
    paymentId: options.paymentId ?? 'pay_qr_1',
    status: 'pending',
    next: {
      type: 'kpayment',
      scriptUrl: options.scriptUrl ?? FAKE_KPAYMENT_URL,
      formAction: options.formAction ?? QR_FORM_ACTION,
      attributes: options.attributes ?? qrAttributes(method === 'thai_qr' ? 'qr' : 'wechat'),
      ...(expiresAt === null ? {} : { expiresAt }),
    },
    reused: false,
  };
}

export interface RecordedRequest {
  method: string;
  url: URL;
  body: unknown;
}

/** An answer of the fake companion: JSON with a status, or a fetch that fails like a dropped connection. */
export type Reply = { status?: number; body: unknown } | 'network-error';

export interface CompanionRoutes {
  config?: (orderId: string) => Reply | Promise<Reply>;
  createPayment?: (body: unknown) => Reply | Promise<Reply>;
  payment?: (paymentId: string) => Reply | Promise<Reply>;
}

export interface FakeCompanion {
  requests: RecordedRequest[];
  /** Requests of one kind: `config`, `create` (POST /checkout/payments) or `payment` (GET one). */
  count(kind: 'config' | 'create' | 'payment'): number;
  restore(): void;
}

function kindOf(request: RecordedRequest): 'config' | 'create' | 'payment' | 'other' {
  const path = request.url.pathname;
  if (request.method === 'GET' && path.endsWith('/checkout/config')) return 'config';
  if (request.method === 'POST' && path.endsWith('/checkout/payments')) return 'create';
  if (request.method === 'GET' && /\/checkout\/payments\/[^/]+$/.test(path)) return 'payment';
  return 'other';
}

/** Replaces `window.fetch` with the companion's API answered by `routes`; `restore()` puts fetch back. */
export function fakeCompanion(routes: CompanionRoutes): FakeCompanion {
  const original = window.fetch;
  const requests: RecordedRequest[] = [];
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const text = request.method === 'GET' ? '' : await request.text();
    const recorded: RecordedRequest = { method: request.method, url: new URL(request.url), body: text ? JSON.parse(text) : undefined };
    requests.push(recorded);
    let reply: Reply | undefined;
    switch (kindOf(recorded)) {
      case 'config':
        reply = await routes.config?.(recorded.url.searchParams.get('orderId') ?? '');
        break;
      case 'create':
        reply = await routes.createPayment?.(recorded.body);
        break;
      case 'payment':
        reply = await routes.payment?.(decodeURIComponent(recorded.url.pathname.split('/').pop() ?? ''));
        break;
      case 'other':
        break;
    }
    reply ??= { status: 404, body: { error: { code: 'not_found', message: `no route for ${recorded.method} ${recorded.url.pathname}` } } };
    if (reply === 'network-error') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  return {
    requests,
    count: (kind) => requests.filter((r) => kindOf(r) === kind).length,
    restore: () => {
      window.fetch = original;
    },
  };
}

/** A promise with its resolver outside, to hold an answer while a test looks at the busy state. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const realSetTimeout = window.setTimeout.bind(window);

/** Waits (with the page's real timers, even when a test replaced them) until `predicate` holds. */
export async function until(predicate: () => unknown, message: string, timeoutMs = 2000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`Timed out waiting until ${message}`);
    await new Promise((resolve) => realSetTimeout(resolve, 5));
  }
}

/** Lets pending timers, fetches and renders run for a while (real time, short). */
export function settle(ms = 30): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}
