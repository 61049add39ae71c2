import { randomUUID } from 'node:crypto';
import { LATE, within } from '../common/deadline.ts';
import { type HookDelivery, toPayment } from '../common/host.ts';
import type { HookOutboxEntry, HookOutcome, NewPaymentEvent } from '../store/store.ts';
import type { ServiceContext } from './context.ts';
import type { HookName } from './payment-machine.ts';

/**
 * The merchant's hooks, delivered from the outbox. A status change writes the hook call it causes in its own
 * transaction (the store's `hook_outbox`, one row per idempotency key); this dispatcher claims due rows with a
 * lease (several processes share the work, none calls one hook twice at once), calls the hook with the payment as
 * the change left it and `{ idempotencyKey, attempt }`, and marks the row delivered, or due again after 1, 2, 4 …
 * seconds (at most `retryMaxMs`; never dropped). Rows a stopped process left are taken again once their lease
 * ends. At least once, once in practice: a process that dies after the hook returned but before the row was
 * marked calls it again elsewhere, with the same key. A row may also hold a step of the companion's own (`addStep`:
 * the gateway's step after payment, after-paid.ts; the read-back of a money operation cut short, money-operations.ts),
 * run and retried the same way.
 */

/** A step of the companion's own run from an outbox row: the event to record with it; throws to be tried again later. */
export type OutboxStep = (entry: HookOutboxEntry) => Promise<NewPaymentEvent | null>;

export interface HookDeliverySettings {
  /** The wait before the first retry of a hook that threw (ms); it doubles with each failed attempt. */
  retryFirstMs: number;
  /** The longest wait between two attempts (ms). */
  retryMaxMs: number;
  /** How often due rows are looked for in the background (ms); false: only on request and through `deliverDue`. */
  pollEveryMs: number | false;
  /** How long a claimed row is held by its process: longer than any hook call takes (ms). */
  leaseMs: number;
  /**
   * How long the request that made a change waits for the hook call it makes before it answers without it (ms);
   * the call goes on, and its outcome is recorded when it ends.
   */
  requestWaitMs: number;
  /**
   * How long `close()` waits for the calls still running (ms); a call it leaves keeps its row leased, and is made
   * again (same key) by the next run after the lease ends, in this database's next process or another one.
   */
  closeWaitMs: number;
}

export const HOOK_DELIVERY_DEFAULTS: HookDeliverySettings = { retryFirstMs: 1_000, retryMaxMs: 10 * 60_000, pollEveryMs: 5_000, leaseMs: 5 * 60_000, requestWaitMs: 3_000, closeWaitMs: 10_000 };

/** A new row belongs this long to the request whose change wrote it (it delivers it at once); then anyone takes it. */
export const REQUEST_GRACE_MS = 30_000;
/** Rows are claimed this many at a time and called concurrently, so that a lease covers a few calls, not a whole run's. */
const CLAIM_BATCH = 10;

/** The wait after `attempts` failed attempts: retryFirstMs, twice that, four times… at most retryMaxMs. */
export const hookRetryDelayMs = (attempts: number, s: Pick<HookDeliverySettings, 'retryFirstMs' | 'retryMaxMs'>): number =>
  Math.min(s.retryFirstMs * 2 ** Math.min(Math.max(attempts - 1, 0), 30), s.retryMaxMs);

