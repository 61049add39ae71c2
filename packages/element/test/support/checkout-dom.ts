import type { PaymentCheckout } from '../../src/payment-checkout/payment-checkout.ts';
import { until } from './fake-companion.ts';

/** What a shopper sees of a <payment-checkout>, for the browser tests. */

export const root = (el: PaymentCheckout) => el.shadowRoot!;
export const clean = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
export const amountText = (el: PaymentCheckout) => clean(root(el).querySelector('[part~="amount-value"]')?.textContent);
export const statusText = (el: PaymentCheckout) => clean(root(el).querySelector('[role="status"]')?.textContent);
/** The code of the error or failure on screen (`data-code`: for scripts and support, never in the text), or null. */
export const shownCode = (el: PaymentCheckout) => root(el).querySelector('[role="status"] [data-code]')?.getAttribute('data-code') ?? null;
export const legends = (el: PaymentCheckout) => [...root(el).querySelectorAll('legend')].map((l) => clean(l.textContent));
export const methodButtons = (el: PaymentCheckout) => [...root(el).querySelectorAll<HTMLButtonElement>('button[part~="method"]')];
export const methodButton = (el: PaymentCheckout, id: string) =>
  root(el).querySelector<HTMLButtonElement>(`button[data-method="${id}"]`)!;
export const buttonsIn = (el: PaymentCheckout, group: string) =>
  [...root(el).querySelectorAll(`fieldset[data-group="${group}"] button`)].map((b) => clean(b.textContent));
export const action = (el: PaymentCheckout, part: string) => root(el).querySelector<HTMLButtonElement>(`button[part~="${part}"]`);
export const methodsBusy = (el: PaymentCheckout) => root(el).querySelector('[part~="methods"]')?.getAttribute('aria-busy');
/**
 * A node as a short string, or null: assert on this rather than on the node itself, since a failed assertion on a
 * DOM node makes web-test-runner serialise the whole node graph (the run then hangs instead of reporting).
 */
export const tag = (node: Element | null | undefined): string | null => (node ? node.outerHTML.slice(0, 160) : null);
/** The `data-method` of the focused button in the element, if any. */
export const focusedMethod = (el: PaymentCheckout) => (root(el).activeElement as HTMLElement | null)?.dataset.method ?? null;
/** The K-Payment form the element put in its light DOM, if any. */
export const cardForm = (el: PaymentCheckout) => el.querySelector<HTMLFormElement>(':scope > form[slot="card-form"]');
/** A script tag's data-* attributes without the prefix. */
export function dataAttributes(element: Element): Record<string, string> {
  return Object.fromEntries(
    [...element.attributes].filter((a) => a.name.startsWith('data-')).map((a) => [a.name.slice(5), a.value]),
  );
}
/** The text of the element's first `part`. */
export const partText = (el: PaymentCheckout, part: string) => clean(root(el).querySelector(`[part~="${part}"]`)?.textContent);
/** The QR view, shown in place of the choices while a QR code is open. */
export const qrView = (el: PaymentCheckout) => root(el).querySelector('[part~="qr"]');

/**
 * Switches the element to `locale` and waits until it shows it: its texts in that locale come from the companion
 * (`GET /checkout/texts`), so a switch takes a request.
 */
export async function switchLocale(el: PaymentCheckout, locale: string): Promise<void> {
  el.locale = locale;
  await until(() => root(el).querySelector('[part~="base"]')?.getAttribute('lang') === locale, `the element speaks ${locale}`);
  await el.updateComplete;
}
