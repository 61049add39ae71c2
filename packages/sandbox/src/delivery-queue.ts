import type { TimerSource } from './clock.ts';

/** One POST the sandbox owes a merchant (an Opn event, a K-Payment notify), attempt after attempt. */
export interface Delivery {
  url: string;
  /** The exact bytes sent; the same for every attempt and duplicate. */
  body: string;
  attempt: number;
  dueAt: number;
}

export interface DeliveryResult {
  /** The HTTP status answered, or null when no answer came (refused, timed out). */
  status: number | null;
  error: string | null;
}

export interface DeliveryChannel<D extends Delivery> {
  /** Headers of one attempt (signatures are computed per attempt). */
  headers(delivery: D): Record<string, string>;
  /** Records an attempt where the merchant's controls can list it. */
  record(delivery: D, result: DeliveryResult): void;
  /** Whether this attempt's answer is lost (a sandbox fault): sent and answered, then cut off unread. */
  losesAnswer?(delivery: D): boolean;
  timeoutMs: number;
}

/** What an attempt whose answer was cut off records (the receiver got it; the gateway did not hear back). */
export const LOST_ANSWER_ERROR = 'connection reset before the answer was read (sandbox fault random.webhookFailRate)';

/**
 * POSTs deliveries when they are due on sandbox time and retries failed ones after the configured delays
 * until an answer in 2xx, as both gateways' webhooks do. The gateway-specific part is its channel.
 */
export class DeliveryQueue<D extends Delivery> implements TimerSource {
  private queue: D[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly abort = new AbortController();
  private wakeUp: NodeJS.Timeout | undefined;

  constructor(
    private readonly clock: { now(): number },
    private readonly retryDelaysMs: readonly number[],
    private readonly channel: DeliveryChannel<D>,
  ) {}

  protected now(): number {
    return this.clock.now();
  }

  get closed(): boolean {
    return this.abort.signal.aborted;
  }

  push(delivery: D): void {
    if (this.closed) return;
    this.queue.push(delivery);
    void this.runDue();
  }

  nextDueAt(): number | null {
    return this.queue.reduce<number | null>((min, d) => (min === null || d.dueAt < min ? d.dueAt : min), null);
  }

  /** Starts every attempt that is due; `idle()` waits for them. */
  runDue(): Promise<void> {
    const now = this.clock.now();
    const due = this.queue.filter((d) => d.dueAt <= now);
    this.queue = this.queue.filter((d) => d.dueAt > now);
    for (const delivery of due) {
      const run = this.attempt(delivery).finally(() => this.inflight.delete(run));
      this.inflight.add(run);
    }
    this.scheduleWakeUp();
    return Promise.resolve();
  }

  /** Resolves when no attempt is in flight (attempts scheduled for later do not count). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  close(): void {
    this.abort.abort();
    this.queue = [];
    clearTimeout(this.wakeUp);
  }

  /**
   * Runs the next delivery at its own time in real time too, rather than at the clock's next one-second sweep
   * (a delay of 200 ms is 200 ms). Advancing the clock still runs everything due on the way.
   */
  private scheduleWakeUp(): void {
    clearTimeout(this.wakeUp);
    const next = this.nextDueAt();
    if (next === null || this.closed) return;
    this.wakeUp = setTimeout(() => void this.runDue(), Math.min(Math.max(next - this.clock.now(), 0), 2 ** 31 - 1));
    this.wakeUp.unref();
  }

  private async attempt(delivery: D): Promise<void> {
    let status: number | null = null;
    let error: string | null = null;
    const cutOff = new AbortController();
    try {
      const losesAnswer = this.channel.losesAnswer?.(delivery) ?? false;
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', ...this.channel.headers(delivery) },
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.any([this.abort.signal, cutOff.signal, AbortSignal.timeout(this.channel.timeoutMs)]),
      });
      if (losesAnswer) {
        cutOff.abort();
        error = LOST_ANSWER_ERROR;
      } else {
        status = response.status;
      }
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    }
    if (this.closed) return;
    this.channel.record(delivery, { status, error });
    const delivered = status !== null && status >= 200 && status < 300;
    const delay = this.retryDelaysMs[delivery.attempt - 1];
    if (!delivered && delay !== undefined) {
      this.queue.push({ ...delivery, attempt: delivery.attempt + 1, dueAt: this.clock.now() + delay });
      this.scheduleWakeUp();
    }
  }
}
