import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, createSandbox } from '@payment-checkout/sandbox';
import { type CheckoutRouter, createCheckout } from '../src/checkout.ts';
import { contentSecurityPolicy } from '../src/common/csp.ts';
import type { Logger } from '../src/common/logger.ts';
import type { CheckoutOptions } from '../src/options.ts';

/** The Content-Security-Policy a checkout page needs: from the configured gateways' URLs, in production and against the sandbox. */

const silent: Logger = { info() {}, warn() {}, error() {} };
const base: CheckoutOptions = {
  resolveOrder: async () => ({ amount: 150_000, currency: 'THB' }),
  publicBaseUrl: 'https://shop.example/',
  resultUrl: '/orders/result?payment={paymentId}',
  store: ':memory:',
  logger: silent,
  reconcileEveryMs: false,
  hookDelivery: { pollEveryMs: false },
};
const LIVE = {
  opn: { publicKey: 'pkey_live_abc', secretKey: 'skey_live_abc' },
  kpayment: { publicKey: 'pkey_prod_abc', secretKey: 'skey_prod_abc', mid: '401001001001001' },
};

const opened: CheckoutRouter[] = [];
function companion(options: Partial<CheckoutOptions>): CheckoutRouter {
  const router = createCheckout({ ...base, ...options });
  opened.push(router);
  return router;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.checkout.close()));
});

describe('contentSecurityPolicy() in production', () => {
  it("names each gateway's production hosts, the companion and 'self', and nothing unsafe", () => {
    const policy = companion(LIVE).checkout.contentSecurityPolicy();
    expect(policy.directives).toEqual({
      'script-src': ["'self'", 'https://cdn.omise.co', 'https://kpaymentgateway.kasikornbank.com'],
      'connect-src': ["'self'", 'https://shop.example', 'https://api.omise.co', 'https://kpaymentgateway.kasikornbank.com', 'https://kpaymentgateway-services.kasikornbank.com'],
      // The companion too: a QR code's post-back goes into a hidden frame of the checkout page.
      'frame-src': ["'self'", 'https://kpaymentgateway.kasikornbank.com', 'https://shop.example'],
      'form-action': ["'self'", 'https://shop.example', 'https://*.kasikornbank.com'],
    });
    expect(policy.header).toBe(
      "script-src 'self' https://cdn.omise.co https://kpaymentgateway.kasikornbank.com; " +
        "connect-src 'self' https://shop.example https://api.omise.co https://kpaymentgateway.kasikornbank.com https://kpaymentgateway-services.kasikornbank.com; " +
        "frame-src 'self' https://kpaymentgateway.kasikornbank.com https://shop.example; " +
        "form-action 'self' https://shop.example https://*.kasikornbank.com",
    );
    expect(policy.header).not.toMatch(/unsafe|\*(?!\.kasikornbank\.com)|http:/);
  });

  it('per gateway: Opn alone needs its script and its API; K-Payment alone its script, frames, token calls and pages', () => {
    expect(companion({ opn: LIVE.opn }).checkout.contentSecurityPolicy().header).toBe(
      "script-src 'self' https://cdn.omise.co; connect-src 'self' https://shop.example https://api.omise.co; frame-src 'self'; form-action 'self'",
    );
    expect(companion({ kpayment: LIVE.kpayment }).checkout.contentSecurityPolicy().header).toBe(
      "script-src 'self' https://kpaymentgateway.kasikornbank.com; " +
        "connect-src 'self' https://shop.example https://kpaymentgateway.kasikornbank.com https://kpaymentgateway-services.kasikornbank.com; " +
        "frame-src 'self' https://kpaymentgateway.kasikornbank.com https://shop.example; " +
        "form-action 'self' https://shop.example https://*.kasikornbank.com",
    );
  });

  it('is what the README says, gateway by gateway', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const documented = (gateway: string) => new RegExp(`^- ${gateway}: \`([^\`]+)\`$`, 'm').exec(readme)?.[1];
    expect(documented('Opn')).toBe(companion({ opn: LIVE.opn }).checkout.contentSecurityPolicy().header);
    expect(documented('K-Payment')).toBe(companion({ kpayment: LIVE.kpayment }).checkout.contentSecurityPolicy().header);
  });

  it("with K-Payment test keys: the bank's dev hosts, and its UAT host for the 3-D Secure page", () => {
    const policy = companion({ kpayment: { publicKey: 'pkey_test_abc', secretKey: 'skey_test_abc', mid: '401001001001001' } }).checkout.contentSecurityPolicy();
    expect(policy.directives['script-src']).toEqual(["'self'", 'https://dev-kpaymentgateway.kasikornbank.com']);
    expect(policy.directives['connect-src']).toContain('https://dev-kpaymentgateway-services.kasikornbank.com');
    expect(policy.directives['form-action']).toEqual(["'self'", 'https://shop.example', 'https://*.kasikornbank.com', 'https://uat-kpaymentgateway.com']);
  });

  it('follows the configured URLs: a script served elsewhere, a companion on its own host', () => {
    const policy = companion({
      publicBaseUrl: 'https://pay.shop.example:8443/base',
      opn: { ...LIVE.opn, scriptUrl: 'https://static.shop.example/vendor/omise.js' },
    }).checkout.contentSecurityPolicy();
    expect(policy.directives['script-src']).toEqual(["'self'", 'https://static.shop.example']);
    expect(policy.directives['connect-src']).toEqual(["'self'", 'https://pay.shop.example:8443', 'https://api.omise.co']);
  });
});

