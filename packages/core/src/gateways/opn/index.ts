/** Opn Payments in core: wire objects, methods, failure codes, charge status, the browser config block. */
export * from './wire.ts';
export * from './catalog.ts';
export * from './failures.ts';
export * from './status.ts';
export * from './browser.ts';
export * from './rules.ts';
