import http from 'node:http';
import https from 'node:https';

/**
 * How the gateway clients put a request on the wire. The default is node:http(s) on keep-alive agents: a gateway
 * call is most of a create's and a webhook's own work, and `fetch` (undici with web streams and abort signals)
 * costs about twice the CPU per call (BENCHMARKS.md, "the gateway calls on node:http"). A `fetch` can still be
 * given instead (a proxy-aware one, or a test double): `fetchTransport`.
 */

export interface TransportRequest {
  method: string;
  /** Absolute http: or https: URL. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The caller's abort: the transport rejects with its reason. */
  signal?: AbortSignal;
  /** The whole exchange, body included. */
  timeoutMs: number;
}

export interface TransportAnswer {
  status: number;
  text: string;
}

export type GatewayTransport = (request: TransportRequest) => Promise<TransportAnswer>;

/** No complete answer within the request's `timeoutMs`. */
export class TransportTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'TransportTimeout';
  }
}

/** A gateway answer larger than this is refused (the largest real one, a list of 100 charges, is far below). */
const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
/**
 * Idle sockets are closed after this, before a server's own keep-alive timeout (Node's default is 5 s) can close
 * one under a request just sent on it (a reset that would lose the answer of a charge already created).
 */
const IDLE_SOCKET_MS = 4_000;
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
};

/** node:http(s) on the shared keep-alive agents; redirects are answered as they are, never followed. */
export const nodeTransport: GatewayTransport = (request) =>
  new Promise((resolve, reject) => {
    const url = new URL(request.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`gateway URL ${url.origin}: only http: and https: are spoken`);
    const body = request.body === undefined ? undefined : Buffer.from(request.body);
    const headers = body ? { ...request.headers, 'content-length': String(body.length) } : request.headers;
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', abort);
      done();
    };
    const fail = (err: unknown) => settle(() => {
      outgoing.destroy();
      reject(err);
    });
    const abort = () => fail(request.signal?.reason);
    const client = url.protocol === 'https:' ? https : http;
    const outgoing = client.request(url, { method: request.method, headers, agent: agents[url.protocol] }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) fail(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      res.on('end', () => settle(() => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })));
      res.on('error', fail);
    });
    const timer = setTimeout(() => fail(new TransportTimeout(request.timeoutMs)), request.timeoutMs);
    outgoing.on('error', fail);
    if (request.signal?.aborted) return abort();
    request.signal?.addEventListener('abort', abort, { once: true });
    outgoing.end(body);
  });

/** A `fetch` as the transport, with the same rules: one timeout, the caller's abort, a redirect answered as it is. */
export function fetchTransport(fetcher: typeof fetch): GatewayTransport {
  return async (request) => {
    const timeout = AbortSignal.timeout(request.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    try {
      const res = await fetcher(request.url, { method: request.method, headers: request.headers, body: request.body, signal, redirect: 'manual' });
      return { status: res.status, text: await res.text() };
    } catch (err) {
      if (timeout.aborted) throw new TransportTimeout(request.timeoutMs);
      throw err;
    }
  };
}

/** The transport of a gateway client: the `fetch` it was given, or node:http. */
export function transportOf(fetcher: typeof fetch | undefined): GatewayTransport {
  return fetcher ? fetchTransport(fetcher) : nodeTransport;
}
