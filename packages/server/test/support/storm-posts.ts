import { randomBytes } from 'node:crypto';
import { kpaymentChecksum, signOpnWebhook } from '@payment-checkout/core/signature';

/**
 * The storm's webhook and notify posts: the gateways' genuine bodies as they sent them, and the forgeries an
 * attacker (or a confused proxy) can make of them. Each post carries the answer the companion documents for it:
 * 401 for a signature or checksum that does not hold, 400 for a body that is not a notify at all, 200 for a body
 * that lies under a valid signature (accepted, then the charge is re-fetched: the lie decides nothing).
 */

export interface StormPost {
  gateway: 'opn' | 'kpayment';
  /** `genuine`, or which forgery. */
  kind: string;
  body: string;
  /** Computed when sent: an Opn signature carries the time it was made, as the gateway signs each attempt. */
  headers: () => Record<string, string>;
  expected: number;
}

const now = () => Math.floor(Date.now() / 1000);
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

function opnHeaders(body: string, secret: string, timestamp = now()): Record<string, string> {
  return { 'omise-signature': signOpnWebhook(body, secret, timestamp), 'omise-signature-timestamp': String(timestamp) };
}

/** An Opn event as the sandbox's dispatcher posts it: these bytes, signed with the merchant's secret when sent. */
export function genuineOpn(body: string, secret: string): StormPost {
  return { gateway: 'opn', kind: 'genuine', body, headers: () => opnHeaders(body, secret), expected: 200 };
}

/** A correctly signed event about `chargeId` that says it was paid: only the re-fetch may say so. */
export function lyingOpnEvent(chargeId: string): string {
  return JSON.stringify({
    object: 'event',
    id: `evnt_test_${hex(8)}`,
    livemode: false,
    key: 'charge.complete',
    created_at: new Date().toISOString(),
    data: { object: 'charge', id: chargeId, status: 'successful', paid: true, amount: 1, currency: 'thb' },
  });
}

/** Every forgery of one genuine Opn event; `pendingChargeId` is a charge the gateway has not decided. */
export function forgedOpn(body: string, secret: string, otherSecret: string, pendingChargeId: string): StormPost[] {
  const post = (kind: string, sent: string, headers: () => Record<string, string>, expected = 401): StormPost => ({ gateway: 'opn', kind, body: sent, headers, expected });
  const event = JSON.parse(body) as { data: Record<string, unknown> };
  const changed = JSON.stringify({ ...event, data: { ...event.data, status: 'successful', paid: true, amount: Number(event.data.amount ?? 0) + 100 } });
  const lie = lyingOpnEvent(pendingChargeId);
  return [
    post('opn: random signature', body, () => ({ 'omise-signature': hex(32), 'omise-signature-timestamp': String(now()) })),
    post('opn: truncated signature', body, () => {
      const h = opnHeaders(body, secret);
      return { ...h, 'omise-signature': h['omise-signature'].slice(0, 40) };
    }),
    post('opn: no signature', body, () => ({})),
    post("opn: another merchant's secret", body, () => opnHeaders(body, otherSecret)),
    post('opn: stale timestamp (an hour old)', body, () => opnHeaders(body, secret, now() - 3600)),
    post('opn: body changed after signing (status, amount)', changed, () => opnHeaders(body, secret)),
    post('opn: truncated body', body.slice(0, Math.floor(body.length / 2)), () => opnHeaders(body, secret)),
    post('opn: signed body that lies (paid, for a pending charge)', lie, () => opnHeaders(lie, secret), 200),
  ];
}

type Notify = { id: string; amount: number | string; currency: string; status: string; transaction_state: string; failure_code?: string | null; reference_order?: string; checksum: string } & Record<string, unknown>;

/** A K-Payment notify as the sandbox posted it, byte for byte (its checksum is inside). */
export function genuineKpayment(body: string): StormPost {
  return { gateway: 'kpayment', kind: 'genuine', body, headers: () => ({}), expected: 200 };
}

/**
 * Every forgery of one genuine notify. `otherPaymentId` is another payment's id (the reference is outside the
 * checksum); `pendingQrPaymentId` a Thai QR payment nobody paid, for a made-up charge that claims to pay it.
 */
export function forgedKpayment(body: string, secret: string, otherSecret: string, otherPaymentId: string, pendingQrPaymentId: string): StormPost[] {
  const post = (kind: string, notify: Record<string, unknown> | string, expected = 401): StormPost => ({
    gateway: 'kpayment',
    kind,
    body: typeof notify === 'string' ? notify : JSON.stringify(notify),
    headers: () => ({}),
    expected,
  });
  const notify = JSON.parse(body) as Notify;
  const madeUp = { ...notify, id: `chrg_test_${hex(10)}`, status: 'success', transaction_state: 'Authorized', failure_code: '', reference_order: pendingQrPaymentId };
  return [
    post('kpayment: zeroed checksum', { ...notify, checksum: '0'.repeat(64) }),
    post('kpayment: truncated checksum', { ...notify, checksum: notify.checksum.slice(0, 40) }, 400),
    post("kpayment: another merchant's secret", { ...notify, checksum: kpaymentChecksum(notify, otherSecret) }),
    post('kpayment: fields changed (status, state, amount)', { ...notify, status: 'success', transaction_state: 'Authorized', amount: Number(notify.amount) + 1 }),
    post('kpayment: truncated body', body.slice(0, Math.floor(body.length / 2)), 400),
    post("kpayment: valid checksum, another payment's reference", { ...notify, reference_order: otherPaymentId }, 200),
    post('kpayment: made-up charge, checksummed with the secret, paying a pending QR', { ...madeUp, checksum: kpaymentChecksum(madeUp, secret) }, 200),
  ];
}
