import { z } from 'zod';
import type { PaymentStatus } from '@payment-checkout/core';
import type { PaymentEvent, PaymentRecord } from '../store/store.ts';

/**
 * The merchant's money operations, as every gateway adapter names them. Each adapter says which of them a
 * payment allows now (`operationRules`, the seeds' rules) and performs them (`operate`); the operations service
 * (services/money-operations.ts) checks, logs and applies the outcome through the status writer.
 */
export const MoneyOperation = z.enum(['refund', 'void', 'settle', 'capture', 'reverse', 'expire', 'cancel']);
export type MoneyOperation = z.infer<typeof MoneyOperation>;

/** Whether an operation is allowed now; when it is, the most it may take (minor units; null: no amount). */
export type OperationRule = { allowed: true; maxAmount: number | null } | { allowed: false; reason: string };

/** The operations a payment's method has at all; absent ones it never has. */
export type OperationRules = Partial<Record<MoneyOperation, OperationRule>>;

export const allow = (maxAmount: number | null = null): OperationRule => ({ allowed: true, maxAmount });
export const refuse = (reason: string): OperationRule => ({ allowed: false, reason });

/** What the rules look at besides the payment: the time now and the payment's log (the card form's instalment term). */
export interface OperationContext {
  now: number;
  events: readonly PaymentEvent[];
}

/** An operation the service accepted: its amount (minor units) is decided, its reason written. */
export interface OperationRequest {
  operation: MoneyOperation;
  /** Refund and settle: what to return or settle; the others: the payment's amount. */
  amount: number;
  reason: string;
}

/** A status as a refusal says it: `partially_refunded` → "partially refunded". */
export const statusInWords = (status: PaymentStatus): string => status.replaceAll('_', ' ');

/** The refusal of a refund of a payment refunded in full. */
export const REFUNDED_IN_FULL = 'Nothing is left to refund: it was refunded in full.';

/** Minor units left to refund. */
export const refundable = (payment: PaymentRecord): number => (payment.settledAmount ?? payment.amount) - payment.refundedAmount;
