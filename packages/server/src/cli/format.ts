import { type Currency, isMoneyReturned } from '@payment-checkout/core';
import { amountText } from '../common/amount-text.ts';
import type { PaymentDetail, PaymentSummary } from '../services/operations.ts';
import type { ReconcileReport } from '../services/reconciler.ts';
import type { PaymentEvent } from '../store/store.ts';

/** What `payments` prints for people; `--json` prints the API's answers instead. */

/** Minor units for people: `150000` THB → `1,500.00 THB` (common/amount-text.ts). */
export const formatAmount = amountText;

/** An ISO time, shorter: `2031-02-01T00:01:00.000Z` → `2031-02-01 00:01:00Z`. */
export function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

type Align = 'left' | 'right';

/** Columns padded to their widest cell, two spaces apart; no trailing spaces. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const refunded = (p: PaymentSummary) => (p.refundedAmount > 0 ? formatAmount(p.refundedAmount, p.currency) : '-');

/** `payments list`: one row a payment. */
export function formatPaymentTable(payments: readonly PaymentSummary[]): string {
  if (payments.length === 0) return 'No payments.';
  const rows = payments.map((p) => [p.id, p.orderId, p.method, p.status, formatAmount(p.amount, p.currency), refunded(p), formatTime(p.createdAt)]);
  return formatTable(['ID', 'ORDER', 'METHOD', 'STATUS', 'AMOUNT', 'REFUNDED', 'CREATED'], rows, ['left', 'left', 'left', 'left', 'right', 'right', 'left']);
}

/** `payments show` (and every operation's answer): the payment's fields, what may be done now, its timeline. */
export function formatPaymentDetail(detail: PaymentDetail): string {
  const p = detail.payment;
  const money = (minor: number) => formatAmount(minor, p.currency);
  const fields: [string, string | null][] = [
    ['Payment', p.id],
    ['Order', p.orderId],
    ['Method', `${p.method} (${p.gateway}${p.platform ? `, ${p.platform}` : ''})`],
    ['Status', p.status],
    ['Amount', money(p.amount)],
    ['Refunded', p.refundedAmount > 0 ? money(p.refundedAmount) : '-'],
    ['Settled', p.settledAmount === null ? '-' : money(p.settledAmount)],
    ['Charge', p.chargeId ?? '-'],
    ['Source', p.sourceId],
    ['Failure', p.failureCode === null ? null : `${p.failureCode}${p.failureMessage ? `: ${p.failureMessage}` : ''}`],
    ['Needs refund', !p.needsRefund ? null : isMoneyReturned(p.status) ? `no longer: ${p.status}` : 'yes: it succeeded after its order was paid otherwise'],
    ['Superseded by', p.supersededBy],
    ['Created', formatTime(p.createdAt)],
    ['Updated', formatTime(p.updatedAt)],
  ];
  const shown = fields.filter((f): f is [string, string] => f[1] !== null);
  const width = Math.max(...shown.map(([label]) => label.length));
  const out = shown.map(([label, value]) => `${label.padEnd(width)}  ${value}`);

  out.push('', 'Operations');
  if (detail.operations.length === 0) out.push('  none for this method');
  const nameWidth = Math.max(0, ...detail.operations.map((o) => o.name.length));
  for (const o of detail.operations) {
    const what = o.allowed ? `allowed${o.maxAmount === null ? '' : `, up to ${money(o.maxAmount)}`}` : `not allowed: ${o.reason ?? 'no reason given'}`;
    out.push(`  ${o.name.padEnd(nameWidth)}  ${what}`);
  }

  out.push('', 'Timeline');
  const rows = detail.events.map((e) => [formatTime(e.at), e.source, e.type, describeEvent(e, p.currency)]);
  out.push(...formatTable(['AT', 'SOURCE', 'EVENT', 'DETAIL'], rows).split('\n').map((l) => `  ${l}`));
  return out.join('\n');
}

/** One event's detail in a line: the status move, then its fields (an amount in the payment's currency). */
export function describeEvent(event: PaymentEvent, currency: Currency): string {
  const parts: string[] = [];
  if (event.fromStatus !== null || event.toStatus !== null) parts.push(`${event.fromStatus ?? '∅'} → ${event.toStatus ?? '∅'}`);
  for (const [key, value] of Object.entries(event.detail ?? {})) {
    if (value === null || value === undefined) continue;
    // `amount`, `refundedAmount`, `settledAmount`: minor units of the payment's currency.
    if (/amount$/i.test(key) && typeof value === 'number') parts.push(`${key}=${formatAmount(value, currency)}`);
    else parts.push(`${key}=${typeof value === 'string' && !/[\s"]/.test(value) ? value : JSON.stringify(value)}`);
  }
  return parts.join(' ');
}

/** `payments reconcile`: how many live payments were asked about, and those that moved or failed. */
export function formatReconcileReport(report: ReconcileReport): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const head = `Asked the gateways about ${plural(report.checked, 'live payment')}: ${report.updated} updated, ${plural(report.errors, 'error')}.`;
  const rows = report.payments.filter((p) => p.from !== p.to || p.error).map((p) => [p.id, `${p.from} → ${p.to}`, p.error ?? '']);
  return rows.length === 0 ? head : `${head}\n\n${formatTable(['ID', 'STATUS', 'ERROR'], rows)}`;
}
