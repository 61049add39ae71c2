import { checkoutTexts } from '@payment-checkout/core/texts';
import { Locale } from '@payment-checkout/core/locale';

/** A fake companion behind `window.fetch` for the browser tests, and helpers to wait for what it answered. */

export const ENDPOINT = 'https://shop.test/api';

export interface RecordedRequest {
  method: string;
  url: URL;
  body: unknown;
}

/** An answer of the fake companion: JSON with a status, or a fetch that fails like a dropped connection. */
export type Reply = { status?: number; body: unknown } | 'network-error';

export interface CompanionRoutes {
  config?: (orderId: string) => Reply | Promise<Reply>;
  createPayment?: (body: unknown) => Reply | Promise<Reply>;
  payment?: (paymentId: string) => Reply | Promise<Reply>;
  /** GET /checkout/texts; by default core's texts in the locale asked for, as the companion answers. */
  texts?: (locale: string | null) => Reply | Promise<Reply>;
}

export interface FakeCompanion {
  /** The requests of the checkout API (config, create, payment), in order. */
  requests: RecordedRequest[];
  /** The requests of the texts alone (`GET /checkout/texts`), apart: most tests need not count them. */
  textsRequests: RecordedRequest[];
  /** Requests of one kind: `config`, `create` (POST /checkout/payments), `payment` (GET one) or `texts`. */
  count(kind: 'config' | 'create' | 'payment' | 'texts'): number;
  restore(): void;
}

function kindOf(request: RecordedRequest): 'config' | 'create' | 'payment' | 'texts' | 'other' {
  const path = request.url.pathname;
  if (request.method === 'GET' && path.endsWith('/checkout/config')) return 'config';
  if (request.method === 'GET' && path.endsWith('/checkout/texts')) return 'texts';
  if (request.method === 'POST' && path.endsWith('/checkout/payments')) return 'create';
  if (request.method === 'GET' && /\/checkout\/payments\/[^/]+$/.test(path)) return 'payment';
  return 'other';
}

const ENGLISH = JSON.stringify(checkoutTexts('en'));
/** The fixtures' texts (English), which the fake companion answers in the request's locale; others stay as they are. */
const isFixtureTexts = (texts: unknown) => JSON.stringify(texts) === ENGLISH;

/** The texts the companion sends for a request's `locale` (English without one). */
const textsFor = (locale: string | null) => checkoutTexts(Locale.safeParse(locale).data ?? 'en');

/**
 * Replaces `window.fetch` with the companion's API answered by `routes`; `restore()` puts fetch back. A config
 * answer with the fixtures' texts gets those of the request's locale, as the companion's has.
 */
export function fakeCompanion(routes: CompanionRoutes): FakeCompanion {
  const original = window.fetch;
  const requests: RecordedRequest[] = [];
  const textsRequests: RecordedRequest[] = [];
  const answer = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const text = request.method === 'GET' ? '' : await request.text();
    const recorded: RecordedRequest = { method: request.method, url: new URL(request.url), body: text ? JSON.parse(text) : undefined };
    (kindOf(recorded) === 'texts' ? textsRequests : requests).push(recorded);
    const locale = recorded.url.searchParams.get('locale');
    let reply: Reply | undefined;
    switch (kindOf(recorded)) {
      case 'config':
        reply = await routes.config?.(recorded.url.searchParams.get('orderId') ?? '');
        if (reply && reply !== 'network-error' && (reply.status ?? 200) < 300 && isRecord(reply.body) && isFixtureTexts(reply.body.texts)) {
          reply = { ...reply, body: { ...reply.body, texts: textsFor(locale) } };
        }
        break;
      case 'texts':
        reply = routes.texts ? await routes.texts(locale) : { body: textsFor(locale) };
        break;
      case 'create':
        reply = await routes.createPayment?.(recorded.body);
        break;
      case 'payment':
        reply = await routes.payment?.(decodeURIComponent(recorded.url.pathname.split('/').pop() ?? ''));
        break;
      case 'other':
        break;
    }
    reply ??= { status: 404, body: { error: { code: 'not_found', message: `no route for ${recorded.method} ${recorded.url.pathname}` } } };
    if (reply === 'network-error') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(reply.body), {
      status: reply.status ?? 200,
      headers: { 'content-type': 'application/json' },
    });
  };
  // As the browser's fetch: an aborted request rejects with its signal's reason, whatever its route is doing (a route
  // that never answers holds the request until the element gives up on it).
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init?.signal;
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      answer(input, init).then(resolve, reject);
    });
  return {
    requests,
    textsRequests,
    count: (kind) => (kind === 'texts' ? textsRequests.length : requests.filter((r) => kindOf(r) === kind).length),
    restore: () => {
      window.fetch = original;
    },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** A promise with its resolver outside, to hold an answer while a test looks at the busy state. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const realSetTimeout = window.setTimeout.bind(window);

/** Waits (with the page's real timers, even when a test replaced them) until `predicate` holds. */
export async function until(predicate: () => unknown, message: string, timeoutMs = 2000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`Timed out waiting until ${message}`);
    await new Promise((resolve) => realSetTimeout(resolve, 5));
  }
}

/** Lets pending timers, fetches and renders run for a while (real time, short). */
export function settle(ms = 30): Promise<void> {
  return new Promise((resolve) => realSetTimeout(resolve, ms));
}
