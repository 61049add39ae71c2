// A shop's server on plain Node: its pages, the element's script-tag file, and the companion. With no gateway
// keys it runs against the sandbox (`npx @payment-checkout/sandbox --port 8010`).
import express from 'express';
import { fileURLToPath } from 'node:url';
import { createCheckout } from '@payment-checkout/server';

const port = Number(process.env.PORT ?? 3000);
const sandbox = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8010';
const checkout = createCheckout({
  resolveOrder: async (orderId) => ({ amount: 150_000, currency: 'THB' }), // ฿1,500.00: look the order up in your database
  publicBaseUrl: `http://127.0.0.1:${port}`,
  resultUrl: '/result.html?paymentId={paymentId}',
  opn: { apiUrl: sandbox, sandbox: true },
  kpayment: { apiUrl: sandbox, sandbox: true },
});
// The pages run under the policy the configured gateways need (no inline script: page.js reads the URL).
const csp = checkout.checkout.contentSecurityPolicy().header;
const app = express();
app.use(express.static(fileURLToPath(new URL('public', import.meta.url)), { setHeaders: (res) => res.set('content-security-policy', csp) }));
app.use('/element', express.static(fileURLToPath(new URL('.', import.meta.resolve('@payment-checkout/element/browser')))));
app.use(checkout);
app.listen(port, '127.0.0.1', (error) => {
  if (error) throw error; // the port is taken (EADDRINUSE), or not ours to take
  console.log(`shop on http://127.0.0.1:${port}/?orderId=ord_1`);
});
