// The built app in real Chromium: what an operator sees on load, with the page's strict content policy on.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, repoRoot } from '../helpers/env.ts';
import {
  launchChromium,
  serveStatic,
  strictCsp,
  watchPage,
  type StaticServer,
  type PageProblems,
} from '../helpers/browser.ts';

const shots = resolve(repoRoot, 'test-results');

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

  async function open(): Promise<{ page: Page; problems: PageProblems; workers: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watchPage(page, server.url);
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(w.url()));
    await page.goto(server.url);
    return { page, problems, workers };
  }

  test('loading the app draws a persistence diagram computed by the WASM engine in a worker', async () => {
    const { page, problems, workers } = await open();
    const points = page.locator('.diagram svg circle.pt');
    await expect.poll(() => points.count(), { timeout: 30_000 }).toBeGreaterThan(10);
    // The engine ran in a worker that fetched the one WASM module.
    expect(workers.some((u) => /engine/.test(u))).toBe(true);
    expect(server.requests.some((p) => p.endsWith('.wasm'))).toBe(true);
    // H0 and H1 are both present and the diagonal and ∞ line are drawn.
    expect(await page.locator('.diagram circle.dim-1').count()).toBeGreaterThan(0);
    expect(await page.locator('.diagram line.diagonal').count()).toBe(1);
    // Hover shows birth, death and persistence as text.
    await page.locator('.diagram circle.dim-1').first().hover({ force: true });
    await expect.poll(() => page.locator('.tip').textContent()).toMatch(/H1 · birth .* death .* persistence/);
    await page.screenshot({ path: resolve(shots, 'app-load.png'), fullPage: true });
    expect(problems.errors).toEqual([]);
    expect(problems.foreign).toEqual([]);
    await page.close();
  });
});
