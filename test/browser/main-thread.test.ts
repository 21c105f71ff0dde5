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
import { generateScenario, toWideCsv } from '../../src/lib/synth/index.ts';

/** MAIN_THREAD_HOSTS=1000 for the full fleet (a few minutes on 2 cores). */
const HOSTS = Number(process.env.MAIN_THREAD_HOSTS ?? 300);
const LONG = 600_000;
/** The goal for any interaction (issue 12 §4). */
const ANSWER_MS = 200;

interface Probe {
  /** How late each 25 ms timer fired. */
  late: number[];
  frames: number[];
  clicks: number[];
  longTasks: number[];
}

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

      // The probe: a timer every 25 ms records how late it fires (a task running blocks it), a frame is asked
      // for every 100 ms, and every long task is kept. Clicks come from outside, as a user's would (below).
      await page.evaluate(() => {
        const probe: Probe = { late: [], frames: [], clicks: [], longTasks: [] };
        const w = window as unknown as { __probe: Probe; __stop: () => void };
        w.__probe = probe;
        const obs = new PerformanceObserver((l) =>
          l.getEntries().forEach((e) => probe.longTasks.push(Math.round(e.duration))),
        );
        obs.observe({ type: 'longtask' });
        const button = document.body.appendChild(document.createElement('button'));
        button.textContent = 'probe';
        button.id = 'main-thread-probe';
        button.style.cssText = 'position:fixed;right:0;bottom:0;z-index:99999';
        // event.timeStamp is when the browser received the input: the handler's delay is the page's.
        button.addEventListener('click', (e) => probe.clicks.push(performance.now() - e.timeStamp));
        let stopped = false;
        let expected = performance.now() + 25;
        const tick = () => {
          if (stopped) return;
          const now = performance.now();
          probe.late.push(now - expected);
          expected = now + 25;
          setTimeout(tick, 25);
        };
        setTimeout(tick, 25);
        const frames = setInterval(() => {
          const t0 = performance.now();
          requestAnimationFrame(() => probe.frames.push(performance.now() - t0));
        }, 100);
        w.__stop = () => {
          stopped = true;
          clearInterval(frames);
          obs.disconnect();
          button.remove();
        };
      });

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
      const probe = await page.evaluate(() => {
        const w = window as unknown as { __probe: Probe; __stop: () => void };
        w.__stop();
        return w.__probe;
      });
      await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 500 }).toBe(0);

      const worst = (xs: number[]) => Math.round(Math.max(0, ...xs));
      const long = [...probe.longTasks].sort((a, b) => b - a).slice(0, 5);
      console.log(
        [
          `main thread while ${HOSTS} hosts × 6 h at 1 min are analysed (load average ${loadavg()[0].toFixed(1)} on 2 cores):`,
          `  file pick → ranked fleet view ${(toFleet / 1000).toFixed(1)} s`,
          `  25 ms timer: ${probe.late.length} fired, worst ${worst(probe.late)} ms late`,
          `  animation frame: ${probe.frames.length} asked, worst ${worst(probe.frames)} ms`,
          `  click: ${probe.clicks.length} clicks, worst ${worst(probe.clicks)} ms`,
          `  long tasks: ${probe.longTasks.length}, longest ${long.join(', ')} ms`,
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
