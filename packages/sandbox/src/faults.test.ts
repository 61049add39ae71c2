import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY_DELAY_MS, FaultScenario, type FaultScenarioInput, FaultScenarioParams, seededRandom } from './faults.ts';
import { expectShares400 } from '../test/fault-kit.ts';

/**
 * The gateway-neutral fault scenario: what it decides for requests and deliveries, and what it refuses. The
 * emulators' own tests (opn-faults, kpayment-faults) observe the same faults from a real HTTP client.
 */

const scenario = (input: FaultScenarioInput) => new FaultScenario(FaultScenarioParams.parse(input));

function kinds(s: FaultScenario, requests: number, endpoint = 'POST /charges') {
  const tally = { error: 0, timeout: 0, reset: 0, none: 0, afterEffect: 0 };
  for (let i = 0; i < requests; i++) {
    const fault = s.requestFault(endpoint);
    tally[fault?.kind ?? 'none'] += 1;
    if (fault?.afterEffect) tally.afterEffect += 1;
  }
  return tally;
}

describe('seeded random', () => {
  it('gives the same numbers for the same seed and others for another, all in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 1000 }, a);
    expect(Array.from({ length: 1000 }, b)).toEqual(first);
    expect(Array.from({ length: 1000 }, seededRandom(43))).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    // Spread evenly enough for rates: each tenth of [0, 1) holds about a tenth of the draws.
    const deciles = Array.from({ length: 10 }, (_, d) => first.filter((x) => Math.floor(x * 10) === d).length);
    expect(Math.min(...deciles)).toBeGreaterThan(70);
    expect(Math.max(...deciles)).toBeLessThan(130);
  });
});

describe('request faults', () => {
  it('holds the rates roughly over 400 requests, split before and after the effect, and replays with the seed', () => {
    const input = { random: { failRate: 0.2, timeoutRate: 0.05, resetRate: 0.05, committedShare: 0.5 }, seed: 7 };
    const tally = kinds(scenario(input), 400);
    expectShares400({ errors: tally.error, timeouts: tally.timeout, resets: tally.reset, afterEffect: tally.afterEffect });
    expect(kinds(scenario(input), 400)).toEqual(tally);
    expect(kinds(scenario({ ...input, seed: 8 }), 400)).not.toEqual(tally);
  });

  it('counts what it injected, and shows the seed it drew when none was given', () => {
    const s = scenario({ random: { failRate: 0.5, committedShare: 1 } });
    const tally = kinds(s, 100);
    const view = s.view();
    expect(view.seed).toEqual(expect.any(Number));
    expect(view.injected).toMatchObject({ errors: tally.error, afterEffect: tally.error, timeouts: 0, resets: 0 });
    // The shown seed replays the run.
    expect(kinds(scenario({ random: { failRate: 0.5, committedShare: 1 }, seed: view.seed }), 100)).toEqual(tally);
  });

  it('applies failNext first, for its count, then the random faults', () => {
    const s = scenario({ failNext: { count: 2, status: 502, fault: 'timeout', after: 'commit' }, random: { failRate: 1, status: 503 } });
    expect(s.requestFault('GET /charges')).toEqual({ kind: 'timeout', status: 502, afterEffect: true, source: 'failNext' });
    expect(s.requestFault('GET /charges')?.source).toBe('failNext');
    expect(s.requestFault('GET /charges')).toEqual({ kind: 'error', status: 503, afterEffect: false, source: 'random' });
    expect(s.view().failNext).toEqual({ count: 0, status: 502, fault: 'timeout', after: 'commit' });
  });

  it('with `on`, touches only the matching endpoints; * stands for one path segment', () => {
    const s = scenario({ random: { failRate: 1, on: ['POST /charges', 'GET /charges/*'] } });
    expect(s.requestFault('POST /charges')).not.toBeNull();
    expect(s.requestFault('GET /charges/chrg_test_1')).not.toBeNull();
    expect(s.requestFault('GET /charges')).toBeNull();
    expect(s.requestFault('GET /charges/chrg_test_1/refunds')).toBeNull();
    expect(s.requestFault('POST /sources')).toBeNull();
  });

  it('does nothing without faults', () => {
    expect(kinds(scenario({}), 50)).toMatchObject({ none: 50 });
    expect(new FaultScenario().requestFault('POST /charges')).toBeNull();
  });
});

