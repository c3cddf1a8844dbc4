import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: e2e (Chromium) and provider suites contend; keep the pool small and predictable.
    maxWorkers: 2,
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
