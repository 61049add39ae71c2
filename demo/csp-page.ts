import express, { type Router } from 'express';
import type { CheckoutRouter } from '@payment-checkout/server';

/**
 * A checkout page as a strict shop serves it (e2e/csp.spec.ts): nothing but `<payment-checkout>` and the element's
 * script-tag file, under the Content-Security-Policy the companion computes for its gateways
 * (`checkout.contentSecurityPolicy()`), with no inline script or style. `/csp/checkout?orderId=` pays an order;
 * `/csp/result?paymentId=` shows a payment's result under the same policy.
 */

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function page(title: string, attribute: 'order-id' | 'payment-id', id: string): string {
  // The id is checked against ID: nothing in it needs escaping.
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} — Siam Market (strict policy)</title>
  <script type="module" src="/element/payment-checkout.js"></script>
</head>
<body>
  <main>
    <h1>${title}</h1>
    <payment-checkout ${attribute}="${id}"></payment-checkout>
  </main>
</body>
</html>
`;
}

/** The strict pages, with the policy of the companion in use at each request (the demo swaps it on settings changes). */
export function cspPages(checkout: () => CheckoutRouter): Router {
  const router = express.Router();
  const serve = (title: string, attribute: 'order-id' | 'payment-id', param: string) => (req: express.Request, res: express.Response) => {
    const id = req.query[param];
    if (typeof id !== 'string' || !ID.test(id)) {
      res.status(400).type('text/plain').send(`Give ?${param}=<id>.`);
      return;
    }
    res.set({ 'content-security-policy': checkout().checkout.contentSecurityPolicy().header, 'cache-control': 'no-store' });
    res.type('html').send(page(title, attribute, id));
  };
  router.get('/csp/checkout', serve('Checkout', 'order-id', 'orderId'));
  router.get('/csp/result', serve('Payment result', 'payment-id', 'paymentId'));
  return router;
}
