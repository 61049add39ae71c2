import type { OpnFailureCode, OpnMethodId } from '@payment-checkout/core';

/**
 * The Opn facts the emulator answers with, kept apart from the code (stripe-mock style).
 * Sources: seeds 000, 002, 004 and shared/spec/opn-payments.md; the choices are explained in README.md.
 */

/** `failure_message` per `failure_code`, verbatim from the seeds' tables. */
export const FAILURE_MESSAGES: Record<OpnFailureCode, string> = {
  payment_expired: 'Payment expired.',
  payment_rejected: 'Payment rejected by issuer.',
  failed_processing: 'General payment processing failure.',
  invalid_account: 'Valid account for payment method not found.',
  insufficient_fund: 'Insufficient funds in the account or the payment method has reached its limit.',
};

/** Error codes the emulator returns, with their HTTP status (Opn's api-errors page). */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_charge: 400,
  used_token: 400,
  expired_charge: 400,
  failed_capture: 400,
  failed_expire: 400,
  failed_refund: 400,
  authentication_failure: 401,
  not_found: 404,
  too_many_requests: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;
export type OpnErrorCode = keyof typeof ERROR_STATUS;

/** The error code a `failNext` scenario answers with, by HTTP status. */
export function errorCodeForStatus(status: number): OpnErrorCode {
  if (status === 401) return 'authentication_failure';
  if (status === 404) return 'not_found';
  if (status === 429) return 'too_many_requests';
  if (status === 503) return 'service_unavailable';
  if (status >= 500) return 'internal_error';
  return 'bad_request';
}

/** Fees as the seeds' sample charges show them: a flat fee or a rate, plus VAT on the fee. */
export const FEES: Record<OpnMethodId, Record<string, { flat: number; rate: number; vat: number }>> = {
  // THB 10.00 flat + 7% VAT: 150000 → fee 1000, fee_vat 70, net 148930 (seeds 000, 002).
  mobile_banking_kbank: { THB: { flat: 1000, rate: 0, vat: 7 } },
  mobile_banking_bay: { THB: { flat: 1000, rate: 0, vat: 7 } },
  // 2.9%, no VAT in Singapore: 150000 → fee 4350, net 145650 (seed 004); Thailand adds 7% VAT.
  kakaopay: { SGD: { flat: 0, rate: 2.9, vat: 0 }, THB: { flat: 0, rate: 2.9, vat: 7 } },
};

/** The default `webhookRetryDelaysMs`: after the first attempt, retries at +1 s, +5 s, +30 s, +2 min. */
export const DEFAULT_WEBHOOK_RETRY_DELAYS_MS = [1000, 5000, 30_000, 120_000];

/** How long one webhook attempt may take (real time) before it counts as a network failure. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Opn's list defaults. */
export const LIST_DEFAULT_LIMIT = 20;
export const LIST_MAX_LIMIT = 100;

/** Where Opn's error bodies point (`location`). */
export const ERROR_DOCS_URL = 'https://www.omise.co/api-errors';
