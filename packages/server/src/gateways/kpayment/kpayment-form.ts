import { z } from 'zod';
import { CheckoutError, type Currency, kpaymentDay, minorToDecimal } from '@payment-checkout/core';
import { type SmartpayOptions, planDay } from './kpayment-options.ts';

/**
 * What the companion puts in `kpayment.min.js`'s data-* attributes, and how it reads what the script posts
 * back (guide §4.1.1.1–2; decisions.md 4). Field names are read case-insensitively; the amount is never read.
 */

/** The merchant's card settings the form needs (no secret). */
export interface CardFormSettings {
  publicKey: string;
  mid: string;
  dccMid: string | null;
  merchantName: string | null;
  smartpay: SmartpayOptions | null;
}

/** Whether an order may be paid in instalments: a SmartPay merchant, baht, and the plan's price range (if it has one). */
export function installmentsOffered(settings: CardFormSettings, order: { amount: number; currency: Currency }): boolean {
  // SmartPay is paid in baht (the sandbox and the guide's samples), and never on the Full DCC merchant id.
  if (settings.smartpay === null || order.currency !== 'THB') return false;
  const plan = settings.smartpay.plan;
  // The report's prices are baht (Number (9,2)); the order's amount is satang.
  if (plan?.minPrice !== undefined && order.amount < Math.round(plan.minPrice * 100)) return false;
  if (plan?.maxPrice !== undefined && order.amount > Math.round(plan.maxPrice * 100)) return false;
  return true;
}

/** Whether the Installment Plan is in force on this Bangkok day (its ValidFrom–ValidTo, when given); no plan: yes. */
export function planInForce(settings: CardFormSettings, now: number): boolean {
  const plan = settings.smartpay?.plan;
  if (!plan?.validFrom && !plan?.validTo) return true;
  const today = kpaymentDay(now);
  return (!plan.validFrom || planDay(plan.validFrom) <= today) && (!plan.validTo || today <= planDay(plan.validTo));
}

/** The merchant id a form uses: the Full DCC one for baht paid in full when configured, the card one otherwise. */
export function formMid(settings: CardFormSettings, currency: Currency, installments: boolean): string {
  return settings.dccMid && currency === 'THB' && !installments ? settings.dccMid : settings.mid;
}

/** The data-* attributes (without the prefix) for an amount in minor units. */
export function formAttributes(
  settings: CardFormSettings,
  input: { amount: number; currency: Currency; installments: boolean; customerId: string | null; register?: boolean },
): Record<string, string> {
  const installments = input.installments && installmentsOffered(settings, input);
  const attributes: Record<string, string> = {
    apikey: settings.publicKey,
    amount: minorToDecimal(input.amount, input.currency),
    currency: input.currency,
    'payment-methods': 'card',
    mid: input.register ? settings.mid : formMid(settings, input.currency, installments),
    // The element draws its own button and calls KPayment.show() (decisions.md 5).
    'show-button': 'false',
  };
  if (settings.merchantName) attributes.name = settings.merchantName;
  if (input.customerId) attributes['customer-id'] = input.customerId;
  const smartpay = settings.smartpay;
  if (installments && smartpay) {
    if (smartpay.smartpayId) attributes['smartpay-id'] = smartpay.smartpayId;
    if (smartpay.plan) {
      attributes['plan-id'] = smartpay.plan.planId;
      attributes['ipan-mode'] = smartpay.plan.ipanMode;
      attributes['product-type'] = smartpay.plan.productType;
      attributes['supplier-no'] = smartpay.plan.supplierNo;
      attributes['model-no'] = smartpay.plan.modelNo;
    }
    if (smartpay.term !== undefined) attributes.term = String(smartpay.term);
  }
  return attributes;
}

const Digits = (max: number, what: string) => z.string().trim().regex(new RegExp(`^\\d{1,${max}}$`), `${what} must be up to ${max} digits`);
const Flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }))
  .transform((v) => v === 'true');

/** The post-back of §4.1.1.2, keys lower-cased (`paymentMethods` → `paymentmethods`, `smartpayId` → `smartpayid`). */
const TokenPostBack = z.object({
  token: z.string().trim().regex(/^(tokn|token)_[A-Za-z0-9_]{1,60}$/, 'token must be a K-Payment token (tokn_…)'),
  paymentmethods: z.string().trim().toLowerCase().pipe(z.literal('card', { error: 'paymentMethods must be card' })),
  mid: Digits(20, 'mid'),
  dcc_currency: z.string().trim().regex(/^[A-Za-z]{3}$/, 'dcc_currency must be a currency code').transform((c) => c.toUpperCase()).optional(),
  savecard: Flag.optional(),
  smartpayid: Digits(6, 'smartpayId').optional(),
  term: Digits(2, 'term').transform(Number).optional(),
  planid: Digits(3, 'planid').optional(),
  ipanmode: Digits(2, 'ipanmode').optional(),
  producttype: Digits(3, 'producttype').optional(),
  supplierno: z.string().trim().regex(/^[A-Za-z0-9]{1,20}$/, 'supplierno must be letters and digits').optional(),
  modelno: z.string().trim().regex(/^[A-Za-z0-9]{1,10}$/, 'modelno must be letters and digits').optional(),
});

