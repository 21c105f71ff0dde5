// A gzip-compressed CSV given to the app's file picker is inflated while streaming (DecompressionStream,
// in the ingest worker) and analysed exactly like the plain file.
import { describe, expect, test } from 'vitest';
import { gzipSync } from 'node:zlib';
import { hasChromium } from '../helpers/env.ts';
import { appInChromium, openIsolated, watchPage } from '../helpers/browser.ts';
import { smallFleetCsv } from './app-fixtures.ts';

const LONG = 240_000;

describe.skipIf(!hasChromium())('gzip files in the app', () => {
  const app = appInChromium();

  test(
    'a .csv.gz chosen with the file picker is imported in the worker and analysed like the plain CSV',
    async () => {
      const page = await app.browser.newPage({ viewport: { width: 1280, height: 800 } });
      const problems = watchPage(page, app.server.url);
      await openIsolated(page, app.server.url);
      expect(await page.locator('input[type=file]').getAttribute('accept')).toContain('.gz');
      const csv = smallFleetCsv();
      const gz = gzipSync(csv);
      expect(gz.length).toBeLessThan(csv.length / 2);
      await page.setInputFiles('input[type=file]', { name: 'fleet.csv.gz', mimeType: 'application/gzip', buffer: gz });
      await expect.poll(() => page.locator('.top .origin').textContent(), { timeout: 30_000 }).toBe('fleet.csv.gz');
      await expect
        .poll(() => page.locator('.timeline path.score-line').getAttribute('d'), { timeout: LONG, interval: 500 })
        .toMatch(/^M/);
      await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 500 }).toBe(0);
      // 2 hosts × 10 metrics, as from the plain file (test/browser/app.test.ts).
      expect(await page.locator('.multiples .chart').count()).toBe(20);
      expect(problems.errors).toEqual([]);
      await page.close();
    },
    LONG + 60_000,
  );
});
