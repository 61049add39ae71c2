import { describe, expect, it, vi } from 'vitest';
import { createCheckout } from '../src/checkout.ts';
import { CheckoutConfigError, type CheckoutOptions, parseCheckoutOptions } from '../src/options.ts';
import { configError } from './support/config-error.ts';

const valid: CheckoutOptions = {
  resolveOrder: async () => ({ amount: 150_000, currency: 'THB' }),
  publicBaseUrl: 'https://shop.example/',
  resultUrl: '/orders/{orderId}/result?payment={paymentId}',
  opn: { publicKey: 'pkey_test_abc', secretKey: 'skey_test_abc' },
  store: ':memory:',
};

describe('checkout options', () => {
  it('fills defaults for real Opn keys', () => {
    const o = parseCheckoutOptions(valid);
    expect(o.publicBaseUrl).toBe('https://shop.example');
    expect(o.opn).toEqual({
      publicKey: 'pkey_test_abc',
      secretKey: 'skey_test_abc',
      apiUrl: 'https://api.omise.co',
      vaultUrl: 'https://vault.omise.co',
      scriptUrl: 'https://cdn.omise.co/omise.js',
      webhookSecret: null,
      sandbox: false,
      timeoutMs: 10_000,
      manualCapture: false,
    });
    expect(o.refreshIntervalMs).toBe(2000);
    expect(o.returnWaitMs).toBe(3000);
    expect(o.orderLookupTimeoutMs).toBe(5000);
    expect(o.hooks).toEqual({});
  });

  it('defaults to the sandbox with the test keys when only its URL is given', () => {
    const o = parseCheckoutOptions({ ...valid, opn: { apiUrl: 'http://127.0.0.1:4000/' } });
    expect(o.opn).toMatchObject({
      publicKey: 'pkey_test_demo',
      secretKey: 'skey_test_demo',
      apiUrl: 'http://127.0.0.1:4000',
      vaultUrl: 'http://127.0.0.1:4000',
      scriptUrl: 'http://127.0.0.1:4000/omise.js',
      sandbox: true,
    });
  });

  it('fills a result URL template from the payment, encoded', () => {
    const o = parseCheckoutOptions({ ...valid, resultUrl: 'https://shop.example/r?p={paymentId}&o={orderId}&s={status}' });
    const payment = { id: 'pay_1', orderId: 'a b&c', status: 'succeeded' } as never;
    expect(o.resultUrl(payment)).toBe('https://shop.example/r?p=pay_1&o=a%20b%26c&s=succeeded');
  });

  it.each([
    [{ resolveOrder: 'nope' }, 'resolveOrder', /must be a function/],
    [{ resolveOrder: undefined }, 'resolveOrder', /required|function/],
    [{ orderLookupTimeoutMs: 50 }, 'orderLookupTimeoutMs', /100/],
    [{ orderLookupTimeoutMs: 1.5 }, 'orderLookupTimeoutMs', /./],
    [{ publicBaseUrl: 'ftp://shop' }, 'publicBaseUrl', /http\(s\) URL/],
    [{ publicBaseUrl: undefined }, 'publicBaseUrl', /required/],
    [{ resultUrl: 'result page' }, 'resultUrl', /URL or an absolute path|function/],
    [{ resultUrl: undefined }, 'resultUrl', /^is required: the shop page shoppers come back to/],
    [{ publicBaseUrl: 'https://shop.example/api?x=1' }, 'publicBaseUrl', /without a query string/],
    [{ publicBaseUrl: 'https://shop.example/#frag' }, 'publicBaseUrl', /or a fragment/],
    [{ opn: { ...valid.opn, apiUrl: 'http://127.0.0.1:4000/?k=1' } }, 'opn.apiUrl', /base URL/],
    [{ opn: { publicKey: 'pk_live_x', secretKey: 'skey_test_abc' } }, 'opn.publicKey', /public key/],
    [{ opn: { publicKey: 'pkey_test_abc', secretKey: 'sk_test_x' } }, 'opn.secretKey', /secret key/],
    [{ opn: { publicKey: 'pkey_test_abc' } }, 'opn.secretKey', /both/],
    [{ opn: {} }, 'opn.apiUrl', /^without Opn keys the companion uses the sandbox: give its URL here \(OPN_API_URL in the environment\)/],
    [{ opn: { publicKey: 'pkey_live1', secretKey: 'skey_live1', apiUrl: 'http://127.0.0.1:4000', sandbox: true } }, 'opn.sandbox', /never live/],
    [{ opn: { publicKey: 'pkey_test_a', secretKey: 'skey_live1' } }, 'opn.publicKey', /both be test keys/],
    [{ opn: { ...valid.opn, webhookSecret: 'x' } }, 'opn.webhookSecret', /webhook secret/],
    [{ opn: { ...valid.opn, webhookSecret: 'c2VjcmV0' } }, 'opn.webhookSecret', /base64, at least 16 characters/],
    [{ opn: { ...valid.opn, secretkey: 'skey_test_abc' } }, 'opn', /unknown option.*secretkey/],
    [{ opn: undefined }, 'opn', /at least one gateway: opn, kpayment or both/],
    [{ methods: ['mobile_banking_kbank', 'paypal'] }, 'methods.1', /./],
    [{ methods: [] }, 'methods', /at least one/],
    [{ methods: ['kakaopay', 'kakaopay'] }, 'methods', /repeat/],
    [{ store: 42 }, 'store', /./],
    [{ store: 'postgres://shop:pw@[oops/payments' }, 'store', /valid postgres:\/\/ URL/],
    [{ store: 'mysql://shop@db/payments' }, 'store', /^mysql: is no store of this companion/],
    [{ store: 'postgress://shop@db/payments' }, 'store', /^postgress: is no store of this companion/],
    [{ hooks: { onPaid: 'mark paid' } }, 'hooks.onPaid', /must be a function/],
    [{ hooks: { onSuccess: () => {} } }, 'hooks', /unknown option.*onSuccess/],
    [{ logger: { log: () => {} } }, 'logger', /info, warn and error/],
    [{ publicBaseURL: 'https://x' }, '', /unknown option.*publicBaseURL/],
  ])('refuses %j, naming %s', (override, path, message) => {
    const err = configError({ ...valid, ...(override as object) });
    const issue = err.issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(err.issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
    expect(err.message).toContain(path || '(options)');
    expect(err.message).toMatch(/^Invalid payment-checkout configuration:/);
  });

  it("names the sandbox's package as npx runs it when a gateway has neither keys nor a sandbox URL", () => {
    for (const gateway of ['opn', 'kpayment'] as const) {
      const issue = configError({ ...valid, opn: undefined, [gateway]: {} }).issues.find((i) => i.path === `${gateway}.apiUrl`);
      expect(issue?.message, gateway).toContain('(npx @payment-checkout/sandbox)');
    }
  });

  it('takes K-Payment alone (a merchant without Opn), with no Opn settings', () => {
    const { opn: _opn, ...withoutOpn } = valid;
    const o = parseCheckoutOptions({ ...withoutOpn, kpayment: { publicKey: 'pkey_test_k', secretKey: 'skey_test_k', mid: '401000000000001' } });
    expect(o.opn).toBeNull();
    expect(o.kpayment).toMatchObject({ publicKey: 'pkey_test_k', sandbox: false });
    const router = createCheckout({ ...withoutOpn, kpayment: { publicKey: 'pkey_test_k', secretKey: 'skey_test_k', mid: '401000000000001' }, logger: { info() {}, warn() {}, error() {} } });
    expect(router.checkout.gateways.opn?.client).toBeUndefined();
    expect(router.checkout.gateways.opn?.settings).toBeUndefined();
  });

  it('logs a sandbox it cannot reach, and leaves no unhandled rejection behind for a host that never awaits ready', async () => {
    const errors: string[] = [];
    const router = createCheckout({ ...valid, opn: { apiUrl: 'http://127.0.0.1:9' }, logger: { info() {}, warn() {}, error: (m) => void errors.push(m) } });
    await vi.waitFor(() => expect(errors).toContain('sandbox webhook registration failed; webhooks will not arrive'), { timeout: 10_000, interval: 50 });
    // A rejection nobody handles is reported once the microtasks and the next macrotask have run.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(router.checkout.ready).rejects.toThrow(/could not register/);
  }, 15_000);

  it('refuses to start offering a method of a gateway that is not configured (the shopper would see no method)', () => {
    const quiet = { info() {}, warn() {}, error() {} };
    expect(() => createCheckout({ ...valid, methods: ['mobile_banking_kbank', 'card'], logger: quiet })).toThrow(CheckoutConfigError);
    let refused: unknown;
    try {
      createCheckout({ ...valid, methods: ['card'], logger: quiet });
    } catch (err) {
      refused = err;
    }
    expect((refused as CheckoutConfigError).issues).toEqual([{ path: 'methods', message: 'card is a kpayment method, and only opn is configured: configure kpayment, or leave card out' }]);
    expect(createCheckout({ ...valid, methods: ['kakaopay'], logger: quiet }).checkout).toBeDefined();
  });

  it('opens sqlite:<file> and file:<file> as the SQLite file, as DATABASE_URL does', () => {
    expect(parseCheckoutOptions({ ...valid, store: 'sqlite:/var/lib/shop/payments.db' }).store).toBe('/var/lib/shop/payments.db');
    expect(parseCheckoutOptions({ ...valid, store: 'file:payments.db' }).store).toBe('payments.db');
    expect(parseCheckoutOptions({ ...valid, store: 'C:\\shop\\payments.db' }).store).toBe('C:\\shop\\payments.db');
  });

  it('lists every bad option at once', () => {
    const err = configError({ ...valid, publicBaseUrl: 'nope', resolveOrder: 1, hooks: { onPaid: 1 } });
    expect(err.issues.map((i) => i.path).sort()).toEqual(['hooks.onPaid', 'publicBaseUrl', 'resolveOrder']);
  });

  it('never repeats the secret key in a configuration error', () => {
    const err = configError({ ...valid, opn: { publicKey: 'pkey_test_abc', secretKey: 'skey_test_topsecret', sandbox: 'yes' } });
    expect(err.message).not.toContain('skey_test_topsecret');
    expect(JSON.stringify(err.issues)).not.toContain('skey_test_topsecret');
  });

  it('createCheckout refuses to start on bad options', () => {
    expect(() => createCheckout({ ...valid, publicBaseUrl: 'not a url' })).toThrow(CheckoutConfigError);
  });
});
