import { signOpnWebhook } from '@payment-checkout/core/signature';
import { type Delivery, DeliveryQueue } from '../delivery-queue.ts';
import { WEBHOOK_TIMEOUT_MS } from './data.ts';
import { eventWire, isoTime } from './serialize.ts';
import type { EventRecord, Merchant } from './state.ts';

interface EventDelivery extends Delivery {
  merchant: Merchant;
  event: EventRecord;
}

/**
 * Sends each event to the merchant's endpoints, signed as Opn does, and retries failed attempts after the
 * configured delays of sandbox time. The merchant's scenario can drop, duplicate, delay or reorder deliveries, and
 * lose the answers of attempts.
 */
export class WebhookDispatcher extends DeliveryQueue<EventDelivery> {
  constructor(clock: { now(): number }, retryDelaysMs: readonly number[]) {
    super(clock, retryDelaysMs, {
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      losesAnswer: (delivery) => delivery.merchant.scenario.losesDeliveryAnswer(),
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
    if (this.closed) return;
    const body = JSON.stringify(eventWire(event));
    for (const url of merchant.webhookEndpoints) {
      for (const dueAt of merchant.scenario.deliveryTimes(this.now())) this.push({ merchant, event, url, body, attempt: 1, dueAt });
    }
  }
}
