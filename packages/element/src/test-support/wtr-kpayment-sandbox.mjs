// For web-test-runner (Node side): the element's tests against the REAL sandbox's kpayment.min.js.
// - GET  /__kpayment-sandbox                      starts packages/sandbox on 127.0.0.1, port 0 (once), answers {url}.
//   The sandbox is another origin than the test page, as the gateway is for a shop.
// - POST /__kpayment-sandbox/form-action/:id      a form action that records what the script posted (urlencoded).
// - GET  /__kpayment-sandbox/form-action/:id      what was posted there, oldest first.
// - command "kpayment-card-form" {fill?: [selector, value][], click?: selector, text?: selector}: acts in the
//   sandbox's card form iframe (cross-origin, so the page cannot) with Playwright; answers the text of `text`.

const PREFIX = '/__kpayment-sandbox';

/** @returns {{ middleware: (ctx: any, next: () => Promise<void>) => Promise<void>, plugin: object }} */
export function kpaymentSandbox() {
  /** @type {Promise<{ url: string, close: () => Promise<void> }> | undefined} */
  let started;
  /** @type {Map<string, Record<string, string>[]>} */
  const posts = new Map();

  const start = () =>
    (started ??= (async () => {
      // The sandbox is TypeScript; tsx loads it (and core) in this Node process.
      const { tsImport } = await import('tsx/esm/api');
      const { createSandbox } = await tsImport('../../../sandbox/src/index.ts', import.meta.url);
      const sandbox = createSandbox();
      const listening = await sandbox.listen(0, '127.0.0.1');
      return { url: listening.url, close: () => sandbox.close() };
    })());

  const readBody = (req) =>
    new Promise((resolve, reject) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => resolve(body));
      req.on('error', reject);
    });

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
      if (command !== 'kpayment-card-form') return undefined;
      if (session.browser.type !== 'playwright') throw new Error('kpayment-card-form needs the Playwright launcher');
      const frame = session.browser.getPage(session.id).frameLocator('iframe.kpayment-frame');
      const timeout = 4000;
      for (const [selector, value] of payload.fill ?? []) await frame.locator(selector).fill(value, { timeout });
      if (payload.click) await frame.locator(payload.click).click({ timeout });
      return payload.text ? await frame.locator(payload.text).textContent({ timeout }) : true;
    },
    async serverStop() {
      if (started) await (await started).close();
    },
  };

  return { middleware, plugin };
}
