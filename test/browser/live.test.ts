// Live mode against a real Prometheus on another port (another origin): CORS from a cross-origin-isolated
// page, connecting from the form, the timeline growing as samples arrive, a second tab following over
// BroadcastChannel, the history in IndexedDB, and credentials kept out of the URL and out of storage.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { hasChromium, hasPrometheus } from '../helpers/env.ts';
import {
  distDir,
  launchChromium,
  openIsolated,
  serveStatic,
  watchPage,
  type StaticServer,
} from '../helpers/browser.ts';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.ts';

// Prometheus scrapes itself every second: these move on their own.
const QUERIES = [
  'go_memstats_heap_alloc_bytes',
  'go_goroutines',
  'rate(process_cpu_seconds_total[5s])',
  'scrape_duration_seconds',
  'rate(prometheus_tsdb_head_samples_appended_total[5s])',
].join('\n');
const TOKEN = 'live-test-token-4f9c';

const windows = async (page: Page) => Number((await page.getByTestId('live-windows').textContent()) ?? 0);
const samples = async (page: Page) => Number((await page.getByTestId('live-samples').textContent()) ?? 0);

describe.skipIf(!hasChromium() || !hasPrometheus())('live mode against Prometheus', () => {
  let browser: Browser;
  let server: StaticServer;
  let prom: RunningPrometheus;

  beforeAll(async () => {
    [prom, server, browser] = await Promise.all([startPrometheus(), serveStatic(distDir), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await prom?.stop();
  });

  test('an isolated page (COEP require-corp from the service worker) still reads Prometheus through CORS', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // The worker takes control and the page reloads itself once (nothing of the user's is on screen yet).
    await openIsolated(page, server.url);
    expect(new URL(prom.url).origin).not.toBe(new URL(server.url).origin);
    const answer = await page.evaluate(async (url) => {
      const r = await fetch(`${url}/api/v1/status/buildinfo`, { headers: { Authorization: 'Bearer x' } });
      return { status: r.status, body: (await r.json()) as { status: string; data: { version: string } } };
    }, prom.url);
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('success');
    expect(answer.body.data.version).toMatch(/^\d+\.\d+/);
    // The same server's resources without CORS are what COEP blocks: a no-cors image from another origin.
    const blocked = await page.evaluate(
      (url) =>
        new Promise<boolean>((resolve) => {
          const img = new Image();
          img.onload = () => resolve(false);
          img.onerror = () => resolve(true);
          img.src = `${url}/favicon.ico?${Math.random()}`;
        }),
      prom.url,
    );
    expect(blocked).toBe(true);
    await context.close();
  }, 180_000);

  test('connect from the form: windows are added as samples arrive, a second tab follows, history is kept', async () => {
    const context: BrowserContext = await browser.newContext();
    const page = await context.newPage();
    const problems = watchPage(page, server.url);
    // Small windows so that a 1 s step adds a window every 2 s.
    await openIsolated(page, `${server.url}#window=8&stride=2`);
    const form = page.locator('section.live');
    await form.locator('input[type=url]').fill(prom.url);
    await form.locator('select').selectOption('bearer');
    await form.locator('input[type=password]').fill(TOKEN);
    await form.getByLabel('My PromQL queries').check();
    await form.getByLabel('PromQL queries, one per line').fill(QUERIES);
    await form.getByLabel('History (min)').fill('1');
    await form.getByLabel('Scrape interval (s)').fill('1');
    await form.getByRole('button', { name: 'Connect' }).click();

    const status = page.getByTestId('live-status');
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 60_000 }).toBe('live');
    await expect.poll(() => windows(page), { timeout: 90_000 }).toBeGreaterThan(0);
    const w0 = await windows(page);
    const s0 = await samples(page);
    // The timeline grows in place: more windows, more samples, same page.
    await expect.poll(() => windows(page), { timeout: 90_000 }).toBeGreaterThanOrEqual(w0 + 3);
    expect(await samples(page)).toBeGreaterThan(s0);
    expect(await page.locator('.origin').textContent()).toBe(prom.url);

    // A second tab of the same browser follows the live one without connecting itself.
    const second = await context.newPage();
    await second.goto(`${server.url}#window=8&stride=2`);
    await second.getByTestId('live-follower').waitFor({ timeout: 60_000 });
    await expect.poll(() => second.locator('.origin').textContent(), { timeout: 90_000 }).toBe(prom.url);
    const f0 = await windows(second);
    await expect.poll(() => windows(second), { timeout: 90_000 }).toBeGreaterThan(f0);

    // Scores went to IndexedDB; the history panel lists them by time range.
    await page.getByTestId('live-history').locator('summary').click();
    await expect
      .poll(
        async () =>
          Number(/(\d+) windows in range/.exec((await page.getByTestId('live-history').textContent()) ?? '')?.[1] ?? 0),
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(0);

    // Credentials: not in the URL, not in storage (remember was not ticked).
    for (const p of [page, second]) expect(p.url()).not.toContain(TOKEN);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
    expect(stored).not.toContain(TOKEN);
    expect(stored).toContain(prom.url); // the URL itself is remembered, it is not secret

    await page.getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => status.getAttribute('data-state')).toBe('stopped');
    const stoppedAt = await windows(page);
    await page.waitForTimeout(3000);
    expect(await windows(page)).toBe(stoppedAt);
    expect(problems.errors).toEqual([]);
    await context.close();
  }, 300_000);

  test('a server that is not Prometheus gives an error that says what to do', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await openIsolated(page, server.url);
    const form = page.locator('section.live');
    await form.locator('input[type=url]').fill(server.url); // the static server: no Prometheus API there
    await form.getByRole('button', { name: 'Connect' }).click();
    await page.getByTestId('live-error').waitFor({ timeout: 60_000 });
    expect(((await page.getByTestId('live-error').textContent()) ?? '').length).toBeGreaterThan(20);
    expect(await page.getByTestId('live-status').count()).toBe(0);
    await context.close();
  }, 120_000);
});
