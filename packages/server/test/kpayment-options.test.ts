import { describe, expect, it } from 'vitest';
import { createCheckout } from '../src/checkout.ts';
import { loadConfigFromEnv } from '../src/env.ts';
import { CheckoutConfigError, type CheckoutOptions, parseCheckoutOptions } from '../src/options.ts';
import { KPAYMENT_HOSTS } from '../src/gateways/kpayment/kpayment-options.ts';

/** K-Payment's options and environment variables: defaults, the sandbox, and clear refusals. */

const base: CheckoutOptions = {
  resolveOrder: async () => ({ amount: 150_000, currency: 'THB' }),
  publicBaseUrl: 'https://shop.example',
  resultUrl: '/r/{paymentId}',
  opn: { publicKey: 'pkey_test_abc', secretKey: 'skey_test_abc' },
  store: ':memory:',
};

function issues(kpayment: unknown): { path: string; message: string }[] {
  try {
    parseCheckoutOptions({ ...base, kpayment });
  } catch (err) {
    expect(err).toBeInstanceOf(CheckoutConfigError);
    return (err as CheckoutConfigError).issues;
  }
  throw new Error('expected a CheckoutConfigError');
}

describe('kpayment options', () => {
  it('is off unless given', () => {
    expect(parseCheckoutOptions(base).kpayment).toBeNull();
  });

  it('uses the bank\'s dev hosts for test keys and its production hosts for live keys', () => {
    const test = parseCheckoutOptions({ ...base, kpayment: { publicKey: 'pkey_test_1', secretKey: 'skey_test_1', mid: '401001001001001' } }).kpayment;
    expect(test).toMatchObject({ apiUrl: KPAYMENT_HOSTS.test.api, scriptUrl: KPAYMENT_HOSTS.test.script, sandbox: false, mid: '401001001001001', dccMid: null, timeoutMs: 15_000, qrExpireSeconds: null });
    const live = parseCheckoutOptions({ ...base, kpayment: { publicKey: 'pkey_prod_1', secretKey: 'skey_prod_1', mid: '401001001001001', dccMid: '451001001001001' } }).kpayment;
    expect(live).toMatchObject({
      apiUrl: 'https://kpaymentgateway-services.kasikornbank.com',
      scriptUrl: 'https://kpaymentgateway.kasikornbank.com/ui/v2/kpayment.min.js',
      dccMid: '451001001001001',
    });
  });

  it('with no keys and the sandbox URL: the sandbox, its test keys, its script and merchant id', () => {
    expect(parseCheckoutOptions({ ...base, kpayment: { apiUrl: 'http://127.0.0.1:4000/' } }).kpayment).toMatchObject({
      publicKey: 'pkey_test_demo',
      secretKey: 'skey_test_demo',
      apiUrl: 'http://127.0.0.1:4000',
      scriptUrl: 'http://127.0.0.1:4000/ui/v2/kpayment.min.js',
      mid: '401000000000001',
      sandbox: true,
    });
  });

  it('fills the registration result template', () => {
    const k = parseCheckoutOptions({ ...base, kpayment: { apiUrl: 'http://127.0.0.1:4000', registrationResultUrl: '/cards?r={registrationId}&o={orderId}&s={status}' } }).kpayment!;
    expect(k.registrationResultUrl!({ id: 'creg_1', orderId: 'a&b', status: 'saved' })).toBe('/cards?r=creg_1&o=a%26b&s=saved');
  });

  it.each([
    [{ publicKey: 'pk_1', secretKey: 'skey_test_1', mid: '1' }, 'kpayment.publicKey', /K-Payment public key/],
    [{ publicKey: 'pkey_test_1', secretKey: 'sk_1', mid: '1' }, 'kpayment.secretKey', /K-Payment secret key/],
    [{ publicKey: 'pkey_test_1' }, 'kpayment.secretKey', /both/],
    [{}, 'kpayment.apiUrl', /^without K-Payment keys the companion uses the sandbox: give its URL here \(KPAYMENT_API_URL in the environment\)/],
    [{ publicKey: 'pkey_prod_1', secretKey: 'skey_prod_1' }, 'kpayment.mid', /merchant id/],
    [{ publicKey: 'pkey_prod_1', secretKey: 'skey_prod_1', apiUrl: 'http://127.0.0.1:4000', sandbox: true }, 'kpayment.sandbox', /never live/],
    [{ publicKey: 'pkey_test_1', secretKey: 'skey_prod_1', mid: '1' }, 'kpayment.publicKey', /both be test keys/],
    [{ apiUrl: 'http://x', mid: '40100000000000123' }, 'kpayment.mid', /15 digits/],
    [{ apiUrl: 'http://x', mid: '401', dccMid: '401' }, 'kpayment.dccMid', /differs/],
    [{ apiUrl: 'http://x', merchantName: 'A name far too long' }, 'kpayment.merchantName', /15 characters/],
    [{ apiUrl: 'http://x', smartpay: {} }, 'kpayment.smartpay', /either smartpayId or plan/],
    [{ apiUrl: 'http://x', smartpay: { smartpayId: '0001', plan: { planId: '1', ipanMode: '01', productType: '1', supplierNo: '1', modelNo: '1' } } }, 'kpayment.smartpay', /either/],
    [{ apiUrl: 'http://x', smartpay: { plan: { planId: '1', ipanMode: '05', productType: '1', supplierNo: '1', modelNo: '1' } } }, 'kpayment.smartpay.plan.ipanMode', /01, 02, 03 or 04/],
    [{ apiUrl: 'http://x', smartpay: { smartpayId: '0001', term: 0 } }, 'kpayment.smartpay.term', /./],
    [{ apiUrl: 'http://x', smartpay: { plan: { planId: '1', ipanMode: '01', productType: '1', supplierNo: '1', modelNo: '1', minPrice: 100.005 } } }, 'kpayment.smartpay.plan.minPrice', /at most 2 decimals/],
    [{ apiUrl: 'http://x', smartpay: { plan: { planId: '1', ipanMode: '01', productType: '1', supplierNo: '1', modelNo: '1', minPrice: 500, maxPrice: 100 } } }, 'kpayment.smartpay.plan', /minPrice must not be above maxPrice/],
    [{ apiUrl: 'http://x', smartpay: { plan: { planId: '1', ipanMode: '01', productType: '1', supplierNo: '1', modelNo: '1', validFrom: '2021-09-25' } } }, 'kpayment.smartpay.plan.validFrom', /DD\/MM\/YYYY/],
    [{ apiUrl: 'http://x', smartpay: { plan: { planId: '1', ipanMode: '01', productType: '1', supplierNo: '1', modelNo: '1', validTo: '31/02/2021' } } }, 'kpayment.smartpay.plan.validTo', /exists/],
    [{ apiUrl: 'http://x', smartpay: { plan: { planId: '1', ipanMode: '01', productType: '1', supplierNo: '1', modelNo: '1', validFrom: '01/11/2021', validTo: '31/10/2021' } } }, 'kpayment.smartpay.plan', /validFrom must not be after validTo/],
    [{ apiUrl: 'http://x', registrationResultUrl: 'cards page' }, 'kpayment.registrationResultUrl', /URL or an absolute path|function/],
    [{ apiUrl: 'http://x', secretkey: 'skey_test_1' }, 'kpayment', /unknown option.*secretkey/],
    [{ apiUrl: 'http://x', qrExpireSeconds: 59 }, 'kpayment.qrExpireSeconds', /./],
    [{ apiUrl: 'http://x', qrExpireSeconds: 86_401 }, 'kpayment.qrExpireSeconds', /./],
  ])('refuses %j, naming %s', (kpayment, path, message) => {
    const found = issues(kpayment).find((i) => i.path === path);
    expect(found, JSON.stringify(issues(kpayment))).toBeDefined();
    expect(found!.message).toMatch(message);
  });

  it('refuses a resolveCustomer that is not a function, and never repeats the secret key', () => {
    try {
      parseCheckoutOptions({ ...base, resolveCustomer: 'me', kpayment: { publicKey: 'bad', secretKey: 'skey_test_topsecret' } });
      expect.unreachable();
    } catch (err) {
      const e = err as CheckoutConfigError;
      expect(e.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['resolveCustomer', 'kpayment.publicKey']));
      expect(e.message + JSON.stringify(e.issues)).not.toContain('skey_test_topsecret');
    }
  });
});

