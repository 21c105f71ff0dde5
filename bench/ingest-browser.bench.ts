// Importing large CSVs in the app, in headless Chromium: the file goes through the file picker, is streamed
// and parsed in the ingest worker, and arrives on the page as typed arrays. Prints the time from the pick
// to the imported frame (the app's `aura:drop→imported` measure), the renderer's RSS before and at its
// peak during the import (sampled every 50 ms from /proc), and the page's frame size.
// `node bin/run-ts.js bench/index.ts ingest-browser` on a built dist/; BENCH_QUICK=1 skips the 200 MB row.
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, rendererRss, serveStatic } from '../test/helpers/browser.ts';
import { writeWideCsv } from './ingest.bench.ts';
import { BenchTable } from './table.ts';

const MB = 1024 * 1024;

/** All renderer processes together: the import runs in a worker of the tab's renderer. */
async function totalRss(page: Page): Promise<number> {
  return (await rendererRss(page)).reduce((a, b) => a + b, 0);
}

interface ImportRun {
  importMs: number;
  rssBefore: number;
  rssPeak: number;
}

async function importOnce(url: string, csv: string): Promise<ImportRun> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript({ content: 'window.__name = (f) => f;' });
    await page.goto(url);
    // Let the demo analysed at start-up finish, so the import has the CPU to itself.
    await page.locator('.overview header .num').first().waitFor({ timeout: 180_000 });
    await page.waitForFunction(() => !document.querySelector('.progress'), null, { timeout: 180_000 });
    await page.evaluate(() => {
      performance.clearMarks();
      performance.clearMeasures();
    });
    const rssBefore = await totalRss(page);
    let rssPeak = rssBefore;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        rssPeak = Math.max(rssPeak, await totalRss(page));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await page.locator('input[type=file]').setInputFiles(csv);
    await page.waitForFunction(() => performance.getEntriesByName('aura:drop→imported').length > 0, null, {
      timeout: 600_000,
      polling: 50,
    });
    sampling = false;
    await sampler;
    const importMs = await page.evaluate(() => performance.getEntriesByName('aura:drop→imported')[0].duration);
    return { importMs, rssBefore, rssPeak };
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<void> {
  const sizes = process.env.BENCH_QUICK ? [20] : [20, 200];
  const server = await serveStatic();
  // One run per size: a 200 MB import is long enough to be stable, and each run starts a fresh browser.
  const table = new BenchTable(
    'Importing a wide CSV in the app (headless Chromium, file picker → ingest worker → typed arrays on the ' +
      'page); one run per size, so the median is that run',
    [
      'file',
      'rows × series',
      'typed arrays',
      'runs',
      'import wall (pick → frame on the page)',
      'renderer RSS before',
      'peak during import',
      'peak − before',
    ],
    'llrrrrrr',
  );
  try {
    for (const mb of sizes) {
      const csv = join(tmpdir(), `aura-browser-${mb}mb.csv`);
      const rows = await writeWideCsv(csv, mb * MB);
      try {
        const r = await importOnce(server.url, csv);
        const size = (statSync(csv).size / MB).toFixed(0);
        table.add(
          `${size} MB`,
          `${rows.toLocaleString('en')} × 8`,
          `${((rows * 9 * 8) / MB).toFixed(0)} MB`,
          1,
          `${(r.importMs / 1000).toFixed(2)} s`,
          `${(r.rssBefore / MB).toFixed(0)} MB`,
          `${(r.rssPeak / MB).toFixed(0)} MB`,
          `${((r.rssPeak - r.rssBefore) / MB).toFixed(0)} MB`,
        );
      } finally {
        rmSync(csv, { force: true });
      }
    }
  } finally {
    await server.close();
  }
  table.print();
  // Typed arrays: 8 value columns and one shared timestamp column, 8 bytes a cell. The peak also holds the
  // aligned copy the worker makes for the timeline and the builders' spare capacity.
}
