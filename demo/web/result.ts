import '@payment-checkout/element/define';
import { fillList, loadOrder, money, showAccountNav, showProblem } from './shared.ts';

void showAccountNav();
const paymentId = new URLSearchParams(location.search).get('paymentId') ?? '';
const element = document.querySelector('#result')!;
element.setAttribute('payment-id', paymentId);

const NO_PAYMENT = 'This link names no payment the shop knows. Find your order from the shop.';

async function showOrder(): Promise<void> {
  if (!paymentId) {
    showProblem(document.querySelector('#order'), NO_PAYMENT);
    return;
  }
  const res = await fetch(`/checkout/payments/${encodeURIComponent(paymentId)}`);
  if (!res.ok) {
    showProblem(document.querySelector('#order'), NO_PAYMENT);
    return;
  }
  const payment = (await res.json()) as { orderId: string; status: string };
  const order = await loadOrder(payment.orderId);
  const labels: Record<string, string> = { awaiting_payment: 'Awaiting payment', paid: 'Paid', payment_failed: 'Payment failed' };
  // Authorised (KakaoPay with manual capture): the amount is held for this order until the shop captures or
  // reverses it, so the order is not paid yet, and paying it another way is not offered.
  const held = payment.status === 'authorized' && order.state === 'awaiting_payment';
  fillList(document.querySelector('#order')!, [
    ['Item', order.name],
    ['Total', money(order.amount, order.currency)],
    ['Order status', held ? 'Payment authorised: the shop will confirm it' : (labels[order.state] ?? order.state)],
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
    showProblem(document.querySelector('#order'), 'This order is no longer known to the demo (it forgets its orders when it restarts).');
  }
}

await refreshOrder();
for (const type of ['checkout-success', 'checkout-failure']) element.addEventListener(type, () => void refreshOrder());
