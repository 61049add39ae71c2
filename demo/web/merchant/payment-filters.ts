import { OrderId } from '@payment-checkout/core/api';
import { OperationsError, type PaymentFilters } from './operations-api.ts';
import { GATEWAYS, METHODS, STATUSES, gatewayLabel, statusLabel } from './payment-labels.ts';

/**
 * The list's filters: the form, the page's query string (so that a reload or a shared link shows the same list)
 * and the API's query. "Created from/to" are the merchant's local date-times; the API gets them as ISO instants.
 */

export const FILTER_NAMES = ['orderId', 'status', 'method', 'gateway', 'createdFrom', 'createdTo'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];
/** The filters as the form and the query string hold them (local date-times, not yet instants). */
export type FilterValues = Partial<Record<FilterName, string>>;

/** The filters' labels on the form, for what the page says about them. */
const FILTER_LABELS: Record<FilterName, string> = {
  orderId: 'Order id',
  status: 'Status',
  method: 'Method',
  gateway: 'Gateway',
  createdFrom: 'Created from',
  createdTo: 'Created to',
};

function option(value: string, label: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  return o;
}

/** Fills the status, method and gateway choices from core's lists. */
export function fillFilterChoices(form: HTMLFormElement): void {
  const select = (name: string) => form.querySelector<HTMLSelectElement>(`select[name="${name}"]`)!;
  select('status').replaceChildren(option('', 'Any status'), ...STATUSES.map((s) => option(s, statusLabel(s))));
  select('method').replaceChildren(option('', 'Any method'), ...METHODS.map((m) => option(m.id, m.label)));
  select('gateway').replaceChildren(option('', 'Any gateway'), ...GATEWAYS.map((g) => option(g, gatewayLabel(g))));
}

export function readFilterForm(form: HTMLFormElement): FilterValues {
  const data = new FormData(form);
  const values: FilterValues = {};
  for (const name of FILTER_NAMES) {
    const value = String(data.get(name) ?? '').trim();
    if (value) values[name] = value;
  }
  return values;
}

export function writeFilterForm(form: HTMLFormElement, values: FilterValues): void {
  for (const name of FILTER_NAMES) {
    const field = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
    if (field) field.value = values[name] ?? '';
  }
}

export function readFilterQuery(params: URLSearchParams): FilterValues {
  const values: FilterValues = {};
  for (const name of FILTER_NAMES) {
    const value = params.get(name);
    if (value) values[name] = value;
  }
  return values;
}

export function writeFilterQuery(params: URLSearchParams, values: FilterValues): void {
  for (const name of FILTER_NAMES) {
    if (values[name]) params.set(name, values[name]);
    else params.delete(name);
  }
}

/** A local date-time (`2024-06-01T17:00`) as an ISO instant, or undefined when it is not one. */
function instant(local: string | undefined): string | undefined {
  if (!local) return undefined;
  const time = new Date(local).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The API's filters for these values. "Created to" includes the minute it names. */
export function toApiFilters(values: FilterValues): PaymentFilters {
  const to = instant(values.createdTo);
  return {
    orderId: values.orderId,
    status: values.status,
    method: values.method,
    gateway: values.gateway,
    createdFrom: instant(values.createdFrom),
    // A minute typed in (no seconds) means up to its end; the API's bound is exclusive: the next minute's start.
    createdTo: to && values.createdTo!.length <= 16 ? new Date(new Date(to).getTime() + 60_000).toISOString() : to,
  };
}

/**
 * What is wrong with the filters as typed, a sentence each (none: the API may be asked). Only the order id can be
 * malformed: the choices and the date fields hold nothing else, and a shared link's other values are dropped.
 * The rule is core's own (`OrderId`), as the API's.
 */
export function filterProblems(values: FilterValues): string[] {
  if (values.orderId === undefined || OrderId.safeParse(values.orderId).success) return [];
  return [
    `The order id “${values.orderId}” cannot be one: order ids are 1 to 64 letters, digits and the signs _ - . : (no spaces or other signs, not dots alone). No search was made.`,
  ];
}

/** Why the list is not shown: the filters the API refused and why, by their labels on the form; else what failed. */
export function listFailureText(err: unknown): string {
  if (err instanceof OperationsError && err.status === 400) {
    const label = (path: string) => FILTER_LABELS[path as FilterName] ?? path;
    const issues = err.issues.map((i) => `${label(i.path)}: ${i.message}`);
    return `The search was refused: ${issues.length > 0 ? `${issues.join('; ')}.` : err.message}`;
  }
  return `The payments could not be listed: ${err instanceof Error ? err.message : String(err)}`;
}
