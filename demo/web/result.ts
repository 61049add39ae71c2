import './preferences.ts'; // first: the page's language and theme before the element starts
import '@payment-checkout/element/define';
import { itemName, pageTexts } from './i18n.ts';
import { fillList, loadOrder, money, showAccountNav, showProblem } from './shared.ts';

const texts = pageTexts();
document.title = texts.resultTitle;

void showAccountNav();
const paymentId = new URLSearchParams(location.search).get('paymentId') ?? '';
const element = document.querySelector('#result')!;
element.setAttribute('payment-id', paymentId);

async function showOrder(): Promise<void> {
  if (!paymentId) {
    showProblem(document.querySelector('#order'), texts.noSuchPayment);
    return;
  }
  const res = await fetch(`/checkout/payments/${encodeURIComponent(paymentId)}`);
  if (!res.ok) {
    showProblem(document.querySelector('#order'), texts.noSuchPayment);
    return;
  }
  const payment = (await res.json()) as { orderId: string; status: string };
  const order = await loadOrder(payment.orderId);
  // Authorised (KakaoPay with manual capture): the amount is held for this order until the shop captures or
  // reverses it, so the order is not paid yet, and paying it another way is not offered.
  const held = payment.status === 'authorized' && order.state === 'awaiting_payment';
  fillList(document.querySelector('#order')!, [
    ['item', texts.item, itemName(texts, order.productId, order.name)],
    ['total', texts.total, money(order.amount, order.currency)],
    ['order status', texts.orderStatus, held ? texts.heldForShop : (texts.orderStates[order.state] ?? order.state)],
  ]);
  const retry = document.querySelector<HTMLAnchorElement>('#retry')!;
  retry.href = `/checkout.html?orderId=${encodeURIComponent(order.id)}`;
  retry.hidden = order.state === 'paid' || held;
}

/** The order panel; the element above shows the payment itself whatever happens here. */
async function refreshOrder(): Promise<void> {
  try {
    await showOrder();
  } catch {
    showProblem(document.querySelector('#order'), texts.orderForgotten);
  }
}

await refreshOrder();
for (const type of ['checkout-success', 'checkout-failure']) element.addEventListener(type, () => void refreshOrder());
