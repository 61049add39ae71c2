import { showAccountNav } from '../shared.ts';
import { OperationsError, type PaymentDetail, getPayment } from './operations-api.ts';
import { renderPaymentFields, renderTimeline } from './payment-detail.ts';
import {
  type FilterValues,
  fillFilterChoices,
  filterProblems,
  readFilterForm,
  readFilterQuery,
  toApiFilters,
  writeFilterForm,
  writeFilterQuery,
} from './payment-filters.ts';
import { PaymentList } from './payment-list.ts';
import { PaymentOperations } from './payment-operations.ts';

/**
 * The merchant's payments page (/merchant/payments): the list with its filters, and one payment's page
 * (`?paymentId=`) with its operations and timeline. The query string holds both, so a reload shows the same.
 */

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

const filters = $<HTMLFormElement>('#filters');
const section = $<HTMLElement>('#payment');
const title = $<HTMLElement>('#payment-title');
const paymentProblem = $<HTMLElement>('#payment-problem');

/** The query parameter of the list's page: the cursors it was read with, comma-separated (base64url has no comma). */
const PAGES = 'pages';

function pageUrl(params: URLSearchParams): string {
  const query = params.toString();
  return `/merchant/payments${query ? `?${query}` : ''}`;
}

function hrefFor(paymentId: string): string {
  const params = new URLSearchParams(location.search);
  params.set('paymentId', paymentId);
  return pageUrl(params);
}

const list = new PaymentList(
  { body: $('#payment-rows'), status: $('#list-status'), announcement: $('#list-announcement'), problem: $('#list-problem'), previous: $('#previous-page'), next: $('#next-page') },
  {
    href: hrefFor,
    open(paymentId) {
      history.pushState(null, '', hrefFor(paymentId));
      void openPayment(paymentId, true);
    },
    // The page of the list is in the address too: a reload, Back from a payment or a shared link shows that page.
    paged(cursors) {
      const params = new URLSearchParams(location.search);
      if (cursors.length > 0) params.set(PAGES, cursors.join(','));
      else params.delete(PAGES);
      history.pushState(null, '', pageUrl(params));
    },
  },
);

const operations = new PaymentOperations(
  { panel: section, heading: $('#operations-title'), list: $('#operation-list'), status: $('#operation-status'), problem: $('#operation-problem'), dialog: $('#confirm-operation') },
  {
    async changed(detail) {
      if (detail) showPayment(detail);
      else if (shownId) await openPayment(shownId, false);
      await list.refresh();
    },
  },
);

let shownId: string | null = null;
let opening = 0;

function showPayment(detail: PaymentDetail): void {
  shownId = detail.payment.id;
  title.textContent = `Payment ${detail.payment.id}`;
  paymentProblem.hidden = true;
  renderPaymentFields($('#payment-fields'), detail.payment, hrefFor);
  renderTimeline($('#timeline-rows'), detail);
  $('#operations').hidden = false;
  operations.show(detail);
}

/** Shows one payment (or none); `focus` moves the reader to it, as a click on its link asked. */
async function openPayment(paymentId: string | null, focus: boolean): Promise<void> {
  const open = ++opening;
  list.select(paymentId);
  if (!paymentId) {
    shownId = null;
    section.hidden = true;
    return;
  }
  section.hidden = false;
  section.setAttribute('aria-busy', 'true');
  try {
    const detail = await getPayment(paymentId);
    if (open !== opening) return;
    showPayment(detail);
  } catch (err) {
    if (open !== opening) return;
    shownId = null;
    title.textContent = `Payment ${paymentId}`;
    $('#payment-fields').replaceChildren();
    $('#timeline-rows').replaceChildren();
    $('#operations').hidden = true;
    paymentProblem.textContent = err instanceof OperationsError && err.status === 404 ? 'No such payment.' : `The payment could not be read: ${err instanceof Error ? err.message : String(err)}`;
    paymentProblem.hidden = false;
  } finally {
    if (open === opening) section.setAttribute('aria-busy', 'false');
  }
  if (focus && open === opening) {
    title.focus();
    section.scrollIntoView({ block: 'start' });
  }
}

/** The list for these filters, from the page `cursors` name; a search that cannot be made is said, not sent. */
function showList(values: FilterValues, cursors: string[] = []): void {
  const problems = filterProblems(values);
  if (problems.length > 0) list.refuse(problems.join(' '));
  else void list.show(toApiFilters(values), cursors);
}

/** Lists and opens what the query string says. */
function showFromUrl(): void {
  const params = new URLSearchParams(location.search);
  writeFilterForm(filters, readFilterQuery(params));
  // What the form shows is what is listed: a value it cannot hold (a shared link's unknown status, a date that is
  // none) is left out of both, and of the address.
  const values = readFilterForm(filters);
  writeFilterQuery(params, values);
  if (params.toString() !== location.search.replace(/^\?/, '')) history.replaceState(null, '', pageUrl(params));
  showList(values, params.get(PAGES)?.split(',').filter(Boolean) ?? []);
  void openPayment(params.get('paymentId'), false);
}

function applyFilters(): void {
  const values = readFilterForm(filters);
  const params = new URLSearchParams(location.search);
  writeFilterQuery(params, values);
  params.delete(PAGES); // other filters: from their first page
  history.pushState(null, '', pageUrl(params));
  showList(values);
}

filters.addEventListener('submit', (event) => {
  event.preventDefault();
  applyFilters();
});
// The form's reset empties the fields after this event: apply once it has.
filters.addEventListener('reset', () => setTimeout(applyFilters));
window.addEventListener('popstate', showFromUrl);

void showAccountNav();
fillFilterChoices(filters);
showFromUrl();
