/** K-Payment Gateway in core: wire objects and charge status, methods, failure codes, the browser config block. */
export * from './wire.ts';
export * from './catalog.ts';
export * from './failures.ts';
export * from './browser.ts';
