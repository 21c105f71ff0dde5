import { defineConfig } from 'vitest/config';

// Three tiers, each runnable alone (`vitest run --project unit`):
// unit: in-process tests (test/unit, test/property), no child processes, under a minute;
// integration: tests that spawn the CLI, promtool, Prometheus or a training run;
// browser: headless Chromium against the built app.
// Two cores here: keep the pool small so browser and Prometheus tests are not starved.
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/property/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'] } },
    ],
  },
});
