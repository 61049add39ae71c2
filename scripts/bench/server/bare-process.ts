import express from 'express';
import type { AddressInfo } from 'node:net';

/**
 * The server benchmark's floor: a bare Express app with the companion's two shopper routes answering a small fixed
 * JSON (the create parses its JSON body, as the companion's does), so the figures show what Express and loopback
 * HTTP alone cost on this machine. Prints `{"url","pid"}` once listening.
 */
const app = express();
app.post('/checkout/payments', express.json(), (req, res) => {
  res.status(201).json({ paymentId: 'pay_bare', orderId: (req.body as { orderId?: string }).orderId, status: 'pending' });
});
app.get('/checkout/payments/:id', (req, res) => {
  res.json({ id: req.params.id, status: 'succeeded', amount: 150_000, currency: 'THB' });
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pid: process.pid })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
