import type { Clock } from '../../src/clock.ts';

/**
 * A clock the test drives: `advance(ms)` moves time and runs the timers that come due, in order (timers set by a
 * timer run too when they fall inside the step). `delays` records every delay asked for, `pending` the timers left.
 */
export class FakeClock implements Clock {
  readonly delays: number[] = [];
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start = Date.UTC(2025, 0, 1, 3, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): number {
    const id = this.#nextId++;
    this.delays.push(ms);
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.#timers.delete(handle);
  }

  get pending(): number {
    return this.#timers.size;
  }

  /** Moves time without running timers, as for a page frozen in the back/forward cache. */
  skip(ms: number): void {
    this.#now += ms;
  }

  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let due: [number, { at: number; callback: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = due[1].at;
      due[1].callback();
    }
    this.#now = end;
  }
}

/** Pretends the page's tab is hidden or visible again, as the browser says it with `visibilitychange`. */
export function setVisibility(state: DocumentVisibilityState): void {
  if (state === 'visible') delete (document as { visibilityState?: unknown }).visibilityState;
  else Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}
