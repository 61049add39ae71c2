/**
 * POSTs the companion's settings to one of the sandbox's control endpoints (decisions.md 3), so that
 * `npm start` needs no manual step, and answers what `read` makes of the JSON answer. Retries briefly with
 * backoff: the sandbox may still be starting.
 */
export async function registerWithSandbox<T>(input: {
  apiUrl: string;
  path: string;
  /** The gateway's authentication; `content-type` and `accept` are added after it. */
  headers: Record<string, string>;
  body: unknown;
  /** What is registered, for the final error: `could not register ${what} with the sandbox at …`. */
  what: string;
  /** Reads a 2xx answer; a throw counts as a failed attempt. */
  read: (body: unknown) => T;
  attempts?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}): Promise<T> {
  const attempts = input.attempts ?? 5;
  const doFetch = input.fetch ?? globalThis.fetch;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await doFetch(`${input.apiUrl}${input.path}`, {
        method: 'POST',
        headers: { ...input.headers, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(input.body),
        signal: AbortSignal.timeout(input.timeoutMs ?? 5_000),
      });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) throw new Error(`the sandbox answered HTTP ${res.status}: ${JSON.stringify(body)}`);
      return input.read(body);
    } catch (err) {
      lastError = err;
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
  throw new Error(`could not register ${input.what} with the sandbox at ${input.apiUrl}: ${lastError instanceof Error ? lastError.message : String(lastError)}`, {
    cause: lastError,
  });
}
