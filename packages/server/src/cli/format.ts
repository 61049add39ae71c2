import { type Currency, isMoneyReturned } from '@payment-checkout/core';
import { amountText } from '../common/amount-text.ts';
import { ApiUnreachableError, OperationsApiError } from './api-client.ts';
import { UsageError } from './exit-codes.ts';
import type { PaymentDetail, PaymentSummary } from '../services/operations.ts';
import type { ReconcileReport } from '../services/reconciler.ts';
import type { PaymentEvent } from '../store/store.ts';

/** What `payments` prints for people; `--json` prints the API's answers instead. */

/** C0 controls, DEL and C1 controls: a terminal obeys them (retitles, clears, recolours, rewrites the line) instead of showing them. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const SHORT_ESCAPES: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };

/**
 * A value for people: every control character shown as JSON writes it (`\u001b`, `\n`), so that text from the API
 * (reasons, operator names, gateway and failure messages) is read on the terminal, never obeyed by it, and a newline
 * in it cannot pass for a line of ours. Everything printed for people goes through it (`printableLines` at the end).
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text the CLI put together, line by line: the same, but its own newlines stay newlines (main.ts's last step). */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** Minor units for people: `150000` THB → `1,500.00 THB` (common/amount-text.ts). */
export const formatAmount = amountText;

/** An ISO time, shorter: `2031-02-01T00:01:00.000Z` → `2031-02-01 00:01:00Z`. */
export function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

type Align = 'left' | 'right';

/** Columns padded to their widest cell, two spaces apart; no trailing spaces. */
export function formatTable(headers: readonly string[], cells: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const rows = cells.map((row) => row.map(printable));
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
    // What the shopper's card was charged in its own currency (K-Payment Full DCC), and the instalments chosen.
    ['Charged', p.chargedAmount != null && p.chargedCurrency ? formatAmount(p.chargedAmount, p.chargedCurrency) : null],
    ['Instalments', p.installmentTerm ? `${p.installmentTerm} monthly` : null],
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
  const out = shown.map(([label, value]) => `${label.padEnd(width)}  ${printable(value)}`);

  out.push('', 'Operations');
  if (detail.operations.length === 0) out.push('  none for this method');
  const nameWidth = Math.max(0, ...detail.operations.map((o) => printable(o.name).length));
  for (const o of detail.operations) {
    const what = o.allowed ? `allowed${o.maxAmount === null ? '' : `, up to ${money(o.maxAmount)}`}` : `not allowed: ${o.reason ?? 'no reason given'}`;
    out.push(`  ${printable(o.name).padEnd(nameWidth)}  ${printable(what)}`);
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
    // `amount`, `refundedAmount`, `settledAmount`: minor units of the payment's currency. Text with spaces, quotes or
    // controls is quoted (JSON's escapes), so that one value cannot pass for several.
    // What a card was charged is in its own currency (`chargedCurrency`, beside it).
    const own = key === 'chargedAmount' && typeof event.detail?.chargedCurrency === 'string' ? (event.detail.chargedCurrency as Currency) : currency;
    if (/amount$/i.test(key) && typeof value === 'number') parts.push(`${key}=${formatAmount(value, own)}`);
    else parts.push(`${key}=${typeof value === 'string' && !/[\s"\\]/.test(value) && !HAS_CONTROL.test(value) ? value : JSON.stringify(value)}`);
  }
  return printable(parts.join(' '));
}

/** `payments reconcile`: how many live payments were asked about, and those that moved or failed. */
export function formatReconcileReport(report: ReconcileReport): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const head = `Asked the gateways about ${plural(report.checked, 'live payment')}: ${report.updated} updated, ${plural(report.errors, 'error')}.`;
  const rows = report.payments.filter((p) => p.from !== p.to || p.error).map((p) => [p.id, `${p.from} → ${p.to}`, p.error ?? '']);
  return rows.length === 0 ? head : `${head}\n\n${formatTable(['ID', 'STATUS', 'ERROR'], rows)}`;
}

/** An error for stderr: the API's code and message, its issues and the gateway's own words, a line each. */
export function formatError(error: unknown): string {
  if (error instanceof UsageError) return `payments: ${printable(error.message)}\nRun "payments help" for the commands and flags.`;
  if (error instanceof OperationsApiError) {
    const lines = [`payments: ${error.code}: ${error.message}`];
    for (const issue of error.issues) {
      const { path, message } = issue as { path?: string; message?: string };
      lines.push(`  ${path ? `${path}: ` : ''}${message ?? JSON.stringify(issue)}`);
    }
    if (error.gateway) lines.push(`  the gateway said: ${error.gateway.code}: ${error.gateway.message}`);
    return lines.map(printable).join('\n');
  }
  if (error instanceof ApiUnreachableError) return `payments: ${printable(error.message)}`;
  return `payments: ${printable(error instanceof Error ? error.message : String(error))}`;
}
