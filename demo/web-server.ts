import express, { type Express } from 'express';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createServer as createViteServer, defaultClientConditions } from 'vite';

/**
 * The shop's pages. By default (`npm start`, the e2e tests) they are a production build, as a merchant ships them:
 * Vite bundles each page with the element (minified, tree-shaken) into a folder of this process's own, and the
 * demo serves that folder and nothing else. `dev: true` (`npm run dev`) serves them through Vite's dev server
 * instead, limited to the pages and the browser-side sources they import.
 */

const WEB_ROOT = fileURLToPath(new URL('./web/', import.meta.url));
/** The workspace's packages are built from their sources (see vite.config.ts). */
const CONDITIONS = ['@payment-checkout/source', ...defaultClientConditions];

export interface WebPages {
  close(): Promise<void>;
}

function pages(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.html')).map((file) => join(dir, file));
}

/** The element's script-tag file (`npm run build`), for pages that load it as any shop can: `/element/payment-checkout.js`. */
const ELEMENT_SCRIPT_DIR = fileURLToPath(new URL('../packages/element/dist/browser/', import.meta.url));

export async function serveWeb(app: Express, server: Server, options: { dev?: boolean }): Promise<WebPages> {
  app.use('/element', express.static(ELEMENT_SCRIPT_DIR, { fallthrough: false }));
  if (options.dev) return serveDev(app, server);
  const outDir = mkdtempSync(join(tmpdir(), 'payment-checkout-demo-'));
  await build({
    root: WEB_ROOT,
    configFile: false,
    logLevel: 'warn',
    resolve: { conditions: CONDITIONS },
    build: {
      outDir,
      emptyOutDir: true,
      sourcemap: true,
      rolldownOptions: { input: Object.fromEntries(pages(WEB_ROOT).map((file) => [relative(WEB_ROOT, file).replace(/\.html$/, ''), file])) },
    },
  });
  // `/merchant/payments` is merchant/payments.html; hashed assets never change, pages are always asked again.
  app.use(
    express.static(outDir, {
      extensions: ['html'],
      setHeaders: (res, path) => res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    }),
  );
  return { close: async () => rmSync(outDir, { recursive: true, force: true }) };
}

const BROWSER_SOURCES = ['../packages/element/src/', '../packages/core/src/'].map((path) => fileURLToPath(new URL(path, import.meta.url)));
/** The browser's dependencies, as Vite's optimizer serves them; nothing else under node_modules. */
const BROWSER_DEPENDENCIES = ['lit', 'lit-html', 'lit-element', '@lit/reactive-element', 'zod', 'vite/dist/client'].map((name) =>
  fileURLToPath(new URL(`../node_modules/${name}/`, import.meta.url)),
);

async function serveDev(app: Express, server: Server): Promise<WebPages> {
  const vite = await createViteServer({
    root: WEB_ROOT,
    configFile: false,
    appType: 'mpa',
    logLevel: 'warn',
    resolve: { conditions: CONDITIONS },
    server: {
      middlewareMode: true,
      hmr: false,
      // Vite's client WebSocket rides on the storefront's own port: on its default fixed port (24678) a second demo
      // (npm run dev beside the e2e run) would clash, and with no WebSocket the client logs errors in every page.
      ws: { server },
      // The pages and the element's and core's browser-side sources only: by default Vite would serve any file of
      // the repository, the server's sources and the payments database (with its return tokens) included. The
      // workspace's packages are linked under node_modules/@payment-checkout/, so the links are refused too.
      fs: {
        strict: true,
        allow: [WEB_ROOT, ...BROWSER_SOURCES, ...BROWSER_DEPENDENCIES],
        deny: ['.env', '.env.*', '*.{crt,pem}', '**/.git/**', '**/node_modules/@payment-checkout/**'],
      },
    },
  });
  app.use(vite.middlewares);
  return { close: () => vite.close() };
}
