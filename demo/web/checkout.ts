import '@payment-checkout/element/define';
import { fillList, loadOrder, money, showProblem } from './shared.ts';

const orderId = new URLSearchParams(location.search).get('orderId') ?? '';
try {
  const order = await loadOrder(orderId);
  fillList(document.querySelector('#summary')!, [
    ['Item', order.name],
    ['Total', money(order.amount, order.currency)],
    ['Order', order.id],
  ]);
  document.querySelector('#checkout')!.setAttribute('order-id', order.id);
} catch {
  // Orders live in the demo's memory: a restart forgets them.
  showProblem(document.querySelector('#summary'), 'This order does not exist (the demo forgets its orders when it restarts).');
}
