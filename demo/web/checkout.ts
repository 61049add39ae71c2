import '@payment-checkout/element/define';
import { fillList, loadOrder, money, showAccountNav, showProblem } from './shared.ts';

const orderId = new URLSearchParams(location.search).get('orderId') ?? '';
void showAccountNav();
try {
  const order = await loadOrder(orderId);
  fillList(document.querySelector('#summary')!, [
    ['Item', order.name],
    ['Total', money(order.amount, order.currency)],
    ['Order', order.id],
    // Cards are remembered for the shopper who placed the order, as the shop's server recorded it.
    ['Shopper', order.shopper?.name ?? 'Guest (sign in before you order to remember cards)'],
  ]);
  document.querySelector('#checkout')!.setAttribute('order-id', order.id);
} catch {
  // Orders live in the demo's memory: a restart forgets them.
  showProblem(document.querySelector('#summary'), 'This order does not exist (the demo forgets its orders when it restarts).');
}
