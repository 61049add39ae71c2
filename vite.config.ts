import { defineConfig } from 'vitest/config';

// One Vite config: Vitest runs the Node-side tests (core, sandbox, server); the element's browser
// tests run under web-test-runner (web-test-runner.config.mjs) and end-to-end tests under Playwright.
export default defineConfig({
  test: {
    include: ['packages/{core,sandbox,server}/{src,test}/**/*.test.ts', 'demo/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