export interface HookDeliveryReport {
  delivered: number;
  failed: number;
  /** Calls that outlasted the run's wait (`requestWaitMs`): they go on, and record their outcome when they end. */
  running: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class HookOutbox {
  #background = false;
  #poll: ReturnType<typeof setInterval> | null = null;
  #wake: { at: number; timer: ReturnType<typeof setTimeout> } | null = null;
  #running: Promise<unknown> | null = null;
  /** Asked to run while a run was going: run again once it ends (a retry fell due meanwhile). */
  #again = false;
  /** The latest retry time a wake timer has reached and a background run has not yet claimed up to. */
  #wokenFor = 0;
  /** Calls a request or a run stopped waiting for (`requestWaitMs`), still running: `stop` waits for them. */
  readonly #outlasting = new Set<Promise<unknown>>();
  /** The companion's own steps, by the name their rows carry in place of a hook's. */
  readonly #steps = new Map<string, OutboxStep>();

  constructor(
    private readonly ctx: ServiceContext,
    readonly settings: HookDeliverySettings,
  ) {}

  /** Runs `step` for the rows named `name`. */
  addStep(name: string, step: OutboxStep): void {
    this.#steps.set(name, step);
  }

  /**
   * Delivers the row a change just wrote, now, and waits for the hook (the request that made the change answers
   * after it, as before the outbox), at most `requestWaitMs`. Nothing happens when another claim holds the row.
   * Never throws.
   */
  async deliverNow(key: string): Promise<void> {
    const delivery = (async () => {
      const now = this.ctx.o.now();
      const [entry] = await this.ctx.store.claimHookDeliveries({ key, dueBy: iso(now), leaseUntil: iso(now + this.settings.leaseMs), limit: 1 });
      if (entry) await this.#deliver(entry);
    })();
    await this.#wait(key, delivery, 'request');
  }

  /**
   * A claim for the row a change is about to write (`OutboxHook.claim`): the change's transaction writes it
   * claimed, and `deliverClaimed` delivers it after the commit, without a claim of its own. Held `leaseMs` (the
   * hooks' lease unless the work it covers may take longer).
   */
  newClaim(leaseMs = this.settings.leaseMs): { lease: string; leaseUntil: string } {
    return { lease: randomUUID(), leaseUntil: iso(this.ctx.o.now() + leaseMs) };
  }

  /** Delivers a row its change wrote claimed (`newClaim`), now, and waits for the hook at most `requestWaitMs`. Never throws. */
  async deliverClaimed(entry: HookOutboxEntry): Promise<void> {
    await this.#wait(entry.key, this.#deliver(entry), 'request');
  }

  /** Closes a row its change wrote claimed (`newClaim`) that only guarded work now done: nothing is run. Never throws. */
  async close(entry: HookOutboxEntry): Promise<void> {
    await this.#finish(entry, { at: this.ctx.iso(), delivered: true });
  }

  /**
   * The wait of a request, or of a delivery run, for a call it started: until the call ends, or `requestWaitMs`
   * (a slow hook must not hold a shopper's page, a webhook past its gateway's timeout, or every other hook of this
   * process behind it). A call that outlasts it goes on; `stop` waits for it. Answers whether the hook was delivered.
   */
  async #wait(key: string, delivery: Promise<boolean | void>, waiter: 'request' | 'run'): Promise<boolean | typeof LATE> {
    const call = delivery.then(
      (delivered) => delivered !== false,
      (err: unknown) => {
        this.ctx.logger.error('could not deliver a hook from the outbox; it is retried later', { key, error: err });
        return false;
      },
    );
    const outcome = await within(call, this.settings.requestWaitMs);
    if (outcome !== LATE) return outcome;
    this.ctx.logger.warn(`a hook call outlasted the ${waiter}'s wait (${this.settings.requestWaitMs} ms): the ${waiter === 'request' ? 'request answers' : 'run moves on'}, the call goes on`, { key });
    this.#outlasting.add(call);
    void call.finally(() => this.#outlasting.delete(call));
    return LATE;
  }

  /**
   * Delivers up to `limit` (default 100) due rows: retries, and rows a stopped process left. `dueAtLeast`: rows due
   * by then count as due even if the clock reads a moment earlier (a wake timer for a retry at that time fired).
   */
  async deliverDue(limit = 100, dueAtLeast = 0): Promise<HookDeliveryReport> {
    const report: HookDeliveryReport = { delivered: 0, failed: 0, running: 0 };
    for (let claimed = 0; claimed < limit; ) {
      // Enough calls of this process already hang: no more are started until some end (the next run tries).
      if (this.#outlasting.size >= CLAIM_BATCH) break;
      const now = this.ctx.o.now();
      const size = Math.min(CLAIM_BATCH, limit - claimed);
      const batch = await this.ctx.store.claimHookDeliveries({
        dueBy: iso(Math.max(now, dueAtLeast)),
        freshBefore: iso(now - REQUEST_GRACE_MS),
        leaseUntil: iso(now + this.settings.leaseMs),
        limit: size,
      });
      claimed += batch.length;
      const outcomes = await Promise.all(batch.map((entry) => this.#wait(entry.key, this.#deliver(entry), 'run')));
      for (const outcome of outcomes) report[outcome === LATE ? 'running' : outcome ? 'delivered' : 'failed']++;
      if (batch.length < size) break;
    }
    return report;
  }

  /**
   * Delivers due rows in the background: at once (rows a stopped process left), every `pollEveryMs`, and when a
   * retry this process scheduled falls due. Runs never overlap in this process; the timers do not keep it alive.
   */
  start(): void {
    if (this.settings.pollEveryMs === false || this.#background) return;
    this.#background = true;
    this.#poll = setInterval(() => this.#runInBackground(), this.settings.pollEveryMs);
    this.#poll.unref();
    this.#runInBackground();
  }

  /**
   * Stops the background delivery and waits for a run in progress, and for the calls left to run on at most
   * `closeWaitMs` (a hook that never returns must not hold the process's shutdown). Never throws.
   */
  async stop(): Promise<void> {
    this.#background = false;
    if (this.#poll) clearInterval(this.#poll);
    if (this.#wake) clearTimeout(this.#wake.timer);
    this.#poll = this.#wake = null;
    await this.#running;
    if ((await within(Promise.all(this.#outlasting), this.settings.closeWaitMs)) !== LATE) return;
    const n = this.#outlasting.size;
    this.ctx.logger.warn(
      `${n} hook call${n === 1 ? '' : 's'} still running at close after ${this.settings.closeWaitMs} ms: not waited for; each is made again (same key) once its lease ends (${this.settings.leaseMs} ms)`,
    );
  }

  #runInBackground(wokenFor = 0): void {
    if (!this.#background) return;
    this.#wokenFor = Math.max(this.#wokenFor, wokenFor);
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#again = false;
    const dueAtLeast = this.#wokenFor;
    this.#wokenFor = 0;
    this.#running = this.deliverDue(100, dueAtLeast)
      .catch((err: unknown) => this.ctx.logger.error('hook delivery failed; the next run tries again', { error: err }))
      .finally(() => {
        this.#running = null;
        if (this.#again) this.#runInBackground();
      });
  }

  /** Runs the background delivery when a retry falls due, rather than at the next poll. */
  #wakeAt(at: number): void {
    if (!this.#background || (this.#wake && this.#wake.at <= at)) return;
    if (this.#wake) clearTimeout(this.#wake.timer);
    // A timer can fire a few ms before the clock reads `at` (Node counts from the loop's time, which lags the clock
    // after a long turn such as a group commit's sync): the run then still claims the rows due at `at`.
    const timer = setTimeout(() => {
      this.#wake = null;
      this.#runInBackground(at);
    }, Math.max(at - this.ctx.o.now(), 0));
    timer.unref();
    this.#wake = { at, timer };
  }

  /** Calls the row's hook (or runs the step it holds) and records how it went; answers whether it was delivered. */
  async #deliver(entry: HookOutboxEntry): Promise<boolean> {
    const { ctx } = this;
    const name = entry.hook;
    const source = entry.source;
    const call = this.#call(entry);
    // A hook the host did not configure: nothing to call, the row is closed (as before the outbox: no event).
    if (!call) return this.#finish(entry, { at: ctx.iso(), delivered: true });
    let event: NewPaymentEvent | null;
    try {
      event = await call();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const retryAt = ctx.o.now() + hookRetryDelayMs(entry.attempts, this.settings);
      const delivery = { idempotencyKey: entry.key, attempt: entry.attempts };
      ctx.logger.error(`the ${name} ${this.#steps.has(name) ? 'step' : 'hook'} threw; it is called again later`, { paymentId: entry.paymentId, orderId: entry.payment.orderId, ...delivery, retryAt: iso(retryAt), error: err });
      await this.#finish(entry, { at: ctx.iso(), delivered: false, error: message, retryAt: iso(retryAt), event: { source, type: 'hook_failed', detail: { hook: name, message } } });
      this.#wakeAt(retryAt);
      return false;
    }
    return this.#finish(entry, { at: ctx.iso(), delivered: true, ...(event ? { event } : {}) });
  }

  /** What delivering the row does: the merchant's hook, or a step of the companion's own; null when nothing. */
  #call(entry: HookOutboxEntry): (() => Promise<NewPaymentEvent | null>) | null {
    const step = this.#steps.get(entry.hook);
    if (step) return () => step(entry);
    const name = entry.hook as HookName;
    const hook = this.ctx.o.hooks[name];
    if (!hook) return null;
    const delivery: HookDelivery = { idempotencyKey: entry.key, attempt: entry.attempts };
    return async () => {
      await hook(toPayment(entry.payment), delivery);
      return { source: entry.source, type: 'hook_called', detail: { hook: name } };
    };
  }

  /** Records the outcome; a lease that ended meanwhile (another process took the row) or a store error is logged. */
  async #finish(entry: HookOutboxEntry, outcome: HookOutcome): Promise<boolean> {
    try {
      if (await this.ctx.store.finishHookDelivery(entry.key, entry.lease!, outcome)) return outcome.delivered;
      this.ctx.logger.warn('a hook call outlived its lease: another process may have called it too', { key: entry.key, leaseMs: this.settings.leaseMs });
    } catch (err) {
      this.ctx.logger.error('could not record a hook delivery; the hook will be called again when its lease ends', { key: entry.key, error: err });
    }
    return false;
  }
}
