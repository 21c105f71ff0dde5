import { defineConfig } from 'vitest/config';

// Three tiers, each runnable alone (`vitest run --project unit`):
// unit: in-process tests (test/unit, test/property), no child processes, under a minute;
// integration: tests that spawn the CLI, promtool, Prometheus or a training run;
// browser: headless Chromium against the built app;
// responsiveness: the browser tests that time the page's answers (frames, clicks under 200 ms), run one file
// at a time after the browser tier, so that another Chromium on the same 2 cores does not fail them.
// Two cores here: keep the pool small so browser and Prometheus tests are not starved.
/** Browser tests whose assertions are about time: they run alone (project 'responsiveness'). */
const RESPONSIVENESS = ['test/browser/main-thread.test.ts', 'test/browser/live-fleet.test.ts'];

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
      {
        extends: true,
        test: { name: 'browser', include: ['test/browser/**/*.test.ts'], exclude: RESPONSIVENESS },
      },
      { extends: true, test: { name: 'responsiveness', include: RESPONSIVENESS, fileParallelism: false } },
    ],
  },
});