describe('contentSecurityPolicy() against the sandbox', () => {
  let sandbox: Sandbox;
  let sandboxUrl: string;
  let server: { close(): Promise<void> };
  beforeAll(async () => {
    sandbox = createSandbox();
    const listening = await sandbox.listen(0, '127.0.0.1');
    sandboxUrl = listening.url;
    server = listening;
  });
  afterAll(async () => {
    await server.close();
    await sandbox.close();
  });

  it("names the sandbox's origin for everything both gateways load, and no real gateway host", async () => {
    const router = companion({ publicBaseUrl: 'http://127.0.0.1:3333', opn: { apiUrl: sandboxUrl }, kpayment: { apiUrl: sandboxUrl } });
    await router.checkout.ready;
    const policy = router.checkout.contentSecurityPolicy();
    expect(policy.directives).toEqual({
      'script-src': ["'self'", sandboxUrl],
      'connect-src': ["'self'", 'http://127.0.0.1:3333', sandboxUrl],
      'frame-src': ["'self'", sandboxUrl, 'http://127.0.0.1:3333'],
      'form-action': ["'self'", 'http://127.0.0.1:3333', sandboxUrl],
    });
    expect(policy.header).toBe(
      `script-src 'self' ${sandboxUrl}; connect-src 'self' http://127.0.0.1:3333 ${sandboxUrl}; frame-src 'self' ${sandboxUrl} http://127.0.0.1:3333; form-action 'self' http://127.0.0.1:3333 ${sandboxUrl}`,
    );
    expect(policy.header).not.toMatch(/omise\.co|kasikornbank|unsafe/);
  });
});

describe('contentSecurityPolicy(modules)', () => {
  it("puts 'self' first, drops repeats, and lists img-src only when a gateway needs it", () => {
    const policy = contentSecurityPolicy({
      publicBaseUrl: 'https://shop.example',
      gateways: [{ browserSources: { 'img-src': ['https://qr.example'], 'script-src': ['https://a.example'] } }, { browserSources: { 'script-src': ['https://a.example'] } }, {}],
    });
    expect(policy.header).toBe(
      "script-src 'self' https://a.example; connect-src 'self' https://shop.example; frame-src 'self'; img-src 'self' https://qr.example; form-action 'self'",
    );
    expect(contentSecurityPolicy({ publicBaseUrl: 'https://shop.example', gateways: [] }).directives['img-src']).toBeUndefined();
  });
});
