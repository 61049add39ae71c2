/** Node-only: every built-in gateway's webhook signing and verification (`@payment-checkout/core/signature`). */
export * from './opn/signature.ts';
export * from './kpayment/signature.ts';
