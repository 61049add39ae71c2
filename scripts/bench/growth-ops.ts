import { randomBytes } from 'node:crypto';
import type { PaymentStore, ReconcileClaim } from '../../packages/server/src/store/store.ts';
import { seededOrderId, seededPaymentId } from './growth-seed.ts';

/**
 * The growth benchmark's operations: each one is what the companion asks its store for one request (or one
 * reconciler claim), through the store's own API, so the SQL timed is the SQL the companion sends.
 */

/** A store holding `stored` seeded payments, and how to put back the reconciler schedule a claim moved. */
export interface GrowthTarget {
  store: PaymentStore;
  stored: number;
  /** Puts the claimed payments' next check back where it was (not timed): every claim then sees the same rows. */
  unclaim(claims: ReconcileClaim[]): Promise<void>;
}

export interface GrowthOperation {
  name: string;
  /** One repetition; `rep` picks its data. */
  run(target: GrowthTarget, rep: number): Promise<void>;
  /** Not timed: puts the store in the state the repetitions need, and back after them. */
  setup?(target: GrowthTarget): Promise<void>;
  teardown?(target: GrowthTarget): Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Spread over the seeded rows, the same sequence on every store. */
const pick = (rep: number, count: number) => (rep * 2_654_435_761) % count;

/** Payments the create step made and the webhook step pays, per target. */
const created = new WeakMap<GrowthTarget, { id: string; chargeId: string; orderId: string }[]>();
/** The claims that made every payment not due, per target, to put back after the none-due step. */
const leased = new WeakMap<GrowthTarget, ReconcileClaim[]>();

export function growthOperations(nowMs: number): GrowthOperation[] {
  const at = () => iso(nowMs);
  return [
    {
      // GET /checkout/payments/:id: the payment by id.
      name: 'status lookup (getPayment)',
      run: async ({ store, stored }, rep) => {
        if (!(await store.getPayment(seededPaymentId(pick(rep, stored))))) throw new Error('seeded payment missing');
      },
    },
    {
      // Offers, the status view of a paid order, create's checks: an order's payments.
      name: "an order's payments (listPaymentsForOrder)",
      run: async ({ store, stored }, rep) => {
        if ((await store.listPaymentsForOrder(seededOrderId(pick(rep, Math.floor(stored / 2))))).length !== 2) throw new Error('seeded order missing');
      },
    },
    {
      // POST /checkout/payments for a new order: its payments read, the insert, the charge's ids, pending.
      name: 'create payment (list, insert, charge ids, pending)',
      run: async (target, rep) => {
        const { store } = target;
        const orderId = `growth-${rep}-${randomBytes(4).toString('hex')}`;
        await store.listPaymentsForOrder(orderId);
        const payment = await store.createPayment({
          id: `pay_${randomBytes(16).toString('hex')}`, orderId, method: 'thai_qr', gateway: 'opn', amount: 150_000, currency: 'THB',
          platform: null, chargeId: null, sourceId: null, status: 'created', failureCode: null, failureMessage: null,
          returnToken: randomBytes(32).toString('base64url'), authorizeUri: null, createdAt: at(),
        });
        const chargeId = `chrg_${randomBytes(12).toString('hex')}`;
        await store.updatePayment(payment.id, () => ({ patch: { chargeId, authorizeUri: 'https://pay.example/qr' }, events: [{ source: 'create', type: 'charge_created', detail: { chargeId } }], result: null }), at());
        await store.updatePayment(payment.id, () => ({ status: 'pending', patch: {}, events: [{ source: 'create', type: 'status_changed', toStatus: 'pending' }], result: null }), at());
        const list = created.get(target) ?? [];
        list.push({ id: payment.id, chargeId, orderId });
        created.set(target, list);
      },
    },
    {
      // POST /webhooks/…: the payment by charge id, the receipt logged, succeeded with its hook call, the call
      // delivered from the outbox, the order's payments read (orderPaid). Pays the payments the create step made.
      name: 'webhook: paid (find by charge, log, update, hook, order)',
      run: async (target) => {
        const { store } = target;
        const next = created.get(target)?.shift();
        if (!next) throw new Error('run the create step first: the webhook step pays its payments');
        const payment = await store.findPaymentByChargeId(next.chargeId);
        if (!payment) throw new Error('created payment missing');
        await store.appendEvent(payment.id, { source: 'webhook', type: 'webhook_received', detail: { eventId: `evnt_${next.id}` } }, at());
        const key = `${payment.id}:succeeded:onPaid`;
        await store.updatePayment(payment.id, () => ({
          status: 'succeeded', patch: {}, events: [{ source: 'webhook', type: 'status_changed', toStatus: 'succeeded' }],
          hook: { name: 'onPaid', key, source: 'webhook' }, result: null,
        }), at());
        const [entry] = await store.claimHookDeliveries({ key, dueBy: at(), leaseUntil: iso(nowMs + 60_000), limit: 1 });
        if (!entry?.lease) throw new Error('hook call not enqueued');
        await store.finishHookDelivery(key, entry.lease, { at: at(), delivered: true });
        await store.listPaymentsForOrder(next.orderId);
      },
    },
    {
      // A reconciler run's claims while payments are due: a full batch (20), as services/reconciler.ts asks.
      name: 'reconciler claim, 20 due',
      run: async (target) => {
        const claims = await target.store.claimPaymentsToReconcile({
          createdBefore: iso(nowMs - 10 * 60_000), dueBy: at(), leaseUntil: iso(nowMs + 5 * 60_000), limit: 20,
        });
        if (claims.length !== 20) throw new Error(`claimed ${claims.length}, not 20`);
        await target.unclaim(claims);
      },
    },
    {
      // Every reconciler run ends with a claim that finds fewer than asked: here none, every live payment leased or
      // scheduled later (the setup claims all due ones, as runs before it would have).
      name: 'reconciler claim, none due',
      setup: async (target) => {
        const all: ReconcileClaim[] = [];
        for (;;) {
          const batch = await target.store.claimPaymentsToReconcile({ createdBefore: iso(nowMs - 10 * 60_000), dueBy: at(), leaseUntil: iso(nowMs + 3_600_000), limit: 5_000 });
          all.push(...batch);
          if (batch.length < 5_000) break;
        }
        leased.set(target, all);
      },
      teardown: async (target) => target.unclaim(leased.get(target) ?? []),
      run: async ({ store }) => {
        const claims = await store.claimPaymentsToReconcile({ createdBefore: iso(nowMs - 10 * 60_000), dueBy: at(), leaseUntil: iso(nowMs + 5 * 60_000), limit: 20 });
        if (claims.length !== 0) throw new Error(`claimed ${claims.length}, not 0`);
      },
    },
  ];
}
