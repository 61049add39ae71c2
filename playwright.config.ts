import { defineConfig, devices } from '@playwright/test';

const PORT = Number(process.env.E2E_PORT ?? 3199);
const SANDBOX_PORT = Number(process.env.E2E_SANDBOX_PORT ?? 4199);

// The workspace's packages from their TypeScript sources (their `@payment-checkout/source` export condition), in
// the test workers (they inherit this from the runner; the demo is given the flag in its command).
if (!process.env.NODE_OPTIONS?.includes('--conditions=@payment-checkout/source')) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --conditions=@payment-checkout/source`.trim();
}

/** End-to-end: the demo storefront, the companion and the sandbox in one process, driven in Debian's Chromium. */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  // One sandbox clock is shared by every test: advancing it expires other tests' charges, so run one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: {
    command: `npx tsx --conditions=@payment-checkout/source demo/main.ts --port ${PORT} --sandbox-port ${SANDBOX_PORT} --db :memory:`,
    url: `http://127.0.0.1:${PORT}/healthz`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'pipe',
  },
});
