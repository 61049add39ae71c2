import '@payment-checkout/element/define';
import { fillList, loadOrder, money } from './shared.ts';

const orderId = new URLSearchParams(location.search).get('orderId') ?? '';
const order = await loadOrder(orderId);
fillList(document.querySelector('#summary')!, [
  ['Item', order.name],
  ['Total', money(order.amount, order.currency)],
  ['Order', order.id],
]);
document.querySelector('#checkout')!.setAttribute('order-id', order.id);
