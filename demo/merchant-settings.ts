import { z } from 'zod';
import type { KpaymentOptions } from '@payment-checkout/server';

/**
 * The demo merchant's settings against the sandbox: what a merchant would set in K-Payment's portal and in the
 * companion's options. 3-D Secure is the sandbox's merchant setting (decisions.md 3); SmartPay, DCC and KakaoPay's
 * manual capture are the companion's options, so changing them builds a new companion (on the same store).
 */

export const SmartpayVariant = z.enum(['off', 'smartpay_id', 'installment_plan']);
export type SmartpayVariant = z.infer<typeof SmartpayVariant>;

export const MerchantSettings = z.strictObject({
  /** The sandbox merchant authenticates cards with 3-D Secure (OTP) or approves them at once (non-3-D Secure). */
  threeDSecure: z.boolean(),
  /** SmartPay instalments for baht orders: by SmartpayID, by installment plan, or none. */
  smartpay: SmartpayVariant,
  /** Full DCC: baht orders paid in full use the DCC merchant id, and foreign cards are offered their own currency. */
  dcc: z.boolean(),
  /**
   * KakaoPay is charged with `capture: false` (the companion's `opn.manualCapture`): the shopper's payment is only
   * authorised, and the merchant captures or reverses it on the payments page.
   */
  kakaopayManualCapture: z.boolean(),
});
export type MerchantSettings = z.infer<typeof MerchantSettings>;

export const MerchantSettingsPatch = MerchantSettings.partial().refine((p) => Object.keys(p).length > 0, { error: 'give at least one setting' });
export type MerchantSettingsPatch = z.infer<typeof MerchantSettingsPatch>;

export const DEFAULT_MERCHANT_SETTINGS: MerchantSettings = { threeDSecure: true, smartpay: 'smartpay_id', dcc: true, kakaopayManualCapture: false };

/** Whether going from one to the other changes the companion's options (3-D Secure lives at the sandbox). */
export function companionOptionsDiffer(a: MerchantSettings, b: MerchantSettings): boolean {
  return a.smartpay !== b.smartpay || a.dcc !== b.dcc || a.kakaopayManualCapture !== b.kakaopayManualCapture;
}

/** The sandbox's default Full DCC merchant id (its settings endpoint could change it; the demo keeps it). */
export const SANDBOX_DCC_MID = '451000000000001';

/** The SmartPay offers: the sandbox's SmartpayID 0001 and its "ALL PRODUCT" installment plan. */
export const SMARTPAY_OFFERS = {
  smartpay_id: { smartpayId: '0001' },
  installment_plan: { plan: { planId: '999', ipanMode: '03', productType: '003', supplierNo: '99903', modelNo: '123456', minPrice: 100, maxPrice: 999_999_999 } },
} as const satisfies Record<Exclude<SmartpayVariant, 'off'>, NonNullable<KpaymentOptions['smartpay']>>;

/** The companion's `kpayment` options for these settings, against the sandbox at `sandboxUrl`. */
export function sandboxKpaymentOptions(settings: MerchantSettings, sandboxUrl: string, registrationResultUrl: string): KpaymentOptions {
  return {
    apiUrl: sandboxUrl,
    sandbox: true,
    merchantName: 'Siam Market',
    ...(settings.dcc ? { dccMid: SANDBOX_DCC_MID } : {}),
    ...(settings.smartpay === 'off' ? {} : { smartpay: SMARTPAY_OFFERS[settings.smartpay] }),
    registrationResultUrl,
  };
}
