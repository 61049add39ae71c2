import { CURRENCY_EXPONENT, Currency, type KpaymentCharge, decimalToMinor, kpaymentRefunded, kpaymentState, kpaymentTimeToEpochMs, minorToDecimal, statusFromKpaymentCharge } from '@payment-checkout/core';
import type { PaymentRecord } from '../../store/store.ts';
import type { GatewayStatus } from '../gateway.ts';

/**
 * A K-Payment charge in the companion's vocabulary (core's mapping; only `Authorized` + `success` pays), with
 * what was settled (`settlement_info`) and refunded (`refund_info`) in minor units.
 */
export function chargeOutcome(charge: KpaymentCharge): GatewayStatus {
  const status = statusFromKpaymentCharge(charge);
  const failed = status === 'failed';
  const currency = Currency.safeParse(charge.currency);
  const minor = (major: number | string | undefined) => (currency.success && major !== undefined ? decimalToMinor(major, currency.data) : 0);
  const settled = minor(charge.settlement_info?.settle_amount ?? charge.settlement_info?.settlement_amount);
  return {
    status,
    failureCode: failed ? charge.failure_code || kpaymentState(charge.transaction_state)?.toLowerCase() || 'declined' : null,
    failureMessage: failed ? charge.failure_message || null : null,
    refundedAmount: minor(kpaymentRefunded(charge)),
    settledAmount: settled > 0 ? settled : null,
    ...dccCharged(charge),
    ...createdAt(charge),
  };
}

/** When K-Payment made the charge (`created`, Bangkok time), when it says: its refund and inquiry windows count from it. */
function createdAt(charge: KpaymentCharge): Pick<GatewayStatus, 'chargeCreatedAt'> {
  const ms = kpaymentTimeToEpochMs(charge.created);
  return ms === null ? {} : { chargeCreatedAt: new Date(ms).toISOString() };
}

/**
 * Full DCC: what the card was charged in its own currency (`dcc_data`, Decimal(14,4), rounded to the currency's
 * minor unit), when that is a currency the product knows and not the charge's own. Nothing otherwise.
 */
function dccCharged(charge: KpaymentCharge): Pick<GatewayStatus, 'chargedAmount' | 'chargedCurrency'> {
  const converted = charge.dcc_data?.converted_amount;
  const currency = Currency.safeParse(charge.dcc_data?.converted_currency_code?.trim().toUpperCase());
  if (converted === undefined || !currency.success || currency.data === charge.currency) return {};
  const amount = Math.round(Number(converted) * 10 ** CURRENCY_EXPONENT[currency.data]);
  return amount > 0 ? { chargedAmount: amount, chargedCurrency: currency.data } : {};
}

/** Why a charge's (or an order's) amount or currency is not the payment's, or null when they are the same. */
export function amountMismatch(payment: Pick<PaymentRecord, 'amount' | 'currency'>, charge: { id: string; amount: number | string; currency: string }): string | null {
  let amount: number;
  try {
    amount = decimalToMinor(charge.amount, payment.currency);
  } catch {
    amount = Number.NaN;
  }
  if (amount === payment.amount && charge.currency === payment.currency) return null;
  return `${charge.id} is for ${charge.amount} ${charge.currency}, not the payment's ${minorToDecimal(payment.amount, payment.currency)} ${payment.currency}`;
}
