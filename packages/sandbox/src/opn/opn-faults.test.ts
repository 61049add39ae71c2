import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Outcome, attempt, attemptMany, expectShares400, jsonInit, tally } from '../../test/fault-kit.ts';
import { RETURN_URI, createCharge } from '../../test/opn-kit.ts';
import { type Harness, MINUTE, type Receiver, basicAuth, call, newMerchant, startReceiver, startSandbox } from '../../test/test-kit.ts';

/**
 * The fault scenario (`faults.ts`) on Opn's API and webhooks, seen from a real HTTP client and a real receiver:
 * timeouts and resets before and after the request took effect, seeded random faults, `on`, and deliveries
 * dropped, duplicated, reordered or cut off. `failNext` errors and latency: opn-webhooks and opn-lost-answer.
 */

let t: Harness;
let receiver: Receiver;
beforeAll(async () => {
  t = await startSandbox({ webhookRetryDelaysMs: [MINUTE] });
  receiver = await startReceiver();
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});
afterEach(async () => {
  await t.sandbox.opn.flushWebhooks();
  receiver.requests.length = 0;
});

const chargeParams = (paymentId: string) => ({
  amount: 150000,
  currency: 'THB',
  source: { type: 'mobile_banking_kbank' },
  return_uri: RETURN_URI,
  metadata: { payment_id: paymentId },
});
const post = (m: { sk: string }, path: string, body: unknown, timeoutMs?: number) =>
  attempt(`${t.url}${path}`, jsonInit({ authorization: basicAuth(m.sk) }, body), timeoutMs);
const chargeTotal = async (m: { sk: string }) => (await call(t.url, '/charges', { key: m.sk })).body.total as number;

