import { type Channel, channel } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

/** The user agent of every request the companion's gateway clients send (gateway-http.ts). */
const COMPANION_AGENT = 'payment-checkout-server/0.1';

/**
 * Records each request the companion sends to a gateway (`GET /charges/chrg_…`), as node:http starts it (its
 * `http.client.request.start` diagnostics channel), until `restore()`. Empty `calls` in place (`calls.length = 0`)
 * to count a step of a test on its own.
 */
export function recordGatewayCalls(): { calls: string[]; restore(): void } {
  const calls: string[] = [];
  const started: Channel = channel('http.client.request.start');
  const record = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (request.getHeader('user-agent') === COMPANION_AGENT) calls.push(`${request.method} ${request.path.split('?')[0]}`);
  };
  started.subscribe(record);
  return { calls, restore: () => void started.unsubscribe(record) };
}
