// A second file as the baseline in the app (issue 12 §2), as `aura analyze --baseline-file` does: under
// Settings, "Baseline from a file…" takes the hours before the data as normal operation. A file that does not
// end before the data is refused with a reason; one that does makes the report's baseline its span, and the
// exported Report's timeline, anomalies, analysis and fleet equal the CLI's for the same two files.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { hasChromium, repoRoot } from '../helpers/env.ts';
import { appInChromium, openIsolated, watchPage } from '../helpers/browser.ts';
import { generateScenario, toWideCsv } from '../../src/lib/synth/index.ts';
import { frameTimeRange } from '../../src/lib/frame/stats.ts';
import type { Report } from '../../src/lib/report/types.ts';

const LONG = 300_000;
const T0 = Date.UTC(2026, 2, 2);
const HOUR = 3_600_000;

/** 3 hosts at 1 min: the CSV and its first and last sample time. */
function fleetCsv(start: number, hours: number, seed: number): { csv: string; range: [number, number] } {
  const { frame } = generateScenario({ hosts: 3, hours, stepSeconds: 60, seed, start, metricSet: 'core' });
  return { csv: toWideCsv(frame), range: frameTimeRange(frame)! };
}

async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 500 }).toBe(0);
}

async function pickBaselineFile(page: Page, path: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: 'Baseline from a file…' }).click(),
  ]);
  await chooser.setFiles(path);
}

describe.skipIf(!hasChromium())('a second file as the baseline', () => {
  const app = appInChromium();
  let dir: string;
  // Last week's quiet hours and today's data, an hour apart.
  const base = fleetCsv(T0, 5, 3);
  const data = fleetCsv(T0 + 6 * HOUR, 6, 4);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'aura-baseline-file-'));
    writeFileSync(join(dir, 'base.csv'), base.csv);
    writeFileSync(join(dir, 'data.csv'), data.csv);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test(
    'refused when it overlaps the data; otherwise its span is the baseline, as in aura analyze --baseline-file',
    async () => {
      const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      const problems = watchPage(page, app.server.url);
      await openIsolated(page, app.server.url);
      await settled(page);
      await page.locator('input[type=file]').setInputFiles(join(dir, 'data.csv'));
      await expect.poll(() => page.locator('.top .origin').textContent(), { timeout: 30_000 }).toBe('data.csv');
      await settled(page);

      // The data itself as its own baseline overlaps it: refused, and the analysis stays.
      await pickBaselineFile(page, join(dir, 'data.csv'));
      await expect
        .poll(() => page.locator('body').textContent(), { timeout: 30_000 })
        .toMatch(/the baseline file must end before the data starts/);
      expect(await page.getByTestId('baseline-file').count()).toBe(0);

      await pickBaselineFile(page, join(dir, 'base.csv'));
      await expect
        .poll(() => page.getByTestId('baseline-file').textContent(), { timeout: 30_000 })
        .toContain('base.csv');
      await settled(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Report JSON' }).click(),
      ]);
      const report = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Report;
      expect(report.analysis?.baseline?.start).toBe(base.range[0]);
      expect(report.analysis?.baseline?.end).toBe(base.range[1]);
      expect(report.input.start).toBe(base.range[0]);
      expect(report.input.end).toBe(data.range[1]);

      const r = spawnSync(
        process.execPath,
        [resolve(repoRoot, 'bin/aura.js'), 'analyze', 'data.csv', '--baseline-file', 'base.csv', '--json'],
        { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 },
      );
      expect(r.status, r.stderr).toBe(0);
      const cli = JSON.parse(r.stdout) as Report;
      expect(report.analysis).toEqual(cli.analysis);
      expect(report.timeline).toEqual(cli.timeline);
      expect(report.anomalies).toEqual(cli.anomalies);
      expect(report.fleet).toEqual(cli.fleet);

      // Removing it analyses the data alone again, on the default baseline.
      await page.getByRole('button', { name: 'Remove file' }).click();
      await settled(page);
      await expect.poll(() => page.getByTestId('baseline-file').count()).toBe(0);
      const again = page.getByRole('button', { name: 'Report JSON' });
      const [d2] = await Promise.all([page.waitForEvent('download'), again.click()]);
      const alone = JSON.parse(readFileSync((await d2.path())!, 'utf8')) as Report;
      expect(alone.input.start).toBe(data.range[0]);
      expect(problems.errors).toEqual([]);
      await page.close();
    },
    LONG,
  );
});
