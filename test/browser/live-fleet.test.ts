// Live mode with a fleet against a real Prometheus (issue 12 §4): an exporter in this test serves HOSTS hosts ×
// 10 metrics, Prometheus scrapes it every second, and half a day of the same series is backfilled with
// promtool as the baseline history. Every poll's new samples go to the analysis worker, which appends them,
// computes the new windows and runs the model, and sends back only the Report and the rows that changed. While
// updates come in, a probe in the page records how long animation frames and a real click (sent by
// Playwright) wait: none may wait 200 ms or more. The longest main-thread tasks are printed (they stretch
// with the machine's load). LIVE_FLEET_HOSTS=1000 for the fleet. Screenshot: test-results/live-fleet.png.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { hasChromium, hasPrometheus, repoRoot } from '../helpers/env.ts';
import { launchChromium, openIsolated, serveStatic, watchPage, type StaticServer } from '../helpers/browser.ts';
import { freePort, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';
import { probeLines, startProbe, stopProbe, worst } from '../helpers/responsiveness.ts';

const HOSTS = Number(process.env.LIVE_FLEET_HOSTS ?? 30);
const METRICS = ['cpu', 'memory', 'disk', 'net_rx', 'net_tx', 'load', 'fds', 'latency', 'errors', 'iops'];
const HOUR = 3_600_000;
/** The history: 12 h from 60 h ago at 5 min (backfilled blocks must lie in the past), read within the last 72 h. */
const T0 = Math.floor((Date.now() - 60 * HOUR) / HOUR) * HOUR;
const HISTORY_HOURS = 12;
const HISTORY_STEP = 300_000;
/** How long live updates are watched. */
const WATCH_MS = Number(process.env.LIVE_FLEET_WATCH_MS ?? 20_000);
const LONG = 900_000;
const ANSWER_MS = 200;
const shots = resolve(repoRoot, 'test-results');

/** Host h's metric k at time t (ms): a daily-ish wave per host and metric, and some noise. */
function value(h: number, k: number, t: number): number {
  return 100 * (k + 1) + 10 * Math.sin(t / 600_000 + h + k) + 3 * Math.sin(t / 7_000 + 2 * h) + Math.random();
}

function exposition(t: number): string {
  const lines: string[] = [];
  METRICS.forEach((m, k) => {
    lines.push(`# TYPE aura_fleet_${m} gauge`);
    for (let h = 0; h < HOSTS; h++) lines.push(`aura_fleet_${m}{host="host-${h}"} ${value(h, k, t).toFixed(3)}`);
  });
  return lines.join('\n') + '\n';
}

function history(): string {
  const lines: string[] = [];
  METRICS.forEach((m, k) => {
    lines.push(`# TYPE aura_fleet_${m} gauge`);
    for (let h = 0; h < HOSTS; h++)
      for (let t = T0; t < T0 + HISTORY_HOURS * HOUR; t += HISTORY_STEP)
        lines.push(`aura_fleet_${m}{host="host-${h}"} ${value(h, k, t).toFixed(3)} ${t / 1000}`);
  });
  return lines.join('\n') + '\n# EOF\n';
}

describe.skipIf(!hasChromium() || !hasPrometheus())(`live mode with ${HOSTS} hosts`, () => {
  let browser: Browser;
  let server: StaticServer;
  let prom: RunningPrometheus;
  let exporter: Server;

  beforeAll(async () => {
    const port = await freePort();
    exporter = createServer((_, res) => res.end(exposition(Date.now())));
    await new Promise<void>((r) => exporter.listen(port, '127.0.0.1', r));
    [prom, server, browser] = await Promise.all([
      startPrometheus({ backfill: history(), targets: [`127.0.0.1:${port}`], readyTimeoutS: 300 }),
      serveStatic(),
      launchChromium(),
    ]);
  }, LONG);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await prom?.stop();
    await new Promise((r) => exporter?.close(r));
  });

  test(
    'updates run in the analysis worker: frames and a click come within 200 ms while they arrive',
    async () => {
      mkdirSync(shots, { recursive: true });
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems = watchPage(page, server.url);
      await openIsolated(page, `${server.url}#window=16&stride=4`);
      await expect.poll(() => page.locator('.progress').count(), { timeout: 180_000, interval: 500 }).toBe(0);
      const form = page.locator('section.live');
      await form.locator('input[type=url]').fill(prom.url);
      await form.getByLabel('My PromQL queries').check();
      await form
        .getByLabel('PromQL queries, one per line')
        .fill(METRICS.map((m) => `sum by (host) (aura_fleet_${m})`).join('\n'));
      await form.getByLabel('History (min)').fill('1');
      await form.getByLabel('Scrape interval (s)').fill('1');
      await form.getByLabel('Baseline history (h)').fill('72');
      const connected = Date.now();
      await form.getByRole('button', { name: 'Connect' }).click();
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
