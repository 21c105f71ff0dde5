import { defineConfig } from 'vitest/config';

// Two cores here: keep the pool small so browser and Prometheus tests are not starved.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
