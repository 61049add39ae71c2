import type { OpnBrowserConfig } from '@payment-checkout/core/opn/browser';
import { loadScript, ScriptLoadError } from '../../load-script.ts';
import type { GatewayStarter } from '../starter.ts';
import { createOpnSource, type OmiseJs } from './source.ts';

/** Opn's block of the config, checked by hand (core's schema would bring zod into this chunk for two strings). */
function readBlock(block: Readonly<Record<string, unknown>> | undefined): OpnBrowserConfig {
  const publicKey = block?.publicKey;
  const scriptUrl = block?.scriptUrl;
  if (typeof publicKey !== 'string' || !publicKey.startsWith('pkey_') || typeof scriptUrl !== 'string') {
    // Read by its code, as the element reads a CompanionError of an answer it cannot use (this chunk has no copy of it).
    throw Object.assign(new Error('The payment service sent an unexpected Opn block.'), { code: 'invalid_response' });
  }
  return { publicKey, scriptUrl };
}

/**
 * Opn (mobile banking, wallets): before the payment is created, Omise.js (loaded once per page) creates a source
 * for the config's amount and currency with the shopper's `platform_type`; the companion then answers a redirect.
 */
export const starter: GatewayStarter = {
  async prepare(offer, block, { config, platform }) {
    const { publicKey, scriptUrl } = readBlock(block);
    await loadScript(scriptUrl);
    const omise: OmiseJs | undefined = window.Omise;
    if (!omise) throw new ScriptLoadError(scriptUrl);
    omise.setPublicKey(publicKey);
    // Amount and currency come from the companion's config (the merchant's order), never from the page.
    const sourceId = await createOpnSource(omise, offer.id, {
      amount: config.amount,
      currency: config.currency,
      ...(platform ? { platform_type: platform } : {}),
    });
    return { sourceId, platform };
  },
};
