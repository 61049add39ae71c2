/** Something that has work due at sandbox times (expiry timers, webhook retries). */
export interface TimerSource {
  /** The earliest sandbox time (ms) at which work is due, or null when nothing is scheduled. */
  nextDueAt(): number | null;
  /** Starts everything due at the current sandbox time. */
  runDue(): Promise<void>;
  /** Resolves when work started by `runDue` has finished (a webhook attempt in flight). */
  idle?(): Promise<void>;
}

/**
 * Sandbox time: real time plus an offset that only grows. `advance()` walks through every due timer in
 * order, as if the time had really passed, so a jump of 15 minutes runs each webhook retry at its own time.
 */
export class SandboxClock {
  private offset: number;
  private readonly sources: TimerSource[] = [];
  private interval: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | null = null;

  constructor(startTime?: number) {
    this.offset = startTime === undefined ? 0 : startTime - Date.now();
  }

  now(): number {
    return Date.now() + this.offset;
  }

  addSource(source: TimerSource): void {
    this.sources.push(source);
  }

  /** Moves sandbox time forward by `ms`, running the timers that fall due on the way. */
  async advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance the clock by ${ms} ms`);
    const target = this.now() + ms;
    // A retry scheduled by a retry can fall due again before the target: keep stepping, with a guard.
    for (let step = 0; step < 100_000; step++) {
      const next = this.nextDueAt();
      if (next === null || next > target) break;
      this.moveTo(next);
      await this.runDueAndSettle();
    }
    this.moveTo(target);
    await this.runDueAndSettle();
  }

  /** Runs whatever is due now; the real-time ticker calls this every second. */
  sweep(): Promise<void> {
    // One sweep at a time, so a slow webhook receiver does not pile sweeps up.
    this.sweeping ??= this.runDue().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  start(intervalMs = 1000): void {
    if (this.interval) return;
    this.interval = setInterval(() => void this.sweep(), intervalMs);
    this.interval.unref();
  }

  stop(): void {
    clearInterval(this.interval);
    this.interval = undefined;
  }

  private moveTo(time: number): void {
    // Never backwards: a timer already overdue runs "now".
    if (time > this.now()) this.offset = time - Date.now();
  }

  private nextDueAt(): number | null {
    let next: number | null = null;
    for (const source of this.sources) {
      const due = source.nextDueAt();
      if (due !== null && (next === null || due < next)) next = due;
    }
    return next;
  }

  private async runDue(): Promise<void> {
    for (const source of this.sources) await source.runDue();
  }

  /** Runs what is due and waits for it, so that a failed attempt has scheduled its retry before the next step. */
  private async runDueAndSettle(): Promise<void> {
    await this.runDue();
    for (const source of this.sources) await source.idle?.();
  }
}

/** The clock routes' answer: sandbox time as ISO 8601 to the second, and in epoch ms. */
export function clockView(now: number) {
  return { object: 'clock' as const, now: new Date(Math.floor(now / 1000) * 1000).toISOString().replace('.000Z', 'Z'), now_ms: now };
}
