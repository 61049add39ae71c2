import './preferences.ts'; // first: the page's language and theme before the element starts
import '@payment-checkout/element/define';
import { itemName, pageTexts } from './i18n.ts';
import { fillList, loadOrder, money, showAccountNav, showProblem } from './shared.ts';

const orderId = new URLSearchParams(location.search).get('orderId') ?? '';
const texts = pageTexts();
document.title = texts.checkoutTitle;
void showAccountNav();
try {
  const order = await loadOrder(orderId);
  fillList(document.querySelector('#summary')!, [
    ['item', texts.item, itemName(texts, order.productId, order.name)],
    ['total', texts.total, money(order.amount, order.currency)],
    ['order', texts.orderId, order.id],
    // Cards are remembered for the shopper who placed the order, as the shop's server recorded it.
    ['shopper', texts.shopper, order.shopper?.name ?? texts.guest],
  ]);
  document.querySelector('#checkout')!.setAttribute('order-id', order.id);
} catch {
  // Orders live in the demo's memory: a restart forgets them.
  showProblem(document.querySelector('#summary'), texts.noSuchOrder);
}
