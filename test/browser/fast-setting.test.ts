// The fast scale in the app: the settings panel's choice re-analyses, goes in the URL hash (so a link keeps
// it), and the exported Report says whether it was on; a link with `#fast=off` opens with it off.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { hasChromium } from '../helpers/env.ts';
import { launchChromium, openIsolated, serveStatic, watchPage, type StaticServer } from '../helpers/browser.ts';
import type { Report } from '../../src/lib/report/types.ts';

const LONG = 240_000;
const T0 = Date.parse('2024-03-01T00:00:00Z');
const ONSET = 2405; // a 3-minute rise of two of the four series, 40 h in, between window ends

/** Two days a minute apart, four series; m0 and m2 rise for 3 minutes 40 h in (as cli-analyze-fast). */
function machineCsv(): Buffer {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.02;
  const rows = ['timestamp,m0,m1,m2,m3'];
  for (let i = 0; i < 2 * 1440; i++) {
    const rise = i >= ONSET && i < ONSET + 3 ? 0.15 : 0;
    const v = [0.3 + rand() + rise, 0.5 + rand(), 0.2 + rand() + rise, 0.6 + rand()];
    rows.push(`${new Date(T0 + i * 60e3).toISOString()},${v.map((x) => x.toFixed(4)).join(',')}`);
  }
  return Buffer.from(rows.join('\n') + '\n');
}

describe.skipIf(!hasChromium())('fast scale setting in the app', () => {
  let browser: Browser;
  let server: StaticServer;
  beforeAll(async () => {
    server = await serveStatic();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('choosing On re-analyses with it, keeps fast=on in the link, and the export says so', async () => {
    const page = await browser.newPage({ acceptDownloads: true });
    const problems = watchPage(page, server.url);
    await openIsolated(page, server.url);
    await page.setInputFiles('input[type=file]', { name: 'machine.csv', mimeType: 'text/csv', buffer: machineCsv() });
    await expect.poll(() => page.locator('.top .origin').textContent(), { timeout: 30_000 }).toBe('machine.csv');
    await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 500 }).toBe(0);
    const select = page.getByTestId('fast-scale');
    expect(await select.inputValue()).toBe('auto');

    await select.selectOption('on');
    await page.getByRole('button', { name: 'Apply and re-analyse' }).click();
    await expect.poll(() => page.url()).toMatch(/#(.*&)?fast=on(&|$)/);
    await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 500 }).toBe(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Report JSON' }).click(),
    ]);
    const report = JSON.parse(readFileSync((await download.path())!, 'utf8')) as Report;
    expect(report.settings.fast).toBe(true);
    // The 3-minute rise is known within 10 minutes, as on the command line.
    const rise = T0 + ONSET * 60e3;
    expect(
      report.anomalies.some((a) => (a.detectedAt ?? a.end) >= rise && (a.detectedAt ?? a.end) < rise + 600e3),
    ).toBe(true);
    expect(problems.errors).toEqual([]);
    await page.close();
  }, 300_000);

  test('a link with fast=off opens with the scale off', async () => {
    const page = await browser.newPage();
    await openIsolated(page, `${server.url}#fast=off`);
    await expect.poll(() => page.getByTestId('fast-scale').inputValue(), { timeout: 60_000 }).toBe('off');
    await page.close();
  }, 120_000);
});
