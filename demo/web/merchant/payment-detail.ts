import { isMoneyReturned } from '@payment-checkout/core/status';
import { money } from '../shared.ts';
import type { PaymentDetail, PaymentEvent, PaymentSummary } from './operations-api.ts';
import { describeEvent, describeMove, eventActor, formatTime, gatewayLabel, methodLabel, statusBadge, statusLabel } from './payment-labels.ts';

/** One payment's page: its fields, and its timeline (the event log, oldest first). */

function time(iso: string): HTMLTimeElement {
  const t = document.createElement('time');
  t.dateTime = iso;
  t.textContent = formatTime(iso);
  return t;
}

function paymentLink(id: string, href: (id: string) => string): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = href(id);
  a.textContent = id;
  return a;
}

/** The payment's fields as a definition list; `href` links another payment (the one that superseded it). */
export function renderPaymentFields(dl: HTMLElement, payment: PaymentSummary, href: (id: string) => string): void {
  const { currency } = payment;
  const rows: [string, string | Node][] = [
    ['Payment', payment.id],
    ['Order', payment.orderId],
    ['Status', statusBadge(payment.status)],
    ['Amount', money(payment.amount, currency)],
    // What the shopper's card was charged in its own currency (K-Payment Full DCC), and the instalments chosen.
    ...(payment.chargedAmount != null && payment.chargedCurrency ? [['Charged', money(payment.chargedAmount, payment.chargedCurrency)] as [string, string]] : []),
    ...(payment.installmentTerm ? [['Instalments', `${payment.installmentTerm} monthly`] as [string, string]] : []),
    ['Refunded', money(payment.refundedAmount, currency)],
    ['Settled', payment.settledAmount == null ? 'Not settled (or not known)' : money(payment.settledAmount, currency)],
    ['Method', methodLabel(payment.method)],
    ['Gateway', gatewayLabel(payment.gateway)],
  ];
  if (payment.platform) rows.push(['Platform', payment.platform]);
  if (payment.chargeId) rows.push(['Charge', payment.chargeId]);
  if (payment.sourceId) rows.push(['Source', payment.sourceId]);
  if (payment.failureCode || payment.failureMessage) {
    rows.push(['Failure', [payment.failureCode, payment.failureMessage].filter(Boolean).join(': ')]);
  }
  if (payment.needsRefund) {
    rows.push([
      'Needs refund',
      isMoneyReturned(payment.status)
        ? `No longer: ${statusLabel(payment.status).toLowerCase()}, the money is back with the shopper.`
        : 'Yes: it succeeded after its order was paid by another payment, or at an amount the order no longer has.',
    ]);
  }
  if (payment.supersededBy) rows.push(['Superseded by', paymentLink(payment.supersededBy, href)]);
  rows.push(['Created', time(payment.createdAt)], ['Updated', time(payment.updatedAt)]);
  dl.replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.append(value);
      dd.dataset.field = term.toLowerCase();
      return [dt, dd];
    }),
  );
}

function timelineRow(event: PaymentEvent, currency: PaymentSummary['currency']): HTMLTableRowElement {
  const row = document.createElement('tr');
  row.dataset.eventType = event.type;
  const cells: [string | Node, string][] = [
    [time(event.at), 'time'],
    [describeEvent(event, currency), 'event'],
    [describeMove(event), 'status'],
    [eventActor(event), 'by'],
  ];
  for (const [content, field] of cells) {
    const td = document.createElement('td');
    td.append(content);
    td.dataset.field = field;
    row.append(td);
  }
  return row;
}

/** The event log as a table, oldest first (as the API gives it). */
export function renderTimeline(body: HTMLTableSectionElement, detail: PaymentDetail): void {
  const events = [...detail.events].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  body.replaceChildren(...events.map((e) => timelineRow(e, detail.payment.currency)));
}