describe('timeouts', () => {
  it('before the effect: the client gives up waiting, and no charge was made', async () => {
    const m = newMerchant();
    t.sandbox.opn.setScenario(m.sk, { failNext: { count: 1, fault: 'timeout', on: 'POST /charges' } });
    expect(await post(m, '/charges', chargeParams('pay_t1'), 300)).toEqual({ kind: 'timeout' });
    expect(await chargeTotal(m)).toBe(0);
    expect(t.sandbox.opn.scenario(m.sk).injected).toMatchObject({ timeouts: 1, afterEffect: 0 });
  });

  it('after the effect: the client gives up waiting, yet the charge exists', async () => {
    const m = newMerchant();
    await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { failNext: { count: 1, fault: 'timeout', after: 'commit' } } });
    expect(await post(m, '/charges', chargeParams('pay_t2'), 300)).toEqual({ kind: 'timeout' });
    const list = await call(t.url, '/charges', { key: m.sk });
    expect(list.body.data.map((c: { metadata: unknown }) => c.metadata)).toEqual([{ payment_id: 'pay_t2' }]);
  });

  it('closes a held connection itself after hangMs, for a client that waits longer', async () => {
    const m = newMerchant();
    t.sandbox.opn.setScenario(m.sk, { failNext: { count: 1, fault: 'timeout' }, hangMs: 300 });
    const started = Date.now();
    const outcome = await post(m, '/charges', chargeParams('pay_t3'), 5000);
    expect(outcome.kind).toBe('socket');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('connection resets', () => {
  it('before the effect: fetch rejects with a socket error, and no charge was made', async () => {
    const m = newMerchant();
    t.sandbox.opn.setScenario(m.sk, { failNext: { count: 1, fault: 'reset' } });
    const outcome = await post(m, '/charges', chargeParams('pay_r1'));
    expect(outcome).toEqual({ kind: 'socket', code: expect.stringMatching(/ECONNRESET|closed/) });
    expect(await chargeTotal(m)).toBe(0);
  });

  it('after the effect: fetch rejects, yet the charge exists; the next request is answered', async () => {
    const m = newMerchant();
    t.sandbox.opn.setScenario(m.sk, { failNext: { count: 1, fault: 'reset', after: 'commit' } });
    expect((await post(m, '/charges', chargeParams('pay_r2'))).kind).toBe('socket');
    expect(await chargeTotal(m)).toBe(1);
    expect((await post(m, '/charges', chargeParams('pay_r3'))).kind).toBe('answer');
    expect(await chargeTotal(m)).toBe(2);
  });
});

describe('random faults', () => {
  const RANDOM = { failRate: 0.2, timeoutRate: 0.05, resetRate: 0.05, committedShare: 0.5, status: 503 };

  async function run(m: { sk: string }, seed: number): Promise<Outcome[]> {
    t.sandbox.opn.setScenario(m.sk, { random: RANDOM, seed });
    // The client waits long enough that only a held request times out, even on a busy machine.
    return attemptMany(400, 20, (i) => post(m, '/charges', chargeParams(`pay_${seed}_${i}`), 1500));
  }

  it('fault about the share asked of 400 creates, half after the effect, and the same counts again with the seed', async () => {
    const m = newMerchant();
    const first = tally(await run(m, 2024));
    const injected = t.sandbox.opn.scenario(m.sk).injected;
    expect(first).toEqual({ ok: 400 - injected.errors - injected.timeouts - injected.resets, errors: injected.errors, timeouts: injected.timeouts, resets: injected.resets });
    expectShares400({ ...first, afterEffect: injected.afterEffect });
    // Every answered create made a charge, and so did every fault after the effect; no other did.
    expect(await chargeTotal(m)).toBe(first.ok + injected.afterEffect);

    const other = newMerchant();
    expect(tally(await run(other, 2024))).toEqual(first);
    expect(t.sandbox.opn.scenario(other.sk).injected).toEqual(injected);
  });

  it('with `on`, faults that endpoint only', async () => {
    const m = newMerchant();
    await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { random: { failRate: 1, on: 'POST /charges' } } });
    expect((await call(t.url, '/charges', { key: m.sk })).status).toBe(200);
    const create = await call(t.url, '/charges', { key: m.sk, json: chargeParams('pay_on2') });
    expect([create.status, create.body.code]).toEqual([500, 'internal_error']);
    expect((await call(t.url, '/sources', { key: m.pk, json: { type: 'kakaopay', amount: 100, currency: 'SGD' } })).status).toBe(200);
    expect(await chargeTotal(m)).toBe(0);
  });

  it('with `on: "POST /sources"`, faults what omise.js sends (`POST /sources/`, with its slash) too', async () => {
    const m = newMerchant();
    await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { failNext: { count: 2, status: 503, on: 'POST /sources' } } });
    const source = { key: m.pk, json: { type: 'kakaopay', amount: 500, currency: 'SGD' } };
    expect((await call(t.url, '/sources/', source)).status).toBe(503);
    expect((await call(t.url, '/sources', source)).status).toBe(503);
    expect((await call(t.url, '/sources/', source)).status).toBe(200);
  });

  it('`{}` resets every fault and the counts', async () => {
    const m = newMerchant();
    t.sandbox.opn.setScenario(m.sk, { random: { failRate: 1 } });
    expect((await call(t.url, '/charges', { key: m.sk })).status).toBe(500);
    const reset = await call(t.url, '/_sandbox/scenario', { key: m.sk, json: {} });
    expect(reset.body).toMatchObject({ object: 'scenario', latencyMs: 0, webhooks: 'normal', injected: { errors: 0 } });
    expect(reset.body.random).toBeUndefined();
    expect((await call(t.url, '/charges', { key: m.sk })).status).toBe(200);
  });

  it('refuses a scenario it cannot mean, with a clear 400', async () => {
    const m = newMerchant();
    const over = await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { random: { failRate: 0.8, timeoutRate: 0.5 } } });
    expect([over.status, over.body.code, over.body.message]).toEqual([400, 'bad_request', 'random.failRate + random.timeoutRate + random.resetRate must be at most 1']);
    const kind = await call(t.url, '/_sandbox/scenario', { key: m.sk, json: { failNext: { count: 1, fault: 'explode' } } });
    expect([kind.status, kind.body.message]).toEqual([400, expect.stringContaining("'error', 'timeout' or 'reset'")]);
    expect(() => t.sandbox.opn.setScenario(m.sk, { random: { committedShare: 2 } })).toThrow('random.committedShare must be a number from 0 to 1');
  });
});

