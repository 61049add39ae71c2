import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Clock } from '../clock.ts';

/** Delays between status polls, in milliseconds; the last one repeats. */
export const POLL_DELAYS: readonly number[] = [1000, 2000, 3000, 5000];
/** Polls before the element stops and offers a "Check again" button (about three minutes with POLL_DELAYS). */
export const POLL_LIMIT = 36;

/** One thing to poll: the payment on the result view, or the QR code's payment. */
export interface PollRun {
  /**
   * Asks once and resolves whether to go on. `signal` aborts when this poll is superseded or stopped: after each
   * await, return without touching anything if it did.
   */
  poll(signal: AbortSignal): Promise<boolean>;
  /** Polls after the first before giving up; null: no limit. */
  limit: number | null;
  /** A hidden tab pauses the polls; back in view, one poll at once and the backoff starts over. */
  pauseWhileHidden?: boolean;
  /** The limit was reached without an answer that ended the polls. */
  onExhausted?(): void;
  /** The polls start over (back in view, or back from the back/forward cache), just before the poll at once. */
  onResume?(): void;
}

/** What the poller reads from its host each time: the clock and the delays. */
export interface PollSettings {
  readonly clock: Clock;
  readonly delays: readonly number[];
}

const documentHidden = (): boolean => globalThis.document?.visibilityState === 'hidden';

/**
 * Polls with backoff (`delays`, the last one repeating) on the host's clock, one run at a time, one request at a
 * time (a new poll aborts the one under way), and nothing while the host is out of the page.
 */
export class PollController implements ReactiveController {
  readonly #host: ReactiveControllerHost & Element;
  readonly #settings: () => PollSettings;
  #run: PollRun | null = null;
  #count = 0;
  #timer: unknown;
  #abort: AbortController | undefined;

  constructor(host: ReactiveControllerHost & Element, settings: () => PollSettings) {
    this.#host = host;
    this.#settings = settings;
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.#onVisibilityChange);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.#onVisibilityChange);
    this.stop();
  }

  /** The host's clock, which the polls run on. */
  get clock(): Clock {
    return this.#settings().clock;
  }

  /** Replaces the current run: with `now`, a poll at once, else after the first delay. */
  start(run: PollRun, options: { now: boolean }): void {
    this.stop();
    this.#run = run;
    this.#count = 0;
    if (options.now) this.pollNow();
    else this.#schedule();
  }

  /**
   * A poll at once, the backoff going on from where it was; in a paused hidden tab, when it is in view again.
   * With `only`, nothing unless that is the current run.
   */
  pollNow(only?: PollRun): void {
    const run = this.#run;
    if (!run || (only && only !== run)) return;
    this.#clearTimer();
    if (run.pauseWhileHidden && documentHidden()) return;
    void this.#poll(run);
  }

  /** Starts the backoff over with a poll at once. */
  restart(): void {
    const run = this.#run;
    if (!run) return;
    this.#count = 0;
    run.onResume?.();
    this.pollNow();
  }

  /** Stops polling (only `run`, when given: another run goes on). */
  stop(run?: PollRun): void {
    if (run && run !== this.#run) return;
    this.#clearTimer();
    this.#abort?.abort();
    this.#abort = undefined;
    this.#run = null;
  }

  async #poll(run: PollRun): Promise<void> {
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    let again = false;
    try {
      again = await run.poll(abort.signal);
    } catch (error) {
      if (!abort.signal.aborted) console.error('<payment-checkout> poll', error);
    }
    if (abort.signal.aborted) return;
    this.#abort = undefined;
    if (again) this.#schedule();
  }

  #schedule(): void {
    const run = this.#run;
    this.#clearTimer();
    if (!run || !this.#host.isConnected || (run.pauseWhileHidden && documentHidden())) return;
    if (run.limit !== null && this.#count >= run.limit) {
      run.onExhausted?.();
      return;
    }
    const { clock, delays } = this.#settings();
    const backoff = delays.length > 0 ? delays : POLL_DELAYS;
    const delay = backoff[Math.min(this.#count, backoff.length - 1)];
    this.#count += 1;
    this.#timer = clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#poll(run);
    }, delay);
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    this.#settings().clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Hidden: the poll due is put off. In view again (maybe back from a banking app): ask at once, then back off. */
  readonly #onVisibilityChange = (): void => {
    if (!this.#run?.pauseWhileHidden) return;
    if (documentHidden()) this.#clearTimer();
    else this.restart();
  };
}
