import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CheckoutRouter, createCheckout } from '../src/checkout.ts';
import { CheckoutConfigError, type CheckoutOptions, parseCheckoutOptions } from '../src/options.ts';
import type { ReconcileReport } from '../src/services/checkout-service.ts';
import { configError } from './support/config-error.ts';

/**
 * Issue 9, "Reconciliation": the reconciler is on by default (every minute, the first run one minute after the
 * start, payments older than 10 minutes), configurable and switchable off; runs never overlap in one process,
 * and `close()` waits for a run in progress before it closes the store.
 */

const MINUTE = 60_000;
const logs: { level: string; message: string }[] = [];
const base: CheckoutOptions = {
  resolveOrder: async () => ({ amount: 150_000, currency: 'THB' }),
  publicBaseUrl: 'https://shop.example/',
  resultUrl: '/orders/{orderId}/result?payment={paymentId}',
  opn: { publicKey: 'pkey_test_abc', secretKey: 'skey_test_abc' },
  store: ':memory:',
  logger: {
    info: (message) => void logs.push({ level: 'info', message }),
    warn: (message) => void logs.push({ level: 'warn', message }),
    error: (message) => void logs.push({ level: 'error', message }),
  },
};
const EMPTY: ReconcileReport = { checked: 0, updated: 0, errors: 0, payments: [] };

let router: CheckoutRouter | undefined;
beforeEach(() => {
  logs.length = 0;
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});
afterEach(async () => {
  await router?.checkout.close();
  router = undefined;
  vi.useRealTimers();
});

function open(options: Partial<CheckoutOptions> = {}) {
  router = createCheckout({ ...base, ...options });
  const runs = vi.spyOn(router.checkout.service, 'reconcile');
  return { checkout: router.checkout, runs };
}

describe('the reconciler options', () => {
  it('default to a run every minute for payments older than 10 minutes; false switches the runs off', () => {
    expect(parseCheckoutOptions(base)).toMatchObject({ reconcileEveryMs: 60_000, reconcileOlderThanMs: 600_000 });
    expect(parseCheckoutOptions({ ...base, reconcileEveryMs: false, reconcileOlderThanMs: 0 })).toMatchObject({ reconcileEveryMs: false, reconcileOlderThanMs: 0 });
    expect(parseCheckoutOptions({ ...base, reconcileEveryMs: 5 * MINUTE })).toMatchObject({ reconcileEveryMs: 300_000 });
  });

  it.each([0, 999, 1_500.5, true, '60000', null])('refuse reconcileEveryMs: %j', (value) => {
    const err = configError({ ...base, reconcileEveryMs: value });
    expect(err.issues).toEqual([{ path: 'reconcileEveryMs', message: expect.stringMatching(/at least 1000, or false/) }]);
  });

  it.each([-1, 0.5, '600000'])('refuse reconcileOlderThanMs: %j', (value) => {
    expect(configError({ ...base, reconcileOlderThanMs: value }).issues.map((i) => i.path)).toEqual(['reconcileOlderThanMs']);
  });
});

describe('the background reconciler', () => {
  it('runs by default every minute, the first time one minute after the start, with the configured age', async () => {
    const { checkout, runs } = open({ reconcileOlderThanMs: 2 * MINUTE });
    runs.mockResolvedValue(EMPTY);
    vi.advanceTimersByTime(MINUTE - 1);
    expect(runs).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(runs).toHaveBeenCalledTimes(1);
    expect(runs).toHaveBeenLastCalledWith({ olderThanMs: 2 * MINUTE, limit: undefined });
    await runs.mock.results[0].value;
    await new Promise((resolve) => setTimeout(resolve, 0));
    vi.advanceTimersByTime(MINUTE);
    expect(runs).toHaveBeenCalledTimes(2);

    // The host's own runs take the same age unless it says otherwise.
    await checkout.reconcile();
    expect(runs).toHaveBeenLastCalledWith({ olderThanMs: 2 * MINUTE, limit: undefined });
    await checkout.reconcile({ olderThanMs: 0, limit: 5 });
    expect(runs).toHaveBeenLastCalledWith({ olderThanMs: 0, limit: 5 });
  });

  it('runs never, with reconcileEveryMs: false', () => {
    const { runs } = open({ reconcileEveryMs: false });
    vi.advanceTimersByTime(60 * MINUTE);
    expect(runs).not.toHaveBeenCalled();
  });

  it('skips a tick while a run is still going, and close() waits for that run before it closes the store', async () => {
    const { checkout, runs } = open();
    let finish!: () => void;
    runs.mockImplementation(async () => {
      await new Promise<void>((resolve) => (finish = resolve));
      // The store is still open while the run ends.
      await checkout.store.getPayment('pay_00000000000000000000000000000000');
      return EMPTY;
    });
    vi.advanceTimersByTime(MINUTE);
    vi.advanceTimersByTime(MINUTE);
    vi.advanceTimersByTime(MINUTE);
    expect(runs).toHaveBeenCalledTimes(1);
    expect(logs.filter((l) => /still going/.test(l.message))).toHaveLength(2);

    let closed = false;
    const closing = checkout.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    finish();
    await closing;
    router = undefined;
    expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    vi.advanceTimersByTime(10 * MINUTE);
    expect(runs).toHaveBeenCalledTimes(1);
  });

  it('logs a failed run, and runs again at the next tick', async () => {
    const { runs } = open();
    runs.mockRejectedValueOnce(new Error('database unreachable')).mockResolvedValue(EMPTY);
    vi.advanceTimersByTime(MINUTE);
    await expect(runs.mock.results[0].value).rejects.toThrow('database unreachable');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(logs).toContainEqual({ level: 'error', message: 'reconciler failed' });
    vi.advanceTimersByTime(MINUTE);
    expect(runs).toHaveBeenCalledTimes(2);
  });
});