describe('kpayment option types', () => {
  it('type-checks at compile time', () => {
    const options: CheckoutOptions = {
      ...base,
      kpayment: { apiUrl: 'http://127.0.0.1:4000', smartpay: { smartpayId: '0001', term: 6 }, registrationResultUrl: (r) => `/cards/${r.id}?s=${r.status}` },
      resolveCustomer: async () => ({ id: 'shopper-1', email: 'a@example.com', name: 'A' }),
    };
    expect(options.kpayment?.smartpay?.term).toBe(6);
    const wrong = () => {
      // @ts-expect-error a term is a number of months
      createCheckout({ ...base, kpayment: { apiUrl: 'http://x', smartpay: { smartpayId: '0001', term: '6' } } });
      // @ts-expect-error ipanMode is one of 01–04
      createCheckout({ ...base, kpayment: { apiUrl: 'http://x', smartpay: { plan: { planId: '1', ipanMode: '05', productType: '1', supplierNo: '1', modelNo: '1' } } } });
      // @ts-expect-error resolveCustomer answers a shopper, not an id
      createCheckout({ ...base, resolveCustomer: () => 'shopper-1' });
    };
    expect(typeof wrong).toBe('function');
  });
});

describe('kpayment environment variables', () => {
  it('are off when none is set (Opn alone, as before)', () => {
    expect(loadConfigFromEnv({}).checkout).not.toHaveProperty('kpayment');
  });

  it('with only KPAYMENT_API_URL: the sandbox with its test keys', () => {
    expect(loadConfigFromEnv({ KPAYMENT_API_URL: 'http://127.0.0.1:4000' }).checkout.kpayment).toEqual({
      publicKey: 'pkey_test_demo',
      secretKey: 'skey_test_demo',
      sandbox: true,
      apiUrl: 'http://127.0.0.1:4000',
    });
    expect(loadConfigFromEnv({ KPAYMENT_SANDBOX: 'true' }).checkout.kpayment).toMatchObject({ sandbox: true, publicKey: 'pkey_test_demo' });
  });

  it('reads real keys and the merchant settings', () => {
    const config = loadConfigFromEnv({
      KPAYMENT_PUBLIC_KEY: 'pkey_prod_1',
      KPAYMENT_SECRET_KEY: 'skey_prod_1',
      KPAYMENT_MID: '401001001001001',
      KPAYMENT_DCC_MID: '451001001001001',
      KPAYMENT_MERCHANT_NAME: 'Siam Market',
      KPAYMENT_SMARTPAY_ID: '0001',
      KPAYMENT_SMARTPAY_TERM: '10',
      KPAYMENT_TIMEOUT_MS: '20000',
      KPAYMENT_QR_EXPIRE_SECONDS: '900',
    });
    expect(config.checkout.kpayment).toEqual({
      publicKey: 'pkey_prod_1',
      secretKey: 'skey_prod_1',
      sandbox: false,
      mid: '401001001001001',
      dccMid: '451001001001001',
      merchantName: 'Siam Market',
      smartpay: { smartpayId: '0001', term: 10 },
      timeoutMs: 20_000,
      qrExpireSeconds: 900,
    });
    // What the environment gives, the options accept.
    expect(parseCheckoutOptions({ ...base, kpayment: config.checkout.kpayment }).kpayment).toMatchObject({ mid: '401001001001001', sandbox: false, qrExpireSeconds: 900 });
  });

  it.each([
    [{ KPAYMENT_PUBLIC_KEY: 'pkey_prod_1' }, 'KPAYMENT_SECRET_KEY'],
    [{ KPAYMENT_PUBLIC_KEY: 'pkey_prod_1', KPAYMENT_SECRET_KEY: 'skey_prod_1' }, 'KPAYMENT_MID'],
    [{ KPAYMENT_MID: 'abc' }, 'KPAYMENT_MID'],
    [{ KPAYMENT_API_URL: 'nope' }, 'KPAYMENT_API_URL'],
    [{ KPAYMENT_SANDBOX: 'maybe' }, 'KPAYMENT_SANDBOX'],
    [{ KPAYMENT_SMARTPAY_TERM: '6' }, 'KPAYMENT_SMARTPAY_TERM'],
    [{ KPAYMENT_API_URL: 'http://x', KPAYMENT_QR_EXPIRE_SECONDS: '30' }, 'KPAYMENT_QR_EXPIRE_SECONDS'],
  ])('refuses to start on %j', (env, variable) => {
    expect(() => loadConfigFromEnv(env)).toThrow(CheckoutConfigError);
    try {
      loadConfigFromEnv(env);
    } catch (err) {
      expect((err as CheckoutConfigError).issues.map((i) => i.path)).toContain(variable);
    }
  });
});
