// The installable, offline app: the web manifest and icons, the precache, offline reload with the last
// analysis restored, cross-origin isolation added by the service worker on a host that sends no such
// headers, and the update prompt when a new version is deployed.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium } from '../helpers/env.ts';
import { distDir, launchChromium, serveStatic, watchPage, type StaticServer } from '../helpers/browser.ts';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

/** A small wide CSV: three series over 4 h at 1 min, with a level shift in the last hour. */
function csv(): string {
  const start = Date.UTC(2026, 0, 5, 8, 0, 0);
  const rows = ['timestamp,cpu,memory,latency'];
  for (let i = 0; i < 240; i++) {
    const shift = i >= 180 ? 1 : 0;
    const t = new Date(start + i * 60_000).toISOString();
    const cpu = 0.3 + 0.1 * Math.sin(i / 7) + 0.4 * shift + 0.01 * ((i * 7919) % 13);
    const mem = 0.5 + 0.05 * Math.cos(i / 11) + 0.3 * shift;
    const lat = 20 + 3 * Math.sin(i / 5) + 40 * shift;
    rows.push(`${t},${cpu.toFixed(4)},${mem.toFixed(4)},${lat.toFixed(3)}`);
  }
  return rows.join('\n') + '\n';
}

/** Waits until the service worker controls the page; with `isolated`, also for the reload that isolates it. */
async function waitForControl(page: Page, isolated = false): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const state = await page.evaluate(() => ({
        controlled: navigator.serviceWorker?.controller != null,
        isolated: crossOriginIsolated,
      }));
      if (state.controlled && (!isolated || state.isolated)) return;
    } catch {
      // the page is reloading itself
    }
    if (Date.now() > deadline)
      throw new Error('the service worker did not take control (and isolate the page) within 90 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The last analysis as the app stored it in IndexedDB (origin only), or null. */
function storedOrigin(page: Page): Promise<string | null> {
  return page.evaluate(
    () =>
      new Promise<string | null>((resolve) => {
        const req = indexedDB.open('aura-live');
        req.onerror = () => resolve(null);
        req.onsuccess = () => {
          const db = req.result;
          if (!db.objectStoreNames.contains('last')) return resolve(null);
          const get = db.transaction('last').objectStore('last').get('last');
          get.onsuccess = () => resolve((get.result as { origin: string } | undefined)?.origin ?? null);
          get.onerror = () => resolve(null);
        };
      }),
  );
}

describe.skipIf(!hasChromium())('PWA', () => {
  let browser: Browser;
  let server: StaticServer;

  beforeAll(async () => {
    server = await serveStatic(distDir); // plain static host: no COOP/COEP headers of its own
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the manifest makes the app installable, with a base-path-safe scope and a CSV file handler', async () => {
    const html = readFileSync(join(distDir, 'index.html'), 'utf8');
    const link = /<link rel="manifest" href="([^"]+)"/.exec(html);
    expect(link?.[1]).toBe('./manifest.webmanifest');
    const m = JSON.parse(readFileSync(join(distDir, 'manifest.webmanifest'), 'utf8'));
    expect(m).toMatchObject({ display: 'standalone', start_url: './', scope: './', short_name: 'AURA' });
    expect(m.theme_color).toMatch(/^#[0-9a-f]{6}$/);
    expect(m.file_handlers).toEqual([{ action: './', accept: { 'text/csv': ['.csv'] } }]);
    const sizes = new Map<string, [number, number]>();
    for (const icon of m.icons as { src: string; sizes: string; purpose: string; type: string }[]) {
      const file = join(distDir, icon.src);
      expect(existsSync(file), icon.src).toBe(true);
      if (icon.type === 'image/png') {
        const size = pngSize(file);
        expect(`${size[0]}x${size[1]}`).toBe(icon.sizes);
        sizes.set(`${icon.purpose}:${icon.sizes}`, size);
      }
    }
    expect([...sizes.keys()].sort()).toEqual(['any:192x192', 'any:512x512', 'maskable:512x512']);
  });

  test('the service worker precaches the shell, workers, engine WASM and model, and caches onnxruntime on use', () => {
    const sw = readFileSync(join(distDir, 'sw.js'), 'utf8');
    const assets = readdirSync(join(distDir, 'assets')).filter((f) => !f.endsWith('.map'));
    const precached = assets.filter((f) => sw.includes(`assets/${f}`));
    const missing = assets.filter((f) => !precached.includes(f) && !/^ort-wasm.*\.wasm$/.test(f));
    expect(missing).toEqual([]);
    expect(precached.some((f) => /^aura-.*\.wasm$/.test(f))).toBe(true);
    expect(precached.some((f) => f.endsWith('.onnx'))).toBe(true);
    expect(sw).toContain('index.html');
    expect(sw).toContain('aura-ort-wasm'); // the runtime cache for the large onnxruntime WASM
  });

  test('offline after the first visit: the app reloads, cross-origin isolated, with the last analysis', async () => {
    const context: BrowserContext = await browser.newContext();
    const page = await context.newPage();
    const problems = watchPage(page, server.url);
    await page.goto(server.url);
    // First visit: the worker takes control, and the page reloads itself once to become isolated.
    await waitForControl(page, true);
    await page.waitForLoadState('load');

    await page
      .locator('input[type=file]')
      .setInputFiles({ name: 'offline-test.csv', mimeType: 'text/csv', buffer: Buffer.from(csv()) });
    await expect.poll(() => page.locator('.origin').textContent(), { timeout: 60_000 }).toBe('offline-test.csv');
    await expect.poll(() => storedOrigin(page), { timeout: 60_000 }).toBe('offline-test.csv');

    await context.setOffline(true);
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await page.getByTestId('restored-analysis').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('.origin').textContent(), { timeout: 60_000 }).toBe('offline-test.csv');
    // The restored analysis is drawn: the timeline has its windows.
    await expect.poll(() => page.locator('main svg').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    expect(problems.foreign).toEqual([]);
    expect(problems.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e))).toEqual([]);
    await context.close();
  }, 240_000);

  test('a new deployment is offered; accepting it activates the new worker and reloads', async () => {
    const root = mkdtempSync(join(tmpdir(), 'aura-pwa-update-'));
    cpSync(distDir, root, { recursive: true });
    const site = await serveStatic(root);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(site.url);
      await waitForControl(page);
      console.log('update: first worker in control');
      expect(await page.getByTestId('update-banner').count()).toBe(0);

      // "Deploy" a new version: any byte change to sw.js is a new service worker.
      writeFileSync(join(root, 'sw.js'), readFileSync(join(root, 'sw.js'), 'utf8') + '\n// release 2\n');
      await page.evaluate(async () => {
        (window as unknown as { beforeUpdate: boolean }).beforeUpdate = true;
        await (await navigator.serviceWorker.getRegistration())!.update();
      });
      const banner = page.getByTestId('update-banner');
      console.log('update: new worker requested');
      await banner.waitFor({ timeout: 60_000 });
      await Promise.all([
        page.waitForEvent('load', { timeout: 60_000 }),
        banner.getByRole('button', { name: /update/i }).click(),
      ]);
      // A fresh page (the marker is gone), controlled by the new worker, nothing left waiting.
      expect(await page.evaluate(() => (window as unknown as { beforeUpdate?: boolean }).beforeUpdate ?? false)).toBe(
        false,
      );
      await waitForControl(page);
      const state = await page.evaluate(async () => {
        const reg = (await navigator.serviceWorker.getRegistration())!;
        const text = await (await fetch('sw.js', { cache: 'no-store' })).text();
        return { waiting: reg.waiting !== null, active: reg.active?.state, released: text.includes('release 2') };
      });
      expect(state).toEqual({ waiting: false, active: 'activated', released: true });
      expect(await page.getByTestId('update-banner').count()).toBe(0);
    } finally {
      await context.close();
      await site.close();
      rmSync(root, { recursive: true, force: true });
    }
  }, 240_000);
});
