// The page answers while a fleet is analysed: a 300-host file (6 h at 1 min) is picked, and until its ranked
// fleet view is in, a probe in the page records how late a 25 ms timer fires, how long an animation frame
// takes to come, and how long a real click (sent by Playwright) waits for its handler. Alignment, per-host
// timelines, peer outliers and the fleet report run in the analysis worker, so no frame and no click may wait
// 200 ms or more (issue 12 §4). The timer's lateness and the longest main-thread tasks (longtask) are
// printed, not asserted: they are the page's remaining work stretched by the machine's load (at a load
// average of 17-20 on 2 cores a 80 ms task was seen to take 300 ms), while the goal is about what a user meets.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadavg } from 'node:os';
import { hasChromium } from '../helpers/env.ts';
import { appInChromium, openIsolated, watchPage } from '../helpers/browser.ts';
import { probeLines, startProbe, stopProbe, worst } from '../helpers/responsiveness.ts';
import { generateScenario, toWideCsv } from '../../src/lib/synth/index.ts';

/** MAIN_THREAD_HOSTS=1000 for the full fleet (a few minutes on 2 cores). */
const HOSTS = Number(process.env.MAIN_THREAD_HOSTS ?? 300);
const LONG = 600_000;
/** The goal for any interaction (issue 12 §4). */
const ANSWER_MS = 200;

describe.skipIf(!hasChromium())(`the page answers while ${HOSTS} hosts are analysed`, () => {
  const app = appInChromium();

  test(
    'animation frames and a click come within 200 ms from file pick to the ranked fleet view',
    async () => {
      const { frame } = generateScenario({
        hosts: HOSTS,
        hours: 6,
        stepSeconds: 60,
        seed: 7,
        start: Date.UTC(2026, 2, 2),
      });
      const file = join(mkdtempSync(join(tmpdir(), 'aura-main-thread-')), 'fleet.csv');
      writeFileSync(file, toWideCsv(frame));
      const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
      const problems = watchPage(page, app.server.url);
      await openIsolated(page, app.server.url);
      await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 500 }).toBe(0);

      // The probe (test/helpers/responsiveness.ts); clicks come from outside, as a user's would (below).
      await startProbe(page, 'main-thread-probe');

      const picked = Date.now();
      await page.locator('input[type=file]').setInputFiles(file);
      let analysing = true;
      const clicking = (async () => {
        while (analysing) {
          await page.locator('#main-thread-probe').click();
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
      await expect
        .poll(() => page.locator('[data-testid=fleet-summary]').textContent(), { timeout: LONG, interval: 200 })
        .toMatch(new RegExp(`^\\s*${HOSTS} hosts by instance`));
      const toFleet = Date.now() - picked;
      analysing = false;
      await clicking;
      const probe = await stopProbe(page);
      await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 500 }).toBe(0);

      console.log(
        [
          `main thread while ${HOSTS} hosts × 6 h at 1 min are analysed (load average ${loadavg()[0].toFixed(1)} on 2 cores):`,
          `  file pick → ranked fleet view ${(toFleet / 1000).toFixed(1)} s`,
          ...probeLines(probe),
        ].join('\n'),
      );
      // The probe ran through the analysis, not only at its edges.
      expect(probe.frames.length).toBeGreaterThan(10);
      expect(probe.clicks.length).toBeGreaterThan(3);
      expect(worst(probe.frames)).toBeLessThan(ANSWER_MS);
      expect(worst(probe.clicks)).toBeLessThan(ANSWER_MS);
      expect(problems.errors).toEqual([]);
      await page.close();
      rmSync(dirname(file), { recursive: true, force: true });
    },
    LONG,
  );
});
