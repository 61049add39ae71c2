import { defineConfig, devices } from '@playwright/test';

/**
 * The consumer test: the packages as a user installs them. Its global set-up packs every package (`npm pack`),
 * installs the tarballs into a new folder outside the workspace, and there, with plain `node` (no tsx, no
 * workspace links), starts the sandbox from its bin and the examples' shop (examples/plain-html, examples/react);
 * the tests pay in Chromium on the plain HTML page (script-tag file) and on the React page.
 * Needs `npm run build` first (`npm test` does it).
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  globalSetup: './global-setup.ts',
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${Number(process.env.CONSUMER_PORT ?? 3188)}`,
    trace: 'off',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
});
