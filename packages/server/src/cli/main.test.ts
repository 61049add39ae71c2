import { describe, expect, it } from 'vitest';
import { runCli } from './main.ts';

/** A stand-in operations API: every request gets this status and body. */
function answering(status: number, body: unknown): typeof fetch {
  return async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

async function run(argv: string[], api: typeof fetch) {
  let stdout = '';
  let stderr = '';
  const code = await runCli({
    argv,
    env: { PAYMENTS_API_URL: 'http://127.0.0.1:9/operations', PAYMENTS_API_TOKEN: 't'.repeat(43) },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    fetch: api,
  });
  return { code, stdout, stderr };
}

const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\u001b[31mOK';
/** Anything a terminal acts on but the newline that ends the CLI's own lines. */
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

const ID = `pay_${'3'.repeat(32)}`;
const DETAIL = {
  payment: {
    id: ID, orderId: 'o-3', method: 'card', gateway: 'gateway_a', platform: null, status: 'succeeded', amount: 150_000, currency: 'THB', refundedAmount: 0,
    settledAmount: null, chargedAmount: null, chargedCurrency: null, installmentTerm: null, chargeId: null, sourceId: null, failureCode: null, failureMessage: null,
    authorizeUri: null, needsRefund: false, supersededBy: null, chargeCreatedAt: null, createdAt: '2031-02-01T00:00:00.000Z', updatedAt: '2031-02-01T00:00:00.000Z',
  },
  operations: [],
  events: [
    { id: 1, paymentId: ID, at: '2031-02-01T00:01:00.000Z', source: 'operations', type: 'operation_requested', fromStatus: null, toStatus: null, detail: { operation: 'void', by: 'ops', reason: HOSTILE } },
  ],
};

describe('what reaches the terminal', () => {
  it('escapes an operator’s reason in `payments show`, and leaves --json as the API wrote it', async () => {
    const shown = await run(['show', ID], answering(200, DETAIL));
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toMatch(CONTROL_BUT_NEWLINE);
    expect(shown.stdout).toContain('\\u001b]0;pwned\\u0007');
    const json = await run(['show', ID, '--json'], answering(200, DETAIL));
    expect(json.stdout).toBe(`${JSON.stringify(DETAIL)}\n`);
  });

  it('escapes what the API and the gateway say in a refusal, on stderr', async () => {
    const refusal = { error: { code: 'operation_refused', message: `Refused${HOSTILE}`, gateway: { code: 'G1', message: `bank\n${HOSTILE}` } } };
    const refused = await run(['void', ID], answering(409, refusal));
    expect(refused.code).toBe(5);
    expect(refused.stderr).not.toMatch(CONTROL_BUT_NEWLINE);
    expect(refused.stderr.trimEnd().split('\n')).toEqual([
      'payments: operation_refused: Refused\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mOK',
      '  the gateway said: G1: bank\\n\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[31mOK',
    ]);
  });

  it('escapes the next page’s cursor, whatever the API sent', async () => {
    const listed = await run(['list'], answering(200, { data: [], nextCursor: `c${HOSTILE}` }));
    expect(listed.stderr).not.toMatch(CONTROL_BUT_NEWLINE);
  });
});

describe('Idempotency-Key', () => {
  /** A stand-in API that records each request's Idempotency-Key, then answers as `answer` says. */
  function recording(answer: () => Promise<Response>) {
    const keys: (string | null)[] = [];
    const api: typeof fetch = async (_url, init) => {
      keys.push(new Headers(init?.headers).get('idempotency-key'));
      return answer();
    };
    return { api, keys };
  }
  const ok = async () => new Response(JSON.stringify(DETAIL), { status: 200, headers: { 'content-type': 'application/json' } });

  it('sends the one given, or a new one each time, with every money operation', async () => {
    const given = recording(ok);
    expect((await run(['void', ID, '--idempotency-key', 'void-2031-02-01'], given.api)).code).toBe(0);
    expect(given.keys).toEqual(['void-2031-02-01']);
    const fresh = recording(ok);
    await run(['capture', ID], fresh.api);
    await run(['capture', ID], fresh.api);
    expect(fresh.keys).toEqual([expect.stringMatching(/^[\x21-\x7e]{1,255}$/), expect.stringMatching(/^[\x21-\x7e]{1,255}$/)]);
    expect(fresh.keys[0]).not.toBe(fresh.keys[1]);
  });

  it('names the key to run the command again with when the answer was lost', async () => {
    const lost = recording(async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    });
    const res = await run(['void', ID], lost.api);
    expect(res.code).toBe(6);
    expect(res.stderr).toContain(`run the same command with --idempotency-key ${lost.keys[0]}.`);
    // The gateway's silence, answered by the API (502), may have moved the money too.
    const silent = recording(async () => new Response(JSON.stringify({ error: { code: 'gateway_error', message: 'The gateway did not answer the void; check the payment before trying again.' } }), { status: 502, headers: { 'content-type': 'application/json' } }));
    const answered = await run(['void', ID], silent.api);
    expect([answered.code, answered.stderr]).toEqual([6, expect.stringContaining(`run the same command with --idempotency-key ${silent.keys[0]}.`)]);
  });

  it('refuses a key the API would refuse, before sending anything', async () => {
    const never = recording(ok);
    for (const key of ['two words', 'x'.repeat(256)]) {
      const res = await run(['refund', ID, '--idempotency-key', key], never.api);
      expect([res.code, res.stderr]).toEqual([2, expect.stringContaining('--idempotency-key must be 1 to 255 visible ASCII characters')]);
    }
    expect(never.keys).toEqual([]);
    expect((await run(['check', ID, '--idempotency-key', 'k'], never.api)).code).toBe(2);
  });
});
