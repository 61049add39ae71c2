import { z } from 'zod';
import { Currency, Gateway, OrderId, PaymentMethodId, PaymentStatus, Platform } from '@payment-checkout/core';

/**
 * The companion's storage, behind one small async interface: SqliteStore (the default) and PostgresStore
 * implement it. Every adapter runs `describeStoreContract` (store-contract.ts).
 */

export const PaymentId = z.string().regex(/^pay_[0-9a-f]{32}$/, 'a payment id (pay_…)');

/** One payment attempt: one row per charge the companion starts (DESIGN.md, "The payment record"). */
export const PaymentRecord = z.object({
  id: PaymentId,
  orderId: OrderId,
  method: PaymentMethodId,
  gateway: Gateway,
  /** Minor units, from `resolveOrder`, never from the browser. */
  amount: z.number().int().positive(),
  currency: Currency,
  platform: z.nullable(Platform),
  chargeId: z.string().nullable(),
  sourceId: z.string().nullable(),
  status: PaymentStatus,
  failureCode: z.string().nullable(),
  /** The gateway's own text; shoppers see core's `customerMessage(failureCode)` instead. */
  failureMessage: z.string().nullable(),
  /** Random and unguessable: the return URL carries it, compared in constant time. */
  returnToken: z.string().min(32),
  authorizeUri: z.string().nullable(),
  /** Set when the shopper moved on to another payment of the same order while this one was still live. */
  supersededBy: PaymentId.nullable(),
  /** This payment succeeded after another payment had already paid its order. */
  needsRefund: z.boolean(),
  /** Minor units returned to the shopper so far (refunds; a void returns everything but is not a refund). */
  refundedAmount: z.number().int().nonnegative(),
  /** Minor units settled (captured) at the gateway; null when not settled or the gateway does not say. */
  settledAmount: z.number().int().positive().nullable(),
  /**
   * What the shopper's card was charged when not `amount` in `currency` (K-Payment Full DCC: the converted
   * amount, minor units of `chargedCurrency`); null when it was charged as the payment says or the gateway does not say.
   */
  chargedAmount: z.number().int().positive().nullable(),
  chargedCurrency: z.nullable(Currency),
  /** The number of monthly instalments the shopper chose (K-Payment SmartPay); null when paid in full. */
  installmentTerm: z.number().int().positive().nullable(),
  /**
   * When the gateway created the charge, by its own record (K-Payment's refund and inquiry windows and its
   * `transaction_date` count from it); null until the charge is known, or when the gateway does not say.
   */
  chargeCreatedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type PaymentRecord = z.infer<typeof PaymentRecord>;

export type NewPayment = Omit<PaymentRecord, 'updatedAt' | 'supersededBy' | 'needsRefund' | 'refundedAmount' | 'settledAmount' | 'chargeCreatedAt' | PaidAsField> & {
  supersededBy?: string | null;
  needsRefund?: boolean;
};

/**
 * The fields an update may change besides the status; ids, amounts and tokens never change after creation.
 * The status is not among them: only the status writer (services/status-writer.ts) moves it, through
 * `PaymentChange.status`, which the store checks against core's transition rule in the same transaction.
 */
export type PaymentPatch = Partial<
  Pick<PaymentRecord, 'failureCode' | 'failureMessage' | 'chargeId' | 'chargeCreatedAt' | 'sourceId' | 'authorizeUri' | 'supersededBy' | 'needsRefund' | 'refundedAmount' | 'settledAmount' | PaidAsField>
>;

/** What the shopper paid besides the payment's own amount: the converted amount (DCC) and the instalments chosen. */
export type PaidAsField = 'chargedAmount' | 'chargedCurrency' | 'installmentTerm';

/** Where an observation came from. */
export const EventSource = z.enum(['create', 'return', 'webhook', 'poll', 'reconciler', 'operations']);
export type EventSource = z.infer<typeof EventSource>;

export const PaymentEventType = z.enum([
  'created',
  'charge_created',
  'gateway_error',
  'status_changed',
  'transition_refused',
  'needs_refund',
  'superseded',
  'resumed',
  'shopper_returned',
  'webhook_received',
  'hook_called',
  'hook_failed',
  /** K-Payment: the card form posted its token (detail: variant, savecard, …; never card data). */
  'token_received',
  /** The same payment's form was posted again: no second charge. */
  'token_replayed',
  /** A gateway callback (3-D Secure) brought the shopper back; only an inquiry decides. */
  'callback_received',
  'card_saved',
  'card_not_saved',
  /** The merchant asked for an operation through the operations API (detail: operation, by: the token's name). */
  'operation_requested',
  /** The gateway did it (detail: operation, by, amount). */
  'operation_succeeded',
  /** Refused by our rules or the gateway, or no answer (detail: operation, by, code, message, gatewayCode). */
  'operation_failed',
  /** What was refunded, settled or paid changed without a status move (a second partial refund; a settlement; DCC, instalments). */
  'amounts_changed',
]);
export type PaymentEventType = z.infer<typeof PaymentEventType>;

export const PaymentEvent = z.object({
  id: z.number().int().positive(),
  paymentId: PaymentId,
  at: z.iso.datetime(),
  source: EventSource,
  type: PaymentEventType,
  fromStatus: z.nullable(PaymentStatus),
  toStatus: z.nullable(PaymentStatus),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type PaymentEvent = z.infer<typeof PaymentEvent>;

export type NewPaymentEvent = Omit<PaymentEvent, 'id' | 'paymentId' | 'at' | 'fromStatus' | 'toStatus' | 'detail'> & {
  fromStatus?: PaymentStatus | null;
  toStatus?: PaymentStatus | null;
  detail?: Record<string, unknown> | null;
};

/** What `updatePayment`'s decision function sees besides the row itself. */
export interface UpdateContext {
  /** Another payment of the same order that paid it (paid and not itself marked `needsRefund`), if any. */
  paidPayment: PaymentRecord | null;
}

/** A decision: the patch (and the status move, if any) and the events to write together, plus whatever the caller wants back. */
export interface PaymentChange<R> {
  patch: PaymentPatch;
  /** The new status; the store refuses a move core's `canTransition` forbids (StoreConflictError `invalid_transition`). */
  status?: PaymentStatus;
  events: NewPaymentEvent[];
  /** The merchant hook the change owes: the store writes it to the hook outbox in the same transaction. */
  hook?: OutboxHook;
  /** The gateway's step the change owes (services/after-paid.ts): written to the outbox beside `hook`, unclaimed. */
  step?: OutboxHook;
  result: R;
}

export interface PaymentUpdate<R> {
  before: PaymentRecord;
  after: PaymentRecord;
  result: R;
  /** The hook call the change wrote already claimed (`OutboxHook.claim`); absent when none was (its key was there already). */
  claimedHook?: HookOutboxEntry;
}

export type StoreConflictCode = 'live_payment_exists' | 'order_already_paid' | 'duplicate' | 'invalid_transition';

/** A write would break one of the store's invariants (enforced by the database, not only by the service). */
export class StoreConflictError extends Error {
  override name = 'StoreConflictError';
  constructor(
    readonly code: StoreConflictCode,
    message: string,
  ) {
    super(message);
  }
}

/** Where a payment stands with the reconciler: when it is next due, and how many checks left it live. */
export interface ReconcileSchedule {
  /** Null until the reconciler first claims it (due at once). */
  nextCheckAt: string | null;
  attempts: number;
}

/** A live payment the reconciler claimed, with its schedule as it was before the claim. */
export interface ReconcileClaim extends ReconcileSchedule {
  payment: PaymentRecord;
}

/** Which payments `claimPaymentsToReconcile` takes, and until when it holds them. */
/** SQL's list of string literals, for the status groupings written in core. */
export const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export interface ReconcileClaimQuery {
  /** Only payments created before this time. */
  createdBefore: string;
  /** Only payments whose next check is due by this time (or never set). */
  dueBy: string;
  /** Their next check is set to this time in the same transaction: the lease, during which nobody else claims them. */
  leaseUntil: string;
  limit: number;
}

/**
 * The latest time a claimable payment's `COALESCE(reconcile_after, created_at)` can hold: both stores bound the
 * scan of their claim index with it (every due row meets it).
 */
export function latestDue(query: ReconcileClaimQuery): string {
  return query.createdBefore > query.dueBy ? query.createdBefore : query.dueBy;
}

/** Which payments `searchPayments` answers: every filter given must match; newest first, by (createdAt, id). */
export interface PaymentSearch {
  orderId?: string;
  status?: PaymentRecord['status'];
  method?: string;
  gateway?: string;
  /** Created at or after this time (ISO, as stored). */
  createdFrom?: string;
  /** Created strictly before this time. */
  createdTo?: string;
  /** Keyset pagination: only payments that come after this one in the order (the last one of the page before). */
  after?: { createdAt: string; id: string };
  limit: number;
}

/**
 * A hook call a status change owes the merchant. `key` is its idempotency key (the payment and the transition,
 * e.g. `pay_…:succeeded:onPaid`): the outbox holds one row per key, so a transition never enqueues twice.
 */
export interface OutboxHook {
  /** The hook's name (services/payment-machine.ts's HookName). */
  name: string;
  key: string;
  /** Where the change came from; the delivery's `hook_called` / `hook_failed` events carry it. */
  source: EventSource;
  /**
   * This change updates the payment an undelivered call of `key` carries (a later change the same call must
   * report, e.g. the automatic void of a payment that paid twice) instead of owing a new call.
   */
  update?: boolean;
  /**
   * Write the call already claimed by the caller, who delivers it right after the commit: its first attempt,
   * held under `lease` until `leaseUntil`, as `claimHookDeliveries` would leave it (one transaction fewer).
   */
  claim?: { lease: string; leaseUntil: string };
}

/** A row of the hook outbox: a hook call, with the payment as the change left it, until it is delivered. */
export const HookOutboxEntry = z.object({
  key: z.string().min(1),
  paymentId: PaymentId,
  hook: z.string().min(1),
  source: EventSource,
  /** The record right after the change that enqueued the call (the hook gets it without its return token). */
  payment: PaymentRecord,
  /** Times the row was claimed for delivery (the number of the attempt in progress, while one is). */
  attempts: z.number().int().nonnegative(),
  /** When it may be claimed next: when it was enqueued, its retry time, or the end of the current claim's lease. */
  nextAttemptAt: z.iso.datetime(),
  /** The id of the claim that holds the row (only it may finish the row); null when no claim holds it. */
  lease: z.string().nullable(),
  /** The last attempt's error; kept once delivered. */
  lastError: z.string().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type HookOutboxEntry = z.infer<typeof HookOutboxEntry>;

/** Which outbox rows `claimHookDeliveries` takes, and until when it holds them. */
export interface HookClaimQuery {
  /** Only rows not delivered whose next attempt is due by this time. */
  dueBy: string;
  /**
   * Only rows already tried once, or enqueued before this time: a new row belongs for a while to the request
   * whose change wrote it (that request delivers it at once). Absent: no such limit.
   */
  freshBefore?: string;
  /** Only this row. */
  key?: string;
  /** Their next attempt moves to this time in the same transaction: the lease, during which nobody else claims them. */
  leaseUntil: string;
  limit: number;
}

/** How a claimed delivery ended, and the event to log with it (same transaction). */
export type HookOutcome = { at: string; event?: NewPaymentEvent } & ({ delivered: true } | { delivered: false; error: string; retryAt: string });

export interface PaymentStore {
  /**
   * Inserts a payment and its `created` event. Throws `StoreConflictError('live_payment_exists')` when the
   * order already has a live payment (created/pending/authorized) that no other payment superseded.
   */
  createPayment(payment: NewPayment): Promise<PaymentRecord>;
  getPayment(id: string): Promise<PaymentRecord | null>;
  findPaymentByChargeId(chargeId: string): Promise<PaymentRecord | null>;
  /** Oldest first. */
  listPaymentsForOrder(orderId: string): Promise<PaymentRecord[]>;
  /** The merchant's search: newest first by (createdAt, id) descending, at most `limit`, after `after` when given. */
  searchPayments(query: PaymentSearch): Promise<PaymentRecord[]>;
  /** Payments still live (created, pending, authorized) created before `createdBefore`, oldest first. */
  listLivePayments(query: { createdBefore: string; limit: number }): Promise<PaymentRecord[]>;
  /**
   * Claims live payments for the reconciler: those created before `createdBefore` whose next check is due by
   * `dueBy`, payments never checked first (oldest first), then the earliest due. In the same transaction their
   * next check moves to `leaseUntil`, so another process claiming at the same moment gets other payments, and
   * nobody gets them again before the lease ends (or `scheduleReconcile` says when).
   */
  claimPaymentsToReconcile(query: ReconcileClaimQuery): Promise<ReconcileClaim[]>;
  /** Sets when the reconciler next asks about the payment, and how many of its checks left it live. Throws when the id is unknown. */
  scheduleReconcile(paymentId: string, schedule: { nextCheckAt: string; attempts: number }): Promise<void>;
  /** The payment's reconciler schedule; null when the id is unknown. */
  getReconcileSchedule(paymentId: string): Promise<ReconcileSchedule | null>;
  /**
   * Reads the payment and the order's paid payment, asks `decide` (a pure function), and writes its patch and
   * events in one transaction; nothing is written when `decide` answers null or throws. Throws when the id is
   * unknown, and `StoreConflictError` when the patch would break an invariant (two payments paying one order,
   * two live payments of one order). `at` stamps `updatedAt` and the events.
   */
  updatePayment<R>(
    id: string,
    decide: (current: PaymentRecord, context: UpdateContext) => PaymentChange<R> | null,
    at: string,
  ): Promise<PaymentUpdate<R> | null>;
  /** Appends to the payment's log without changing the payment. */
  appendEvent(paymentId: string, event: NewPaymentEvent, at: string): Promise<void>;
  /** Oldest first. */
  listEvents(paymentId: string): Promise<PaymentEvent[]>;
  /**
   * Claims due hook deliveries (see `HookClaimQuery`), the earliest due first. In the same transaction each one's
   * next attempt moves to `leaseUntil`, its attempt count goes up by one and it gets a new lease id, so another
   * process claiming at the same moment gets other rows, and nobody gets them again before the lease ends.
   */
  claimHookDeliveries(query: HookClaimQuery): Promise<HookOutboxEntry[]>;
  /**
   * Ends a claimed delivery: delivered, or failed and due again at `retryAt` (the error kept), with its event in
   * the same transaction. Writes nothing and answers false when `lease` is no longer the row's (another claim
   * took it after the lease ended) or the row is delivered already.
   */
  finishHookDelivery(key: string, lease: string, outcome: HookOutcome): Promise<boolean>;
  /** The payment's outbox rows, oldest first. */
  listHookDeliveries(paymentId: string): Promise<HookOutboxEntry[]>;
  close(): Promise<void>;
}

/** Duck-typing for options validation: anything with the store's methods is a store. */
export function isPaymentStore(value: unknown): value is PaymentStore {
  const methods: (keyof PaymentStore)[] = ['createPayment', 'getPayment', 'findPaymentByChargeId', 'listPaymentsForOrder', 'searchPayments', 'listLivePayments', 'claimPaymentsToReconcile', 'scheduleReconcile', 'getReconcileSchedule', 'updatePayment', 'appendEvent', 'listEvents', 'claimHookDeliveries', 'finishHookDelivery', 'listHookDeliveries', 'close'];
  return typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}
