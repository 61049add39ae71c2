import { money, showAccountNav } from './shared.ts';

interface Product { id: string; name: string; amount: number; currency: 'THB' | 'SGD' }

void showAccountNav();
const list = document.querySelector<HTMLUListElement>('#products')!;
const res = await fetch('/api/products');
const { products, sandbox } = (await res.json()) as { products: Product[]; sandbox: boolean };
document.querySelector<HTMLElement>('#sandbox-note')!.hidden = !sandbox;

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
  buy.addEventListener('click', async () => {
    buy.disabled = true;
    problem.hidden = true;
    try {
      const created = await fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ productId: product.id }),
      });
      if (!created.ok) throw new Error(`HTTP ${created.status}`);
      const order = (await created.json()) as { id: string };
      location.assign(`/checkout.html?orderId=${encodeURIComponent(order.id)}`);
    } catch {
      problem.textContent = 'The order could not be created. Please try again.';
      problem.hidden = false;
      buy.disabled = false;
    }
  });
  item.append(title, price, buy, problem);
  list.append(item);
}
