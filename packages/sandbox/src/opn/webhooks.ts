import { signOpnWebhook } from '@payment-checkout/core/signature';
import type { TimerSource } from '../clock.ts';
import { DEFAULT_WEBHOOK_DELAY_MS, WEBHOOK_TIMEOUT_MS } from './data.ts';
import { eventWire, isoTime } from './serialize.ts';
import type { EventRecord, Merchant } from './state.ts';

interface Delivery {
  merchant: Merchant;
  event: EventRecord;
  url: string;
  /** The exact bytes signed and sent; the same for every attempt and duplicate of one event. */
  body: string;
  attempt: number;
  dueAt: number;
}

/**
 * Sends each event to the merchant's endpoints, signed as Opn does, and retries failed attempts after the
 * configured delays of sandbox time. The merchant's scenario can drop, duplicate or delay deliveries.
 */
export class WebhookDispatcher implements TimerSource {
  private queue: Delivery[] = [];
  private readonly inflight = new Set<Promise<void>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly clock: { now(): number },
    private readonly retryDelaysMs: readonly number[],
  ) {}

  enqueue(merchant: Merchant, event: EventRecord): void {
    const { webhooks: mode, webhookDelayMs } = merchant.scenario;
    if (mode === 'drop' || this.abort.signal.aborted) return;
    const body = JSON.stringify(eventWire(event));
    const dueAt = this.clock.now() + (mode === 'delay' ? (webhookDelayMs ?? DEFAULT_WEBHOOK_DELAY_MS) : 0);
    const copies = mode === 'duplicate' ? 2 : 1;
    for (const url of merchant.webhookEndpoints) {
      for (let i = 0; i < copies; i++) this.queue.push({ merchant, event, url, body, attempt: 1, dueAt });
    }
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
    // Signed with real wall-clock seconds: receivers check the timestamp against their own clock.
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signOpnWebhook(delivery.body, delivery.merchant.webhookSecret, timestamp);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'payment-checkout-sandbox (Opn webhook)',
          'omise-signature': signature,
          'omise-signature-timestamp': String(timestamp),
        },
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch (e) {
      error = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    }
    if (this.abort.signal.aborted) return;
    delivery.merchant.deliveries.push({
      object: 'webhook_delivery',
      event_id: delivery.event.id,
      event_key: delivery.event.key,
      url: delivery.url,
      attempt: delivery.attempt,
      status_code: status,
      error,
      attempted_at: isoTime(this.clock.now()),
    });
    const delivered = status !== null && status >= 200 && status < 300;
    const delay = this.retryDelaysMs[delivery.attempt - 1];
    if (!delivered && delay !== undefined) {
      this.queue.push({ ...delivery, attempt: delivery.attempt + 1, dueAt: this.clock.now() + delay });
    }
  }
}
