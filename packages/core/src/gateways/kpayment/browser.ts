import * as z from 'zod/mini';

/**
 * K-Payment's block of the checkout config (`config.gateways.kpayment`), when cards are offered: the script and
 * public key (also in the card form's next action), whether this order may be paid in SmartPay instalments (ask
 * with `installments: true`), and whether the signed-in shopper has saved cards the form will list.
 */
export const KpaymentBrowserConfig = z.object({
  publicKey: z.string().check(z.startsWith('pkey_')),
  scriptUrl: z.url(),
  installments: z.boolean(),
  savedCards: z.boolean(),
});
export type KpaymentBrowserConfig = z.infer<typeof KpaymentBrowserConfig>;
