import type { z } from 'zod';
import { type CspSources, originOf } from '../../common/csp.ts';
import { factoryOf } from '../definition.ts';
import type { GatewayContext, GatewayDefinition, GatewayModule, GatewayPlugin } from '../module.ts';
import { KpaymentCards } from './kpayment-cards.ts';
import { KpaymentClient } from './kpayment-client.ts';
import { KpaymentGateway } from './kpayment-gateway.ts';
import { KPAYMENT_HOSTS, KpaymentEnv, KpaymentOptions, type ResolvedKpaymentOptions, kpaymentFromEnv, resolveKpayment } from './kpayment-options.ts';
import { KpaymentRegistrations } from './kpayment-registrations.ts';
import { KPAYMENT_BROWSER_PATHS, KPAYMENT_CALLBACK_PATH, KPAYMENT_NOTIFY_PATH, kpaymentRoutes } from './kpayment-routes.ts';
import { registerKpaymentSandbox } from './sandbox-registration.ts';

/** K-Payment's settings as the host may see them: no secret key. */
export type KpaymentSettings = Omit<ResolvedKpaymentOptions, 'secretKey' | 'registrationResultUrl'>;
export type KpaymentModule = GatewayModule<KpaymentClient, KpaymentSettings> & {
  /** Saving a card before buying (register-3D), for the shopper's account page. */
  readonly registrations: KpaymentRegistrations;
};

function kpaymentPlugin(kpayment: ResolvedKpaymentOptions): GatewayPlugin<KpaymentModule> {
  return {
    id: 'kpayment',
    create(context: GatewayContext): KpaymentModule {
      const { logger, publicBaseUrl, now } = context;
      const client = new KpaymentClient({ secretKey: kpayment.secretKey, apiUrl: kpayment.apiUrl, timeoutMs: kpayment.timeoutMs });
      const cards = new KpaymentCards({ client, store: context.cardStore, resolveCustomer: context.resolveCustomer, logger, now });
      const settings = { publicKey: kpayment.publicKey, mid: kpayment.mid, dccMid: kpayment.dccMid, merchantName: kpayment.merchantName, smartpay: kpayment.smartpay, scriptUrl: kpayment.scriptUrl };
      const gateway = new KpaymentGateway({ client, cards, settings, secretKey: kpayment.secretKey, publicBaseUrl, qrExpireSeconds: kpayment.qrExpireSeconds, now });
      const registrations = new KpaymentRegistrations({
        client,
        cards,
        store: context.cardStore,
        settings,
        publicBaseUrl,
        resultUrl: kpayment.registrationResultUrl,
        logger,
        now,
      });
      let ready: Promise<void> = Promise.resolve();
      if (kpayment.sandbox) {
        const callbackUrl = `${publicBaseUrl}${KPAYMENT_CALLBACK_PATH}`;
        const notifyUrl = `${publicBaseUrl}${KPAYMENT_NOTIFY_PATH}`;
        ready = registerKpaymentSandbox({ apiUrl: kpayment.apiUrl, secretKey: kpayment.secretKey, callbackUrl, notifyUrl, mid: kpayment.mid, dccMid: kpayment.dccMid, smartpay: kpayment.smartpay }).then(
          () => logger.info('registered the K-Payment callback and notify URLs with the sandbox', { callbackUrl, notifyUrl, sandbox: kpayment.apiUrl }),
        );
        ready.catch((err: unknown) => logger.error('K-Payment sandbox registration failed; callbacks and notifies will not arrive', { error: err }));
      }
      if (context.resolveCustomer && !context.cardStore) logger.warn('the store keeps no customers (not a CardStore): cards will not be remembered');
      const { secretKey: _k, registrationResultUrl: _r, ...rest } = kpayment;
      return {
        id: 'kpayment',
        gateway,
        client,
        registrations,
        settings: rest,
        summary: { apiUrl: kpayment.apiUrl, publicKey: kpayment.publicKey, mid: kpayment.mid, dccMid: kpayment.dccMid, sandbox: kpayment.sandbox },
        secrets: [kpayment.secretKey],
        sandbox: kpayment.sandbox,
        ready,
        browserPaths: KPAYMENT_BROWSER_PATHS,
        browserSources: browserSources(kpayment, publicBaseUrl),
        routes: (inbox) => kpaymentRoutes(inbox, registrations, logger),
      };
    },
  };
}

/**
 * What the browser uses of K-Payment: kpayment.min.js, the card form and QR popup it opens (frames of its host in the
 * sandbox; the guide shows neither host), the token it asks the gateway for (guide L892), and the form it submits to
 * the companion, whose answer sends the shopper on to the bank's 3-D Secure page (a redirect `form-action` covers).
 * Alipay and UnionPay pages are plain navigations. See decisions.md C19.
 */
function browserSources(kpayment: ResolvedKpaymentOptions, publicBaseUrl: string): CspSources {
  const script = originOf(kpayment.scriptUrl);
  const pages = kpayment.sandbox ? [originOf(kpayment.apiUrl)] : KPAYMENT_HOSTS[/^pkey_test_/.test(kpayment.publicKey) ? 'test' : 'live'].pages;
  return {
    'script-src': [script],
    // The QR code's post-back goes into a hidden frame of the checkout page (decisions.md C27).
    'frame-src': [script, originOf(publicBaseUrl)],
    'connect-src': [script, originOf(kpayment.apiUrl)],
    'form-action': [originOf(publicBaseUrl), ...pages],
  };
}

/** KBank K-Payment Gateway (cards, Thai QR, WeChat Pay, Alipay, UnionPay), as `createCheckout` and `loadConfigFromEnv` know it. */
export const KPAYMENT: GatewayDefinition<KpaymentOptions, ResolvedKpaymentOptions, KpaymentModule> = {
  id: 'kpayment',
  name: 'K-Payment',
  options: KpaymentOptions,
  resolve: (options, issues) => resolveKpayment(options as z.output<typeof KpaymentOptions>, issues),
  env: { schema: KpaymentEnv, read: (vars, issues) => kpaymentFromEnv(vars, issues) },
  plugin: kpaymentPlugin,
};

/** K-Payment as a gateway module: `createCheckout({ gateways: [kpayment({ publicKey, secretKey, mid })] })`. */
export const kpayment = factoryOf(KPAYMENT);
