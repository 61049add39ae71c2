import * as z from 'zod/mini';

/** Opn's block of the checkout config (`config.gateways.opn`): what the browser needs to create sources with Omise.js. */
export const OpnBrowserConfig = z.object({ publicKey: z.string().check(z.startsWith('pkey_')), scriptUrl: z.url() });
export type OpnBrowserConfig = z.infer<typeof OpnBrowserConfig>;
