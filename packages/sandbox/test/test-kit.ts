import { randomBytes } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { type Sandbox, type SandboxOptions, createSandbox } from '../src/sandbox.ts';

/**
 * Helpers for the sandbox's own tests: real HTTP against `listen()` on a random loopback port. Each gateway's
 * own helpers are in its kit (`opn-kit.ts`, `kpayment-kit.ts`).
 */

export interface Harness {
  sandbox: Sandbox;
  url: string;
  close(): Promise<void>;
}

export async function startSandbox(options?: SandboxOptions): Promise<Harness> {
  const sandbox = createSandbox(options);
  const { url } = await sandbox.listen();
  return { sandbox, url, close: () => sandbox.close() };
}

/**
 * Starts something (an emulator, a receiver, a browser) before the file's tests and closes it after them.
 * What it returns stands for the started thing, so that a file can declare it once at the top: use it in
 * tests and hooks, not at module level.
 */
export function forFile<T extends object>(start: () => Promise<T>, close: (started: T) => Promise<void>, options: { timeoutMs?: number } = {}): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, options.timeoutMs);
  afterAll(async () => {
    if (started) await close(started);
  });
  return new Proxy({} as T, {
    get(_target, key) {
      if (!started) throw new Error(`read ${String(key)} before beforeAll started it`);
      const value: unknown = Reflect.get(started, key);
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}

/** A fresh merchant: a key pair nobody else uses. */
export function newMerchant(name = randomBytes(6).toString('hex')) {
  return { pk: `pkey_test_${name}`, sk: `skey_test_${name}`, name };
}

export function basicAuth(key: string, trailingColon = true): string {
  return `Basic ${Buffer.from(trailingColon ? `${key}:` : key).toString('base64')}`;
}

export interface CallOptions {
  key?: string;
  method?: string;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  query?: Record<string, string | number>;
}

export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** One API call; the body is parsed as JSON when the answer is JSON. */
export async function call<T = any>(base: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = basicAuth(options.key);
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const url = new URL(path, base);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
  const response = await fetch(url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    redirect: 'manual',
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('json');
  return { status: response.status, body: (isJson ? JSON.parse(text) : text) as T, headers: response.headers };
}

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  rawBody: string;
  json: any;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Status codes to answer, in order; once used up, 200. */
  answers: number[];
  /** Resolves when at least `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  close(): Promise<void>;
}

/** A webhook endpoint on loopback that records what it receives. */
export async function startReceiver(answers: number[] = []): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      requests.push({ headers: req.headers, rawBody, json: rawBody ? JSON.parse(rawBody) : null });
      res.statusCode = receiver.answers.shift() ?? 200;
      res.end('ok');
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/webhooks/opn`,
    requests,
    answers,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook requests, got ${requests.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return receiver;
}

/** A URL on loopback where nothing listens (a receiver that is down). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/down`;
}

export const MINUTE = 60_000;
