// The prediction model on WebGPU. Headless Chromium's only WebGPU adapter is SwiftShader, a software
// fallback that the execution-provider rule declines; so "auto" must run on WASM and say why, and forcing
// WebGPU in the settings (the link's #ep=webgpu) must run the model on WebGPU.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, repoRoot } from '../helpers/env.ts';
import { smallFleetCsv } from './app-fixtures.ts';
import {
  launchChromium,
  openIsolated,
  serveStatic,
  strictCsp,
  watchPage,
  webgpuArgs,
  type StaticServer,
} from '../helpers/browser.ts';

const shots = resolve(repoRoot, 'test-results');
const LONG = 240_000;

describe.skipIf(!hasChromium())('predictions on WebGPU', () => {
  let browser: Browser;
  let server: StaticServer;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    server = await serveStatic(undefined, { headers: { 'Content-Security-Policy': strictCsp } });
    browser = await launchChromium({ args: webgpuArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function predictionsOf(page: Page): Promise<{ ep: string; reason: string; hosts: number }> {
    const ep = page.locator('.predictions .ep');
    await expect.poll(() => ep.count(), { timeout: LONG, interval: 1000 }).toBe(1);
    await expect.poll(() => page.locator('.progress').count(), { timeout: LONG, interval: 500 }).toBe(0);
    return {
      ep: (await ep.textContent()) ?? '',
      reason: (await page.locator('.predictions header .small').textContent()) ?? '',
      hosts: await page.locator('.predictions .host').count(),
    };
  }

  test(
    'forcing WebGPU runs the model on WebGPU; automatic declines the software adapter',
    async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const problems = watchPage(page, server.url);
      // This browser has a WebGPU adapter, and it is SwiftShader's fallback one.
      await openIsolated(page, server.url + '#ep=webgpu');
      // The demo starts by itself; once its timeline is drawn, a small file replaces it (cancelling the
      // demo's predictions) so the software GPU has less to do.
      await expect
        .poll(() => page.locator('.timeline path.score-line').getAttribute('d'), { timeout: LONG, interval: 500 })
        .toMatch(/^M/);
      await page.setInputFiles('input[type=file]', {
        name: 'fleet.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(smallFleetCsv(5)),
      });
      await expect.poll(() => page.locator('.top .origin').textContent(), { timeout: 30_000 }).toBe('fleet.csv');
      const forced = await predictionsOf(page);
      const adapter = await page.evaluate(async () => {
        const gpu = (
          navigator as unknown as {
            gpu?: {
              requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean; architecture?: string } } | null>;
            };
          }
        ).gpu;
        const a = await gpu?.requestAdapter();
        return a ? { fallback: a.info?.isFallbackAdapter ?? null, arch: a.info?.architecture ?? '' } : null;
      });
      expect(adapter).not.toBeNull();
      expect(forced.ep).toBe('Ran on WebGPU');
      expect(forced.reason).toMatch(/WebGPU chosen by the user/);
      expect(forced.hosts).toBe(5);
      await page.locator('.predictions').screenshot({ path: resolve(shots, 'app-predictions-webgpu.png') });

      // Back to automatic through the settings form: only the model runs again, now on WASM.
      await page.getByLabel('Execution provider').selectOption('auto');
      await page.getByRole('button', { name: 'Apply and re-analyse' }).click();
      expect(await page.evaluate(() => location.hash)).toBe('');
      await expect
        .poll(() => page.locator('.predictions .ep').textContent(), { timeout: LONG, interval: 1000 })
        .toBe('Ran on WASM');
      expect(await page.locator('.predictions header .small').textContent()).toMatch(/software fallback|no adapter/);
      expect(problems.errors).toEqual([]);
      expect(problems.foreign).toEqual([]);
      await page.close();
    },
    2 * LONG,
  );
});
