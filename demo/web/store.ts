import './preferences.ts'; // first: the page's language and theme
import type { Currency } from '@payment-checkout/core/money';
import type { AmountProblem } from '../order-request.ts';
import { describeAmountProblem, itemName, pageLocale, pageTexts } from './i18n.ts';
import { money, showAccountNav } from './shared.ts';

interface Product { id: string; name: string; amount: number; currency: Currency }

const texts = pageTexts();
document.title = texts.shopTitle;
// The least K PLUS, KMA and KakaoPay take in baht (฿20.00), and KakaoPay in Singapore dollars (S$1.00).
document.querySelector('#any-amount-hint')!.textContent = texts.anyAmountHint(money(2_000, 'THB'), money(100, 'SGD'));
void showAccountNav();
const list = document.querySelector<HTMLUListElement>('#products')!;
const res = await fetch('/api/products');
const { products, currencies, sandbox } = (await res.json()) as { products: Product[]; currencies: Currency[]; sandbox: boolean };
document.querySelector<HTMLElement>('#sandbox-note')!.hidden = !sandbox;

/**
 * Places an order and goes to its checkout page; on a refusal, says why the shop refused the amount in the page's
 * language (or a generic line for anything else, the shop out of reach included) and gives the button back.
 * `field`, the amount typed: marked invalid while the shop refuses it (its message describes it).
 */
async function placeOrder(body: Record<string, string>, button: HTMLButtonElement, problem: HTMLElement, field?: HTMLInputElement): Promise<void> {
  button.disabled = true;
  problem.hidden = true;
  field?.removeAttribute('aria-invalid');
  let reason = texts.orderNotCreated;
  try {
    const created = await fetch('/api/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await created.json()) as { id?: string; error?: { problem?: AmountProblem } };
    if (created.ok && answer.id) {
      location.assign(`/checkout.html?orderId=${encodeURIComponent(answer.id)}`);
      return;
    }
    if (answer.error?.problem) {
      reason = describeAmountProblem(answer.error.problem, pageLocale());
      field?.setAttribute('aria-invalid', 'true');
    }
  } catch {
    // The shop is out of reach: the generic line.
  }
  problem.textContent = reason;
  problem.hidden = false;
  button.disabled = false;
}

for (const product of products) {
  const name = itemName(texts, product.id, product.name);
  const item = document.createElement('li');
  item.className = 'product';
  const title = document.createElement('h2');
  title.textContent = name;
  const price = document.createElement('p');
  price.textContent = money(product.amount, product.currency);
  const buy = document.createElement('button');
  buy.type = 'button';
  buy.textContent = texts.buy(name);
  const problem = document.createElement('p');
  problem.className = 'problem';
  problem.setAttribute('role', 'alert');
  problem.hidden = true;
  buy.addEventListener('click', () => void placeOrder({ productId: product.id }, buy, problem));
  item.append(title, price, buy, problem);
  list.append(item);
}

// Any amount, in a currency the shop sells in: the server validates it (a tester can see each method's limits).
const anyAmount = document.querySelector<HTMLFormElement>('#any-amount')!;
const currency = anyAmount.querySelector<HTMLSelectElement>('#currency')!;
currency.replaceChildren(...currencies.map((code) => new Option(code, code)));
anyAmount.addEventListener('submit', (event) => {
  event.preventDefault();
  const amount = anyAmount.querySelector<HTMLInputElement>('#amount')!;
  void placeOrder({ amount: amount.value, currency: currency.value }, anyAmount.querySelector('button')!, anyAmount.querySelector('#amount-problem')!, amount);
});
