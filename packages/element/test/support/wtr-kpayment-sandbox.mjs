// For web-test-runner (Node side): the element's tests against the REAL sandbox's kpayment.min.js.
// - GET  /__kpayment-sandbox                      starts packages/sandbox on 127.0.0.1, port 0 (once), answers {url}.
//   The sandbox is another origin than the test page, as the gateway is for a shop.
// - POST /__kpayment-sandbox/form-action/:id      a form action that records what the script posted (urlencoded).
// - GET  /__kpayment-sandbox/form-action/:id      what was posted there, oldest first.
// - command "kpayment-card-form" (alias "kpayment-frame") {fill?: [selector, value][], click?: selector, text?: selector}:
//   acts in the sandbox's card form or QR popup iframe (cross-origin, so the page cannot) with Playwright; answers
//   the text of `text`.
// - command "kpayment-qr-order" {sourceType: "qr" | "wechat", amount, expireSeconds?}: creates a K-Payment order
//   in the sandbox with a fresh merchant's SECRET key (kept here, never sent to the page), as the companion does;
//   answers {publicKey, orderId, expiresAt}.
// - command "kpayment-qr-pay" {orderId}: the QR Simulator's Pay for that order (sandbox control, secret key).

import { randomBytes } from 'node:crypto';

const PREFIX = '/__kpayment-sandbox';

/** @returns {{ middleware: (ctx: any, next: () => Promise<void>) => Promise<void>, plugin: object }} */
export function kpaymentSandbox() {
  /** @type {Promise<{ url: string, now: () => number, close: () => Promise<void> }> | undefined} */
  let started;
  /** @type {Map<string, Record<string, string>[]>} */
  const posts = new Map();
  /** The secret key of each order created by "kpayment-qr-order". @type {Map<string, string>} */
  const orderKeys = new Map();
  let references = 0;

  const start = () =>
    (started ??= (async () => {
      // The sandbox is TypeScript; tsx loads it (and core) in this Node process.
      const { tsImport } = await import('tsx/esm/api');
      const { createSandbox } = await tsImport('../../../sandbox/src/index.ts', import.meta.url);
      const sandbox = createSandbox();
      const listening = await sandbox.listen(0, '127.0.0.1');
      return { url: listening.url, now: () => sandbox.clock.now(), close: () => sandbox.close() };
    })());

  const readBody = (req) =>
    new Promise((resolve, reject) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => resolve(body));
      req.on('error', reject);
    });

  /** One call to the sandbox's K-Payment API with a key, as the companion makes it (Node side only). */
  const callSandbox = async (path, key, body) => {
    const { url } = await start();
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };

  const createQrOrder = async ({ sourceType, amount, expireSeconds = 600 }) => {
    const { now } = await start();
    const merchant = randomBytes(6).toString('hex');
    const secretKey = `skey_test_${merchant}`;
    const createdAt = now();
    const order = await callSandbox('/qr/v2/order', secretKey, {
      amount,
      currency: 'THB',
      description: 'ELEMENT TEST',
      source_type: sourceType,
      reference_order: `EL${Date.now()}${++references}`,
      expire_time_seconds: expireSeconds,
    });
    orderKeys.set(order.id, secretKey);
    return {
      publicKey: `pkey_test_${merchant}`,
      orderId: order.id,
      expiresAt: new Date(createdAt + order.expire_time_seconds * 1000).toISOString(),
    };
  };

  const payQrOrder = async ({ orderId }) => {
    const secretKey = orderKeys.get(orderId);
    if (!secretKey) throw new Error(`no order ${orderId} was created by kpayment-qr-order`);
    const qr = await callSandbox(`/_sandbox/kpayment/qr/${encodeURIComponent(orderId)}/pay`, secretKey, {});
    return { state: qr.state };
  };

  const middleware = async (ctx, next) => {
    if (ctx.path !== PREFIX && !ctx.path.startsWith(`${PREFIX}/`)) return next();
    if (ctx.method === 'GET' && ctx.path === PREFIX) {
      ctx.type = 'json';
      ctx.body = { url: (await start()).url };
      return;
    }
    const action = /^\/__kpayment-sandbox\/form-action\/([\w-]+)$/.exec(ctx.path);
    if (action && ctx.method === 'POST') {
      const fields = Object.fromEntries(new URLSearchParams(await readBody(ctx.req)));
      posts.set(action[1], [...(posts.get(action[1]) ?? []), { ...fields, '(content-type)': ctx.get('content-type') }]);
      ctx.type = 'html';
      ctx.body = '<!doctype html><title>received</title><p>received</p>';
      return;
    }
    if (action && ctx.method === 'GET') {
      ctx.type = 'json';
      ctx.body = posts.get(action[1]) ?? [];
      return;
    }
    ctx.status = 404;
  };

  const plugin = {
    name: 'kpayment-sandbox',
    async executeCommand({ command, payload, session }) {
      if (command === 'kpayment-qr-order') return createQrOrder(payload);
      if (command === 'kpayment-qr-pay') return payQrOrder(payload);
      if (command !== 'kpayment-card-form' && command !== 'kpayment-frame') return undefined;
      if (session.browser.type !== 'playwright') throw new Error('kpayment-card-form needs the Playwright launcher');
      const frame = session.browser.getPage(session.id).frameLocator('iframe.kpayment-frame');
      // Generous: the sandbox's pages load slowly when the machine is busy.
      const timeout = 10_000;
      for (const [selector, value] of payload.fill ?? []) await frame.locator(selector).fill(value, { timeout });
      if (payload.click) await frame.locator(payload.click).click({ timeout });
      // A click that removes its own frame (the close button): dispatched in the frame. Playwright's click goes on
      // waiting on the frame after the mouse is released, and the close removes the frame meanwhile: on a busy
      // machine that wait never ended (CI, 2026-12-05: "performing click action", then the 10 s timeout).
      if (payload.close) await frame.locator(payload.close).dispatchEvent('click', undefined, { timeout });
      return payload.text ? await frame.locator(payload.text).textContent({ timeout }) : true;
    },
    async serverStop() {
      if (started) await (await started).close();
    },
  };

  return { middleware, plugin };
}
