import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the site in headless Chromium through playwright-core.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
