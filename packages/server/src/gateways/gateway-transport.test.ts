import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type GatewayTransport, TransportTimeout, fetchTransport, nodeTransport } from './gateway-transport.ts';

/** The transports against a real server on loopback: answers, timeouts, aborts, redirects, oversized answers. */

let server: Server | undefined;
const sockets = new Set<string>();

async function serve(handle: (url: string, res: ServerResponse, body: string) => void): Promise<string> {
  server = createServer((req, res) => {
    sockets.add(`${req.socket.remotePort}`);
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => handle(req.url ?? '', res, `${req.method} ${req.headers['content-type'] ?? ''} ${body}`));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
  sockets.clear();
});

const get = (transport: GatewayTransport, url: string, extra: { signal?: AbortSignal; timeoutMs?: number } = {}) =>
  transport({ method: 'GET', url, headers: { accept: 'application/json' }, timeoutMs: extra.timeoutMs ?? 2_000, signal: extra.signal });

describe.each([
  ['node:http', nodeTransport],
  ['fetch', fetchTransport(fetch)],
])('%s transport', (_name, transport) => {
  it('sends the method, headers and body, and answers the status and the whole text', async () => {
    const base = await serve((_url, res, seen) => {
      res.writeHead(402, { 'content-type': 'application/json' });
      res.write('{"seen":');
      setTimeout(() => res.end(`${JSON.stringify(seen)}}`), 20);
    });
    const answer = await transport({ method: 'POST', url: `${base}/charges`, headers: { 'content-type': 'application/json' }, body: '{"amount":150000}', timeoutMs: 2_000 });
    expect(answer).toEqual({ status: 402, text: '{"seen":"POST application/json {\\"amount\\":150000}"}' });
  });

  it('times out when the body stops coming, counting the whole exchange', async () => {
    const base = await serve((_url, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
    });
    const started = performance.now();
    await expect(get(transport, `${base}/slow`, { timeoutMs: 300 })).rejects.toBeInstanceOf(TransportTimeout);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("rejects with the caller's abort reason, already aborted or aborted mid-way", async () => {
    const base = await serve(() => undefined);
    const early = new AbortController();
    early.abort(new Error('shopper left'));
    await expect(get(transport, `${base}/x`, { signal: early.signal })).rejects.toThrow('shopper left');
    const late = new AbortController();
    setTimeout(() => late.abort(new Error('shutting down')), 50);
    await expect(get(transport, `${base}/x`, { signal: late.signal })).rejects.toThrow('shutting down');
  });

  it('answers a redirect as it is, without following it', async () => {
    let followed = false;
    const base = await serve((url, res) => {
      if (url !== '/moved') followed = true;
      res.writeHead(url === '/moved' ? 302 : 200, url === '/moved' ? { location: '/elsewhere' } : {}).end('');
    });
    expect(await get(transport, `${base}/moved`)).toEqual({ status: 302, text: '' });
    expect(followed).toBe(false);
  });

  it('fails, never connects elsewhere, on a refused connection', async () => {
    const base = await serve(() => undefined);
    server!.close();
    await expect(get(transport, `${base}/x`)).rejects.toThrow();
  });
});

describe('node:http transport', () => {
  it('refuses an answer over 8 MiB', async () => {
    const base = await serve((_url, res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 9; i++) res.write(chunk);
      res.end();
    });
    await expect(get(nodeTransport, `${base}/huge`)).rejects.toThrow(/larger than 8388608 bytes/);
  });

  it('keeps one connection alive across sequential calls', async () => {
    const base = await serve((_url, res) => res.writeHead(200).end('{}'));
    for (let i = 0; i < 5; i++) await get(nodeTransport, `${base}/charges/${i}`);
    expect(sockets.size).toBe(1);
  });
});
