import { expect } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { FakeClock, setVisibility } from '../../test/support/fake-clock.ts';
import { settle } from '../../test/support/fake-companion.ts';
import { POLL_DELAYS, PollController, type PollRun } from './poller.ts';

/** The one poller of the element on its own: backoff, limit, a hidden tab, superseded and stopped polls. */

/** A host in the page, as the poller sees an element (it asks `isConnected` and registers itself). */
function host(): ReactiveControllerHost & HTMLElement & { controllers: ReactiveController[] } {
  const element = document.createElement('div') as unknown as ReactiveControllerHost & HTMLElement & { controllers: ReactiveController[] };
  element.controllers = [];
  element.addController = (controller) => void element.controllers.push(controller);
  element.removeController = () => undefined;
  element.requestUpdate = () => undefined;
  document.body.append(element);
  return element;
}

/** A poller on a fake clock with `delays`, connected as its host would connect it. */
function poller(delays: readonly number[] = POLL_DELAYS) {
  const el = host();
  const clock = new FakeClock();
  const polls = new PollController(el, () => ({ clock, delays }));
  for (const controller of el.controllers) controller.hostConnected?.();
  const disconnect = () => {
    el.remove();
    for (const controller of el.controllers) controller.hostDisconnected?.();
  };
  return { polls, clock, disconnect };
}

/** A run that counts its polls and answers "again" until `stopAfter` polls. */
function counting(options: Partial<PollRun> & { stopAfter?: number } = {}) {
  const record = { polls: 0, exhausted: 0, resumed: 0, signals: [] as AbortSignal[] };
  const run: PollRun = {
    limit: null,
    onExhausted: () => void record.exhausted++,
    onResume: () => void record.resumed++,
    ...options,
    poll: async (signal) => {
      record.polls++;
      record.signals.push(signal);
      return record.polls < (options.stopAfter ?? Infinity);
    },
  };
  return { run, record };
}

/** Moves the clock and lets the polls it fired answer. (A poll is due while the clock has a timer: `clock.pending`.) */
async function advance(clock: FakeClock, ms: number): Promise<void> {
  clock.advance(ms);
  await settle(5);
}

afterEach(() => {
  if (document.visibilityState !== 'visible') setVisibility('visible');
});

describe('PollController', () => {
  it('backs off with the delays, the last one repeating, up to the limit, then says so', async () => {
    const { polls, clock, disconnect } = poller();
    const { run, record } = counting({ limit: 5 });
    polls.start(run, { now: true });
    await settle(5);
    expect(record.polls).to.equal(1);
    for (const delay of [1000, 2000, 3000, 5000, 5000]) await advance(clock, delay);
    expect(record.polls).to.equal(6);
    expect(clock.delays).to.deep.equal([1000, 2000, 3000, 5000, 5000]);
    expect([record.exhausted, clock.pending > 0]).to.deep.equal([1, false]);
    disconnect();
  });

  it('waits for the first delay without `now`, and stops when a poll says so', async () => {
    const { polls, clock, disconnect } = poller([10, 20]);
    const { run, record } = counting({ stopAfter: 2 });
    polls.start(run, { now: false });
    await advance(clock, 9);
    expect(record.polls).to.equal(0);
    await advance(clock, 1);
    await advance(clock, 20);
    await advance(clock, 1000);
    expect([record.polls, record.exhausted, clock.pending > 0]).to.deep.equal([2, 0, false]);
    disconnect();
  });

  it('pauses while the tab is hidden and starts the backoff over with a poll at once when it is back', async () => {
    const { polls, clock, disconnect } = poller();
    const { run, record } = counting({ pauseWhileHidden: true });
    polls.start(run, { now: false });
    setVisibility('hidden');
    await advance(clock, 60_000);
    expect([record.polls, clock.pending > 0]).to.deep.equal([0, false]);
    // A poll asked for while hidden waits for the tab too.
    polls.pollNow();
    await settle(5);
    expect(record.polls).to.equal(0);

    setVisibility('visible');
    await settle(5);
    expect([record.polls, record.resumed]).to.deep.equal([1, 1]);
    await advance(clock, 1000);
    expect(record.polls).to.equal(2);
    disconnect();
  });

  it('keeps polling in a hidden tab when the run does not pause', async () => {
    const { polls, clock, disconnect } = poller();
    const { run, record } = counting();
    polls.start(run, { now: false });
    setVisibility('hidden');
    await advance(clock, 1000);
    expect(record.polls).to.equal(1);
    setVisibility('visible');
    expect(record.resumed).to.equal(0);
    disconnect();
  });

  it('aborts the poll under way when another starts, and everything when stopped or disconnected', async () => {
    const { polls, clock, disconnect } = poller();
    const { run, record } = counting();
    polls.start(run, { now: true });
    polls.pollNow();
    await settle(5);
    expect(record.signals.map((s) => s.aborted)).to.deep.equal([true, false]);

    // `stop(other)` leaves this run alone; `stop(run)` ends it.
    polls.stop(counting().run);
    expect(clock.pending > 0).to.equal(true);
    polls.stop(run);
    expect(clock.pending > 0).to.equal(false);
    await advance(clock, 60_000);
    expect(record.polls).to.equal(2);

    polls.start(run, { now: true });
    disconnect();
    await advance(clock, 60_000);
    expect([record.polls, record.signals.at(-1)!.aborted, clock.pending]).to.deep.equal([3, true, 0]);
  });
});
