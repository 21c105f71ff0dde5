// A baseline picked by dragging on the anomaly timeline (issue 12 §2): the drag zooms and offers "Use as
// baseline"; using it re-analyses with that period through the same setting as the typed inputs, so the URL
// hash, the settings panel and the exported Report's baseline all say the dragged range (snapped to the
// samples inside it). Screenshots: test-results/baseline-brush-{offered,applied}.png.
import { describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { hasChromium, repoRoot } from '../helpers/env.ts';
import { appInChromium, openIsolated, watchPage } from '../helpers/browser.ts';
import { smallFleetCsv } from './app-fixtures.ts';
import type { Report } from '../../src/lib/report/types.ts';

const LONG = 300_000;
const shots = resolve(repoRoot, 'test-results');
/** smallFleetCsv: 6 h at 30 s from 2026-03-02 00:00 UTC. */
const START = Date.UTC(2026, 2, 2);
const STEP = 30_000;

async function settled(page: Page): Promise<void> {
  await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 500 }).toBe(0);
}

async function exportedReport(page: Page): Promise<Report> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Report JSON' }).click(),
  ]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8')) as Report;
}

describe.skipIf(!hasChromium())('baseline from a range dragged on the timeline', () => {
  const app = appInChromium();

  test(
    'drag, "Use as baseline": hash, settings inputs and the report say the dragged period',
    async () => {
      mkdirSync(shots, { recursive: true });
      const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
      const problems = watchPage(page, app.server.url);
      await openIsolated(page, app.server.url);
      await settled(page);
      await page
        .locator('input[type=file]')
        .setInputFiles({ name: 'fleet.csv', mimeType: 'text/csv', buffer: Buffer.from(smallFleetCsv(3)) });
      await expect.poll(() => page.locator('.top .origin').textContent(), { timeout: 30_000 }).toBe('fleet.csv');
      await settled(page);
      const before = await exportedReport(page);
      const t0 = before.input.start;
      const t1 = before.input.end;
      expect(t0).toBe(START);

      // Drag over 10 % … 35 % of the plot (the brush's overlay spans the plot exactly).
      const overlay = page.locator('.timeline .brush .overlay');
      const box = (await overlay.boundingBox())!;
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + 0.1 * box.width, y);
      await page.mouse.down();
      await page.mouse.move(box.x + 0.25 * box.width, y, { steps: 5 });
      await page.mouse.move(box.x + 0.35 * box.width, y, { steps: 5 });
      await page.mouse.up();
      const offer = page.getByTestId('brushed');
      await expect.poll(() => offer.count()).toBe(1);
      await offer.scrollIntoViewIfNeeded();
      await page.locator('.overview').screenshot({ path: resolve(shots, 'baseline-brush-offered.png') });
      // The drag zoomed too (the timeline's domain is the dragged range).
      expect(await page.getByRole('button', { name: 'Reset zoom' }).isEnabled()).toBe(true);
      await offer.getByRole('button', { name: 'Use as baseline' }).click();
      await expect.poll(() => offer.count()).toBe(0);
      await settled(page);

      // The link carries the period, on sample times near 10 % and 35 % of the data.
      const hash = new URLSearchParams(decodeURIComponent(new URL(page.url()).hash.slice(1)));
      const from = Date.parse(hash.get('bfrom') ?? '');
      const to = Date.parse(hash.get('bto') ?? '');
      const span = t1 - t0;
      expect(Math.abs(from - (t0 + 0.1 * span))).toBeLessThan(0.02 * span);
      expect(Math.abs(to - (t0 + 0.35 * span))).toBeLessThan(0.02 * span);
      expect((from - START) % STEP).toBe(0);
      expect((to - START) % STEP).toBe(0);

      // The settings panel's inputs show the same period (the keyboard's way to the same setting).
      const panel = page.getByRole('region', { name: 'Settings' });
      const utc = (t: number) => new Date(t).toISOString().slice(0, 19).replace('T', ' ').replace(/:00$/, '');
      expect(await panel.getByLabel('From', { exact: true }).inputValue()).toBe(utc(from));
      expect(await panel.getByLabel('To', { exact: true }).inputValue()).toBe(utc(to));
      expect(await panel.getByRole('button', { name: 'Apply and re-analyse' }).isDisabled()).toBe(true);

      // The report's baseline is that period, and the analysis starts at it.
      const after = await exportedReport(page);
      expect(after.analysis?.baseline?.start).toBe(from);
      expect(after.analysis?.baseline?.end).toBe(to);
      expect(after.input.start).toBe(from);
      expect(after.analysis?.baseline?.start).not.toBe(before.analysis?.baseline?.start);
      await page.locator('.overview').screenshot({ path: resolve(shots, 'baseline-brush-applied.png') });
      expect(problems.errors).toEqual([]);
      await page.close();
    },
    LONG,
  );
});
