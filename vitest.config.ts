import { defineConfig } from 'vitest/config';

// `npm test` runs everything except the headless-browser tests (tests/browser/),
// which need Chromium and run with `npm run test:browser`.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
  },
});
