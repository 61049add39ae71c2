import Database from 'better-sqlite3';
import express from 'express';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The server benchmark's floors, in one Express app:
 * - bare: the companion's two shopper routes answering a small fixed JSON (the create parses its JSON body, as the
 *   companion's does), so the figures show what Express and loopback HTTP alone cost on this machine;
 * - floor (with SANDBOX_URL): the least any companion must do for a create and for a webhook, done plainly — for a
 *   create, record the intent durably (SQLite file, WAL, synchronous FULL, one transaction), POST /charges at the
 *   sandbox (node:http, keep-alive), record the charge (a second transaction) and answer; for a webhook, re-fetch the
 *   charge it names and record its status (one transaction). No validation, no event log, no hooks, no lookups;
 * - pass-through (with SANDBOX_URL): less than any companion may do — the same gateway call relayed and its answer
 *   passed on, nothing recorded — the most a server between the client and the gateway can reach here.
 * Prints `{"url","pid"}` once listening.
 */
const app = express();
app.post('/checkout/payments', express.json(), (req, res) => {
  res.status(201).json({ paymentId: 'pay_bare', orderId: (req.body as { orderId?: string }).orderId, status: 'pending' });
});
app.get('/checkout/payments/:id', (req, res) => {
  res.json({ id: req.params.id, status: 'succeeded', amount: 150_000, currency: 'THB' });
});

const sandboxUrl = process.env.SANDBOX_URL;
if (sandboxUrl) {
  const db = new Database(join(process.env.FLOOR_DIR ?? tmpdir(), `floor-${process.pid}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS payments (id INTEGER PRIMARY KEY, order_id TEXT NOT NULL, charge_id TEXT UNIQUE, status TEXT NOT NULL)');
  const insert = db.prepare("INSERT INTO payments (order_id, status) VALUES (?, 'created')");
  const charged = db.prepare('UPDATE payments SET charge_id = ?, status = ? WHERE id = ?');
  const settled = db.prepare('INSERT INTO payments (order_id, charge_id, status) VALUES (?, ?, ?) ON CONFLICT (charge_id) DO UPDATE SET status = excluded.status');
  const authorization = `Basic ${Buffer.from(`${process.env.BENCH_SECRET_KEY}:`).toString('base64')}`;
  const agent = new Agent({ keepAlive: true });
  const gateway = (method: string, path: string, body?: unknown) =>
    new Promise<{ id: string; status: string }>((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers = { authorization, accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) };
      const req = request(`${sandboxUrl}${path}`, { method, agent, headers }, (answer) => {
        let text = '';
        answer.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        answer.on('end', () => (answer.statusCode === 200 ? resolve(JSON.parse(text) as { id: string; status: string }) : reject(new Error(text))));
      });
      req.on('error', reject).end(payload);
    });
  app.post('/pass/payments', express.json(), async (req, res) => {
    const { orderId } = req.body as { orderId: string };
    const charge = await gateway('POST', '/charges', { amount: 150_000, currency: 'THB', return_uri: `https://shop.example/return/${orderId}`, source: { type: 'mobile_banking_kbank' }, metadata: { order_id: orderId } });
    res.status(201).json({ paymentId: charge.id, status: charge.status });
  });
  app.post('/pass/webhooks/opn', express.json(), async (req, res) => {
    const charge = await gateway('GET', `/charges/${(req.body as { data: { id: string } }).data.id}`);
    res.json({ status: charge.status === 'successful' ? 'succeeded' : charge.status });
  });
  app.post('/floor/payments', express.json(), async (req, res) => {
    const { orderId } = req.body as { orderId: string };
    const id = Number(db.transaction(() => insert.run(orderId).lastInsertRowid).immediate());
    const charge = await gateway('POST', '/charges', { amount: 150_000, currency: 'THB', return_uri: `https://shop.example/return/${id}`, source: { type: 'mobile_banking_kbank' }, metadata: { order_id: orderId } });
    db.transaction(() => charged.run(charge.id, charge.status, id)).immediate();
    res.status(201).json({ paymentId: id, status: charge.status });
  });
  app.post('/floor/webhooks/opn', express.json(), async (req, res) => {
    const event = req.body as { data: { id: string; metadata: { order_id: string } } };
    const charge = await gateway('GET', `/charges/${event.data.id}`);
    db.transaction(() => settled.run(event.data.metadata.order_id, charge.id, charge.status)).immediate();
    res.json({ status: charge.status === 'successful' ? 'succeeded' : charge.status });
  });
}

const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, pid: process.pid })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
