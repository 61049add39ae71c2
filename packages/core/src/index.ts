// Schema modules before the pure ones that re-export their types: TypeScript takes a name from its first star export.
export * from './money-schemas.ts';
export * from './money.ts';
export * from './locale.ts';
export * from './method.ts';
export * from './catalog.ts';
export * from './status.ts';
export * from './errors.ts';
export * from './texts.ts';
export * from './payment-notices.ts';
export * from './payment-summary.ts';
export * from './api.ts';
// The built-in gateways' own vocabulary (wire objects, browser config blocks), each from its folder.
export * from './gateways/opn/index.ts';
export * from './gateways/kpayment/index.ts';
