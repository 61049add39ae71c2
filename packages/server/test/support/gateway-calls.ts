/** The user agent of every request the companion's gateway clients send (gateway-http.ts). */
const COMPANION_AGENT = 'payment-checkout-server/0.1';

/**
 * Records each request the companion sends to a gateway (`GET /charges/chrg_…`) by wrapping `fetch`, until
 * `restore()`. Empty `calls` in place (`calls.length = 0`) to count a step of a test on its own.
 */
export function recordGatewayCalls(): { calls: string[]; restore(): void } {
  const realFetch = globalThis.fetch;
  const calls: string[] = [];
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    if (headers['user-agent'] === COMPANION_AGENT) calls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    return realFetch(input, init);
  }) as typeof fetch;
  return { calls, restore: () => void (globalThis.fetch = realFetch) };
}
