import type { ApiErrorBody, CheckoutConfig, CreatePaymentResponse, MethodOffer, NextAction, PaymentView } from '@payment-checkout/core/api';
import type { CheckoutTexts } from '@payment-checkout/core/texts';
import { CURRENCY_EXPONENT } from '@payment-checkout/core/money';
import { PAYMENT_STATUSES } from '@payment-checkout/core/status';

/**
 * The companion's answers, checked by hand: the fields the element reads, with the types core's schemas give them.
 * The companion validates with those schemas; the browser carries no schema library (docs/decisions.md C20).
 */

type Fields = Record<string, unknown>;

const isObject = (value: unknown): value is Fields => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isNullableString = (value: unknown): boolean => value === null || isString(value);
const isOptional = (value: unknown, check: (value: unknown) => boolean): boolean => value === undefined || check(value);
const isBoolean = (value: unknown): value is boolean => typeof value === 'boolean';
// Absolute http(s) URLs only: the element navigates to them, loads them as scripts or posts forms to them.
const isUrl = (value: unknown): boolean => isString(value) && /^https?:\/\/[^/]/i.test(value);
const isCurrency = (value: unknown): boolean => isString(value) && Object.hasOwn(CURRENCY_EXPONENT, value);
const isStatus = (value: unknown): boolean => (PAYMENT_STATUSES as readonly unknown[]).includes(value);

function isOffer(value: unknown): value is MethodOffer {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.gateway) &&
    isString(value.group) &&
    isString(value.flow) &&
    isObject(value.badge) &&
    Object.values(value.badge).every(isString) &&
    Array.isArray(value.platforms) &&
    value.platforms.every(isString) &&
    isNullableString(value.desktopPlatform) &&
    isOptional(value.installments, isBoolean)
  );
}

export function isCheckoutConfig(value: unknown): value is CheckoutConfig {
  return (
    isObject(value) &&
    isString(value.orderId) &&
    Number.isSafeInteger(value.amount) &&
    (value.amount as number) > 0 &&
    isCurrency(value.currency) &&
    Array.isArray(value.methods) &&
    value.methods.every(isOffer) &&
    isObject(value.gateways) &&
    Object.values(value.gateways).every(isObject) &&
    isTexts(value.texts) &&
    isOptional(value.paid, isPaymentView) &&
    isOptional(value.notice, isString)
  );
}

/** The shopper's texts: strings, and maps of strings (groups, methods, instalments choices). */
export function isTexts(value: unknown): value is CheckoutTexts {
  return isObject(value) && Object.values(value).every((text) => isString(text) || (isObject(text) && Object.values(text).every(isString)));
}

function isNextAction(value: unknown): value is NextAction {
  if (!isObject(value)) return false;
  switch (value.type) {
    case 'redirect':
      return isUrl(value.url);
    case 'done':
      return isStatus(value.status);
    case 'script_form':
    case 'qr':
      return (
        isUrl(value.scriptUrl) &&
        isUrl(value.formAction) &&
        isObject(value.attributes) &&
        Object.values(value.attributes).every(isString) &&
        isOptional(value.expiresIn, Number.isSafeInteger)
      );
    default:
      return false;
  }
}

export function isCreatePaymentResponse(value: unknown): value is CreatePaymentResponse {
  return isObject(value) && isString(value.paymentId) && isStatus(value.status) && isNextAction(value.next);
}

export function isPaymentView(value: unknown): value is PaymentView {
  return (
    isObject(value) &&
    isString(value.id) &&
    isString(value.method) &&
    Number.isSafeInteger(value.amount) &&
    isCurrency(value.currency) &&
    isStatus(value.status) &&
    isNullableString(value.failureCode) &&
    isNullableString(value.failureMessage) &&
    isOptional(value.summary, isString) &&
    isOptional(value.notice, (notice) => isObject(notice) && isString(notice.headline) && isString(notice.message))
  );
}

/** The companion's error body (`{ error: { code, message, customerMessage? } }`), or null for anything else. */
export function errorOf(value: unknown): ApiErrorBody['error'] | null {
  if (!isObject(value) || !isObject(value.error)) return null;
  const { error } = value;
  return isString(error.code) && isString(error.message) && isOptional(error.customerMessage, isString) ? (error as ApiErrorBody['error']) : null;
}
