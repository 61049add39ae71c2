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
/** The choices: one radio button per method (and per "in instalments" choice). */
export const methodButtons = (el: PaymentCheckout) => [...root(el).querySelectorAll<HTMLInputElement>('input[name="method"]')];
/** A method's choice (not its "in instalments" one; `installments`: that one). */
export const methodButton = (el: PaymentCheckout, id: string, installments = false) =>
  root(el).querySelector<HTMLInputElement>(`input[data-method="${id}"]${installments ? '[data-installments]' : ':not([data-installments])'}`)!;
/** The names of a group's choices, as the shopper reads them (the badge's initials are a picture, not text). */
export const buttonsIn = (el: PaymentCheckout, group: string) =>
  [...root(el).querySelectorAll(`fieldset[data-group="${group}"] label`)].map((label) =>
    clean([...label.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent).join('')),
  );
/** The one pay action under the choices. */
export const payButton = (el: PaymentCheckout) => root(el).querySelector<HTMLButtonElement>('button[part~="pay"]')!;
/** What a shopper does to pay: select the method's choice, then "Pay ฿…". */
export async function payWith(el: PaymentCheckout, id: string, installments = false): Promise<void> {
  methodButton(el, id, installments).click();
  await el.updateComplete;
  payButton(el).click();
}
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
