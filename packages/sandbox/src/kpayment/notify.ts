import { type Delivery, DeliveryQueue } from '../delivery-queue.ts';
import { NOTIFY_TIMEOUT_MS } from './data.ts';
import { kpaymentTime } from './ids.ts';
import type { Merchant, TransactionState } from './state.ts';

/** One notify to send: the payload is built (with its checksum) when the result is reached. */
export interface Notification {
  chargeId: string;
  state: TransactionState;
  body: Record<string, unknown>;
}

interface NotifyDelivery extends Delivery {
  merchant: Merchant;
  chargeId: string;
  state: TransactionState;
}

/**
 * WebHook Notify (§6.5): POSTs the payload (card, QR or Alipay/UnionPay) with its checksum to the
 * merchant's notify URL when a charge reaches its result, and retries after the configured delays of sandbox time until an answer
 * in 2xx (the guide asks for 200 and documents no retries, §10.34). The merchant's fault scenario can drop,
 * duplicate, delay or reorder notifies, and lose the answers of attempts.
 */
export class NotifyDispatcher extends DeliveryQueue<NotifyDelivery> {
  constructor(clock: { now(): number }, retryDelaysMs: readonly number[]) {
    super(clock, retryDelaysMs, {
      timeoutMs: NOTIFY_TIMEOUT_MS,
      headers: () => ({ 'user-agent': 'payment-checkout-sandbox (K-Payment notify)' }),
      losesAnswer: (delivery) => delivery.merchant.scenario.losesDeliveryAnswer(),
      record(delivery, result) {
        delivery.merchant.deliveries.push({
          object: 'notify_delivery',
          charge_id: delivery.chargeId,
          transaction_state: delivery.state,
          url: delivery.url,
          attempt: delivery.attempt,
          status_code: result.status,
          error: result.error,
          attempted_at: kpaymentTime(clock.now()),
        });
      },
    });
  }

  enqueue(merchant: Merchant, notification: Notification): void {
    const { notifyUrl, notify } = merchant.settings;
    if (!notifyUrl || this.closed) return;
    const body = JSON.stringify(notification.body);
    // The older setting `notify` (drop, duplicate) applies while the scenario's `webhooks` is normal.
    const { webhooks } = merchant.scenario.params;
    for (const dueAt of merchant.scenario.deliveryTimes(this.now(), webhooks === 'normal' ? notify : webhooks)) {
      this.push({ merchant, chargeId: notification.chargeId, state: notification.state, url: notifyUrl, body, attempt: 1, dueAt });
    }
  }
}
