import type { Currency } from '@payment-checkout/core/money';
import { money, showAccountNav } from './shared.ts';

interface Product { id: string; name: string; amount: number; currency: Currency }

void showAccountNav();
const list = document.querySelector<HTMLUListElement>('#products')!;
const res = await fetch('/api/products');
const { products, currencies, sandbox } = (await res.json()) as { products: Product[]; currencies: Currency[]; sandbox: boolean };
document.querySelector<HTMLElement>('#sandbox-note')!.hidden = !sandbox;

/**
 * Places an order and goes to its checkout page; on a refusal, shows the shop's reason (or a generic line when the
 * shop could not be reached) and gives the button back.
 */
async function placeOrder(body: Record<string, string>, button: HTMLButtonElement, problem: HTMLElement): Promise<void> {
  button.disabled = true;
  problem.hidden = true;
  let reason = 'The order could not be created. Please try again.';
  try {
    const created = await fetch('/api/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await created.json()) as { id?: string; error?: { message?: string } };
    if (created.ok && answer.id) {
      location.assign(`/checkout.html?orderId=${encodeURIComponent(answer.id)}`);
      return;
    }
    if (created.status < 500 && answer.error?.message) reason = answer.error.message;
  } catch {
    // The shop is out of reach: the generic line.
  }
  problem.textContent = reason;
  problem.hidden = false;
  button.disabled = false;
}

for (const product of products) {
  const item = document.createElement('li');
  item.className = 'product';
  const title = document.createElement('h2');
  title.textContent = product.name;
  const price = document.createElement('p');
  price.textContent = money(product.amount, product.currency);
  const buy = document.createElement('button');
  buy.type = 'button';
  buy.textContent = `Buy ${product.name}`;
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
  const amount = anyAmount.querySelector<HTMLInputElement>('#amount')!.value;
  void placeOrder({ amount, currency: currency.value }, anyAmount.querySelector('button')!, anyAmount.querySelector('#amount-problem')!);
});
