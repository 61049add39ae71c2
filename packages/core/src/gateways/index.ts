import { KPAYMENT_METHODS } from './kpayment/catalog.ts';
import { KPAYMENT_FAILURE_MESSAGES } from './kpayment/failures.ts';
import { OPN_METHODS } from './opn/catalog.ts';
import { OPN_FAILURE_MESSAGES } from './opn/failures.ts';
import type { Messages } from '../locale.ts';
import type { PaymentMethod } from '../method.ts';

/**
 * The one place in core that lists the built-in gateways. Each gateway's wire schemas, catalog entries,
 * failure messages and browser config live in its own folder (`opn/`, `kpayment/`); adding one is a folder
 * and a line in each list below.
 */

/** Every built-in gateway's methods, in the order shoppers see them. */
export const BUILTIN_METHODS: readonly PaymentMethod[] = [...OPN_METHODS, ...KPAYMENT_METHODS];

/**
 * Each gateway's failure messages, in order: where two use one code, the first one's wording wins. The tables are
 * pure data, so that a bundle that imports only the catalog (the element's) leaves them out.
 */
export const GATEWAY_FAILURE_MESSAGES: readonly Record<string, Messages>[] = [OPN_FAILURE_MESSAGES, KPAYMENT_FAILURE_MESSAGES];
