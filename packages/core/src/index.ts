export * from './money.ts';
export * from './catalog.ts';
export * from './status.ts';
export * from './errors.ts';
export * from './opn.ts';
export * from './kpayment.ts';
export * from './api.ts';
