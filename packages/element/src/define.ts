// The element's API (index.ts) with <payment-checkout> registered: what a page with a bundler imports.
import './register.ts';

export * from './index.ts';
