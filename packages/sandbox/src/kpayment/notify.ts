import type { TimerSource } from '../clock.ts';
import { NOTIFY_TIMEOUT_MS } from './data.ts';
import { kpaymentTime } from './ids.ts';
import { notifyWire } from './serialize.ts';
import type { ChargeRecord, Merchant, TransactionState } from './state.ts';

interface Delivery {
  merchant: Merchant;
  chargeId: string;
  state: TransactionState;
  url: string;
  /** The exact bytes sent; the same for every attempt of one notify. */
  body: string;
  attempt: number;
  dueAt: number;
}

/**
 * WebHook Notify (§6.5): POSTs the card payload with its checksum to the merchant's notify URL when a
 * charge reaches its result, and retries after the configured delays of sandbox time until an answer
 * in 2xx (the guide asks for 200 and documents no retries, §10.34).
 */
export class NotifyDispatcher implements TimerSource {
  private queue: Delivery[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly clock: { now(): number },
    private readonly retryDelaysMs: readonly number[],
  ) {}

  enqueue(merchant: Merchant, charge: ChargeRecord): void {
    const { notifyUrl, notify } = merchant.settings;
    if (!notifyUrl || notify === 'drop' || this.abort.signal.aborted) return;
    const body = JSON.stringify(notifyWire(charge, merchant.secretKey));
    const copies = notify === 'duplicate' ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      this.queue.push({ merchant, chargeId: charge.id, state: charge.state, url: notifyUrl, body, attempt: 1, dueAt: this.clock.now() });
    }
    void this.runDue();
  }

  nextDueAt(): number | null {
    return this.queue.reduce<number | null>((min, d) => (min === null || d.dueAt < min ? d.dueAt : min), null);
  }

  runDue(): Promise<void> {
    const now = this.clock.now();
    const due = this.queue.filter((d) => d.dueAt <= now);
    this.queue = this.queue.filter((d) => d.dueAt > now);
    for (const delivery of due) {
      const run = this.attempt(delivery).finally(() => this.inflight.delete(run));
      this.inflight.add(run);
    }
    return Promise.resolve();
  }

  /** Resolves when no attempt is in flight (attempts scheduled for later do not count). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  close(): void {
    this.abort.abort();
    this.queue = [];
  }

  private async attempt(delivery: Delivery): Promise<void> {
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'payment-checkout-sandbox (K-Payment notify)' },
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(NOTIFY_TIMEOUT_MS)]),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    }
    if (this.abort.signal.aborted) return;
    delivery.merchant.deliveries.push({
      object: 'notify_delivery',
      charge_id: delivery.chargeId,
      transaction_state: delivery.state,
      url: delivery.url,
      attempt: delivery.attempt,
      status_code: status,
      error,
      attempted_at: kpaymentTime(this.clock.now()),
    });
    const delivered = status !== null && status >= 200 && status < 300;
    const delay = this.retryDelaysMs[delivery.attempt - 1];
    if (!delivered && delay !== undefined) {
      this.queue.push({ ...delivery, attempt: delivery.attempt + 1, dueAt: this.clock.now() + delay });
    }
  }
}
