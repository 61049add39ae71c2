import { type SafeHtml, html } from '../html.ts';

/**
 * What the shopper reads on K-Payment's hosted pages that tell about a card payment: the card form (its
 * markup and, through its config, its script) and the bank's 3-D Secure page, in the pages' language
 * (`PAGE_LANG`).
 */

/** The payment's details, above the 3-D Secure page and its result. */
export const PAYMENT_DETAILS_TEXTS = {
  merchant: 'Merchant',
  amount: 'Amount',
  cardCurrency: 'Card currency',
  rate: (rate: number, currency: string) => `rate ${rate} THB/${currency}`,
  date: 'Date',
  card: 'Card',
} as const;

export const THREE_DS_TEXTS = {
  title: '3-D Secure',
  verifyHeading: 'Verify your payment',
  why: 'Your card issuer needs to confirm that it is you. We will send a one-time password (OTP) to your phone.',
  requestOtp: 'Request OTP',
  otpHeading: 'Enter your OTP',
  otpSent: (otp: string): SafeHtml => html`An OTP was sent to your phone. In the sandbox the OTP is <strong>${otp}</strong>; any other value fails the authentication.`,
  otpLabel: 'One-time password',
  confirm: 'Confirm',
  cancel: 'Cancel',
  requestFirst: 'Request an OTP first.',
  resultTitle: 'Payment result',
  approved: 'Payment approved.',
  cardVerified: ' Your card was verified (the THB 1.00 check was voided).',
  authenticationFailed: (message: string | null, code: string | null) => `Authentication failed: ${message} (${code}).`,
  declined: (message: string | null, code: string | null) => `Payment declined: ${message} (${code}).`,
} as const;

/** The card form's markup. */
export const CARD_FORM_TEXTS = {
  title: 'Card payment',
  unavailable: 'Card payment unavailable',
  brands: 'VISA · MasterCard · JCB',
  savedCards: 'Saved cards',
  anotherCard: 'Use another card',
  name: 'Name on Card',
  number: 'Card Number',
  expiry: 'Expiry Date (MM/YY)',
  cvv: 'Security Code',
  remember: 'Remember card',
  term: 'Installment term (months)',
  termOption: (months: number, monthly: string) => `${months} months: ${monthly} a month`,
  interestByShopper: 'Monthly amounts before the card issuer’s interest, which the bank adds.',
  interestFree: 'No interest: 0% a month.',
  dccAccept: 'I accept the payment currency and exchange rate as stated above. Cardholder selected transaction currency is final.',
  pay: (amount: string) => `Pay ${amount}`,
  savedCardsUnavailable: (reason: string) => `Saved cards are not available: ${reason}.`,
} as const;

/** The card form's script's sentences (it gets them in its config: `{name}` marks what it fills in). */
export const CARD_FORM_SCRIPT_TEXTS = {
  nameMissing: 'Enter the name on the card',
  numberMissing: 'Enter the card number',
  numberInvalid: 'The card number is invalid',
  brandUnsupported: 'Only Visa, MasterCard and JCB are accepted',
  expiryInvalid: 'Enter the expiry date as MM/YY',
  expired: 'The card has expired',
  cvvInvalid: 'Enter the 3-digit security code',
  dccOffer: 'Your credit card currency: {currency} ({currencyName}). Exchange rate: {rate} Baht/{currency}. You pay {converted} or {amount}.',
  pay: 'Pay {amount}',
  dccAcceptFirst: 'Tick “I accept the payment currency and exchange rate” to pay in {currency}, or pay {amount}.',
  cardFailed: 'The card could not be processed',
} as const;