export type CardFormVariant = 'mcc' | 'dcc' | 'smartpay_id' | 'installment_plan';

/** A post-back the companion accepted, in its own words. */
export interface CardForm {
  token: string;
  mid: string;
  variant: CardFormVariant;
  dccCurrency: string | null;
  savecard: boolean | null;
  smartpayId: string | null;
  term: number | null;
  plan: { planId: string; ipanMode: string; productType: string; supplierNo: string; modelNo: string } | null;
}

const KNOWN_FIELDS = new Set(Object.keys(TokenPostBack.shape));

/**
 * Reads the form `kpayment.min.js` posted: names case-insensitively, each at most once, types checked, then
 * checked against what this merchant offered (its merchant ids, SmartPay id or plan). Throws CheckoutError
 * `bad_request` (malformed) or `source_mismatch` (not what was offered) — before anything is stored.
 */
export function readCardForm(
  settings: CardFormSettings,
  body: unknown,
  order: { currency: Currency; register?: boolean },
): CardForm {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new CheckoutError('bad_request', 'Send the card form (application/x-www-form-urlencoded).');
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    const key = name.toLowerCase();
    if (!KNOWN_FIELDS.has(key)) continue; // the shop's own inputs of the same form
    if (typeof value !== 'string' || key in fields) throw new CheckoutError('bad_request', `The card form field ${name} must be given once, as text.`);
    if (value.trim() !== '') fields[key] = value;
  }
  const parsed = TokenPostBack.safeParse(fields);
  if (!parsed.success) throw new CheckoutError('bad_request', 'The card form is not valid.', parsed.error.issues);
  const f = parsed.data;
  const refuse = (why: string) => new CheckoutError('source_mismatch', `The card form does not match this payment: ${why}.`);

  const planFields = [f.planid, f.ipanmode, f.producttype, f.supplierno, f.modelno];
  const hasPlan = planFields.some((v) => v !== undefined);
  if (f.smartpayid && hasPlan) throw refuse('it carries both a SmartpayID and an installment plan');
  const installments = Boolean(f.smartpayid) || hasPlan;

  if (f.mid !== settings.mid && f.mid !== settings.dccMid) throw refuse(`merchant id ${f.mid} is not this shop's`);
  const onDccMid = f.mid === settings.dccMid;
  if (order.register && (onDccMid || installments || f.dcc_currency)) throw refuse('a card registration is a plain card payment');
  if (onDccMid) {
    if (order.currency !== 'THB') throw refuse('the Full DCC merchant id charges baht only');
    if (!f.dcc_currency) throw refuse('the Full DCC form must say dcc_currency');
    if (installments) throw refuse('instalments are not paid on the Full DCC merchant id');
  } else if (f.dcc_currency) {
    throw refuse('dcc_currency needs the Full DCC merchant id');
  }

  let plan: CardForm['plan'] = null;
  if (installments) {
    const smartpay = settings.smartpay;
    if (!smartpay || order.currency !== 'THB') throw refuse('instalments were not offered');
    if (f.term === undefined) throw new CheckoutError('bad_request', 'The card form must say the instalment term.');
    if (smartpay.term !== undefined && f.term !== smartpay.term) throw refuse(`term ${f.term} was not offered`);
    if (f.smartpayid) {
      if (f.smartpayid !== smartpay.smartpayId) throw refuse(`SmartpayID ${f.smartpayid} was not offered`);
    } else {
      const offered = smartpay.plan;
      const same = (a: string | undefined, b: string) => a !== undefined && a.replace(/^0+(?=.)/, '') === b.replace(/^0+(?=.)/, '');
      if (
        !offered ||
        !same(f.planid, offered.planId) ||
        f.ipanmode !== offered.ipanMode ||
        !same(f.producttype, offered.productType) ||
        f.supplierno !== offered.supplierNo ||
        f.modelno !== offered.modelNo
      ) {
        throw refuse('the installment plan was not offered');
      }
      plan = offered;
    }
  } else if (f.term !== undefined) {
    throw refuse('a term without instalments');
  }

  return {
    token: f.token,
    mid: f.mid,
    variant: onDccMid ? 'dcc' : f.smartpayid ? 'smartpay_id' : plan ? 'installment_plan' : 'mcc',
    dccCurrency: f.dcc_currency ?? null,
    savecard: f.savecard ?? null,
    smartpayId: f.smartpayid ?? null,
    term: installments ? (f.term ?? null) : null,
    plan,
  };
}
