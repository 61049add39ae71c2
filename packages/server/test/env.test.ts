import { describe, expect, it } from 'vitest';
import { loadConfigFromEnv } from '../src/env.ts';
import { CheckoutConfigError } from '../src/options.ts';

describe('loadConfigFromEnv', () => {
  it('with no keys means the sandbox with the test keys', () => {
    const config = loadConfigFromEnv({});
    expect(config.sandbox).toBe(true);
    expect(config.checkout).toEqual({ opn: { publicKey: 'pkey_test_demo', secretKey: 'skey_test_demo', sandbox: true }, store: 'payment-checkout.db' });
    expect(config).toMatchObject({ host: '127.0.0.1', port: 3000 });
  });

  it('leaves Opn out for a K-Payment-only merchant, and keeps it when any OPN_ variable is set', () => {
    const kpaymentOnly = loadConfigFromEnv({ KPAYMENT_PUBLIC_KEY: 'pkey_k1', KPAYMENT_SECRET_KEY: 'skey_k1', KPAYMENT_MID: '401000000000009' });
    expect(kpaymentOnly.checkout).not.toHaveProperty('opn');
    expect(kpaymentOnly.checkout.kpayment).toMatchObject({ publicKey: 'pkey_k1', sandbox: false, mid: '401000000000009' });
    expect(kpaymentOnly.sandbox).toBe(false);
    // K-Payment against the sandbox alone: still a sandbox world.
    const kpaymentSandbox = loadConfigFromEnv({ KPAYMENT_API_URL: 'http://127.0.0.1:4000' });
    expect(kpaymentSandbox.checkout).not.toHaveProperty('opn');
    expect(kpaymentSandbox.sandbox).toBe(true);
    const both = loadConfigFromEnv({ KPAYMENT_API_URL: 'http://127.0.0.1:4000', OPN_API_URL: 'http://127.0.0.1:4000' });
    expect(both.checkout.opn).toMatchObject({ apiUrl: 'http://127.0.0.1:4000', sandbox: true });
    expect(both.checkout.kpayment).toMatchObject({ apiUrl: 'http://127.0.0.1:4000', sandbox: true });
  });

  it('reads real keys, URLs, the store and the methods', () => {
    const config = loadConfigFromEnv({
      OPN_PUBLIC_KEY: 'pkey_5abc',
      OPN_SECRET_KEY: 'skey_5abc',
      OPN_WEBHOOK_SECRET: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ=',
      PUBLIC_BASE_URL: 'https://shop.example/',
      DATABASE_URL: 'sqlite:/var/lib/shop/payments.db',
      CHECKOUT_METHODS: 'mobile_banking_bay, kakaopay',
      PORT: '8080',
      HOST: '0.0.0.0',
      OPN_API_URL: '',
    });
    expect(config.sandbox).toBe(false);
    expect(config.checkout).toEqual({
      opn: { publicKey: 'pkey_5abc', secretKey: 'skey_5abc', sandbox: false, webhookSecret: 'c2VjcmV0LXNlY3JldC1zZWNyZXQ=' },
      publicBaseUrl: 'https://shop.example',
      store: '/var/lib/shop/payments.db',
      methods: ['mobile_banking_bay', 'kakaopay'],
    });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 8080 });
    expect(loadConfigFromEnv({ SQLITE_PATH: ':memory:' }).checkout.store).toBe(':memory:');
  });

  it('selects PostgreSQL for a postgres:// or postgresql:// DATABASE_URL', () => {
    expect(loadConfigFromEnv({ DATABASE_URL: 'postgres://db/shop' }).checkout.store).toBe('postgres://db/shop');
    const url = 'postgresql://shop:s3cret@db.internal:5432/payments?sslmode=require';
    expect(loadConfigFromEnv({ DATABASE_URL: url }).checkout.store).toBe(url);
  });

  it('never echoes a database password in its errors', () => {
    let message = '';
    try {
      loadConfigFromEnv({ DATABASE_URL: 'postgres://shop:hunter2-secret@db.internal:5432/payments', SQLITE_PATH: 'b.db' });
    } catch (err) {
      message = (err as Error).message + JSON.stringify((err as CheckoutConfigError).issues);
    }
    expect(message).toContain('SQLITE_PATH');
    expect(message).not.toContain('hunter2-secret');
  });

  it.each([
    [{ OPN_PUBLIC_KEY: 'pkey_test_a' }, 'OPN_SECRET_KEY'],
    [{ OPN_SECRET_KEY: 'skey_test_a' }, 'OPN_PUBLIC_KEY'],
    [{ OPN_PUBLIC_KEY: 'pk_test', OPN_SECRET_KEY: 'skey_test_a' }, 'OPN_PUBLIC_KEY'],
    [{ OPN_API_URL: 'not a url' }, 'OPN_API_URL'],
    [{ PUBLIC_BASE_URL: 'ftp://x' }, 'PUBLIC_BASE_URL'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ OPN_SANDBOX: 'maybe' }, 'OPN_SANDBOX'],
    [{ DATABASE_URL: 'postgres:db/shop' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'mysql://db/shop' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgress://db/shop' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://db/shop', SQLITE_PATH: 'b.db' }, 'SQLITE_PATH'],
    [{ DATABASE_URL: 'sqlite:a.db', SQLITE_PATH: 'b.db' }, 'SQLITE_PATH'],
    [{ CHECKOUT_METHODS: 'kakaopay,paypal' }, 'CHECKOUT_METHODS'],
  ])('refuses to start on %j', (env, variable) => {
    let error: unknown;
    try {
      loadConfigFromEnv(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(CheckoutConfigError);
    expect((error as CheckoutConfigError).issues.map((i) => i.path)).toContain(variable);
    expect((error as Error).message).toContain(variable);
  });

  it('never echoes a secret key in its errors', () => {
    let message = '';
    try {
      loadConfigFromEnv({ OPN_SECRET_KEY: 'skey_test_verysecret', OPN_PUBLIC_KEY: 'wrong' });
    } catch (err) {
      message = (err as Error).message + JSON.stringify((err as CheckoutConfigError).issues);
    }
    expect(message).toContain('OPN_PUBLIC_KEY');
    expect(message).not.toContain('skey_test_verysecret');
  });
});
