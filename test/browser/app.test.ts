// The built app in real Chromium with the strict content policy on: what an operator sees on load, a
// dropped file, hostile and broken files, export, keyboard use, and the look at desktop and phone widths.
// One browser for the file; each test opens its own page.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, repoRoot } from '../helpers/env.ts';
import {
  distDir,
  launchChromium,
  openIsolated,
  serveStatic,
  strictCsp,
  watchPage,
  type PageProblems,
  type StaticServer,
} from '../helpers/browser.ts';
import { hostileCsv, hostileHeader, smallFleetCsv } from './app-fixtures.ts';

const shots = resolve(repoRoot, 'test-results');
const LONG = 240_000;

describe.skipIf(!hasChromium())('app in Chromium', () => {
  let browser: Browser;
  let server: StaticServer;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    server = await serveStatic(undefined, { headers: { 'Content-Security-Policy': strictCsp } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(hash = '', viewport = { width: 1280, height: 800 }) {
    // A dark system: the app follows the system's theme on a first visit, and the phone test switches to light.
    const page = await browser.newPage({ viewport, acceptDownloads: true, colorScheme: 'dark' });
    const problems = watchPage(page, server.url);
    const workers: string[] = [];
    const dialogs: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await openIsolated(page, server.url + hash);
    return { page, problems, workers, dialogs };
  }

  /** Waits until the current analysis (timeline, then predictions) has finished. */
  async function analysed(page: Page) {
    await expect
      .poll(() => page.locator('.timeline path.score-line').getAttribute('d'), { timeout: LONG, interval: 500 })
      .toMatch(/^M/);
    await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 500 }).toBe(0);
  }

  /** Waits until the demo's timeline starts drawing. */
  async function settled(page: Page) {
    await expect
      .poll(() => page.locator('.timeline path.score-line').getAttribute('d'), { timeout: LONG, interval: 500 })
      .toMatch(/^M/);
  }

  function clean(p: PageProblems) {
    expect(p.errors).toEqual([]);
    expect(p.foreign).toEqual([]);
  }

  test(
    'on load: a persistence diagram from the WASM engine in a worker, then the demo analysed without user action',
    async () => {
      const { page, problems, workers } = await open();
      // The example cloud's diagram comes first, from the engine worker.
      const points = page.locator('.diagram svg circle.pt');
      await expect.poll(() => points.count(), { timeout: 30_000 }).toBeGreaterThan(10);
      expect(workers.some((u) => /engine\.worker/.test(u))).toBe(true);
      expect(server.requests.some((p) => /\/assets\/aura-[\w-]+\.wasm$/.test(p))).toBe(true);
      expect(await page.locator('.diagram line.diagonal').count()).toBe(1);

      // Then the demo: timeline from the worker pool, spans, small multiples, the selected window's topology.
      await analysed(page);
      expect(workers.filter((u) => /timeline\.worker/.test(u)).length).toBeGreaterThan(0);
      // Polled: under load the series are drawn a frame or two after the progress bar goes.
      await expect.poll(() => page.locator('.multiples .chart').count(), { timeout: LONG }).toBeGreaterThan(10);
      await expect.poll(() => page.locator('.timeline rect.span').count(), { timeout: LONG }).toBeGreaterThan(0);
      await expect.poll(() => page.locator('#topology-h + span').textContent()).toMatch(/^Window ending/);
      expect(await page.locator('.barcode rect.bar').count()).toBeGreaterThan(0);
      expect(await page.locator('.betti path.curve').count()).toBeGreaterThan(0);
      expect(await page.locator('.distance path.curve').count()).toBe(2);
      expect(await page.locator('.projection circle.pt').count()).toBeGreaterThan(10);
      // Hovering a point of the (now settled) diagram shows its pair as text.
      await page.locator('.diagram circle.pt').last().hover({ force: true });
      await expect
        .poll(() => page.locator('.diagram .tip').textContent())
        .toMatch(/^H\d · birth [^ ]+ · death [^ ]+ · persistence [^ ]+$/);

      await page.mouse.move(1, 1);
      await page.evaluate(() => scrollTo(0, 0));
      await page.screenshot({ path: resolve(shots, 'app-overview.png') });

      // Keyboard: the timeline is a slider; arrows move the selected window, and the topology follows.
      const before = await page.locator('#topology-h + span').textContent();
      await page.locator('.timeline .chart-body').focus();
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => page.locator('#topology-h + span').textContent()).not.toBe(before);

      // Export: the report JSON, and one chart as PNG.
      const [json] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Report JSON' }).click(),
      ]);
      const report = JSON.parse(readFileSync((await json.path())!, 'utf8'));
      expect(report.input.series).toBe(50);
      expect(report.timeline.length).toBeGreaterThan(100);
      expect(report.anomalies.length).toBeGreaterThan(0);
      const [png] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download Persistence diagram as PNG' }).click(),
      ]);
      expect(
        readFileSync((await png.path())!)
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Timeline CSV' }).click(),
      ]);
      expect(readFileSync((await csv.path())!, 'utf8').split('\n')[0]).toMatch(/^time,time_ms,score,anomalous/);

      // The sticky header would cover the top of element screenshots.
      await page.locator('.top').evaluate((el) => ((el as HTMLElement).style.position = 'static'));
      await page.locator('.topology').screenshot({ path: resolve(shots, 'app-topology.png') });
      await page.locator('.predictions').screenshot({ path: resolve(shots, 'app-predictions.png') });
      clean(problems);
      await page.close();
    },
    LONG + 60_000,
  );

  test('onnxruntime is not in the page bundle', () => {
    const html = readFileSync(resolve(distDir, 'index.html'), 'utf8');
    const entry = /src="\.?\/?(assets\/index-[\w-]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeTruthy();
    const js = readFileSync(resolve(distDir, entry!), 'utf8');
    expect(js).not.toMatch(/InferenceSession/);
    expect(readdirSync(resolve(distDir, 'assets')).some((f) => /^ort\..*\.js$/.test(f) || /^ort-wasm/.test(f))).toBe(
      true,
    );
  });

  test(
    'a CSV chosen with the file picker is imported in a worker and analysed; settings come from the link',
    async () => {
      const { page, problems, workers } = await open('#window=40&stride=5');
      expect(await page.getByLabel(/^Window/).inputValue()).toBe('40');
      await settled(page);
      await page.setInputFiles('input[type=file]', {
        name: 'fleet.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(smallFleetCsv()),
      });
      await expect.poll(() => page.locator('.top .origin').textContent(), { timeout: 30_000 }).toBe('fleet.csv');
      expect(workers.some((u) => /ingest\.worker/.test(u))).toBe(true);
      await analysed(page);
      expect(await page.locator('.multiples .chart').count()).toBe(20);
      await expect.poll(() => page.locator('#topology-h + span').textContent()).toMatch(/^Window ending/);
      expect(await page.locator('.diagram circle.pt').count()).toBeGreaterThan(5);
      // Predictions for both hosts, with the provider that ran them.
      await expect.poll(() => page.locator('.predictions .host').count(), { timeout: 60_000 }).toBe(2);
      expect(await page.locator('.predictions .ep').textContent()).toMatch(/Ran on (WASM|WebGPU)/);
      const [json] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Report JSON' }).click(),
      ]);
      const report = JSON.parse(readFileSync((await json.path())!, 'utf8'));
      expect(report.settings.window).toBe(40);
      expect(report.settings.stride).toBe(5);
      expect(report.input.origin).toBe('fleet.csv');
      clean(problems);
      await page.close();
    },
    LONG + 60_000,
  );

  test(
    'a dropped CSV whose header is markup imports as text and runs nothing',
    async () => {
      const { page, problems, dialogs } = await open();
      await analysed(page);
      const data = hostileCsv();
      const dt = await page.evaluateHandle((text) => {
        const t = new DataTransfer();
        t.items.add(new File([text], 'hostile.csv', { type: 'text/csv' }));
        return t;
      }, data);
      await page.dispatchEvent('.drop', 'drop', { dataTransfer: dt });
      await expect.poll(() => page.locator('.top .origin').textContent(), { timeout: 30_000 }).toBe('hostile.csv');
      await analysed(page);
      // The header is shown literally, as text.
      expect(await page.locator('.multiples .chart').first().getAttribute('aria-label')).toBe(hostileHeader);
      expect(await page.locator('.multiples svg text.label').first().textContent()).toContain('<img src=x');
      expect(await page.locator('img[src="x"]').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(dialogs).toEqual([]);
      await page.screenshot({ path: resolve(shots, 'app-hostile-header.png') });
      clean(problems);
      await page.close();
    },
    LONG + 60_000,
  );

  test('a broken file shows a clear message and the previous analysis stays', async () => {
    const { page, problems } = await open();
    await settled(page);
    await page.setInputFiles('input[type=file]', {
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('this is not,a metrics file\n\u0000\u0001\u0002garbage,,,\nmore;garbage\n'),
    });
    const alert = page.locator('.error[role=alert]');
    await expect.poll(() => alert.count(), { timeout: 30_000 }).toBe(1);
    const text = (await alert.textContent()) ?? '';
    expect(text.length).toBeGreaterThan(30);
    await page.screenshot({ path: resolve(shots, 'app-broken-file.png') });
    // The demo's analysis that the file interrupted resumes and finishes; the message stays until dismissed.
    await analysed(page);
    expect(await page.locator('.top .origin').textContent()).toMatch(/^demo/);
    expect(await page.getByRole('button', { name: 'Report JSON' }).isEnabled()).toBe(true);
    expect(await alert.count()).toBe(1);
    await page.getByRole('button', { name: 'Dismiss the error' }).click();
    expect(await alert.count()).toBe(0);
    clean(problems);
    await page.close();
  });

  test(
    'phone width and the light theme',
    async () => {
      const { page, problems } = await open('', { width: 390, height: 844 });
      await analysed(page);
      await page.getByRole('button', { name: /Switch to light theme/ }).click();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
      // Nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await page.mouse.move(1, 1);
      await page.evaluate(() => scrollTo(0, 0));
      await page.screenshot({ path: resolve(shots, 'app-phone-light.png') });
      await page.locator('.overview').scrollIntoViewIfNeeded();
      await page.screenshot({ path: resolve(shots, 'app-phone-overview.png') });
      await page.locator('.predictions').scrollIntoViewIfNeeded();
      await page.screenshot({ path: resolve(shots, 'app-phone-predictions.png') });
      clean(problems);
      await page.close();
    },
    LONG + 60_000,
  );
});
