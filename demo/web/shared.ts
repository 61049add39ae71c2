import { type Currency, formatMoney } from '@payment-checkout/core/money';
import type { OrderState } from '../orders.ts';
import { pageTexts } from './i18n.ts';

export interface OrderView {
  id: string;
  /** The product bought, or null for an order of any amount. */
  productId: string | null;
  name: string;
  amount: number;
  currency: Currency;
  state: OrderState;
  shopperId: string | null;
  /** Who placed the order, when signed in. */
  shopper: { email: string; name: string } | null;
  paidBy: string | null;
  needsRefund: string[];
}

export function money(amount: number, currency: Currency): string {
  return formatMoney(amount, currency, document.documentElement.lang || 'en', { symbol: true });
}

/** A description list of `[field, term, value]` rows; `data-field` names each value whatever the page's language. */
export function fillList(dl: HTMLElement, rows: [field: string, term: string, value: string][]): void {
  dl.replaceChildren(
    ...rows.flatMap(([field, term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      dd.dataset.field = field;
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
  back.textContent = pageTexts().backToShop;
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
  const texts = pageTexts();
  const account = document.createElement('a');
  account.href = '/account.html';
  account.id = 'account-link';
  account.textContent = current.shopper ? texts.signedInAs(current.shopper.name) : texts.signIn;
  const merchant = document.createElement('a');
  merchant.href = '/merchant.html';
  merchant.textContent = texts.merchantSettings;
  const payments = document.createElement('a');
  payments.href = '/merchant/payments';
  payments.textContent = texts.merchantPayments;
  nav.replaceChildren(account, merchant, payments);
  return current;
}

/**
 * A button marked unavailable with `aria-disabled`, not `disabled`: one that has the focus keeps it (a disabled button
 * drops it to the page). Its click handler must check `isAriaDisabled` itself.
 */
export function setAriaDisabled(button: HTMLButtonElement, disabled: boolean): void {
  if (disabled) button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
}

export function isAriaDisabled(button: HTMLButtonElement): boolean {
  return button.getAttribute('aria-disabled') === 'true';
}
