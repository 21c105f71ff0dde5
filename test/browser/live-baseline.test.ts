// Live mode's baseline from history against a real Prometheus (issue 11 item 4, issue 12 §2): a day of three
// metrics is backfilled with promtool (from 60 h to 36 h ago, at 1 min); on connect the app reads the last
// 72 h at a coarser step (5 min) as the baseline, then the last minute at the live 1 s step, so the timeline has
// live windows at once instead of after a warm-up. The exported Report's baseline is the history's span,
// at the live step. Screenshot: test-results/live-baseline.png.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { hasChromium, hasPrometheus, repoRoot } from '../helpers/env.ts';
import { launchChromium, openIsolated, serveStatic, watchPage, type StaticServer } from '../helpers/browser.ts';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';
import type { Report } from '../../src/lib/report/types.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The history: a day from 60 h ago (on the hour), inside the 72 h read; backfilled blocks must lie in the past. */
const T0 = Math.floor((Date.now() - 60 * HOUR) / HOUR) * HOUR;
const HISTORY_STEP = 60_000;
const NAMES = ['aura_hist_a', 'aura_hist_b', 'aura_hist_c'];
// Each query reads the live self-scraped metric, or in the past (where it has no samples) the backfilled one;
// both give one series without labels, named by the query, so history and live samples are the same series.
const QUERIES = [
  `sum(go_goroutines) or sum(${NAMES[0]})`,
  `sum(go_memstats_heap_alloc_bytes) or sum(${NAMES[1]})`,
  `sum(scrape_duration_seconds) or sum(${NAMES[2]})`,
];
const shots = resolve(repoRoot, 'test-results');

/** One day of the three metrics at 1 min from T0, as OpenMetrics for promtool. */
function history(): string {
  const lines: string[] = [];
  NAMES.forEach((name, k) => {
    lines.push(`# TYPE ${name} gauge`);
    for (let t = T0; t < T0 + DAY; t += HISTORY_STEP) {
      const v = 50 * (k + 1) + 5 * Math.sin(t / 3_600_000 + k) + ((t / HISTORY_STEP) % 7);
      lines.push(`${name} ${v.toFixed(3)} ${t / 1000}`);
    }
  });
  return lines.join('\n') + '\n# EOF\n';
}

describe.skipIf(!hasChromium() || !hasPrometheus())('live mode with a baseline from history', () => {
  let browser: Browser;
  let server: StaticServer;
  let prom: RunningPrometheus;

  beforeAll(async () => {
    [prom, server, browser] = await Promise.all([
      startPrometheus({ backfill: history() }),
      serveStatic(),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await prom?.stop();
  });

  test('connect reads 72 h at a coarser step as the baseline, then live at 1 s: windows at once', async () => {
    mkdirSync(shots, { recursive: true });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const problems = watchPage(page, server.url);
    await openIsolated(page, `${server.url}#window=8&stride=2`);
    await expect.poll(() => page.locator('.progress').count(), { timeout: 120_000, interval: 500 }).toBe(0);
    const form = page.locator('section.live');
    await form.locator('input[type=url]').fill(prom.url);
    await form.getByLabel('My PromQL queries').check();
    await form.getByLabel('PromQL queries, one per line').fill(QUERIES.join('\n'));
    await form.getByLabel('History (min)').fill('1');
    await form.getByLabel('Scrape interval (s)').fill('1');
    await form.getByLabel('Baseline history (h)').fill('72');
    const connected = Date.now();
    await form.getByRole('button', { name: 'Connect' }).click();

    const status = page.getByTestId('live-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('live');
    // 72 h in at most 1,440 points: a 5 min step, at which the backfilled day is 288 samples.
    await expect
      .poll(() => page.getByTestId('live-baseline').textContent(), { timeout: 60_000 })
      .toMatch(/^2(8[5-9]|9\d) samples over the last 72 h at 5 min$/);
    const windows = async () => Number((await page.getByTestId('live-windows').textContent()) ?? 0);
    await expect.poll(windows, { timeout: 60_000 }).toBeGreaterThan(0);
    const firstWindows = Date.now() - connected;
    // New samples add windows in place, on the same joined grid (stride 2 at 1 s: one every 2 s).
    const w0 = await windows();
    await expect.poll(windows, { timeout: 60_000 }).toBeGreaterThanOrEqual(w0 + 2);
    // No warm-up: the history is the baseline, so no "Learning the baseline" countdown.
    expect(await page.locator('.overview').textContent()).not.toMatch(/Learning the baseline/);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Report JSON' }).click(),
    ]);
    const report = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Report;
    const baseline = report.analysis!.baseline!;
    // The baseline is the backfilled day on the history's 5-minute grid (a sample is seen for 5 min after it).
    expect(Math.abs(baseline.start - T0)).toBeLessThanOrEqual(5 * 60_000);
    expect(Math.abs(baseline.end - (T0 + DAY))).toBeLessThanOrEqual(10 * 60_000);
    expect(report.input.stepMs).toBe(1000);
    expect(report.input.series).toBe(3);
    // Every window is the history's (up to the row of gaps that marks the hours between) or a live one of
    // the last few minutes, scored against that baseline.
    const live = report.timeline.filter((p) => Date.now() - p.t < 5 * 60_000);
    expect(live.length).toBeGreaterThan(0);
    for (const p of live) expect(Number.isFinite(p.score)).toBe(true);
    for (const p of report.timeline) if (!live.includes(p)) expect(p.t).toBeLessThanOrEqual(baseline.end + 5 * 60_000);

    await page.locator('.overview').screenshot({ path: resolve(shots, 'live-baseline.png') });

    // A second tab follows with the history as its baseline too (the two parts sent apart).
    const second = await context.newPage();
    await second.goto(`${server.url}#window=8&stride=2`);
    await second.getByTestId('live-follower').waitFor({ timeout: 60_000 });
    await expect.poll(() => second.locator('.origin').textContent(), { timeout: 60_000 }).toBe(prom.url);
    await expect.poll(() => second.locator('.progress').count(), { timeout: 60_000, interval: 500 }).toBe(0);
    const [d2] = await Promise.all([
      second.waitForEvent('download'),
      second.getByRole('button', { name: 'Report JSON' }).click(),
    ]);
    const followed = JSON.parse(readFileSync((await d2.path())!, 'utf8')) as Report;
    expect(followed.analysis?.baseline).toEqual(report.analysis?.baseline);
    expect(followed.input.stepMs).toBe(1000);
    console.log(
      `live with a 72 h baseline from history: first windows ${(firstWindows / 1000).toFixed(1)} s after Connect; ` +
        `${live.length} live windows, baseline ${new Date(baseline.start).toISOString()} to ${new Date(baseline.end).toISOString()}`,
    );
    await form.getByRole('button', { name: 'Disconnect' }).click();
    expect(problems.errors).toEqual([]);
    await context.close();
  }, 240_000);
});
