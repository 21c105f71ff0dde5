// Live mode with a fleet against a real Prometheus (issue 12 §4): an exporter serves HOSTS hosts × 10 metrics,
// Prometheus scrapes it every second, and half a day of the same series is backfilled with promtool as the
// baseline history (live-fleet-source.ts). Prometheus is read and parsed in the live source worker; every
// poll's new samples go, packed, to the analysis worker, which appends them,
// computes the new windows and runs the model, and sends back only the Report and the rows that changed. While
// updates come in, a probe in the page records how long animation frames and a real click (sent by
// Playwright) wait: none may wait 200 ms or more. The longest main-thread tasks are printed (they stretch
// with the machine's load). LIVE_FLEET_HOSTS=1000 for the fleet. Screenshot: test-results/live-fleet.png.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { hasChromium, hasPrometheus, repoRoot } from '../helpers/env.ts';
import { launchChromium, openIsolated, serveStatic, watchPage, type StaticServer } from '../helpers/browser.ts';
import { probeLines, startProbe, stopProbe, worst } from '../helpers/responsiveness.ts';
import { connectFleet, METRICS, startFleetSource, type FleetSource } from './live-fleet-source.ts';

const HOSTS = Number(process.env.LIVE_FLEET_HOSTS ?? 30);
/** How long live updates are watched. */
const WATCH_MS = Number(process.env.LIVE_FLEET_WATCH_MS ?? 20_000);
const LONG = 900_000;
const ANSWER_MS = 200;
const shots = resolve(repoRoot, 'test-results');

describe.skipIf(!hasChromium() || !hasPrometheus())(`live mode with ${HOSTS} hosts`, () => {
  let browser: Browser;
  let server: StaticServer;
  let source: FleetSource;

  beforeAll(async () => {
    [source, server, browser] = await Promise.all([startFleetSource(HOSTS), serveStatic(), launchChromium()]);
  }, LONG);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await source?.stop();
  });

  test(
    'updates run in the analysis worker: frames and a click come within 200 ms while they arrive',
    async () => {
      mkdirSync(shots, { recursive: true });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems = watchPage(page, server.url);
      await openIsolated(page, `${server.url}#window=16&stride=4`);
      await expect.poll(() => page.locator('.progress').count(), { timeout: 180_000, interval: 500 }).toBe(0);
      const connected = Date.now();
      await connectFleet(page, source.prom.url);
      await expect
        .poll(() => page.getByTestId('live-status').getAttribute('data-state'), { timeout: LONG })
        .toBe('live');
      await expect
        .poll(() => page.locator('[data-testid=fleet-summary]').textContent(), { timeout: LONG, interval: 500 })
        .toMatch(new RegExp(`^\\s*${HOSTS} hosts by host`));
      const firstView = Date.now() - connected;
      await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 200 }).toBe(0);

      // LIVE_FLEET_TRACE=FILE.json: a Chrome trace of the page while updates come (open it in DevTools).
      const trace = process.env.LIVE_FLEET_TRACE;
      if (trace)
        await browser.startTracing(page, { path: trace, categories: ['toplevel', 'devtools.timeline', 'v8.execute'] });
      // LIVE_FLEET_PROFILE=FILE.cpuprofile: the page's JavaScript in that time (Chrome's profiler format).
      const profile = process.env.LIVE_FLEET_PROFILE;
      const cdp = profile ? await page.context().newCDPSession(page) : null;
      if (cdp) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
      await startProbe(page, 'live-fleet-probe');
      const samples = () => page.getByTestId('live-samples').textContent();
      const seen = new Set([await samples()]);
      const until = Date.now() + WATCH_MS;
      while (Date.now() < until) {
        await page.locator('#live-fleet-probe').click();
        seen.add(await samples());
        await new Promise((r) => setTimeout(r, 250));
      }
      const probe = await stopProbe(page);
      if (trace) await browser.stopTracing();
      if (cdp) writeFileSync(profile!, JSON.stringify((await cdp.send('Profiler.stop')).profile));
      await page.screenshot({ path: resolve(shots, 'live-fleet.png') });

      console.log(
        [
          `live mode, ${HOSTS} hosts × ${METRICS.length} metrics at 1 s (load average ${loadavg()[0].toFixed(1)} on 2 cores):`,
          `  Connect → ranked fleet view ${(firstView / 1000).toFixed(1)} s`,
          `  ${seen.size - 1} live updates shown in ${WATCH_MS / 1000} s`,
          ...probeLines(probe),
        ].join('\n'),
      );
      // Updates were shown while the probe ran, so it measured the page during them.
      expect(seen.size).toBeGreaterThan(2);
      expect(probe.frames.length).toBeGreaterThan(10);
      expect(worst(probe.frames)).toBeLessThan(ANSWER_MS);
      expect(worst(probe.clicks)).toBeLessThan(ANSWER_MS);
      await page.locator('section.live').getByRole('button', { name: 'Disconnect' }).click();
      expect(problems.errors).toEqual([]);
      await page.close();
    },
    LONG,
  );
});
