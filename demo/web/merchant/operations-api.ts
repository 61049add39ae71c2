import type { PaymentDetail, PaymentPage, PaymentSummary } from '@payment-checkout/server';

/**
 * The merchant page's client of the operations API (docs/operations-api.md), through the demo's same-origin
 * proxy: the demo's server adds the operations token, the browser never holds it. The answers' types are the
 * companion's own (type-only imports: nothing of the server reaches the browser).
 */

const BASE = '/api/merchant/operations';

export type { PaymentDetail, PaymentPage, PaymentSummary };
/** What the merchant may do with a payment now: allowed, or refused with its reason; the most it may take. */
export type OperationOffer = PaymentDetail['operations'][number];
export type PaymentEvent = PaymentDetail['events'][number];
/** The operations that move money or end a payment; "check" only asks the gateway. */
export type MoneyOperation = OperationOffer['name'];
export type OperationName = MoneyOperation | 'check';

export interface PaymentFilters {
  orderId?: string;
  status?: string;
  method?: string;
  gateway?: string;
  /** ISO 8601 instants. */
  createdFrom?: string;
  createdTo?: string;
}

/** One thing the API found wrong with a request (a 400's `issues`): the field, by the API's name, and what. */
export interface RequestIssue {
  path: string;
  message: string;
}

/** The API's refusal: its message, the gateway's own code and message when the gateway refused, what it found wrong. */
export class OperationsError extends Error {
  override name = 'OperationsError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly gateway: { code: string; message: string } | null = null,
    readonly issues: readonly RequestIssue[] = [],
  ) {
    super(message);
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${BASE}${path}`, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch {
    throw new OperationsError(0, 'network_error', 'The shop’s server did not answer. Check your connection and try again.');
  }
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: { code?: string; message?: string; gateway?: { code: string; message: string }; issues?: unknown } })
    | null;
  if (res.ok && body) return body;
  const error = body?.error;
  const issues = Array.isArray(error?.issues) ? error.issues.filter((i): i is RequestIssue => typeof i?.path === 'string' && typeof i?.message === 'string') : [];
  throw new OperationsError(res.status, error?.code ?? 'unknown', error?.message ?? `The operations API answered ${res.status}.`, error?.gateway ?? null, issues);
}

export function listPayments(filters: PaymentFilters, cursor: string | null, limit = 20): Promise<PaymentPage> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) query.set(key, value);
  query.set('limit', String(limit));
  if (cursor) query.set('cursor', cursor);
  return call<PaymentPage>(`/payments?${query}`);
}

export function getPayment(id: string): Promise<PaymentDetail> {
  return call<PaymentDetail>(`/payments/${encodeURIComponent(id)}`);
}

export interface OperationInput {
  /** Minor units (refund, settle). */
  amount?: number;
  reason?: string;
}

/**
 * Runs an operation (or "check now"); the answer is the payment after it. `idempotencyKey` names the request: sent
 * again with it, the API answers what the first did instead of doing it twice.
 */
export function runOperation(id: string, operation: OperationName, input: OperationInput = {}, idempotencyKey?: string): Promise<PaymentDetail> {
  return call<PaymentDetail>(`/payments/${encodeURIComponent(id)}/${operation}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    body: JSON.stringify(input),
  });
}
