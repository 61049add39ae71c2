import { type Currency, formatMoney } from '@payment-checkout/core/money';

export interface OrderView {
  id: string;
  name: string;
  amount: number;
  currency: Currency;
  state: string;
  shopperId: string | null;
  /** Who placed the order, when signed in. */
  shopper: { email: string; name: string } | null;
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

export interface SessionView {
  shopper: { email: string; name: string } | null;
}

export async function loadSession(): Promise<SessionView> {
  const res = await fetch('/api/session');
  if (!res.ok) return { shopper: null };
  return (await res.json()) as SessionView;
}

/** The header's account links: who is signed in (or "Sign in"), the sandbox merchant's settings and payments. */
export async function showAccountNav(session?: SessionView): Promise<SessionView> {
  const nav = document.querySelector<HTMLElement>('#account-nav');
  const current = session ?? (await loadSession());
  if (!nav) return current;
  const account = document.createElement('a');
  account.href = '/account.html';
  account.id = 'account-link';
  account.textContent = current.shopper ? `Signed in as ${current.shopper.name}` : 'Sign in';
  const merchant = document.createElement('a');
  merchant.href = '/merchant.html';
  merchant.textContent = 'Merchant settings';
  const payments = document.createElement('a');
  payments.href = '/merchant/payments';
  payments.textContent = 'Merchant payments';
  nav.replaceChildren(account, merchant, payments);
  return current;
}
