import { type Currency, formatMoney } from '@payment-checkout/core';

export interface OrderView {
  id: string;
  name: string;
  amount: number;
  currency: Currency;
  state: string;
  paidBy: string | null;
  needsRefund: string[];
}

export function money(amount: number, currency: Currency): string {
  return formatMoney(amount, currency, document.documentElement.lang || 'en', { symbol: true });
}

export function fillList(dl: HTMLElement, rows: [string, string][]): void {
  dl.replaceChildren(
    ...rows.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dd.dataset.field = term.toLowerCase();
      return [dt, dd];
    }),
  );
}

export async function loadOrder(id: string): Promise<OrderView> {
  const res = await fetch(`/api/orders/${encodeURIComponent(id)}`);
  if (!res.ok) throw new Error(`order ${id} not found`);
  return (await res.json()) as OrderView;
}

/** Shows a problem in place of some content, announced to assistive technology. */
export function showProblem(where: HTMLElement | null, message: string): void {
  if (!where) return;
  const p = document.createElement('p');
  p.className = 'problem';
  p.setAttribute('role', 'alert');
  p.textContent = message;
  const back = document.createElement('a');
  back.href = '/';
  back.textContent = 'Back to the shop';
  where.replaceWith(p, back);
}