describe('delivery faults', () => {
  const NOW = 1_000_000;

  it('drops, duplicates, delays, or holds each copy a random time up to webhookDelayMs (reorder)', () => {
    expect(scenario({ webhooks: 'drop' }).deliveryTimes(NOW)).toEqual([]);
    expect(scenario({ webhooks: 'duplicate' }).deliveryTimes(NOW)).toEqual([NOW, NOW]);
    expect(scenario({ webhooks: 'delay' }).deliveryTimes(NOW)).toEqual([NOW + DEFAULT_DELIVERY_DELAY_MS]);
    expect(scenario({ webhooks: 'delay', webhookDelayMs: 500 }).deliveryTimes(NOW)).toEqual([NOW + 500]);
    const reorder = scenario({ webhooks: 'reorder', webhookDelayMs: 10_000, seed: 1 });
    const holds = Array.from({ length: 200 }, () => reorder.deliveryTimes(NOW)[0] - NOW);
    expect(Math.min(...holds)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...holds)).toBeLessThanOrEqual(10_000);
    expect(new Set(holds).size).toBeGreaterThan(150);
    // A later delivery is often due first.
    const inversions = holds.slice(1).filter((hold, i) => hold < holds[i] - 1).length;
    expect(inversions).toBeGreaterThan(50);
  });

  it('drops and duplicates at random rates, and loses attempt answers at webhookFailRate, replayably', () => {
    const input = { random: { webhookDropRate: 0.1, webhookDuplicateRate: 0.2, webhookFailRate: 0.25 }, seed: 99 };
    const run = () => {
      const s = scenario(input);
      const copies = Array.from({ length: 400 }, () => s.deliveryTimes(NOW).length);
      const lost = Array.from({ length: 400 }, () => s.losesDeliveryAnswer()).filter(Boolean).length;
      return { copies, lost, injected: s.view().injected };
    };
    const first = run();
    const dropped = first.copies.filter((c) => c === 0).length;
    const doubled = first.copies.filter((c) => c === 2).length;
    expect(dropped).toBeGreaterThan(25);
    expect(dropped).toBeLessThan(60);
    expect(doubled).toBeGreaterThan(55);
    expect(doubled).toBeLessThan(105);
    expect(first.lost).toBeGreaterThan(75);
    expect(first.lost).toBeLessThan(125);
    expect(first.injected).toMatchObject({ webhooksDropped: dropped, webhooksDuplicated: doubled, webhookAttemptsFailed: first.lost });
    expect(run()).toEqual(first);
  });

  it('uses the mode it is given (K-Payment\'s older notify setting) in place of its own', () => {
    expect(scenario({}).deliveryTimes(NOW, 'duplicate')).toEqual([NOW, NOW]);
    expect(scenario({}).deliveryTimes(NOW, 'drop')).toEqual([]);
    expect(new FaultScenario().losesDeliveryAnswer()).toBe(false);
  });
});

describe('parameters', () => {
  const problem = (input: unknown) => {
    const result = FaultScenarioParams.safeParse(input);
    return result.success ? null : result.error.issues[0].message;
  };

  it('refuses what it cannot mean, naming the field', () => {
    expect(problem({ random: { failRate: 1.5 } })).toBe('random.failRate must be a number from 0 to 1');
    expect(problem({ random: { failRate: 0.6, timeoutRate: 0.3, resetRate: 0.2 } })).toBe(
      'random.failRate + random.timeoutRate + random.resetRate must be at most 1',
    );
    expect(problem({ failNext: { count: 1, fault: 'explode' } })).toBe("fault must be 'error', 'timeout' or 'reset'");
    expect(problem({ failNext: { count: 1, on: 'charges' } })).toContain('failNext.on must be a method and a path');
    expect(problem({ failNext: {} })).toBe('failNext.count is required');
    expect(problem({ hangMs: 600_000 })).toBe('hangMs must be at most 300000');
    expect(problem({ webhooks: 'sometimes' })).toBe('webhooks must be normal, drop, duplicate, delay or reorder');
    expect(problem({ random: { failrate: 0.2 } })).toContain('failrate');
  });

  it('reads numbers in their text forms, as a form-encoded body sends them', () => {
    expect(FaultScenarioParams.parse({ latencyMs: '20', random: { failRate: '0.25', status: '503' }, seed: '12' })).toMatchObject({
      latencyMs: 20,
      random: { failRate: 0.25, status: 503 },
      seed: 12,
    });
  });
});
