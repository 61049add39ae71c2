import { CATALOG, type PaymentMethodId } from '@payment-checkout/core/catalog';
import type { Currency } from '@payment-checkout/core/money';
import { PAYMENT_STATUSES, type PaymentStatus } from '@payment-checkout/core/status';
import { money } from '../shared.ts';
import type { OperationName, PaymentEvent } from './operations-api.ts';

/** What the merchant reads for the API's words: statuses, methods, operations, the event log. */

export const STATUS_LABELS: Record<PaymentStatus, string> = {
  created: 'Created',
  pending: 'Pending',
  authorized: 'Authorized',
  succeeded: 'Succeeded',
  failed: 'Failed',
  expired: 'Expired',
  canceled: 'Canceled',
  refunded: 'Refunded',
  partially_refunded: 'Partially refunded',
  voided: 'Voided',
};
export const STATUSES = PAYMENT_STATUSES;

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as PaymentStatus] ?? status;
}

/** A status as a badge: its label, coloured by what it means for the money (style.css `.badge-*`). */
export function statusBadge(status: string): HTMLElement {
  const badge = document.createElement('span');
  badge.className = `badge badge-${status}`;
  badge.textContent = statusLabel(status);
  return badge;
}

export const METHODS = CATALOG.map((m) => ({ id: m.id, label: m.label.en, gateway: m.gateway }));
export const GATEWAYS = [...new Set(CATALOG.map((m) => m.gateway))];
export const GATEWAY_LABELS: Record<string, string> = { opn: 'Opn Payments', kpayment: 'K-Payment (KBank)' };

export function methodLabel(id: string): string {
  return CATALOG.find((m) => m.id === (id as PaymentMethodId))?.label.en ?? id;
}

export function gatewayLabel(id: string): string {
  return GATEWAY_LABELS[id] ?? id;
}

export const OPERATION_LABELS: Record<OperationName, { button: string; busy: string; done: string }> = {
  refund: { button: 'Refund', busy: 'Refunding…', done: 'Refunded' },
  void: { button: 'Void', busy: 'Voiding…', done: 'Voided' },
  settle: { button: 'Settle', busy: 'Settling…', done: 'Settled' },
  capture: { button: 'Capture', busy: 'Capturing…', done: 'Captured' },
  reverse: { button: 'Reverse', busy: 'Reversing…', done: 'Reversed' },
  expire: { button: 'Expire', busy: 'Expiring…', done: 'Expired' },
  cancel: { button: 'Cancel payment', busy: 'Canceling…', done: 'Canceled' },
  check: { button: 'Check now', busy: 'Checking…', done: 'Checked' },
};

/** The operation's name as a noun for the log ("Refund", "Check"). */
function operationNoun(name: unknown): string {
  if (name === 'check') return 'Check';
  if (name === 'cancel') return 'Cancel';
  return OPERATION_LABELS[name as OperationName]?.button ?? String(name);
}

/** Operations that end a payment without moving money: the log's amount (the whole payment) says nothing for them. */
const MOVES_NO_MONEY: readonly unknown[] = ['expire', 'cancel', 'check'];

/** An ISO instant as the merchant's local date and time, to the second. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const SOURCES: Record<string, string> = {
  create: 'Checkout',
  return: 'Shopper’s return',
  webhook: 'Gateway notification',
  poll: 'Status check',
  reconciler: 'Reconciler',
  operations: 'Operations API',
};

/** Who or what made the event: the operator's name for operations (the token's name), else where it came from. */
export function eventActor(event: PaymentEvent): string {
  const by = event.detail?.by;
  // Elsewhere `by` names another payment (superseded, resumed), not a person.
  if (event.source === 'operations' && typeof by === 'string') return by;
  return SOURCES[event.source] ?? event.source;
}

const EVENT_TEXT: Record<string, string> = {
  created: 'Payment created',
  charge_created: 'Charge created at the gateway',
  status_changed: 'Status changed',
  transition_refused: 'Status change refused (not a valid move)',
  superseded: 'Superseded: the shopper moved on to another payment',
  resumed: 'Resumed',
  shopper_returned: 'Shopper came back from the gateway',
  webhook_received: 'Notification from the gateway',
  token_received: 'Card form submitted',
  token_replayed: 'Card form submitted again (no second charge)',
  callback_received: 'The shopper came back from the gateway’s page (its callback)',
  card_saved: 'Card saved for the shopper',
  card_not_saved: 'Card not saved',
};

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);

/** One line of the timeline: what happened, with the amounts and reasons the event carries. */
export function describeEvent(event: PaymentEvent, currency: Currency): string {
  const d = event.detail ?? {};
  const amount = typeof d.amount === 'number' && !MOVES_NO_MONEY.includes(d.operation) ? ` of ${money(d.amount, currency)}` : '';
  // The API writes "<operation> by <name>" when the merchant gave no reason: not worth repeating.
  const reason = text(d.reason) && d.reason !== `${String(d.operation)} by ${String(d.by)}` ? ` (reason: ${d.reason})` : '';
  switch (event.type as string) {
    case 'operation_requested':
      return `${operationNoun(d.operation)}${amount} requested${reason}`;
    case 'operation_succeeded':
      return `${operationNoun(d.operation)}${amount} done`;
    case 'operation_failed': {
      const gateway = text(d.gatewayCode) ? ` (gateway code ${d.gatewayCode})` : '';
      return `${operationNoun(d.operation)} failed: ${text(d.message) ?? text(d.code) ?? 'no reason given'}${gateway}`;
    }
    case 'gateway_error':
      return `The gateway did not answer as expected: ${text(d.message) ?? text(d.code) ?? 'no details'}`;
    case 'amounts_changed': {
      const parts = [
        typeof d.settledAmount === 'number' ? `settled ${money(d.settledAmount, currency)}` : null,
        typeof d.refundedAmount === 'number' ? `refunded ${money(d.refundedAmount, currency)}` : null,
      ].filter(Boolean);
      return parts.length ? `Amounts now: ${parts.join(', ')}` : 'Amounts changed';
    }
    case 'needs_refund':
      return d.orderChanged ? 'Needs a refund: paid at an amount its order no longer has' : 'Needs a refund: its order was paid by another payment';
    case 'hook_called':
      return `Shop told (${text(d.hook) ?? 'hook'})`;
    case 'hook_failed':
      return `Shop’s ${text(d.hook) ?? 'hook'} failed: ${text(d.message) ?? 'no details'}`;
    default:
      return EVENT_TEXT[event.type] ?? event.type.replaceAll('_', ' ');
  }
}

/** "Succeeded → Voided", or the one status an event names. */
export function describeMove(event: PaymentEvent): string {
  if (event.fromStatus && event.toStatus) return `${statusLabel(event.fromStatus)} → ${statusLabel(event.toStatus)}`;
  if (event.toStatus) return statusLabel(event.toStatus);
  return '';
}
