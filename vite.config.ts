import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// The workspace's packages are read from their TypeScript sources (their `@payment-checkout/source` export
// condition), never from a stale dist/: what a user installs is built from the same sources by `npm run build`.
const SOURCE = '@payment-checkout/source';

// One Vite config: Vitest runs the Node-side tests (core, sandbox, server); the element's browser
// tests run under web-test-runner (web-test-runner.config.mjs) and end-to-end tests under Playwright.
export default defineConfig({
  resolve: { conditions: [SOURCE, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE, ...defaultServerConditions], externalConditions: [SOURCE] } },
  test: {
    include: ['packages/{core,sandbox,server}/{src,test}/**/*.test.ts', 'demo/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
