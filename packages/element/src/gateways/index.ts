import type { CheckoutConfig, MethodOffer } from '@payment-checkout/core/api';
import type { GatewayStarter } from './starter.ts';

/**
 * The one place in the element that lists the gateways. Each gateway's starter is in its own folder and is loaded
 * (its own chunk) only when the shopper chooses one of its methods; adding a gateway is a folder and a line here.
 */

export interface GatewayEntry {
  /** Loads the gateway's starter. */
  load(): Promise<GatewayStarter>;
  /** Its methods need its block of the config (`config.gateways[gateway]`): without one they are not drawn. */
  needsBlock?: boolean;
}

const GATEWAYS: Readonly<Record<string, GatewayEntry>> = {
  // Omise.js creates the source in the browser with the key of `config.gateways.opn`.
  opn: { load: async () => (await import('./opn/starter.ts')).starter, needsBlock: true },
  // kpayment.min.js draws the card form and QR codes; the companion computes its attributes from the order.
  kpayment: { load: async () => (await import('./kpayment/starter.ts')).starter },
};

/** The element's entry for a gateway id from the companion (undefined: a gateway it has no starter for). */
export function gatewayEntry(gateway: string): GatewayEntry | undefined {
  return Object.hasOwn(GATEWAYS, gateway) ? GATEWAYS[gateway] : undefined;
}

/** The ids of the gateways listed here (a function: the bundle leaves it out where nothing calls it). */
export const gatewayIds = (): string[] => Object.keys(GATEWAYS);

/** The payment flows this element can start; a method of another flow is not drawn even if the config offers it. */
const STARTABLE_FLOWS: readonly MethodOffer['flow'][] = ['app_redirect', 'embedded_form', 'embedded_qr', 'redirect'];

/**
 * The config's methods that the element can start (the companion chose them for the order: its methods, limits and
 * currency). A gateway whose starter needs its block of the config (its script's key) has no method drawn without one.
 */
export function startableOffers(config: CheckoutConfig | null): MethodOffer[] {
  if (!config) return [];
  return config.methods.filter(
    (offer) => STARTABLE_FLOWS.includes(offer.flow) && !(gatewayEntry(offer.gateway)?.needsBlock && !Object.hasOwn(config.gateways, offer.gateway)),
  );
}