describe('webhook faults', () => {
  async function merchantWithReceiver() {
    const m = newMerchant();
    t.sandbox.opn.registerWebhook(m.sk, receiver.url);
    return m;
  }
  const complete = (m: { sk: string }, id: string) => t.sandbox.opn.completeCharge(m.sk, id, { result: 'successful' });

  it('reorder: events held up to webhookDelayMs of sandbox time arrive, but not in the order they happened', async () => {
    const m = await merchantWithReceiver();
    t.sandbox.opn.setScenario(m.sk, { webhooks: 'reorder', webhookDelayMs: 10_000, seed: 5 });
    for (let i = 0; i < 6; i++) {
      const charge = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
      complete(m, charge.id);
    }
    // Each charge's charge.create, then its charge.complete.
    const happened = t.sandbox.opn.events(m.sk).map((e) => e.id);
    expect(t.sandbox.opn.events(m.sk).map((e) => e.key)).toEqual(Array.from({ length: 6 }, () => ['charge.create', 'charge.complete']).flat());
    await t.sandbox.clock.advance(10_000);
    await receiver.waitFor(12);
    const arrived = receiver.requests.map((r) => r.json.id as string);
    expect([...arrived].sort()).toEqual([...happened].sort());
    expect(arrived).not.toEqual(happened);
  });

  it('random drop and duplicate rates: a dropped event never arrives, a duplicated one twice', async () => {
    const m = await merchantWithReceiver();
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    t.sandbox.opn.setScenario(m.sk, { random: { webhookDropRate: 1 } });
    complete(m, charge.id);
    const doubled = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    t.sandbox.opn.setScenario(m.sk, { random: { webhookDuplicateRate: 1 } });
    complete(m, doubled.id);
    await receiver.waitFor(3);
    await t.sandbox.clock.advance(2 * MINUTE);
    // The first charge's charge.create went out before the scenario; the second's was dropped with its charge's.
    expect(receiver.requests.map((r) => [r.json.key, r.json.data.id]).sort()).toEqual([
      ['charge.complete', doubled.id],
      ['charge.complete', doubled.id],
      ['charge.create', charge.id],
    ]);
  });

  it('webhookFailRate: the receiver gets the event, the sandbox records a failed attempt and sends it again later', async () => {
    const m = await merchantWithReceiver();
    const charge = await createCharge(t.url, m, { type: 'mobile_banking_kbank' });
    t.sandbox.opn.setScenario(m.sk, { random: { webhookFailRate: 1 } });
    complete(m, charge.id);
    await receiver.waitFor(2);
    await t.sandbox.opn.flushWebhooks();
    // charge.create went out before the scenario; charge.complete's first answer is cut off.
    const attempts = (key: string) => t.sandbox.opn.webhookDeliveries(m.sk).filter((d) => d.event_key === key);
    expect(attempts('charge.create')).toMatchObject([{ attempt: 1, status_code: 200, error: null }]);
    expect(attempts('charge.complete')).toMatchObject([{ attempt: 1, status_code: null, error: expect.stringContaining('webhookFailRate') }]);
    t.sandbox.opn.setScenario(m.sk, {});
    await t.sandbox.clock.advance(MINUTE);
    await receiver.waitFor(3);
    const completes = receiver.requests.filter((r) => r.json.key === 'charge.complete');
    expect(completes).toHaveLength(2);
    expect(completes[1].rawBody).toBe(completes[0].rawBody);
    expect(attempts('charge.complete').map((d) => [d.attempt, d.status_code])).toEqual([[1, null], [2, 200]]);
    expect(attempts('charge.create').map((d) => [d.attempt, d.status_code])).toEqual([[1, 200]]);
  });
});
