import { isAriaDisabled, money, setAriaDisabled } from '../shared.ts';
import { type PaymentFilters, type PaymentSummary, listPayments } from './operations-api.ts';
import { listFailureText } from './payment-filters.ts';
import { formatTime, gatewayLabel, methodLabel, statusBadge } from './payment-labels.ts';

/**
 * The payments list: newest first, a page at a time (the API's cursor), one row per payment with its amount,
 * what was refunded and its status; a payment's id links to its page.
 */

export interface PaymentListElements {
  body: HTMLTableSectionElement;
  /** What the list shows (the page, or none), as text on the page: not a live region, so a refresh says nothing. */
  status: HTMLElement;
  /** A live region: the same, said when the merchant asked for another page or other filters. */
  announcement: HTMLElement;
  problem: HTMLElement;
  previous: HTMLButtonElement;
  next: HTMLButtonElement;
}

export interface PaymentListOptions {
  /** The page of one payment (the list's filters kept). */
  href(paymentId: string): string;
  /** A click on a payment's link (the page opens it without reloading). */
  open(paymentId: string): void;
  /** The merchant moved to another page: the cursors it was read with, the first page's left out (the page's address keeps them). */
  paged(cursors: string[]): void;
}

const PAGE_SIZE = 20;
/** How long an announcement stays in its (hidden) live region: read out by then, it would only be read twice in browse mode. */
const ANNOUNCEMENT_MS = 7_000;

function cell(content: string | Node, field?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.append(content);
  if (field) td.dataset.field = field;
  return td;
}

export class PaymentList {
  #filters: PaymentFilters = {};
  /** The cursor each page shown so far was read with (null: the first page). */
  #cursors: (string | null)[] = [null];
  #nextCursor: string | null = null;
  #selected: string | null = null;
  /** A search the page refused to make: nothing is listed, and nothing is read again until another search. */
  #refused = false;
  #loading = 0;
  #announcing: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly el: PaymentListElements,
    private readonly options: PaymentListOptions,
  ) {
    el.next.addEventListener('click', () => {
      if (!isAriaDisabled(el.next)) void this.#page([...this.#cursors, this.#nextCursor]);
    });
    el.previous.addEventListener('click', () => {
      if (!isAriaDisabled(el.previous)) void this.#page(this.#cursors.slice(0, -1));
    });
  }

  /** A page for these filters: the first, or the one read with the last of `cursors` (a reload, a shared link). */
  async show(filters: PaymentFilters, cursors: string[] = []): Promise<void> {
    this.#filters = filters;
    this.#refused = false;
    await this.#load([null, ...cursors]);
  }

  /** A search that cannot be made (`problem` says why): its place shows that, not the previous search's payments. */
  refuse(problem: string): void {
    this.#loading++; // a page still on its way belongs to the previous search
    this.#refused = true;
    this.#clear();
    this.el.status.textContent = 'No payments shown: correct the filters and apply them again.';
    this.#announce('');
    this.el.problem.textContent = problem;
    this.el.problem.hidden = false;
  }

  async #page(cursors: (string | null)[]): Promise<void> {
    if (await this.#load(cursors)) this.options.paged(cursors.filter((c): c is string => c !== null));
  }

  /** The page shown, read again after an operation changed a payment: silently, as the merchant is reading that. */
  async refresh(): Promise<void> {
    if (!this.#refused) await this.#load(this.#cursors, false);
  }

  /** Marks the payment whose page is open. */
  select(paymentId: string | null): void {
    this.#selected = paymentId;
    for (const row of this.el.body.rows) {
      if (row.dataset.paymentId === paymentId) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    }
  }

  /** Reads the page of the last cursor; answers whether it is shown. `announce`: say what it shows. */
  async #load(cursors: (string | null)[], announce = true): Promise<boolean> {
    const load = ++this.#loading;
    if (announce) {
      this.el.status.textContent = 'Loading payments…';
      this.#announce('');
    }
    this.el.problem.hidden = true;
    try {
      const page = await listPayments(this.#filters, cursors.at(-1) ?? null, PAGE_SIZE);
      if (load !== this.#loading) return false;
      this.#cursors = cursors;
      this.#nextCursor = page.nextCursor;
      this.#render(page.data);
      if (announce) this.#announce(this.el.status.textContent ?? '');
      return true;
    } catch (err) {
      if (load !== this.#loading) return false;
      // Another search or page asked for: the rows shown are not its answer. A silent refresh keeps them, as read last.
      if (announce) {
        this.#clear();
        this.el.status.textContent = 'No payments shown.';
      }
      this.el.problem.textContent = announce ? listFailureText(err) : `${listFailureText(err)} The list shows the payments as they were.`;
      this.el.problem.hidden = false;
      return false;
    }
  }

  /** No rows, and no page to move to. */
  #clear(): void {
    this.el.body.replaceChildren();
    setAriaDisabled(this.el.next, true);
    setAriaDisabled(this.el.previous, true);
  }

  #render(payments: PaymentSummary[]): void {
    this.el.body.replaceChildren(...payments.map((p) => this.#row(p)));
    this.select(this.#selected);
    const pageNumber = this.#cursors.length;
    this.el.status.textContent =
      payments.length === 0 ? 'No payments match these filters.' : `Page ${pageNumber}: ${payments.length} payment${payments.length === 1 ? '' : 's'}, newest first.`;
    // aria-disabled, not disabled: the button the merchant pressed keeps the focus on the last page (or the first).
    setAriaDisabled(this.el.next, this.#nextCursor === null);
    setAriaDisabled(this.el.previous, pageNumber <= 1);
  }

  #announce(text: string): void {
    clearTimeout(this.#announcing);
    this.el.announcement.textContent = text;
    if (text) this.#announcing = setTimeout(() => (this.el.announcement.textContent = ''), ANNOUNCEMENT_MS);
  }

  #row(payment: PaymentSummary): HTMLTableRowElement {
    const row = document.createElement('tr');
    row.dataset.paymentId = payment.id;
    const link = document.createElement('a');
    link.href = this.options.href(payment.id);
    link.textContent = payment.id;
    link.addEventListener('click', (event) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      this.options.open(payment.id);
    });
    const time = document.createElement('time');
    time.dateTime = payment.createdAt;
    time.textContent = formatTime(payment.createdAt);
    const refunded = payment.refundedAmount;
    row.append(
      cell(time, 'created'),
      cell(payment.orderId, 'order'),
      cell(link, 'payment'),
      cell(methodLabel(payment.method), 'method'),
      cell(gatewayLabel(payment.gateway), 'gateway'),
      cell(money(payment.amount, payment.currency), 'amount'),
      cell(refunded > 0 ? money(refunded, payment.currency) : '—', 'refunded'),
      cell(statusBadge(payment.status), 'status'),
    );
    return row;
  }
}
