import { signOpnWebhook } from '@payment-checkout/core/signature';
import { type Delivery, DeliveryQueue } from '../delivery-queue.ts';
import { DEFAULT_WEBHOOK_DELAY_MS, WEBHOOK_TIMEOUT_MS } from './data.ts';
import { eventWire, isoTime } from './serialize.ts';
import type { EventRecord, Merchant } from './state.ts';

interface EventDelivery extends Delivery {
  merchant: Merchant;
  event: EventRecord;
}

/**
 * Sends each event to the merchant's endpoints, signed as Opn does, and retries failed attempts after the
 * configured delays of sandbox time. The merchant's scenario can drop, duplicate or delay deliveries.
 */
export class WebhookDispatcher extends DeliveryQueue<EventDelivery> {
  constructor(clock: { now(): number }, retryDelaysMs: readonly number[]) {
    super(clock, retryDelaysMs, {
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      headers(delivery) {
        // Signed with real wall-clock seconds: receivers check the timestamp against their own clock.
        const timestamp = Math.floor(Date.now() / 1000);
        return {
          'user-agent': 'payment-checkout-sandbox (Opn webhook)',
          'omise-signature': signOpnWebhook(delivery.body, delivery.merchant.webhookSecret, timestamp),
          'omise-signature-timestamp': String(timestamp),
        };
      },
      record(delivery, result) {
        delivery.merchant.deliveries.push({
          object: 'webhook_delivery',
          event_id: delivery.event.id,
          event_key: delivery.event.key,
          url: delivery.url,
          attempt: delivery.attempt,
          status_code: result.status,
          error: result.error,
          attempted_at: isoTime(clock.now()),
        });
      },
    });
  }

  enqueue(merchant: Merchant, event: EventRecord): void {
    const { webhooks: mode, webhookDelayMs } = merchant.scenario;
    if (mode === 'drop' || this.closed) return;
    const body = JSON.stringify(eventWire(event));
    const dueAt = this.now() + (mode === 'delay' ? (webhookDelayMs ?? DEFAULT_WEBHOOK_DELAY_MS) : 0);
    const copies = mode === 'duplicate' ? 2 : 1;
    for (const url of merchant.webhookEndpoints) {
      for (let i = 0; i < copies; i++) this.push({ merchant, event, url, body, attempt: 1, dueAt });
    }
  }
}
