// The order (or, on the result page, the payment) the page's URL names, given to the element. A file of its own,
// not an inline script, so that the page runs under the Content-Security-Policy the server sends.
const params = new URLSearchParams(location.search);
const checkout = document.querySelector('payment-checkout');
if (params.has('paymentId')) checkout.paymentId = params.get('paymentId');
else checkout.orderId = params.get('orderId');
