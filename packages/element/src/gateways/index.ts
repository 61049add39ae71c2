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

/** The ids of the gateways listed here. */
export const GATEWAY_IDS: readonly string[] = Object.keys(GATEWAYS);
