import { fillText } from './boot-texts.ts';
import type { Locale } from './locale.ts';
import { type Currency, formatAmount } from './money.ts';
import type { CheckoutTexts } from './texts.ts';

/**
 * What a payment charged, as the companion recorded it: its amount, what the card was charged instead (K-Payment
 * Full DCC: the converted amount and currency) and the monthly instalments the shopper chose (SmartPay).
 */
export interface PaidFigures {
  /** The method's id (its name comes from the texts). */
  method: string;
  amount: number;
  currency: Currency;
  chargedAmount: number | null;
  chargedCurrency: Currency | null;
  installmentTerm: number | null;
}

/** What the summary adds to the texts' `paymentOf`: the converted amount first (DCC), the instalments after. */
const SUMMARY: Record<Locale, { converted: string; instalments: string }> = {
  en: { converted: '{charged} ({amount})', instalments: '{paid}: {months} monthly payments of {monthly}' },
  th: { converted: '{charged} ({amount})', instalments: '{paid}: {months} เดือน เดือนละ {monthly}' },
  ja: { converted: '{charged}（{amount}相当）', instalments: '{paid}：{months}回払い（月々{monthly}）' },
};

/**
 * The shopper's receipt line, in `texts`' locale: `US$44.70 (฿1,500.00) with Credit / debit card`,
 * `฿1,500.00 with KBank credit card in instalments: 6 monthly payments of ฿250.00`, `฿1,500.00 with KBank K PLUS`.
 * The monthly amount is the amount over the months, to the minor unit (as the card form offers the terms).
 */
export function paymentSummary(paid: PaidFigures, texts: CheckoutTexts, locale: Locale): string {
  const words = SUMMARY[locale];
  const money = (amount: number, currency: Currency) => formatAmount(amount, currency, locale);
  const name = texts.methods[paid.method] ?? paid.method;
  const months = paid.installmentTerm;
  const method = months ? (texts.installments[paid.method] ?? fillText(texts.inInstalments, { method: name })) : name;
  let amount = money(paid.amount, paid.currency);
  if (paid.chargedAmount !== null && paid.chargedCurrency !== null) {
    amount = fillText(words.converted, { charged: money(paid.chargedAmount, paid.chargedCurrency), amount });
  }
  const summary = fillText(texts.paymentOf, { amount, method });
  if (!months) return summary;
  return fillText(words.instalments, { paid: summary, months, monthly: money(Math.round(paid.amount / months), paid.currency) });
}
