import { SmartpayIdSetting, InstallmentPlanSetting, SettingsParams, type SettingsInput, parseParams } from './params.ts';
import type { Merchant, Settings } from './state.ts';

/**
 * Per-merchant settings (decisions.md 3): what the real gateway keeps in the merchant's portal. Posting
 * settings replaces the fields given and keeps the others.
 */
export function applySettings(merchant: Merchant, input: SettingsInput | unknown): ReturnType<typeof settingsWire> {
  const parsed = parseParams(SettingsParams, input);
  const next: Settings = { ...merchant.settings };
  if (parsed.merchantName !== undefined) next.merchantName = parsed.merchantName;
  if (parsed.callbackUrl !== undefined) next.callbackUrl = parsed.callbackUrl;
  if (parsed.notifyUrl !== undefined) next.notifyUrl = parsed.notifyUrl;
  if (parsed.threeDSecure !== undefined) next.threeDSecure = parsed.threeDSecure;
  if (parsed.mid !== undefined) next.mid = parsed.mid;
  if (parsed.dccMid !== undefined) next.dccMid = parsed.dccMid;
  if (parsed.smartpayIds !== undefined) next.smartpayIds = parsed.smartpayIds.map((s) => SmartpayIdSetting.parse(s));
  if (parsed.installmentPlans !== undefined) next.installmentPlans = parsed.installmentPlans.map((p) => InstallmentPlanSetting.parse(p));
  if (parsed.notify !== undefined) next.notify = parsed.notify;
  if (parsed.orderExpireSeconds !== undefined) next.orderExpireSeconds = parsed.orderExpireSeconds;
  if (parsed.settlement !== undefined) next.settlement = parsed.settlement;
  merchant.settings = next;
  return settingsWire(merchant);
}

export function settingsWire(merchant: Merchant): Settings & { object: 'kpayment_settings' } {
  const s = merchant.settings;
  return {
    object: 'kpayment_settings',
    ...s,
    smartpayIds: s.smartpayIds.map((x) => ({ ...x, terms: [...x.terms] })),
    installmentPlans: s.installmentPlans.map((x) => ({ ...x, terms: [...x.terms] })),
  };
}
