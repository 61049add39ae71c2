import { expect } from 'vitest';

/** What a real HTTP client sees of one request under the sandbox's faults (`faults.ts`). */

export type Outcome =
  | { kind: 'answer'; status: number; body: any }
  /** The client's own `AbortSignal.timeout` fired: no answer came in time. */
  | { kind: 'timeout' }
  /** fetch rejected with a socket error (reset, or closed without an answer). */
  | { kind: 'socket'; code: string };

export async function attempt(url: string, init: RequestInit = {}, timeoutMs = 2000): Promise<Outcome> {
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return { kind: 'answer', status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') return { kind: 'timeout' };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'socket', code: cause?.code ?? cause?.message ?? String(error) };
  }
}

/** A JSON request's init, with the gateway's authentication header. */
export function jsonInit(headers: Record<string, string>, body?: unknown, method = body === undefined ? 'GET' : 'POST'): RequestInit {
  return {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

/** Runs `count` requests, `concurrency` at a time; returns the outcomes in the order the requests were made. */
export async function attemptMany(count: number, concurrency: number, one: (i: number) => Promise<Outcome>): Promise<Outcome[]> {
  const outcomes: Outcome[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      outcomes[i] = await one(i);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

/** How many outcomes of each kind: answers by status class, timeouts, socket errors. */
export function tally(outcomes: Outcome[]) {
  const counts = { ok: 0, errors: 0, timeouts: 0, resets: 0 };
  for (const o of outcomes) {
    if (o.kind === 'timeout') counts.timeouts += 1;
    else if (o.kind === 'socket') counts.resets += 1;
    else if (o.status >= 500) counts.errors += 1;
    else counts.ok += 1;
  }
  return counts;
}

/**
 * What 400 requests under `{failRate: 0.2, timeoutRate: 0.05, resetRate: 0.05, committedShare: 0.5}` come to,
 * roughly (a seeded run lands well inside these bounds): about 80 errors, 20 timeouts, 20 resets, half of all
 * faults after the effect.
 */
export function expectShares400(counts: { errors: number; timeouts: number; resets: number; afterEffect: number }): void {
  expect(counts.errors).toBeGreaterThan(60);
  expect(counts.errors).toBeLessThan(100);
  expect(counts.timeouts).toBeGreaterThan(8);
  expect(counts.timeouts).toBeLessThan(35);
  expect(counts.resets).toBeGreaterThan(8);
  expect(counts.resets).toBeLessThan(35);
  const faults = counts.errors + counts.timeouts + counts.resets;
  expect(counts.afterEffect).toBeGreaterThan(faults * 0.3);
  expect(counts.afterEffect).toBeLessThan(faults * 0.7);
}
