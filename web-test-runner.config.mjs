// Browser tests of packages/element: TypeScript sources served through esbuild, run in Debian's Chromium.
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { kpaymentSandbox } from './packages/element/test/support/wtr-kpayment-sandbox.mjs';
import { reactModules } from './packages/element/test/support/wtr-react.mjs';

// The real sandbox's kpayment.min.js for packages/element/src/gateways/kpayment/sandbox.test.ts, started on first use.
const sandbox = kpaymentSandbox();

export default {
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  // The element's tests, beside its code (the test kits are in packages/element/test/support).
  files: ['packages/element/src/**/*.test.ts'],
  nodeResolve: { exportConditions: ['@payment-checkout/source', 'browser', 'development'] },
  middleware: [sandbox.middleware],
  plugins: [
    // React ships as CommonJS only: the wrapper's test gets it as ES modules.
    reactModules(),
    sandbox.plugin,
    esbuildPlugin({
      ts: true,
      target: 'es2022',
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      },
    }),
  ],
  // Lit's dev build (with its extra warnings) is used on purpose; its one-line banner is just noise.
  filterBrowserLogs: ({ args }) => !String(args[0]).startsWith('Lit is in dev mode'),
  // Two cores here and in CI; a cold first import (esbuild + dependencies) can take several seconds.
  concurrency: 2,
  testFramework: { config: { timeout: 20_000 } },
  testsFinishTimeout: 120_000,
};
